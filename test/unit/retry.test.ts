import { describe, expect, it } from 'vitest';
import { backoffMs, isRetryableStatus, MAX_BACKOFF_MS, retryAfterMsFrom, retryDelayMs } from '../../src/transport/retry.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const headers = (init: Record<string, string>) => new Headers(init);

describe('retryAfterMsFrom', () => {
  it.each<[Record<string, string>, number | undefined, string]>([
    // [headers, expected ms, why]
    [{}, undefined, 'no header: fall back to backoff'],
    [{ 'retry-after': '2' }, 2000, 'seconds'],
    [{ 'retry-after': '0.5' }, 500, 'fractional seconds'],
    [{ 'retry-after': '-3' }, undefined, 'negative is ignored'],
    [{ 'retry-after': 'soon' }, undefined, 'garbage is ignored'],
    [{ 'retry-after': 'Wed, 25 Nov 2026 12:00:07 GMT' }, 7000, 'HTTP date in the future'],
    [{ 'retry-after': 'Wed, 25 Nov 2026 11:59:00 GMT' }, 0, 'HTTP date in the past: retry now'],
    [{ 'retry-after-ms': '150', 'retry-after': '9' }, 150, 'retry-after-ms wins'],
    [{ 'retry-after-ms': '-1', 'retry-after': '9' }, 9000, 'bad retry-after-ms falls through'],
  ])('%o → %s (%s)', (init, expected, _why) => {
    expect(retryAfterMsFrom(headers(init), NOW)).toBe(expected);
  });
});

describe('backoff', () => {
  it.each([
    // [attempt, random, expected]: base 200 ms × 2^attempt, ±25 % jitter, capped at 8 s
    [0, 0.5, 200],
    [1, 0.5, 400],
    [3, 0, 1200],
    [3, 1, 2000],
    [10, 0.5, MAX_BACKOFF_MS],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, 200, () => random)).toBe(expected);
  });

  it('prefers the server’s own wait over backoff', () => {
    expect(retryDelayMs(0, 1234, 200, () => 0.5)).toBe(1234);
    expect(retryDelayMs(0, undefined, 200, () => 0.5)).toBe(200);
  });

  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
  ])('status %i retryable: %s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});
