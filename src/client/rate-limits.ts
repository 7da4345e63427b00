import type { BackendRateWindow, BackendRateWindows, RateLimitSnapshot, RateLimitsEvent } from './events.js';

type Window = NonNullable<RateLimitSnapshot['primary']>;

/** A header's number, or undefined when it is absent, empty or not a number (real answers carry empty values). */
function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  if (!value) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function booleanHeader(headers: Headers, name: string): boolean | undefined {
  const value = headers.get(name)?.trim().toLowerCase();
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

function textHeader(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)?.trim();
  return value ? value : undefined;
}

function windowFrom(headers: Headers, name: 'primary' | 'secondary', nowMs: number): Window | undefined {
  const used = numberHeader(headers, `x-codex-${name}-used-percent`);
  if (used === undefined) return undefined;
  const minutes = numberHeader(headers, `x-codex-${name}-window-minutes`);
  const afterS = numberHeader(headers, `x-codex-${name}-reset-after-seconds`);
  const resetsAt = numberHeader(headers, `x-codex-${name}-reset-at`) ?? (afterS !== undefined ? Math.round(nowMs / 1000 + afterS) : undefined);
  return { used_percent: used, ...(minutes !== undefined ? { window_minutes: minutes } : {}), ...(resetsAt !== undefined ? { resets_at: resetsAt } : {}) };
}

/** Every quota header the backend sends (protocol §7, §10); undefined when it sent no window. */
export function rateLimitsFromHeaders(headers: Headers, nowMs: number = Date.now()): RateLimitSnapshot | undefined {
  const primary = windowFrom(headers, 'primary', nowMs);
  const secondary = windowFrom(headers, 'secondary', nowMs);
  if (!primary && !secondary) return undefined;
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
    ...(activeLimit ? { active_limit: activeLimit } : {}),
    ...(planType ? { plan_type: planType } : {}),
    ...(credits ? { credits } : {}),
  };
}

export function rateLimitsEvent(snapshot: RateLimitSnapshot): RateLimitsEvent {
  return { type: 'rate_limits', ...snapshot };
}

function frameWindow(window: BackendRateWindow | null | undefined, nowMs: number): Window | undefined {
  if (!window || window.used_percent === undefined) return undefined;
  const minutes = window.window_minutes ?? (window.limit_window_seconds != null ? Math.round(window.limit_window_seconds / 60) : undefined);
  const after = window.reset_after_seconds ?? window.resets_in_seconds;
  const resets = after != null ? Math.round(nowMs / 1000 + after) : (window.resets_at ?? window.reset_at ?? undefined);
  return {
    used_percent: window.used_percent,
    ...(minutes != null ? { window_minutes: minutes } : {}),
    ...(resets != null ? { resets_at: resets } : {}),
  };
}

/** A `codex.rate_limits` frame of the stream, as the same event the headers give. */
export function rateLimitsFromFrame(
  frame: BackendRateWindows & { rate_limits?: BackendRateWindows | null; rate_limit?: BackendRateWindows | null },
  nowMs: number = Date.now(),
): RateLimitsEvent | undefined {
  const windows = frame.rate_limits ?? frame.rate_limit ?? frame;
  const primary = frameWindow(windows.primary ?? windows.primary_window, nowMs);
  const secondary = frameWindow(windows.secondary ?? windows.secondary_window, nowMs);
  if (!primary && !secondary) return undefined;
  return rateLimitsEvent({ ...(primary ? { primary } : {}), ...(secondary ? { secondary } : {}) });
}
