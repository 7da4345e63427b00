import { describe, expect, it } from 'vitest';
import { rateLimitsFromFrame, rateLimitsFromHeaders } from '../../src/client/rate-limits.js';

const NOW_MS = 1_764_000_000_000;

describe('rate limits', () => {
  it.each([
    // The header-like shape at the top level.
    [{ primary: { used_percent: 5, window_minutes: 300, resets_at: 1_764_003_600 } }, { primary: { used_percent: 5, window_minutes: 300, resets_at: 1_764_003_600 } }],
    // Nested under rate_limits, with reset_at spelled as the usage endpoint spells it; a null window is absent.
    [{ rate_limits: { primary: { used_percent: 50, reset_at: 1_764_000_100 }, secondary: null } }, { primary: { used_percent: 50, resets_at: 1_764_000_100 } }],
    // The usage endpoint's windows: seconds become minutes; a relative reset wins over an absolute one.
    [
      {
        rate_limit: {
          primary_window: { used_percent: 1, limit_window_seconds: 18_000, reset_after_seconds: 60, reset_at: 1 },
          secondary_window: { used_percent: 2, limit_window_seconds: 604_800 },
        },
      },
      { primary: { used_percent: 1, window_minutes: 300, resets_at: 1_764_000_060 }, secondary: { used_percent: 2, window_minutes: 10_080 } },
    ],
  ])('a codex.rate_limits frame %j', (frame, expected) => {
    expect(rateLimitsFromFrame(frame, NOW_MS)).toEqual({ type: 'rate_limits', ...expected });
  });

  it('a frame without a used percentage gives no event', () => {
    expect(rateLimitsFromFrame({ primary: { window_minutes: 300 } }, NOW_MS)).toBeUndefined();
  });

  it('headers: empty or unreadable values are "not given", never 0', () => {
    const headers = new Headers({
      'x-codex-primary-used-percent': '',
      'x-codex-primary-reset-at': '1764000000',
      'x-codex-secondary-used-percent': '7',
      'x-codex-secondary-window-minutes': 'soon',
      'x-codex-secondary-reset-at': '  ',
    });
    expect(rateLimitsFromHeaders(headers)).toEqual({ secondary: { used_percent: 7 } });
    expect(rateLimitsFromHeaders(new Headers())).toBeUndefined();
  });
});
