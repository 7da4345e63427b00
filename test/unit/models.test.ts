import { describe, expect, it } from 'vitest';
import { formatContext, formatModelsTable } from '../../src/cli/commands/models.js';
import type { FetchModelsResult } from '../../src/client/models/fetch.js';
import { liveEntries, normalizeLiveModel } from '../../src/client/models/live-list.js';
import { catalogDefault, type ModelInfo, selectModels } from '../../src/client/models/model-info.js';
import { BUILTIN_MODELS, builtinModels, RETIRED_MODELS } from '../../src/client/models/registry.js';
import { assertKnownModel, SUGGEST_MAX_LENGTH, suggestModels } from '../../src/client/models/suggestions.js';
import { DEFAULT_MODEL } from '../../src/config/resolve.js';
import { EXIT_CODES, UsageError } from '../../src/shared/errors.js';
import { editDistance } from '../../src/shared/suggest.js';

const SLUGS = BUILTIN_MODELS.map((model) => model.id);

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['gpt-6-sol', 'gpt-6-luna', 4],
    ['gpt6-sol', 'gpt-6-sol', 1],
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
    ['gpt6.1-sol', ['gpt-6.1-sol'], 'missing dash: same letters and digits'],
    ['GPT-6-Astra', ['gpt-6-astra'], 'case is ignored'],
    ['gpt-6-lnua', ['gpt-6-luna'], 'transposed letters'],
    ['gpt-6.1-te', ['gpt-6.1-terra'], 'prefix of a slug'],
    ['gpt-5.6-soll', ['gpt-5.6-sol'], 'one letter too many'],
  ])('%s → %j… (%s)', (typed, expected, _why) => {
    expect(suggestModels(typed, SLUGS).slice(0, expected.length)).toEqual(expected);
  });

  it('returns nothing for something unrelated', () => {
    expect(suggestModels('claude-opus', SLUGS)).toEqual([]);
    expect(suggestModels('', SLUGS)).toEqual([]);
  });

  it('looks for none past SUGGEST_MAX_LENGTH characters (a megabyte-long name costs nothing)', () => {
    // The same letters and digits as gpt-6-sol, padded with dashes.
    expect(suggestModels(`gpt-6-sol${'-'.repeat(SUGGEST_MAX_LENGTH - 9)}`, SLUGS)[0]).toBe('gpt-6-sol');
    expect(suggestModels(`gpt-6-sol${'-'.repeat(SUGGEST_MAX_LENGTH - 8)}`, SLUGS)).toEqual([]);
    const started = performance.now();
    expect(suggestModels(`gpt-6-sol${'x'.repeat(1_000_000)}`, SLUGS)).toEqual([]);
    // The edit distance over it took seconds and hundreds of megabytes.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('caps the number of suggestions and accepts ModelInfo entries', () => {
    const suggestions = suggestModels('gpt-6', builtinModels(), 2);
    expect(suggestions).toHaveLength(2);
    for (const suggestion of suggestions) expect(suggestion.startsWith('gpt-6')).toBe(true);
  });
});

const live = (slug: string, extra: Record<string, unknown> = {}) => ({ slug, visibility: 'list', ...extra });

function liveResult(models: readonly Omit<ModelInfo, 'default'>[], source: FetchModelsResult['source'] = 'live'): FetchModelsResult {
  const marked = models.map((model) => ({ ...model, default: false }));
  return { models: marked, source, defaultModel: catalogDefault(marked) ?? DEFAULT_MODEL };
}

