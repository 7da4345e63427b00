import * as z from 'zod/mini';
import { EXIT_CODES } from '../shared/errors.js';
import { GeneratedImageInfoSchema, ImageEventSchema } from './image-events.js';

/* ---------- What the backend sends (parsed leniently: unknown keys kept, unknown types ignored). ---------- */

/** The hot path (one per token): a plain object schema, which copies only these keys. */
export const DeltaEventSchema = z.object({
  delta: z.string(),
  item_id: z.optional(z.string()),
  output_index: z.optional(z.number()),
});

export const SummaryPartAddedSchema = z.looseObject({ summary_index: z.optional(z.number()) });

/** Output items as the next request replays them (reasoning, function calls). */
export const OutputItemSchema = z.looseObject({
  type: z.string(),
  id: z.optional(z.string()),
  role: z.optional(z.string()),
  phase: z.optional(z.string()),
  content: z.optional(z.nullable(z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) })))),
  call_id: z.optional(z.string()),
  name: z.optional(z.string()),
  arguments: z.optional(z.string()),
  summary: z.optional(z.array(z.looseObject({ type: z.string(), text: z.optional(z.string()) }))),
  encrypted_content: z.optional(z.nullable(z.string())),
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
  content: z.optional(z.nullable(z.array(z.looseObject({ type: z.optional(z.unknown()), text: z.optional(z.unknown()), refusal: z.optional(z.unknown()) })))),
});

export const FunctionCallItemSchema = z.looseObject({
  call_id: z.optional(z.nullable(z.string())),
  name: z.optional(z.nullable(z.string())),
  /** A JSON string; some gateways send the object itself. */
  arguments: z.optional(z.unknown()),
});

/** `response.refusal.delta` / `.done`. */
export const RefusalEventSchema = z.looseObject({ delta: z.optional(z.string()), refusal: z.optional(z.string()) });

const BackendRateWindowSchema = z.looseObject({
  used_percent: z.optional(z.number()),
  window_minutes: z.optional(z.nullable(z.number())),
  limit_window_seconds: z.optional(z.nullable(z.number())),
  resets_at: z.optional(z.nullable(z.number())),
  reset_at: z.optional(z.nullable(z.number())),
  resets_in_seconds: z.optional(z.nullable(z.number())),
  reset_after_seconds: z.optional(z.nullable(z.number())),
});
export type BackendRateWindow = z.infer<typeof BackendRateWindowSchema>;
const BackendRateWindowsSchema = z.looseObject({
  primary: z.optional(z.nullable(BackendRateWindowSchema)),
  secondary: z.optional(z.nullable(BackendRateWindowSchema)),
  primary_window: z.optional(z.nullable(BackendRateWindowSchema)),
  secondary_window: z.optional(z.nullable(BackendRateWindowSchema)),
});
export type BackendRateWindows = z.infer<typeof BackendRateWindowsSchema>;

/** One of the per-feature buckets (`additional_rate_limits`, protocol §11), e.g. a model of its own quota. */
const BackendNamedLimitSchema = z.looseObject({
  limit_name: z.optional(z.nullable(z.string())),
  limit_id: z.optional(z.nullable(z.string())),
  metered_feature: z.optional(z.nullable(z.string())),
  rate_limit: z.optional(z.nullable(BackendRateWindowsSchema)),
  rate_limits: z.optional(z.nullable(BackendRateWindowsSchema)),
});
export type BackendNamedLimit = z.infer<typeof BackendNamedLimitSchema>;

/**
 * `codex.rate_limits`: the windows at the top level, or under `rate_limits` / `rate_limit` (the usage endpoint's
 * shape); a frame with a `limit_name` (or `limit_id`) other than codex's describes another bucket.
 */
export const CodexRateLimitsEventSchema = z.extend(BackendRateWindowsSchema, {
  rate_limits: z.optional(z.nullable(BackendRateWindowsSchema)),
  rate_limit: z.optional(z.nullable(BackendRateWindowsSchema)),
  limit_name: z.optional(z.nullable(z.string())),
  limit_id: z.optional(z.nullable(z.string())),
  plan_type: z.optional(z.nullable(z.string())),
  additional_rate_limits: z.optional(z.nullable(z.array(BackendNamedLimitSchema))),
});

export const BackendUsageSchema = z.looseObject({
  input_tokens: z.optional(z.number()),
  input_tokens_details: z.optional(z.nullable(z.looseObject({ cached_tokens: z.optional(z.number()) }))),
  output_tokens: z.optional(z.number()),
  output_tokens_details: z.optional(z.nullable(z.looseObject({ reasoning_tokens: z.optional(z.number()) }))),
  total_tokens: z.optional(z.number()),
});

/** The `error` object of a failed response or an in-stream error event. */
const BackendErrorSchema = z.optional(
  z.nullable(
    z.looseObject({
      code: z.optional(z.nullable(z.string())),
      type: z.optional(z.nullable(z.string())),
      message: z.optional(z.nullable(z.string())),
    }),
  ),
);

export const ResponseEnvelopeSchema = z.looseObject({
  response: z.looseObject({
    id: z.optional(z.string()),
    model: z.optional(z.string()),
    usage: z.optional(z.nullable(BackendUsageSchema)),
    error: BackendErrorSchema,
    incomplete_details: z.optional(z.nullable(z.looseObject({ reason: z.optional(z.nullable(z.string())) }))),
  }),
});

export const StreamErrorEventSchema = z.looseObject({
  code: z.optional(z.nullable(z.string())),
  message: z.optional(z.nullable(z.string())),
  error: BackendErrorSchema,
});

