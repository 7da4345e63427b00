import type { AnswerHeaders } from './http-answer.js';

/** Retry policy in one place: which failures are retried, and how long to wait before the next attempt. */

export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;
export const MAX_BACKOFF_MS = 8_000;
/** A server asking us to wait longer than this is not waited for: we fail and say how long it asked. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The server's own wait, from `retry-after-ms` (milliseconds) or `Retry-After` (seconds or an HTTP date).
 * undefined when absent, unreadable or negative.
 */
export function retryAfterMsFrom(headers: AnswerHeaders, nowMs: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(after)) {
    const seconds = Number(after);
    return seconds >= 0 ? seconds * 1000 : undefined;
  }
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff with ±25 % jitter: base × 2^attempt, capped. `attempt` counts retries from 0. */
export function backoffMs(attempt: number, baseMs: number = DEFAULT_RETRY_BASE_DELAY_MS, random: () => number = Math.random): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** How long to wait before retry number `attempt`: the server's word when it gave one, else backoff. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  baseMs: number = DEFAULT_RETRY_BASE_DELAY_MS,
  random: () => number = Math.random,
): number {
  return retryAfterMs ?? backoffMs(attempt, baseMs, random);
}
