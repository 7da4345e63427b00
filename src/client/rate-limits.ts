import type { AnswerHeaders } from '../transport/http-answer.js';
import type { NamedRateLimit, RateLimitSnapshot, RateLimitsEvent } from './events.js';
import type { BackendNamedLimit, BackendRateWindow, BackendRateWindows } from './wire.js';

type Window = NonNullable<RateLimitSnapshot['primary']>;

/** A header's number, or undefined when it is absent, empty or not a number (real answers carry empty values). */
function numberHeader(headers: AnswerHeaders, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  if (!value) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function booleanHeader(headers: AnswerHeaders, name: string): boolean | undefined {
  const value = headers.get(name)?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

function textHeader(headers: AnswerHeaders, name: string): string | undefined {
  const value = headers.get(name)?.trim();
  return value ? value : undefined;
}

/**
 * One window of the `x-<family>-<primary|secondary>-*` headers. The absolute reset time wins over the relative
 * one; an empty `reset-at` with `reset-after-seconds: 0` is the backend saying there is no such window (protocol
 * §11), not one that resets now.
 */
function windowFrom(headers: AnswerHeaders, family: string, name: 'primary' | 'secondary', nowMs: number): Window | undefined {
  const used = numberHeader(headers, `x-${family}-${name}-used-percent`);
  if (used === undefined) return undefined;
  const minutes = numberHeader(headers, `x-${family}-${name}-window-minutes`);
  const afterS = numberHeader(headers, `x-${family}-${name}-reset-after-seconds`);
  const resetAt = numberHeader(headers, `x-${family}-${name}-reset-at`);
  if (resetAt === undefined && afterS === 0 && headers.has(`x-${family}-${name}-reset-at`)) return undefined;
  const resetsAt = resetAt ?? (afterS !== undefined ? Math.round(nowMs / 1000 + afterS) : undefined);
  return { used_percent: used, ...(minutes !== undefined ? { window_minutes: minutes } : {}), ...(resetsAt !== undefined ? { resets_at: resetsAt } : {}) };
}

const FAMILY = /^x-(.+)-(?:primary|secondary)-used-percent$/;

/** The other quota buckets of the headers: every `x-<family>-primary|secondary-*` family but `x-codex-*`. */
function namedFromHeaders(headers: AnswerHeaders, nowMs: number): NamedRateLimit[] {
  const families = new Set<string>();
  for (const name of headers.keys()) {
    const family = FAMILY.exec(name)?.[1];
    if (family && family !== 'codex') families.add(family);
  }
  const named: NamedRateLimit[] = [];
  for (const family of [...families].sort()) {
    const primary = windowFrom(headers, family, 'primary', nowMs);
    const secondary = windowFrom(headers, family, 'secondary', nowMs);
    if (!primary && !secondary) continue;
    const limitName = textHeader(headers, `x-${family}-limit-name`);
    named.push({ limit_id: family, ...(limitName ? { limit_name: limitName } : {}), ...(primary ? { primary } : {}), ...(secondary ? { secondary } : {}) });
  }
  return named;
}

/** Every quota header the backend sends (protocol §7, §10, §11); undefined when it sent no window. */
export function rateLimitsFromHeaders(headers: AnswerHeaders, nowMs: number = Date.now()): RateLimitSnapshot | undefined {
  const primary = windowFrom(headers, 'codex', 'primary', nowMs);
  const secondary = windowFrom(headers, 'codex', 'secondary', nowMs);
  const named = namedFromHeaders(headers, nowMs);
  if (!primary && !secondary && named.length === 0) return undefined;
  const activeLimit = textHeader(headers, 'x-codex-active-limit');
  const planType = textHeader(headers, 'x-codex-plan-type');
  const hasCredits = booleanHeader(headers, 'x-codex-credits-has-credits');
  const unlimited = booleanHeader(headers, 'x-codex-credits-unlimited');
  const balance = numberHeader(headers, 'x-codex-credits-balance');
  const credits =
    hasCredits === undefined && unlimited === undefined && balance === undefined
      ? undefined
      : {
          ...(hasCredits !== undefined ? { has_credits: hasCredits } : {}),
          ...(unlimited !== undefined ? { unlimited } : {}),
          ...(balance !== undefined ? { balance } : {}),
        };
  return {
    ...(primary ? { primary } : {}),
    ...(secondary ? { secondary } : {}),
    ...(named.length > 0 ? { additional_limits: named } : {}),
    ...(activeLimit ? { active_limit: activeLimit } : {}),
    ...(planType ? { plan_type: planType } : {}),
    ...(credits ? { credits } : {}),
  };
}

export function rateLimitsEvent(snapshot: RateLimitSnapshot): RateLimitsEvent {
  return { type: 'rate_limits', ...snapshot };
}

/** A window of a frame or of `wham/usage`: the absolute reset wins; a null reset with 0 s left is no window. */
function frameWindow(window: BackendRateWindow | null | undefined, nowMs: number): Window | undefined {
  if (!window || window.used_percent === undefined) return undefined;
  const minutes = window.window_minutes ?? (window.limit_window_seconds != null ? Math.round(window.limit_window_seconds / 60) : undefined);
  const after = window.reset_after_seconds ?? window.resets_in_seconds;
  const at = window.resets_at ?? window.reset_at;
  if (at == null && after === 0 && ('reset_at' in window || 'resets_at' in window)) return undefined;
  const resets = at ?? (after != null ? Math.round(nowMs / 1000 + after) : undefined);
  return {
    used_percent: window.used_percent,
    ...(minutes != null ? { window_minutes: minutes } : {}),
    ...(resets != null ? { resets_at: resets } : {}),
  };
}

function windowsOf(windows: BackendRateWindows | null | undefined, nowMs: number): Pick<RateLimitSnapshot, 'primary' | 'secondary'> {
  const primary = frameWindow(windows?.primary ?? windows?.primary_window, nowMs);
  const secondary = frameWindow(windows?.secondary ?? windows?.secondary_window, nowMs);
  return { ...(primary ? { primary } : {}), ...(secondary ? { secondary } : {}) };
}

function namedLimit(
  id: string | null | undefined,
  name: string | null | undefined,
  windows: Pick<RateLimitSnapshot, 'primary' | 'secondary'>,
): NamedRateLimit | undefined {
  if (!windows.primary && !windows.secondary) return undefined;
  return { ...(id ? { limit_id: id } : {}), ...(name ? { limit_name: name } : {}), ...windows };
}

/** Whether a frame's own name says it is about another bucket than codex's main one. */
function isOtherBucket(id: string | null | undefined, name: string | null | undefined): boolean {
  const key = (id ?? name ?? 'codex').toLowerCase();
  return key !== 'codex';
}

/** A `codex.rate_limits` frame of the stream, as the same event the headers give. */
export function rateLimitsFromFrame(
  frame: BackendRateWindows & {
    rate_limits?: BackendRateWindows | null;
    rate_limit?: BackendRateWindows | null;
    limit_name?: string | null;
    limit_id?: string | null;
    additional_rate_limits?: BackendNamedLimit[] | null;
  },
  nowMs: number = Date.now(),
): RateLimitsEvent | undefined {
  const windows = windowsOf(frame.rate_limits ?? frame.rate_limit ?? frame, nowMs);
  const named: NamedRateLimit[] = [];
  let main = windows;
  if (isOtherBucket(frame.limit_id, frame.limit_name)) {
    const own = namedLimit(frame.limit_id, frame.limit_name, windows);
    if (own) named.push(own);
    main = {};
  }
  for (const entry of frame.additional_rate_limits ?? []) {
    const limit = namedLimit(entry.limit_id ?? entry.metered_feature, entry.limit_name, windowsOf(entry.rate_limit ?? entry.rate_limits, nowMs));
    if (limit) named.push(limit);
  }
  if (!main.primary && !main.secondary && named.length === 0) return undefined;
  return rateLimitsEvent({ ...main, ...(named.length > 0 ? { additional_limits: named } : {}) });
}
