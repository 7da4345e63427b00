import { type BuiltinModel, type ModelInfo, markDefault } from './model-info.js';

const TO_XHIGH = ['low', 'medium', 'high', 'xhigh'];
const TO_MAX = [...TO_XHIGH, 'max'];
const TO_ULTRA = [...TO_MAX, 'ultra'];
const TEXT_IMAGE = ['text', 'image'];

function current(
  id: string,
  display_name: string,
  priority: number,
  reasoning_levels: string[],
  default_reasoning_level: string,
  extra: Partial<BuiltinModel> = {},
): BuiltinModel {
  return {
    id,
    display_name,
    context_window: 272_000,
    reasoning_levels,
    input_modalities: TEXT_IMAGE,
    hidden: false,
    priority,
    default_reasoning_level,
    default_reasoning_summary: 'none',
    supports_verbosity: true,
    default_verbosity: 'low',
    responses_lite: true,
    service_tiers: ['priority'],
    ...extra,
  };
}

/**
 * Used when the live catalog cannot be had: the catalog of the official client 0.171.0 (protocol §11), with its
 * priorities, so the fallback default is the backend's default too. The live catalog always wins.
 */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  current('gpt-6.2-sol', 'GPT-6.2-Sol', 1, TO_ULTRA, 'low', { context_window: 500_000 }),
  current('gpt-6.2-astra', 'GPT-6.2-Astra', 2, TO_ULTRA, 'low'),
  current('gpt-6.1-terra', 'GPT-6.1 Terra', 3, TO_ULTRA, 'low', { context_window: 500_000 }),
  current('gpt-6.1-sol', 'GPT-6.1-Sol', 4, TO_ULTRA, 'low', { context_window: 500_000 }),
  current('gpt-6-astra', 'GPT-6-Astra', 5, TO_ULTRA, 'low'),
  current('gpt-6-sol', 'GPT-6-Sol', 6, TO_ULTRA, 'medium'),
  current('gpt-6-luna', 'GPT-6-Luna', 7, TO_MAX, 'medium'),
  current('gpt-5.6-sol', 'GPT-5.6-Sol', 8, TO_ULTRA, 'low'),
  current('gpt-5.6-terra', 'GPT-5.6-Terra', 9, TO_ULTRA, 'medium'),
  current('gpt-5.6-luna', 'GPT-5.6-Luna', 10, TO_MAX, 'medium'),
  current('gpt-5.5', 'GPT-5.5', 13, TO_XHIGH, 'medium', { responses_lite: false }),
  current('codex-auto-review', 'Codex Auto Review', 43, TO_MAX, 'medium', { hidden: true }),
];

/** Slugs the backend no longer serves to ChatGPT accounts, with the day they went when it is known. */
export const RETIRED_MODELS: readonly { id: string; retired?: string; api?: boolean }[] = [
  { id: 'gpt-5.4', retired: '2026-08-31' },
  { id: 'gpt-5.4-mini', retired: '2026-08-31' },
  { id: 'gpt-5.3-codex', retired: '2026-06-02' },
  { id: 'gpt-5.2', retired: '2026-06-02' },
  ...['gpt-5.2-codex', 'gpt-5.1-codex-max', 'gpt-5.1-codex', 'gpt-5.1-codex-mini', 'gpt-5.1', 'gpt-5-codex', 'gpt-5', 'codex-mini-latest'].map((id) => ({ id })),
  ...['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o4-mini', 'o3', 'o3-mini'].map((id) => ({ id, api: true })),
];

/** Every reasoning level any catalog entry has offered; a model the catalog does not describe is checked against these. */
export const KNOWN_EFFORTS = ['none', 'minimal', ...TO_ULTRA] as const;

const BUILTIN_BY_ID = new Map(BUILTIN_MODELS.map((model) => [model.id, model]));
const RETIRED_BY_ID = new Map(RETIRED_MODELS.map((model) => [model.id, model]));

/** The built-in entry of a slug, undefined when the registry does not know it. */
export const builtinModel = (id: string) => BUILTIN_BY_ID.get(id);
/** A retired slug's entry, undefined when the slug is not known to be retired. */
export const retiredModel = (id: string) => RETIRED_BY_ID.get(id);

export function builtinModels(defaultModel?: string): ModelInfo[] {
  return markDefault(
    BUILTIN_MODELS.map((model) => ({ ...model, source: 'builtin' as const })),
    defaultModel,
  );
}
