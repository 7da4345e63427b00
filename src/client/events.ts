import * as z from 'zod/mini';
import { EXIT_CODES } from '../shared/errors.js';
import {
  type NamedRateLimit,
  NamedRateLimitSchema,
  type RateLimitSnapshot,
  RateLimitSnapshotSchema,
  RateLimitWindowSchema,
  SCHEMA_VERSION,
  startEvent,
  type Usage,
  UsageSchema,
} from './event-parts.js';
import { GeneratedImageInfoSchema, ImageEventSchema } from './image-events.js';

export type { NamedRateLimit, RateLimitSnapshot, Usage };
export { NamedRateLimitSchema, RateLimitSnapshotSchema, RateLimitWindowSchema, SCHEMA_VERSION, startEvent, UsageSchema };

/* ---------- What we emit: the JSON-lines contract (schema_version 1). ---------- */

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
/**
 * A web search the model ran (`--search`): a query, or a page opened. Served by codex on Responses Lite models
 * (`{base}/alpha/search`), by the backend itself on classic ones (`web_search_call` items). Added in 0.2;
 * schema_version stays 1.
 */
export const SearchEventSchema = z.object({
  type: z.literal('search'),
  /** The call's id (lite) or the `web_search_call` item's id (classic). */
  id: z.string(),
  /** `search` (queries), `open` (pages opened by URL or reference), or `other`. */
  action: z.string(),
  queries: z.array(z.string()),
  /** URLs opened, or the sources a hosted search reports. */
  urls: z.array(z.string()),
  status: z.enum(['completed', 'failed']),
});
export type SearchEvent = z.infer<typeof SearchEventSchema>;
/** A source of the answer: a `url_citation` annotation, or a link in the answer. Added in 0.2. */
export const CitationSchema = z.object({
  url: z.string(),
  title: z.optional(z.string()),
  /** Where the citation sits in the text of the answer message that carries it (annotations only). */
  start_index: z.optional(z.number()),
  end_index: z.optional(z.number()),
});
export type Citation = z.infer<typeof CitationSchema>;
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
  /** The answer's sources, first citation first, one per URL (with `--search`, or when the answer carries annotations). Added in 0.2. */
  citations: z.optional(z.array(CitationSchema)),
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
  SearchEventSchema,
  RetryEventSchema,
  RateLimitsEventSchema,
  ImageEventSchema,
  ResultEventSchema,
  ErrorEventSchema,
]);

export type CodexEvent = z.infer<typeof CodexEventSchema>;

export type StartEvent = z.infer<typeof StartEventSchema>;
export type ResultEvent = z.infer<typeof ResultEventSchema>;
export type ErrorEvent = z.infer<typeof ErrorEventSchema>;
export type RetryEvent = z.infer<typeof RetryEventSchema>;
export type RateLimitsEvent = z.infer<typeof RateLimitsEventSchema>;
