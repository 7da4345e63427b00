import type { BackendRateWindow, BackendRateWindows, RateLimitsEvent } from './events.js';

type Window = NonNullable<RateLimitsEvent['primary']>;

/** A header's number; an absent, empty or unreadable value is "not given" (never 0). */
function headerNumber(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function eventOf(primary: Window | undefined, secondary: Window | undefined): RateLimitsEvent | undefined {
  if (!primary && !secondary) return undefined;
  return { type: 'rate_limits', ...(primary ? { primary } : {}), ...(secondary ? { secondary } : {}) };
}

/** The `x-codex-{primary,secondary}-*` headers of a /responses answer (protocol §7). */
export function rateLimitsFromHeaders(headers: Headers): RateLimitsEvent | undefined {
  const window = (name: 'primary' | 'secondary'): Window | undefined => {
    const used = headerNumber(headers, `x-codex-${name}-used-percent`);
    if (used === undefined) return undefined;
    const minutes = headerNumber(headers, `x-codex-${name}-window-minutes`);
    const resets = headerNumber(headers, `x-codex-${name}-reset-at`);
    return {
      used_percent: used,
      ...(minutes !== undefined ? { window_minutes: minutes } : {}),
      ...(resets !== undefined ? { resets_at: resets } : {}),
    };
  };
  return eventOf(window('primary'), window('secondary'));
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

/** A `codex.rate_limits` frame of the stream, in the same shape as the headers give. */
export function rateLimitsFromFrame(
  frame: BackendRateWindows & { rate_limits?: BackendRateWindows | null; rate_limit?: BackendRateWindows | null },
  nowMs: number = Date.now(),
): RateLimitsEvent | undefined {
  const windows = frame.rate_limits ?? frame.rate_limit ?? frame;
  return eventOf(
    frameWindow(windows.primary ?? windows.primary_window, nowMs),
    frameWindow(windows.secondary ?? windows.secondary_window, nowMs),
  );
}
