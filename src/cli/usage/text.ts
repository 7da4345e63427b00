import type { RateLimitSnapshot } from '../../client/events.js';
import type { AdditionalLimit, SpendLimit, UsageReport } from '../../client/usage.js';
import { formatDuration } from '../../shared/duration.js';
import { describeReset } from '../../transport/api-error.js';

type Window = NonNullable<RateLimitSnapshot['primary']>;

/** `5h`, `weekly`, or the length as a duration. */
export function windowName(window: Window, fallback: string): string {
  if (window.window_minutes === undefined) return fallback;
  if (window.window_minutes === 10_080) return 'weekly';
  return formatDuration(window.window_minutes * 60);
}

const percent = (value: number) => `${Math.round(value * 10) / 10}%`;

/** "12% used, resets at 14:32 (in 2h 13m)"; a reset already past says so instead of a stale percentage. */
export function describeWindow(window: Window, nowMs: number = Date.now()): string {
  if (window.resets_at !== undefined && window.resets_at * 1000 <= nowMs) return 'reset since this was seen';
  const reset = window.resets_at !== undefined ? `, resets ${describeReset(window.resets_at, nowMs)}` : '';
  return `${percent(window.used_percent)} used${reset}`;
}

function windows(snapshot: RateLimitSnapshot): [string, Window][] {
  const out: [string, Window][] = [];
  if (snapshot.primary) out.push([windowName(snapshot.primary, 'primary'), snapshot.primary]);
  if (snapshot.secondary) out.push([windowName(snapshot.secondary, 'secondary'), snapshot.secondary]);
  return out;
}

export function describeCredits(credits: RateLimitSnapshot['credits']): string | undefined {
  if (!credits) return undefined;
  if (credits.unlimited) return 'unlimited';
  if (credits.has_credits === false) return 'none';
  if (credits.balance !== undefined) return `${credits.balance}`;
  return undefined;
}

/** One line: "plus · 5h: 12% used, resets at 14:32 (in 2h 13m) · weekly: 34.5% used, resets … · credits 5". */
export function usageLine(snapshot: RateLimitSnapshot, nowMs: number = Date.now()): string {
  const parts = [...(snapshot.plan_type ? [snapshot.plan_type] : []), ...windows(snapshot).map(([name, window]) => `${name}: ${describeWindow(window, nowMs)}`)];
  const credits = describeCredits(snapshot.credits);
  if (credits && credits !== 'none') parts.push(`credits ${credits}`);
  return parts.join(' · ');
}

/** A bucket's windows, labelled with its name: "Spark 5h", "Spark weekly". */
export function bucketWindows(bucket: AdditionalLimit): [string, Window][] {
  return windows(bucket).map(([name, window]) => [`${bucketName(bucket)} ${name}`, window]);
}

/** What a bucket is called: the backend's name for it, else its header family or feature. */
export function bucketName(bucket: AdditionalLimit): string {
  return bucket.limit_name ?? bucket.limit_id ?? bucket.metered_feature ?? 'unnamed';
}

/** "$12.50 of $50 used (25%), resets at … (in 3d)" */
function describeSpend(limit: SpendLimit, nowMs: number): string {
  const reset = limit.resets_at !== undefined && limit.resets_at * 1000 > nowMs ? `, resets ${describeReset(limit.resets_at, nowMs)}` : '';
  return `${limit.used} of ${limit.limit} used (${percent(limit.used_percent)})${reset}`;
}

/** `codex usage`: one labelled line per item. */
export function usageLines(
  snapshot: RateLimitSnapshot & Partial<Pick<UsageReport, 'additional_limits' | 'spend_control' | 'reset_credits'>>,
  nowMs: number = Date.now(),
): string[] {
  const rows: [string, string][] = [['plan', snapshot.plan_type ?? 'unknown']];
  for (const [name, window] of windows(snapshot)) rows.push([name === 'weekly' ? 'weekly' : `${name} window`, describeWindow(window, nowMs)]);
  for (const bucket of snapshot.additional_limits ?? []) {
    for (const [name, window] of bucketWindows(bucket)) rows.push([name, describeWindow(window, nowMs)]);
  }
  const credits = describeCredits(snapshot.credits);
  if (credits) rows.push(['credits', credits]);
  const spend = snapshot.spend_control;
  if (spend) {
    for (const limit of spend.limits) rows.push([`spend (${limit.type.replace(/_/g, ' ')})`, describeSpend(limit, nowMs)]);
    if (spend.reached) rows.push(['spend limit', `reached${spend.reached_limit_type ? ` (${spend.reached_limit_type.replace(/_/g, ' ')})` : ''}`]);
  }
  const resets = snapshot.reset_credits;
  if (resets) rows.push(['reset credits', resets.available_count > 0 ? `${resets.available_count} available (\`codex usage --redeem\`)` : 'none']);
  if (snapshot.active_limit) rows.push(['active limit', snapshot.active_limit]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`);
}

/** The smallest share left in any window, and the windows below `minPercent` (for --min-remaining); a bucket's own windows when given. */
export function windowsBelow(snapshot: RateLimitSnapshot, minPercent: number, bucket?: AdditionalLimit): { name: string; left: number; window: Window }[] {
  return (bucket ? bucketWindows(bucket) : windows(snapshot))
    .map(([name, window]) => ({ name, left: Math.max(0, 100 - window.used_percent), window }))
    .filter((entry) => entry.left < minPercent);
}
