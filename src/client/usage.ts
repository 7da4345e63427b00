import * as z from 'zod/mini';
import { messageOf } from '../shared/error-info.js';
import { ApiError, AuthError, CodexError, LockError } from '../shared/errors.js';
import { KeyedCache } from '../store/keyed-cache.js';
import type { BackendHttp } from '../transport/backend-http.js';
import { readJson, withDeadline } from '../transport/read-json.js';
import { type NamedRateLimit, type RateLimitSnapshot, RateLimitSnapshotSchema } from './event-parts.js';
import { rateLimitsFromHeaders } from './rate-limits.js';
import { whamUrl } from './routing.js';

export const USAGE_CACHE_FILE = 'usage-cache.json';
const USAGE_TIMEOUT_MS = 10_000;

/** A per-feature quota bucket (`additional_rate_limits`, e.g. a separate Spark limit), under the backend's names. */
export type AdditionalLimit = NamedRateLimit;

/** One of a workspace's spend limits: amounts as the backend writes them (strings), `type` e.g. `individual`. */
export const SpendLimitSchema = z.object({
  type: z.string(),
  limit: z.string(),
  used: z.string(),
  remaining: z.string(),
  used_percent: z.number(),
  resets_at: z.optional(z.number()),
});
export type SpendLimit = z.infer<typeof SpendLimitSchema>;

export const SpendControlSchema = z.object({
  reached: z.boolean(),
  reached_limit_type: z.optional(z.string()),
  limits: z.array(SpendLimitSchema),
});
export type SpendControl = z.infer<typeof SpendControlSchema>;

