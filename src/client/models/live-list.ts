import * as z from 'zod/mini';
import type { ModelInfo } from './model-info.js';
import { builtinModel } from './registry.js';

/** The live answer (protocol §8), read leniently. */
const ReasoningLevelSchema = z.union([z.string(), z.looseObject({ effort: z.string(), description: z.optional(z.nullable(z.string())) })]);

export const LiveModelSchema = z.looseObject({
  slug: z.string().check(z.minLength(1)),
  display_name: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
  default_reasoning_level: z.optional(z.nullable(z.string())),
  supported_reasoning_levels: z.optional(z.nullable(z.array(ReasoningLevelSchema))),
  visibility: z.optional(z.nullable(z.string())),
  priority: z.optional(z.nullable(z.number())),
  context_window: z.optional(z.nullable(z.number())),
  input_modalities: z.optional(z.nullable(z.array(z.string()))),
  supports_parallel_tool_calls: z.optional(z.nullable(z.boolean())),
  supports_reasoning_summaries: z.optional(z.nullable(z.boolean())),
  minimal_client_version: z.optional(z.nullable(z.string())),
  default_reasoning_summary: z.optional(z.nullable(z.string())),
  support_verbosity: z.optional(z.nullable(z.boolean())),
  default_verbosity: z.optional(z.nullable(z.string())),
  use_responses_lite: z.optional(z.nullable(z.boolean())),
  base_instructions: z.optional(z.nullable(z.string())),
  // Entries are read one by one in tierIds: an odd tier does not lose the model.
  service_tiers: z.optional(z.nullable(z.array(z.unknown()))),
});
export type LiveModel = z.infer<typeof LiveModelSchema>;

/** Entries are checked one by one (see liveEntries), so one odd model does not lose the whole list. */
export const ModelsResponseSchema = z.looseObject({ models: z.array(z.unknown()) });

/** The entries of a live answer (or of the cache) that pass the schema; the rest are skipped. */
export function liveEntries(models: unknown[], log?: (message: string) => void): LiveModel[] {
  const out: LiveModel[] = [];
  for (const entry of models) {
    const parsed = LiveModelSchema.safeParse(entry);
    if (parsed.success) out.push(parsed.data);
    else log?.(`skipping a model entry the client cannot read: ${JSON.stringify(entry)?.slice(0, 120)}`);
  }
  return out;
}

/** The ids of a catalog entry's `service_tiers` (`[{"id":"priority","name":"Fast",…}]`); entries without an id are skipped. */
function tierIds(tiers: readonly unknown[]): string[] {
  return tiers.flatMap((tier) => {
    const id = (tier as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id !== '' ? [id] : [];
  });
}

/** A live entry in our shape; what the backend leaves out is taken from the built-in entry of the same slug. */
export function normalizeLiveModel(model: LiveModel): Omit<ModelInfo, 'default'> {
  const known = builtinModel(model.slug);
  const levels = model.supported_reasoning_levels?.map((level) => (typeof level === 'string' ? level : level.effort));
  const summaries = model.supports_reasoning_summaries ?? known?.supports_reasoning_summaries;
  const optional = {
    default_reasoning_level: model.default_reasoning_level ?? known?.default_reasoning_level,
    supports_reasoning_summaries: summaries,
    default_reasoning_summary: model.default_reasoning_summary ?? known?.default_reasoning_summary,
    supports_verbosity: model.support_verbosity ?? known?.supports_verbosity,
    default_verbosity: model.default_verbosity ?? known?.default_verbosity,
    responses_lite: model.use_responses_lite ?? known?.responses_lite,
    service_tiers: model.service_tiers ? tierIds(model.service_tiers) : known?.service_tiers,
  };
  return {
    id: model.slug,
    display_name: model.display_name || known?.display_name || model.slug,
    context_window: model.context_window ?? known?.context_window ?? null,
    reasoning_levels: levels ?? known?.reasoning_levels ?? [],
    input_modalities: model.input_modalities ?? known?.input_modalities ?? ['text'],
    source: 'live',
    hidden: model.visibility != null && model.visibility !== 'list',
    priority: model.priority ?? Number.MAX_SAFE_INTEGER,
    ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value != null)) as Partial<ModelInfo>),
  };
}
