import { describe, expect, it } from 'vitest';
import { rateLimitsFromFrame, rateLimitsFromHeaders } from '../../src/client/rate-limits.js';

const NOW_MS = 1_764_000_000_000;

describe('rate limits', () => {
  it.each([
    // The header-like shape at the top level.
    [{ primary: { used_percent: 5, window_minutes: 300, resets_at: 1_764_003_600 } }, { primary: { used_percent: 5, window_minutes: 300, resets_at: 1_764_003_600 } }],
    // Nested under rate_limits, with reset_at spelled as the usage endpoint spells it; a null window is absent.
    [{ rate_limits: { primary: { used_percent: 50, reset_at: 1_764_000_100 }, secondary: null } }, { primary: { used_percent: 50, resets_at: 1_764_000_100 } }],
    // The usage endpoint's windows: seconds become minutes; an absolute reset wins over a relative one.
    [
      {
        rate_limit: {
          primary_window: { used_percent: 1, limit_window_seconds: 18_000, reset_after_seconds: 60, reset_at: 1_764_000_900 },
          secondary_window: { used_percent: 2, limit_window_seconds: 604_800, reset_after_seconds: 120 },
        },
      },
      { primary: { used_percent: 1, window_minutes: 300, resets_at: 1_764_000_900 }, secondary: { used_percent: 2, window_minutes: 10_080, resets_at: 1_764_000_120 } },
    ],
    // A null reset_at with 0 s left is no window, not one that resets now.
    [
      { rate_limits: { primary: { used_percent: 3, reset_at: 1_764_000_500 }, secondary: { used_percent: 0, reset_at: null, reset_after_seconds: 0 } } },
      { primary: { used_percent: 3, resets_at: 1_764_000_500 } },
    ],
    // A frame named after another bucket, and the per-feature buckets beside codex's: kept apart, by name.
    [
      { limit_name: 'GPT-5.3-Codex-Spark', limit_id: 'codex_bengalfox', rate_limits: { primary: { used_percent: 40, window_minutes: 300 } } },
      { additional_limits: [{ limit_id: 'codex_bengalfox', limit_name: 'GPT-5.3-Codex-Spark', primary: { used_percent: 40, window_minutes: 300 } }] },
    ],
    [
      {
        rate_limits: { primary: { used_percent: 9 } },
        additional_rate_limits: [
          { limit_name: 'Spark', metered_feature: 'codex_bengalfox', rate_limit: { primary_window: { used_percent: 12, reset_at: 1_764_001_000 } } },
        ],
      },
      {
        primary: { used_percent: 9 },
        additional_limits: [{ limit_id: 'codex_bengalfox', limit_name: 'Spark', primary: { used_percent: 12, resets_at: 1_764_001_000 } }],
      },
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

  it('headers: an empty reset-at with reset-after 0 is no window; an absolute reset wins over a relative one', () => {
    const headers = new Headers({
      'x-codex-primary-used-percent': '12',
      'x-codex-primary-reset-at': '1764009000',
      'x-codex-primary-reset-after-seconds': '60',
      'x-codex-secondary-used-percent': '0',
      'x-codex-secondary-reset-at': '',
      'x-codex-secondary-reset-after-seconds': '0',
    });
    expect(rateLimitsFromHeaders(headers, NOW_MS)).toEqual({ primary: { used_percent: 12, resets_at: 1_764_009_000 } });
  });

  it('headers: other x-<limit>-* families are kept by their name, apart from the main windows', () => {
    const headers = new Headers({
      'x-codex-primary-used-percent': '5',
      'x-codex-bengalfox-primary-used-percent': '30',
      'x-codex-bengalfox-primary-window-minutes': '300',
      'x-codex-bengalfox-primary-reset-after-seconds': '600',
      'x-codex-bengalfox-limit-name': 'GPT-5.3-Codex-Spark',
      'x-codex-credits-balance': '3',
    });
    expect(rateLimitsFromHeaders(headers, NOW_MS)).toEqual({
      primary: { used_percent: 5 },
      additional_limits: [
        { limit_id: 'codex-bengalfox', limit_name: 'GPT-5.3-Codex-Spark', primary: { used_percent: 30, window_minutes: 300, resets_at: 1_764_000_600 } },
      ],
      credits: { balance: 3 },
    });
  });
});
