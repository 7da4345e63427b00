import { checkSetting, type ResponsesLayout } from '../config/settings.js';
import { EFFORTS } from '../shared/efforts.js';
import { UsageError } from '../shared/errors.js';
import type { FetchModelsResult } from './models/fetch.js';
import { type ModelInfo, selectModels } from './models/model-info.js';
import { assertKnownModel } from './models/suggestions.js';
import type { AskRequest } from './request.js';

/** What the caller chose; everything left out comes from the model's catalog entry (protocol §10). */
export interface ModelChoices {
  /** Flag, env or config.json; else the catalog's default. */
  model?: string;
  effort?: string;
  verbosity?: string;
  /** The reasoning will be shown (`--reasoning`, `--json`, a library stream): ask for a summary. */
  showReasoning: boolean;
  layout: ResponsesLayout;
  /** Names the origin of `model` / `effort` / `verbosity` in messages (e.g. `-e`, `"effort" in …/config.json`). */
  modelSource?: string;
  effortSource?: string;
  verbositySource?: string;
  /** Ask for the "Fast" service tier (`service_tier: "priority"`); refused for a model whose catalog entry lacks it. */
  fast?: boolean;
  /** Names the origin of `fast` in messages (`--fast`, `"fast" in …/config.json`). */
  fastSource?: string;
}

export type ModelSettings = Pick<AskRequest, 'model' | 'effort' | 'verbosity' | 'reasoningSummary' | 'layout' | 'serviceTier'> & {
  /** The catalog entry, when the catalog describes the model. */
  info?: ModelInfo;
};

/** assertKnownModel, its message starting with where the slug came from when that is known. */
function knownModel(slug: string, catalog: FetchModelsResult, source: string | undefined): ModelInfo | undefined {
  try {
    return assertKnownModel(slug, catalog);
  } catch (error) {
    if (source === undefined || !(error instanceof UsageError)) throw error;
    throw new UsageError(`${source}: ${error.message}`);
  }
}

/**
 * The request settings for one ask: the model (checked: retired and unknown slugs are refused before anything is
 * sent), effort within the model's levels (default its `default_reasoning_level`), verbosity where supported
 * (default `default_verbosity`), a reasoning summary only when it will be shown or the catalog asks for one, and
 * the request layout.
 */
export function settingsFor(catalog: FetchModelsResult, choices: ModelChoices): ModelSettings {
  const model = choices.model ?? catalog.defaultModel;
  const info = choices.model ? knownModel(choices.model, catalog, choices.modelSource) : catalog.models.find((entry) => entry.id === model);

  const levels = info && info.reasoning_levels.length > 0 ? info.reasoning_levels : [...EFFORTS];
  if (choices.effort !== undefined && !levels.includes(choices.effort)) {
    const source = choices.effortSource ?? 'effort';
    throw new UsageError(`${source}: ${model} takes reasoning effort ${levels.join(', ')}; not ${choices.effort}`);
  }
  const effort = choices.effort ?? info?.default_reasoning_level;

  if (choices.verbosity !== undefined) checkSetting('verbosity', choices.verbosity, choices.verbositySource ?? 'verbosity');
  if (choices.verbosity !== undefined && info?.supports_verbosity === false) {
    throw new UsageError(`${choices.verbositySource ?? 'verbosity'}: ${model} does not take a verbosity`);
  }
  const verbosity = choices.verbosity ?? (info?.supports_verbosity ? info.default_verbosity : undefined);

  let reasoningSummary: string | undefined;
  if (info?.supports_reasoning_summaries !== false) {
    const catalogDefault = info?.default_reasoning_summary;
    if (choices.showReasoning) reasoningSummary = catalogDefault && catalogDefault !== 'none' ? catalogDefault : 'auto';
    else if (catalogDefault && catalogDefault !== 'none') reasoningSummary = catalogDefault;
  }

  const serviceTier = choices.fast === true ? fastTier(catalog, model, info, choices.fastSource ?? 'fast') : undefined;

  const layout = choices.layout === 'auto' ? (info?.responses_lite ? 'lite' : 'classic') : choices.layout;
  return {
    model,
    ...(info ? { info } : {}),
    ...(effort ? { effort } : {}),
    ...(verbosity ? { verbosity } : {}),
    ...(reasoningSummary ? { reasoningSummary } : {}),
    ...(serviceTier ? { serviceTier } : {}),
    layout,
  };
}

/** The catalog's id of the "Fast" tier (protocol §11). */
export const FAST_TIER = 'priority';

/** `priority` when the model's catalog entry lists it; else a usage error naming the listed models that do. */
function fastTier(catalog: FetchModelsResult, model: string, info: ModelInfo | undefined, source: string): string {
  if (info?.service_tiers?.includes(FAST_TIER)) return FAST_TIER;
  const fast = selectModels(catalog.models)
    .filter((entry) => entry.service_tiers?.includes(FAST_TIER))
    .map((entry) => entry.id);
  const why = info ? `${model} has no fast tier` : `the model list does not say whether ${model} has a fast tier`;
  const others = fast.length > 0 ? `; models that do: ${fast.join(', ')}` : '; no listed model has one';
  throw new UsageError(`${source}: ${why}${others}`);
}