/* ---------- What we emit: the JSON-lines contract (schema_version 1). ---------- */

export const SCHEMA_VERSION = 1;

export const UsageSchema = z.object({
  input_tokens: z.number(),
  cached_input_tokens: z.number(),
  output_tokens: z.number(),
  reasoning_tokens: z.number(),
  total_tokens: z.number(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const RateLimitWindowSchema = z.object({
  used_percent: z.number(),
  window_minutes: z.optional(z.number()),
  resets_at: z.optional(z.number()),
});

export const StartEventSchema = z.object({
  type: z.literal('start'),
  schema_version: z.literal(SCHEMA_VERSION),
  model: z.string(),
  session_id: z.string(),
  /** The conversation the run is logged in (continued with `-c`, `--cid`, `codex chat`, or started by a plain ask); absent with `--no-log`. Added in 0.2; schema_version stays 1. */
  conversation_id: z.optional(z.string()),
});
export const ReasoningDeltaEventSchema = z.object({ type: z.literal('reasoning.delta'), delta: z.string() });
export const TextDeltaEventSchema = z.object({ type: z.literal('text.delta'), delta: z.string() });
/** Interim messages (a preamble, progress notes) that are not the answer. Added in 0.2; schema_version stays 1. */
export const CommentaryDeltaEventSchema = z.object({ type: z.literal('commentary.delta'), delta: z.string() });
export const ToolCallEventSchema = z.object({
  type: z.literal('tool_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.unknown(),
});
export const ToolResultEventSchema = z.object({
  type: z.literal('tool_result'),
  call_id: z.string(),
  output: z.string(),
  is_error: z.boolean(),
});
export const RetryEventSchema = z.object({
  type: z.literal('retry'),
  attempt: z.number(),
  max_retries: z.number(),
  delay_ms: z.number(),
  reason: z.string(),
});
/** The quota as the backend last reported it (`x-codex-*` headers or `wham/usage`, protocol §10). */
/** A quota bucket besides the main one (another `x-<limit>-*` header family, or a named frame). Added in 0.2. */
export const NamedRateLimitSchema = z.object({
  /** The header family (`codex-bengalfox` for `x-codex-bengalfox-*`) or the frame's `limit_id`. */
  limit_id: z.optional(z.string()),
  /** What the backend calls it (`x-<limit>-limit-name`, a frame's `limit_name`). */
  limit_name: z.optional(z.string()),
  /** The feature the bucket meters (`wham/usage`'s `metered_feature`), when the backend names one. */
  metered_feature: z.optional(z.string()),
  primary: z.optional(RateLimitWindowSchema),
  secondary: z.optional(RateLimitWindowSchema),
});
export type NamedRateLimit = z.infer<typeof NamedRateLimitSchema>;
export const RateLimitSnapshotSchema = z.object({
  primary: z.optional(RateLimitWindowSchema),
  secondary: z.optional(RateLimitWindowSchema),
  /** The other buckets the backend reported beside the main windows. Added in 0.2; schema_version stays 1. */
  additional_limits: z.optional(z.array(NamedRateLimitSchema)),
  /** Which limit applies to this account now (`x-codex-active-limit`). */
  active_limit: z.optional(z.string()),
  plan_type: z.optional(z.string()),
  credits: z.optional(z.object({ has_credits: z.optional(z.boolean()), unlimited: z.optional(z.boolean()), balance: z.optional(z.number()) })),
});
export type RateLimitSnapshot = z.infer<typeof RateLimitSnapshotSchema>;
export const RateLimitsEventSchema = z.extend(RateLimitSnapshotSchema, { type: z.literal('rate_limits') });
export const ResultEventSchema = z.object({
  type: z.literal('result'),
  response_id: z.string(),
  model: z.string(),
  text: z.string(),
  usage: UsageSchema,
  /** The last rate-limit snapshot of the run, when the backend sent one. */
  rate_limits: z.optional(RateLimitSnapshotSchema),
  /** As in `start` (absent when the turn could not be logged). */
  conversation_id: z.optional(z.string()),
  /** The images the model made (as in their `image` events), when it made any. Added in 0.2. */
  images: z.optional(z.array(GeneratedImageInfoSchema)),
});
export const ErrorEventSchema = z.object({
  type: z.literal('error'),
  // A string, not an enum: new codes are added without a new schema_version.
  code: z.string().check(z.describe(`One of: ${Object.keys(EXIT_CODES).join(', ')} (more may be added).`)),
  message: z.string(),
  exit_code: z.number(),
  resets_at: z.optional(z.number()),
  retry_after_s: z.optional(z.number()),
  status: z.optional(z.number()),
});

export const CodexEventSchema = z.discriminatedUnion('type', [
  StartEventSchema,
  ReasoningDeltaEventSchema,
  TextDeltaEventSchema,
  CommentaryDeltaEventSchema,
  ToolCallEventSchema,
  ToolResultEventSchema,
  RetryEventSchema,
  RateLimitsEventSchema,
  ImageEventSchema,
  ResultEventSchema,
  ErrorEventSchema,
]);

export type CodexEvent = z.infer<typeof CodexEventSchema>;

export function startEvent(model: string, sessionId: string): StartEvent {
  return { type: 'start', schema_version: SCHEMA_VERSION, model, session_id: sessionId };
}
export type StartEvent = z.infer<typeof StartEventSchema>;
export type ResultEvent = z.infer<typeof ResultEventSchema>;
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
export type RetryEvent = z.infer<typeof RetryEventSchema>;
export type RateLimitsEvent = z.infer<typeof RateLimitsEventSchema>;
