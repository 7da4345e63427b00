// The request settings that come from the catalog (protocol §10): a table over catalog entries.
import { describe, expect, it } from 'vitest';
import type { FetchModelsResult } from '../../src/client/models/fetch.js';
import type { ModelInfo } from '../../src/client/models/model-info.js';
import { type ModelChoices, settingsFor } from '../../src/client/settings.js';
import { UsageError } from '../../src/shared/errors.js';

function model(id: string, extra: Partial<ModelInfo> = {}): ModelInfo {
  return {
    id,
    display_name: id,
    context_window: 272000,
    reasoning_levels: ['low', 'medium', 'high'],
    input_modalities: ['text'],
    default: false,
    source: 'live',
    hidden: false,
    priority: 1,
    default_reasoning_level: 'medium',
    ...extra,
  };
}

const catalog = (models: ModelInfo[], source: FetchModelsResult['source'] = 'live'): FetchModelsResult => ({ models, source, defaultModel: models[0]!.id });
const base: ModelChoices = { showReasoning: false, layout: 'auto' };

describe('settingsFor', () => {
  it.each<[string, ModelInfo, Partial<ModelChoices>, Record<string, unknown>]>([
    // [why, the catalog entry, the choices, what is sent]
    [
      'defaults: effort and verbosity from the entry, classic layout, no summary',
      model('m', { supports_verbosity: true, default_verbosity: 'medium' }),
      {},
      { model: 'm', effort: 'medium', verbosity: 'medium', layout: 'classic' },
    ],
    [
      'no verbosity for a model without support_verbosity',
      model('m', { supports_verbosity: false, default_verbosity: 'low' }),
      {},
      { model: 'm', effort: 'medium', layout: 'classic' },
    ],
    ['the lite layout for use_responses_lite', model('m', { responses_lite: true }), {}, { layout: 'lite' }],
    ['a forced layout wins over the catalog', model('m', { responses_lite: true }), { layout: 'classic' }, { layout: 'classic' }],
    ['a summary when the reasoning is shown', model('m', { default_reasoning_summary: 'none' }), { showReasoning: true }, { reasoningSummary: 'auto' }],
    ['the catalog default summary even when not shown', model('m', { default_reasoning_summary: 'detailed' }), {}, { reasoningSummary: 'detailed' }],
    [
      'no summary for a model without summaries, even when shown',
      model('m', { supports_reasoning_summaries: false }),
      { showReasoning: true },
      { model: 'm', effort: 'medium', layout: 'classic' },
    ],
    ['a chosen effort within the levels', model('m'), { effort: 'high' }, { effort: 'high' }],
  ])('%s', (_why, entry, choices, expected) => {
    const settings = settingsFor(catalog([entry]), { ...base, ...choices });
    const { info: _info, ...sent } = settings;
    if ('model' in expected) expect(sent).toEqual(expected);
    else expect(sent).toMatchObject(expected);
  });

  it('refuses an effort outside the levels, and a verbosity for a model without support, naming the source', () => {
    expect(() => settingsFor(catalog([model('m')]), { ...base, effort: 'ultra', effortSource: '-e' })).toThrow(
      new UsageError('-e: m takes reasoning effort low, medium, high; not ultra'),
    );
    expect(() => settingsFor(catalog([model('m', { supports_verbosity: false })]), { ...base, verbosity: 'high', verbositySource: '--verbosity' })).toThrow(
      new UsageError('--verbosity: m does not take a verbosity'),
    );
  });

  it('an unknown slug with only the built-in catalog: sent as asked, classic layout, any known level', () => {
    const settings = settingsFor(catalog([model('m')], 'builtin'), { ...base, model: 'future-model', effort: 'max' });
    expect(settings).toEqual({ model: 'future-model', effort: 'max', layout: 'classic' });
  });
});