/** What `codex usage --json` prints: the snapshot, where it came from and when. */
export const UsageReportSchema = z.extend(RateLimitSnapshotSchema, {
  /** `usage`: the `wham/usage` endpoint; `headers`: the rate-limit headers of a backend answer. */
  source: z.enum(['usage', 'headers']),
  /** Unix seconds. */
  fetched_at: z.number(),
  /** The workspace's spend limits, when the backend reports them. */
  spend_control: z.optional(SpendControlSchema),
  /** Reset credits the account may redeem (`codex usage --redeem`), when the backend says. */
  reset_credits: z.optional(z.object({ available_count: z.number() })),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

const Num = z.union([z.number(), z.string()]);
const WindowSchema = z.looseObject({
  used_percent: z.number(),
  limit_window_seconds: z.optional(z.nullable(z.number())),
  reset_after_seconds: z.optional(z.nullable(z.number())),
  reset_at: z.optional(z.nullable(z.number())),
});
/** `GET …/backend-api/wham/usage` (protocol §10), read leniently. */
const WhamUsageSchema = z.looseObject({
  plan_type: z.optional(z.nullable(z.string())),
  rate_limit: z.optional(z.nullable(z.looseObject({ primary_window: z.optional(z.nullable(WindowSchema)), secondary_window: z.optional(z.nullable(WindowSchema)) }))),
  credits: z.optional(
    z.nullable(z.looseObject({ has_credits: z.optional(z.nullable(z.boolean())), unlimited: z.optional(z.nullable(z.boolean())), balance: z.optional(z.nullable(Num)) })),
  ),
  // Read entry by entry (see extrasFromUsage): an odd bucket or limit does not lose the whole report.
  additional_rate_limits: z.optional(z.nullable(z.array(z.unknown()))),
  spend_control: z.optional(z.nullable(z.unknown())),
  rate_limit_reset_credits: z.optional(z.nullable(z.looseObject({ available_count: z.optional(z.nullable(z.number())) }))),
});

const LimitDetailsSchema = z.looseObject({
  primary_window: z.optional(z.nullable(WindowSchema)),
  secondary_window: z.optional(z.nullable(WindowSchema)),
});
const AdditionalEntrySchema = z.looseObject({
  limit_name: z.string(),
  metered_feature: z.optional(z.nullable(z.string())),
  rate_limit: z.optional(z.nullable(LimitDetailsSchema)),
});
const SpendLimitEntrySchema = z.looseObject({
  limit: Num,
  used: Num,
  remaining: Num,
  used_percent: z.number(),
  reset_after_seconds: z.optional(z.nullable(z.number())),
  reset_at: z.optional(z.nullable(z.number())),
});
const SpendControlEntrySchema = z.looseObject({ reached: z.boolean(), reached_limit_type: z.optional(z.nullable(z.string())) });
/** The spend limits of `spend_control`, each under `<type>_limit` (openai/codex SpendControlStatusDetails). */
const SPEND_LIMIT_TYPES = ['individual', 'group_default', 'workspace_default', 'role_budget', 'group_shared', 'workspace_shared'];

export function usageUrl(baseUrl: string): string {
  return whamUrl(baseUrl, 'usage');
}

type Window = NonNullable<RateLimitSnapshot['primary']>;

function windowOf(value: z.infer<typeof WindowSchema> | null | undefined, nowMs: number): Window | undefined {
  if (!value) return undefined;
  const resetsAt = value.reset_at ?? (value.reset_after_seconds != null ? Math.round(nowMs / 1000 + value.reset_after_seconds) : undefined);
  return {
    used_percent: value.used_percent,
    ...(value.limit_window_seconds != null ? { window_minutes: Math.round(value.limit_window_seconds / 60) } : {}),
    ...(resetsAt !== undefined ? { resets_at: resetsAt } : {}),
  };
}

/** The per-feature buckets, spend limits and reset credits of a `wham/usage` answer (each only when sent). */
export function extrasFromUsage(json: unknown, nowMs: number = Date.now()): Pick<UsageReport, 'additional_limits' | 'spend_control' | 'reset_credits'> {
  const parsed = WhamUsageSchema.safeParse(json);
  if (!parsed.success) return {};
  const data = parsed.data;
  const additional = (data.additional_rate_limits ?? []).flatMap((entry): AdditionalLimit[] => {
    const bucket = AdditionalEntrySchema.safeParse(entry);
    if (!bucket.success) return [];
    const primary = windowOf(bucket.data.rate_limit?.primary_window, nowMs);
    const secondary = windowOf(bucket.data.rate_limit?.secondary_window, nowMs);
    return [
      {
        limit_name: bucket.data.limit_name,
        metered_feature: bucket.data.metered_feature ?? bucket.data.limit_name,
        ...(primary ? { primary } : {}),
        ...(secondary ? { secondary } : {}),
      },
    ];
  });
  const spend = SpendControlEntrySchema.safeParse(data.spend_control);
  const limits = spend.success
    ? SPEND_LIMIT_TYPES.flatMap((type): SpendLimit[] => {
        const limit = SpendLimitEntrySchema.safeParse((data.spend_control as Record<string, unknown>)[`${type}_limit`]);
        if (!limit.success) return [];
        const { reset_at: at, reset_after_seconds: after } = limit.data;
        const resetsAt = at ?? (after != null ? Math.round(nowMs / 1000 + after) : undefined);
        return [
          {
            type,
            limit: String(limit.data.limit),
            used: String(limit.data.used),
            remaining: String(limit.data.remaining),
            used_percent: limit.data.used_percent,
            ...(resetsAt !== undefined ? { resets_at: resetsAt } : {}),
          },
        ];
      })
    : [];
  const available = data.rate_limit_reset_credits?.available_count;
  return {
    ...(additional.length > 0 ? { additional_limits: additional } : {}),
    ...(spend.success
      ? { spend_control: { reached: spend.data.reached, ...(spend.data.reached_limit_type ? { reached_limit_type: spend.data.reached_limit_type } : {}), limits } }
      : {}),
    ...(available != null ? { reset_credits: { available_count: available } } : {}),
  };
}

/** The `wham/usage` answer as a snapshot. */
export function snapshotFromUsage(json: unknown, nowMs: number = Date.now()): RateLimitSnapshot {
  const parsed = WhamUsageSchema.safeParse(json);
  if (!parsed.success) throw new ApiError('server_error', 'the usage endpoint answered with an unexpected shape');
  const { plan_type: plan, rate_limit: limits, credits } = parsed.data;
  const primary = windowOf(limits?.primary_window, nowMs);
  const secondary = windowOf(limits?.secondary_window, nowMs);
  const balance = credits?.balance != null && Number.isFinite(Number(credits.balance)) ? Number(credits.balance) : undefined;
  return {
    ...(primary ? { primary } : {}),
    ...(secondary ? { secondary } : {}),
    ...(plan ? { plan_type: plan } : {}),
    ...(credits
      ? {
          credits: {
            ...(credits.has_credits != null ? { has_credits: credits.has_credits } : {}),
            ...(credits.unlimited != null ? { unlimited: credits.unlimited } : {}),
            ...(balance !== undefined ? { balance } : {}),
          },
        }
      : {}),
  };
}

export interface FetchUsageOptions {
  http: Pick<BackendHttp, 'request'>;
  baseUrl: string;
  clientVersion: string;
  signal?: AbortSignal;
  nowMs?: number;
  log?: (message: string) => void;
}

const reason = (error: unknown) => messageOf(error);

/**
 * The quota from `wham/usage`; when that fails, from the rate-limit headers of a `/models` call (which every
 * account may make). Throws a CodexError when neither says anything.
 */
export async function fetchUsage(options: FetchUsageOptions): Promise<UsageReport> {
  const nowMs = options.nowMs ?? Date.now();
  const fetched_at = Math.floor(nowMs / 1000);
  let first: unknown;
  try {
    const what = 'the usage answer';
    const signal = withDeadline(options.signal, USAGE_TIMEOUT_MS, what);
    const { response } = await options.http.request({ method: 'GET', path: '', url: usageUrl(options.baseUrl), signal });
    const json = await readJson(response, what, signal);
    const snapshot = snapshotFromUsage(json, nowMs);
    if (snapshot.primary || snapshot.secondary) return { source: 'usage', fetched_at, ...snapshot, ...extrasFromUsage(json, nowMs) };
    first = new ApiError('server_error', 'the usage endpoint named no quota window');
  } catch (error) {
    if (options.signal?.aborted || error instanceof AuthError || error instanceof LockError) throw error;
    first = error;
  }
  options.log?.(`usage endpoint failed (${reason(first)}); reading the rate-limit headers of /models`);
  try {
    const path = `/models?client_version=${encodeURIComponent(options.clientVersion)}`;
    const { response } = await options.http.request({ method: 'GET', path, signal: withDeadline(options.signal, USAGE_TIMEOUT_MS, 'the /models answer') });
    await response.body?.cancel().catch(() => undefined);
    const snapshot = rateLimitsFromHeaders(response.headers, nowMs);
    if (snapshot) return { source: 'headers', fetched_at, ...snapshot };
    throw new ApiError('server_error', '/models carried no rate-limit headers');
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const code = first instanceof CodexError ? first.code : 'server_error';
    throw new ApiError(code === 'internal' ? 'server_error' : code, `cannot get the quota: ${reason(first)}; and ${reason(error)}`, {
      cause: error,
    });
  }
}

/* ---------- The last snapshot seen, per profile, for `codex status` (which makes no request). ---------- */

const UsageCacheSchema = z.looseObject({
  version: z.literal(1),
  base_url: z.string(),
  account_id: z.string(),
  report: UsageReportSchema,
});

const usageCache = new KeyedCache({ file: USAGE_CACHE_FILE, schema: UsageCacheSchema, label: 'the usage snapshot', key: ['base_url', 'account_id'] });

export async function readUsageCache(dir: string, baseUrl: string, accountId: string): Promise<UsageReport | undefined> {
  return (await usageCache.read(dir, { base_url: baseUrl, account_id: accountId }))?.entry.report;
}

/** Best effort: a cache that cannot be written costs nothing but a stale status line. */
export async function writeUsageCache(dir: string, baseUrl: string, accountId: string, report: UsageReport): Promise<void> {
  await usageCache.write(dir, { version: 1, base_url: baseUrl, account_id: accountId, report });
}
