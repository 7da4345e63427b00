// The backend's wire (protocol §6, §10, §11): the schemas of the SSE frames, response objects, output items and
// rate-limit frames the Responses backend sends, parsed leniently (unknown keys kept, unknown types ignored).
// Internal to the client layer: what callers see is the event model of events.ts.
import * as z from 'zod/mini';

/**
 * `response.output_text.delta` / `response.reasoning_summary_text.delta`: the hot path, one frame per token. Checked
 * by hand (zod cost about a tenth of the time of a long answer) with the rules a schema would apply: `delta` a string,
 * `item_id` and `output_index` absent or of their type; other keys (`obfuscation`, `logprobs` …) are ignored.
 */
export interface DeltaFrame {
  delta: string;
  item_id?: string;
  output_index?: number;
}

export function isDeltaFrame(frame: object): frame is DeltaFrame {
  const { delta, item_id: itemId, output_index: index } = frame as { delta?: unknown; item_id?: unknown; output_index?: unknown };
  return typeof delta === 'string' && (itemId === undefined || typeof itemId === 'string') && (index === undefined || typeof index === 'number');
}

export const SummaryPartAddedSchema = z.looseObject({ summary_index: z.optional(z.number()) });

/** Output items as the next request replays them (reasoning, function calls). */
export const OutputItemSchema = z.looseObject({
  type: z.string(),
  id: z.optional(z.string()),
  role: z.optional(z.string()),
  phase: z.optional(z.string()),
  content: z.nullish(z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) }))),
  call_id: z.optional(z.string()),
  name: z.optional(z.string()),
  arguments: z.optional(z.string()),
  summary: z.optional(z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) }))),
  encrypted_content: z.nullish(z.string()),
});
export type OutputItem = z.infer<typeof OutputItemSchema>;

/**
 * `response.output_item.added` / `.done`: only the type is required. Items of types we never offered (web search,
 * image generation, compaction …) come with fields of any shape, and must not break the stream.
 */
export const OutputItemEventSchema = z.looseObject({
  output_index: z.optional(z.number()),
  item: z.looseObject({ type: z.string(), id: z.optional(z.unknown()), phase: z.optional(z.unknown()) }),
});

export const MessageItemSchema = z.looseObject({
  content: z.nullish(z.array(z.looseObject({ type: z.optional(z.unknown()), text: z.optional(z.unknown()), refusal: z.optional(z.unknown()) }))),
});

export const FunctionCallItemSchema = z.looseObject({
  call_id: z.nullish(z.string()),
  name: z.nullish(z.string()),
  /** A JSON string; some gateways send the object itself. */
  arguments: z.optional(z.unknown()),
});

/** `response.refusal.delta` / `.done`. */
export const RefusalEventSchema = z.looseObject({ delta: z.optional(z.string()), refusal: z.optional(z.string()) });

const BackendRateWindowSchema = z.looseObject({
  used_percent: z.optional(z.number()),
  window_minutes: z.nullish(z.number()),
  limit_window_seconds: z.nullish(z.number()),
  resets_at: z.nullish(z.number()),
  reset_at: z.nullish(z.number()),
  resets_in_seconds: z.nullish(z.number()),
  reset_after_seconds: z.nullish(z.number()),
});
export type BackendRateWindow = z.infer<typeof BackendRateWindowSchema>;
const BackendRateWindowsSchema = z.looseObject({
  primary: z.nullish(BackendRateWindowSchema),
  secondary: z.nullish(BackendRateWindowSchema),
  primary_window: z.nullish(BackendRateWindowSchema),
  secondary_window: z.nullish(BackendRateWindowSchema),
});
export type BackendRateWindows = z.infer<typeof BackendRateWindowsSchema>;

/** One of the per-feature buckets (`additional_rate_limits`, protocol §11), e.g. a model of its own quota. */
const BackendNamedLimitSchema = z.looseObject({
  limit_name: z.nullish(z.string()),
  limit_id: z.nullish(z.string()),
  metered_feature: z.nullish(z.string()),
  rate_limit: z.nullish(BackendRateWindowsSchema),
  rate_limits: z.nullish(BackendRateWindowsSchema),
});
export type BackendNamedLimit = z.infer<typeof BackendNamedLimitSchema>;

/**
 * `codex.rate_limits`: the windows at the top level, or under `rate_limits` / `rate_limit` (the usage endpoint's
 * shape); a frame with a `limit_name` (or `limit_id`) other than codex's describes another bucket.
 */
export const CodexRateLimitsEventSchema = z.extend(BackendRateWindowsSchema, {
  rate_limits: z.nullish(BackendRateWindowsSchema),
  rate_limit: z.nullish(BackendRateWindowsSchema),
  limit_name: z.nullish(z.string()),
  limit_id: z.nullish(z.string()),
  plan_type: z.nullish(z.string()),
  additional_rate_limits: z.nullish(z.array(BackendNamedLimitSchema)),
});

export const BackendUsageSchema = z.looseObject({
  input_tokens: z.optional(z.number()),
  input_tokens_details: z.nullish(z.looseObject({ cached_tokens: z.optional(z.number()) })),
  output_tokens: z.optional(z.number()),
  output_tokens_details: z.nullish(z.looseObject({ reasoning_tokens: z.optional(z.number()) })),
  total_tokens: z.optional(z.number()),
});

/** The `error` object of a failed response or an in-stream error event. */
const BackendErrorSchema = z.nullish(
  z.looseObject({
    code: z.nullish(z.string()),
    type: z.nullish(z.string()),
    message: z.nullish(z.string()),
  }),
);

export const ResponseEnvelopeSchema = z.looseObject({
  response: z.looseObject({
    id: z.optional(z.string()),
    model: z.optional(z.string()),
    usage: z.nullish(BackendUsageSchema),
    error: BackendErrorSchema,
    incomplete_details: z.nullish(z.looseObject({ reason: z.nullish(z.string()) })),
  }),
});

export const StreamErrorEventSchema = z.looseObject({
  code: z.nullish(z.string()),
  message: z.nullish(z.string()),
  error: BackendErrorSchema,
});
