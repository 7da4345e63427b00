// The normalised model every list is turned into, and the order lists are shown and defaulted in.

export interface ModelInfo {
  id: string;
  display_name: string;
  /** Tokens; null when neither the backend nor the built-in registry knows it. */
  context_window: number | null;
  reasoning_levels: string[];
  input_modalities: string[];
  /** The model `ask` uses when no `-m` is given. */
  default: boolean;
  source: 'live' | 'builtin';
  hidden: boolean;
  /** Lower comes first; the lowest listed one is the default. */
  priority: number;
  default_reasoning_level?: string;
  supports_reasoning_summaries?: boolean;
  /** `none`: no reasoning summary unless one is shown (protocol §10). */
  default_reasoning_summary?: string;
  supports_verbosity?: boolean;
  default_verbosity?: string;
  /** The catalog's `use_responses_lite`: the request goes in the "responses lite" layout. */
  responses_lite?: boolean;
  /** The ids of the catalog's `service_tiers` (`priority` is "Fast"): the tiers `--fast` may ask for. */
  service_tiers?: string[];
}

/** A model as the built-in registry describes it. */
export type BuiltinModel = Omit<ModelInfo, 'default' | 'source'>;

/** The catalog's default: the listed model with the lowest priority (protocol §10). */
export function catalogDefault(models: readonly ModelInfo[] | readonly BuiltinModel[]): string | undefined {
  return selectModels(models as readonly ModelInfo[])[0]?.id;
}

/** Marks `chosen` (or, when nothing was chosen, the catalog's default) as the default. */
export function markDefault<T extends BuiltinModel>(models: readonly T[], chosen: string | undefined): (T & { default: boolean })[] {
  const id = chosen ?? catalogDefault(models as readonly BuiltinModel[] as readonly ModelInfo[]);
  return models.map((model) => ({ ...model, default: model.id === id }));
}

/** What `codex models` shows: by priority (stable for ties), hidden ones only with `all`. */
export function selectModels<T extends Pick<ModelInfo, 'hidden' | 'priority'>>(models: readonly T[], options: { all?: boolean } = {}): T[] {
  return models
    .map((model, index) => ({ model, index }))
    .filter(({ model }) => options.all === true || !model.hidden)
    .sort((a, b) => a.model.priority - b.model.priority || a.index - b.index)
    .map(({ model }) => model);
}
