import * as z from 'zod/mini';
import type { StartEvent } from './events.js';

/*
 * The parts of the event model (events.ts) that files on disk share — usage in the conversation log, the quota in
 * the usage cache — and the `start` event's constructor. Apart from events.ts so that a plain `codex ask` builds
 * none of the event union's schemas (≈8 ms on Node 24 before the request; issue 31): it writes events, it does not
 * parse them. events.ts composes these same schema objects, so the published schema is unchanged.
 */

export const SCHEMA_VERSION = 1;

export function startEvent(model: string, sessionId: string): StartEvent {
  return { type: 'start', schema_version: SCHEMA_VERSION, model, session_id: sessionId };
}

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

/** The quota as the backend last reported it (`x-codex-*` headers or `wham/usage`, protocol §10). */
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
