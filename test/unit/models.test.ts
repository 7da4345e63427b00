import { describe, expect, it } from 'vitest';
import {
  BUILTIN_MODELS,
  assertKnownModel,
  builtinModels,
  editDistance,
  liveEntries,
  normalizeLiveModel,
  selectModels,
  suggestModels,
  type FetchModelsResult,
  type ModelInfo,
} from '../../src/client/models.js';
import { formatContext, formatModelsTable } from '../../src/cli/commands/models.js';
import { UsageError } from '../../src/errors.js';

const SLUGS = BUILTIN_MODELS.map((model) => model.id);

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['gpt-5.4', 'gpt-5.5', 1],
    ['gpt5.4', 'gpt-5.4', 1],
    ['kitten', 'sitting', 3],
    ['gpt-5.4-mnii', 'gpt-5.4-mini', 1], // a swap of neighbours counts once
    ['', 'abc', 3],
  ])('%s ↔ %s = %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('suggestModels', () => {
  it.each<[string, string[], string]>([
    // [typed, first suggestions expected, why]
    ['gpt5.4', ['gpt-5.4'], 'missing dash: same letters and digits'],
    ['GPT-5.4', ['gpt-5.4'], 'case is ignored'],
    ['gpt-5.4-mnii', ['gpt-5.4-mini'], 'transposed letters'],
    ['gpt-5.3', ['gpt-5.3-codex'], 'prefix of a slug'],
    ['gpt-5.1-codex-maxx', ['gpt-5.1-codex-max'], 'one letter too many'],
    ['o3mini', ['o3-mini'], 'legacy slugs are suggested too'],
  ])('%s → %j… (%s)', (typed, expected, _why) => {
    expect(suggestModels(typed, SLUGS).slice(0, expected.length)).toEqual(expected);
  });

  it('returns nothing for something unrelated', () => {
    expect(suggestModels('claude-opus', SLUGS)).toEqual([]);
    expect(suggestModels('', SLUGS)).toEqual([]);
  });

  it('caps the number of suggestions and accepts ModelInfo entries', () => {
    const suggestions = suggestModels('gpt-5', builtinModels(), 2);
    expect(suggestions).toHaveLength(2);
    expect(suggestions[0]).toBe('gpt-5');
  });
});

const live = (slug: string, extra: Record<string, unknown> = {}) => ({ slug, visibility: 'list', ...extra });

function liveResult(models: ModelInfo[], source: FetchModelsResult['source'] = 'live'): FetchModelsResult {
  return { models, source };
}

describe('normalizeLiveModel and selectModels', () => {
  it('sorts by priority (stable), hides non-list models unless all, fills gaps from the built-in entry', () => {
    const entries = liveEntries([
      live('gpt-5.4', { priority: 2 }),
      live('x-hidden', { priority: 0, visibility: 'hide' }),
      live('gpt-5.5', { priority: 1, supported_reasoning_levels: [{ effort: 'high', description: 'h' }, 'low'] }),
      live('no-priority'),
      { not: 'a model' },
    ]);
    const models = entries.map((entry) => normalizeLiveModel(entry, 'gpt-5.4'));
    expect(selectModels(models).map((model) => model.id)).toEqual(['gpt-5.5', 'gpt-5.4', 'no-priority']);
    expect(selectModels(models, { all: true }).map((model) => model.id)).toEqual(['x-hidden', 'gpt-5.5', 'gpt-5.4', 'no-priority']);
    const gpt54 = models.find((model) => model.id === 'gpt-5.4')!;
    expect(gpt54).toMatchObject({ default: true, source: 'live', display_name: 'GPT-5.4', context_window: 272000 });
    expect(models.find((model) => model.id === 'gpt-5.5')!.reasoning_levels).toEqual(['high', 'low']);
    expect(models.find((model) => model.id === 'no-priority')).toMatchObject({ display_name: 'no-priority', context_window: null });
  });

  it('the built-in registry: current slugs visible in order, legacy ones hidden with sizes', () => {
    const builtin = builtinModels('gpt-5.4');
    expect(selectModels(builtin).map((model) => model.id)).toEqual([
      'gpt-5.5',
      'gpt-5.4',
      'gpt-5.4-mini',
      'gpt-5.3-codex',
      'gpt-5.2-codex',
      'gpt-5.2',
      'gpt-5.1-codex-max',
      'gpt-5.1-codex',
      'gpt-5.1-codex-mini',
      'gpt-5.1',
      'gpt-5-codex',
      'gpt-5',
      'codex-mini-latest',
    ]);
    const legacy = builtin.filter((model) => model.hidden);
    expect(legacy.map((model) => model.id)).toEqual(['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o4-mini', 'o3', 'o3-mini']);
    for (const model of legacy) {
      expect(model.context_window).toBeGreaterThan(0);
      expect(model.max_output_tokens).toBeGreaterThan(0);
    }
    expect(builtin.filter((model) => model.default).map((model) => model.id)).toEqual(['gpt-5.4']);
  });
});

describe('assertKnownModel (behind checkModelSlug)', () => {
  const models = liveEntries([live('gpt-5.5', { priority: 1 }), live('gpt-5.4', { priority: 2 }), live('secret', { visibility: 'hide' })]).map((entry) =>
    normalizeLiveModel(entry, 'gpt-5.4'),
  );

  it('returns the model for a known slug, hidden ones included', () => {
    expect(assertKnownModel('gpt-5.5', liveResult(models))?.id).toBe('gpt-5.5');
    expect(assertKnownModel('secret', liveResult(models))?.id).toBe('secret');
    expect(assertKnownModel('gpt-5.5', liveResult(models, 'cache'))?.id).toBe('gpt-5.5');
  });

  it('throws a UsageError (exit 2) with close matches for an unknown slug', () => {
    let error: unknown;
    try {
      assertKnownModel('gpt-5.6', liveResult(models));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(/^unknown model gpt-5\.6; did you mean gpt-5\.5, gpt-5\.4\?/);
  });

  it('explains a legacy API slug', () => {
    expect(() => assertKnownModel('gpt-4.1', liveResult(models))).toThrow(/gpt-4\.1 is an API model .* not serve to ChatGPT accounts; try gpt-5\.4/);
  });

  it('is skipped when only the built-in list is available', () => {
    expect(assertKnownModel('anything-at-all', liveResult(builtinModels(), 'builtin'))).toBeUndefined();
  });
});

describe('table output (TTY)', () => {
  it('formats context sizes', () => {
    expect([272000, 1047576, 400000, 512, null].map(formatContext)).toEqual(['272K', '1M', '400K', '512', '?']);
  });

  it('aligns columns and marks the default', () => {
    const table = formatModelsTable(selectModels(builtinModels('gpt-5.4')).slice(0, 2));
    expect(table).toBe(
      [
        '   MODEL    NAME     CONTEXT  REASONING',
        '   gpt-5.5  GPT-5.5  272K     low,medium,high,xhigh',
        '*  gpt-5.4  GPT-5.4  272K     none,low,medium,high,xhigh',
        '',
        '* default (set with -m, CODEX_MODEL or config.json "model")',
        '',
      ].join('\n'),
    );
  });
});
