// The quota readers: every x-codex-* header (protocol §7, §10) and the wham/usage answer, table-driven.
import { describe, expect, it } from 'vitest';
import { rateLimitsFromHeaders } from '../../src/client/rate-limits.js';
import { snapshotFromUsage } from '../../src/client/usage.js';

const NOW_MS = 1_764_000_000_000;

describe('rateLimitsFromHeaders', () => {
  it.each<{ name: string; headers: Record<string, string>; expected: unknown }>([
    // No window: nothing, whatever else is there.
    { name: 'no headers', headers: {}, expected: undefined },
    { name: 'only a plan type', headers: { 'x-codex-plan-type': 'plus' }, expected: undefined },
    // Real answers carry empty values (an empty secondary reset): ignored, not NaN.
    {
      name: 'empty values are ignored',
      headers: { 'x-codex-primary-used-percent': '5', 'x-codex-primary-reset-at': '', 'x-codex-secondary-used-percent': ' ', 'x-codex-active-limit': '' },
      expected: { primary: { used_percent: 5 } },
    },
    // reset-after-seconds stands in for a missing reset-at; reset-at wins when both are there.
    {
      name: 'reset-after-seconds without reset-at',
      headers: { 'x-codex-primary-used-percent': '50', 'x-codex-primary-window-minutes': '300', 'x-codex-primary-reset-after-seconds': '90' },
      expected: { primary: { used_percent: 50, window_minutes: 300, resets_at: NOW_MS / 1000 + 90 } },
    },
    {
      name: 'reset-at wins over reset-after-seconds',
      headers: { 'x-codex-secondary-used-percent': '1', 'x-codex-secondary-reset-at': '1764009999', 'x-codex-secondary-reset-after-seconds': '5' },
      expected: { secondary: { used_percent: 1, resets_at: 1_764_009_999 } },
    },
    // Credits, active limit and plan type come along with a window; a balance that is not a number is left out.
    {
      name: 'credits, active limit, plan type',
      headers: {
        'x-codex-primary-used-percent': '0',
        'x-codex-active-limit': 'codex',
        'x-codex-plan-type': 'pro',
        'x-codex-credits-has-credits': 'True',
        'x-codex-credits-unlimited': 'false',
        'x-codex-credits-balance': 'n/a',
      },
      expected: { primary: { used_percent: 0 }, active_limit: 'codex', plan_type: 'pro', credits: { has_credits: true, unlimited: false } },
    },
  ])('$name', ({ headers, expected }) => {
    expect(rateLimitsFromHeaders(new Headers(headers), NOW_MS)).toEqual(expected);
  });
});

describe('snapshotFromUsage', () => {
  it('reads the windows, plan and credits; a string balance becomes a number', () => {
    const json = {
      plan_type: 'plus',
      rate_limit: {
        allowed: true,
        primary_window: { used_percent: 12, limit_window_seconds: 18_000, reset_after_seconds: 60, reset_at: 1_764_003_600 },
        secondary_window: null,
      },
      credits: { has_credits: true, unlimited: false, balance: '7.25' },
    };
    expect(snapshotFromUsage(json, NOW_MS)).toEqual({
      primary: { used_percent: 12, window_minutes: 300, resets_at: 1_764_003_600 },
      plan_type: 'plus',
      credits: { has_credits: true, unlimited: false, balance: 7.25 },
    });
  });

  it('takes reset_after_seconds when reset_at is missing, and needs no credits', () => {
    const json = { rate_limit: { secondary_window: { used_percent: 3, limit_window_seconds: 604_800, reset_after_seconds: 120 } } };
    expect(snapshotFromUsage(json, NOW_MS)).toEqual({ secondary: { used_percent: 3, window_minutes: 10_080, resets_at: NOW_MS / 1000 + 120 } });
  });

  it('an answer of another shape is a server_error', () => {
    expect(() => snapshotFromUsage({ rate_limit: { primary_window: { used_percent: 'lots' } } })).toThrow(expect.objectContaining({ code: 'server_error' }));
    expect(() => snapshotFromUsage('<html>')).toThrow(expect.objectContaining({ code: 'server_error' }));
  });
});