describe('normalizeLiveModel and selectModels', () => {
  it('sorts by priority (stable), hides non-list models unless all, fills gaps from the built-in entry', () => {
    const entries = liveEntries([
      live('gpt-6-sol', { priority: 2 }),
      live('x-hidden', { priority: 0, visibility: 'hide' }),
      live('gpt-6.1-sol', { priority: 1, supported_reasoning_levels: [{ effort: 'high', description: 'h' }, 'low'] }),
      live('no-priority'),
      { not: 'a model' },
    ]);
    const models = entries.map((entry) => normalizeLiveModel(entry));
    expect(selectModels(models).map((model) => model.id)).toEqual(['gpt-6.1-sol', 'gpt-6-sol', 'no-priority']);
    expect(selectModels(models, { all: true }).map((model) => model.id)).toEqual(['x-hidden', 'gpt-6.1-sol', 'gpt-6-sol', 'no-priority']);
    expect(catalogDefault(models as ModelInfo[])).toBe('gpt-6.1-sol');
    const gpt6 = models.find((model) => model.id === 'gpt-6-sol')!;
    expect(gpt6).toMatchObject({ source: 'live', display_name: 'GPT-6-Sol', context_window: 272000, default_reasoning_level: 'medium', responses_lite: true });
    expect(models.find((model) => model.id === 'gpt-6.1-sol')!.reasoning_levels).toEqual(['high', 'low']);
    expect(models.find((model) => model.id === 'no-priority')).toMatchObject({ display_name: 'no-priority', context_window: null });
  });

  it('reads the catalog fields of December 2026 (protocol §10)', () => {
    const [entry] = liveEntries([
      live('new-model', {
        priority: 3,
        minimal_client_version: '0.171.0',
        default_reasoning_level: 'low',
        default_reasoning_summary: 'none',
        support_verbosity: true,
        default_verbosity: 'low',
        use_responses_lite: true,
        some_future_field: { any: 'thing' },
      }),
    ]);
    expect(normalizeLiveModel(entry!)).toMatchObject({
      id: 'new-model',
      default_reasoning_level: 'low',
      default_reasoning_summary: 'none',
      supports_verbosity: true,
      default_verbosity: 'low',
      responses_lite: true,
    });
  });

  it('the built-in catalog is the catalog of the official client 0.171.0; its top listed model is DEFAULT_MODEL', () => {
    const builtin = builtinModels();
    expect(selectModels(builtin).map((model) => model.id)).toEqual([
      'gpt-6.2-sol',
      'gpt-6.2-astra',
      'gpt-6.1-terra',
      'gpt-6.1-sol',
      'gpt-6-astra',
      'gpt-6-sol',
      'gpt-6-luna',
      'gpt-5.6-sol',
      'gpt-5.6-terra',
      'gpt-5.6-luna',
      'gpt-5.5',
    ]);
    expect(builtin.filter((model) => model.hidden).map((model) => model.id)).toEqual(['codex-auto-review']);
    expect(builtin.filter((model) => model.default).map((model) => model.id)).toEqual([DEFAULT_MODEL]);
    expect(builtin.find((model) => model.id === 'gpt-6.1-sol')!.reasoning_levels).toEqual(['low', 'medium', 'high', 'xhigh', 'max', 'ultra']);
    expect(builtin.filter((model) => !model.responses_lite).map((model) => model.id)).toEqual(['gpt-5.5']);
    for (const retired of RETIRED_MODELS) expect(SLUGS).not.toContain(retired.id);
  });
});

describe('assertKnownModel', () => {
  const models = liveEntries([live('gpt-6.1-sol', { priority: 1 }), live('gpt-6-sol', { priority: 2 }), live('secret', { visibility: 'hide' })]).map((entry) =>
    normalizeLiveModel(entry),
  );

  it('returns the model for a known slug, hidden ones included', () => {
    expect(assertKnownModel('gpt-6.1-sol', liveResult(models))?.id).toBe('gpt-6.1-sol');
    expect(assertKnownModel('secret', liveResult(models))?.id).toBe('secret');
    expect(assertKnownModel('gpt-6-sol', liveResult(models, 'cache'))?.id).toBe('gpt-6-sol');
  });

  it('throws a UsageError (exit 2) with close matches for an unknown slug', () => {
    let error: unknown;
    try {
      assertKnownModel('gpt-6.1-so', liveResult(models));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT_CODES.usage);
    expect((error as UsageError).message).toMatch(/^unknown model gpt-6\.1-so; did you mean gpt-6\.1-sol/);
  });

  it('cuts a long unknown name in its message', () => {
    expect(() => assertKnownModel(`gpt-${'x'.repeat(100_000)}`, liveResult(models))).toThrow(
      new RegExp(`^unknown model gpt-x{${SUGGEST_MAX_LENGTH - 4}}… \\(100004 characters\\) \\(\`codex models\` lists`),
    );
  });

  it.each<[string, RegExp]>([
    ['gpt-5.4', /^model gpt-5\.4 was retired on 2026-08-31; current models: gpt-6\.1-sol, gpt-6-sol \(/],
    ['gpt-5.3-codex', /^model gpt-5\.3-codex was retired on 2026-06-02;/],
    ['gpt-5.1-codex', /^model gpt-5\.1-codex was retired; current models/],
    ['gpt-4.1', /^model gpt-4\.1 is an API model that the Codex backend does not serve to ChatGPT accounts; current models: gpt-6\.1-sol/],
  ])('refuses the retired slug %s, naming the current models', (slug, message) => {
    expect(() => assertKnownModel(slug, liveResult(models))).toThrow(message);
    // Also when only the built-in catalog is to be had.
    expect(() => assertKnownModel(slug, liveResult(builtinModels(), 'builtin'))).toThrow(UsageError);
  });

  it('lets an unknown slug through when only the built-in catalog is available (the backend decides)', () => {
    expect(assertKnownModel('gpt-7-future', liveResult(builtinModels(), 'builtin'))).toBeUndefined();
  });
});

describe('table output (TTY)', () => {
  it('formats context sizes', () => {
    expect([272000, 1047576, 400000, 512, null].map(formatContext)).toEqual(['272K', '1M', '400K', '512', '?']);
  });

  it('aligns columns and marks the default', () => {
    const table = formatModelsTable(selectModels(builtinModels('gpt-6.2-astra')).slice(0, 2));
    expect(table).toBe(
      [
        '   MODEL          NAME           CONTEXT  REASONING',
        '   gpt-6.2-sol    GPT-6.2-Sol    500K     low,medium,high,xhigh,max,ultra',
        '*  gpt-6.2-astra  GPT-6.2-Astra  272K     low,medium,high,xhigh,max,ultra',
        '',
        '* default (the catalog\'s top model unless -m, CODEX_MODEL or config.json "model" chooses)',
        '',
      ].join('\n'),
    );
  });
});
