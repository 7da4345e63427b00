// `ask --min-remaining` and `--wait-for-reset`: loaded only when one of them is given.
import { setTimeout as delay } from 'node:timers/promises';
import type { RetryEvent } from '../../client/events.js';
import type { AdditionalLimit, UsageReport } from '../../client/usage.js';
import { formatDuration } from '../../shared/duration.js';
import { messageOf } from '../../shared/error-info.js';
import { abortError, CodexError, UsageError } from '../../shared/errors.js';
import { describeReset } from '../../transport/api-error.js';
import type { CliContext } from '../context.js';
import { bucketName, windowsBelow } from '../usage/text.js';

/** The backend's clock and ours differ a little: come back a moment after the reset, not at it. */
export const RESET_MARGIN_MS = 1_000;

export function parsePercent(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 100) {
    throw new UsageError(`${flag} takes a percentage from 0 to 100, not "${value}"`);
  }
  return number;
}

/** `--min-remaining PCT` (the main windows) or `NAME=PCT` (the per-feature bucket NAME of `codex usage`). */
export interface MinRemaining {
  percent: number;
  bucket?: string;
}

export function parseMinRemaining(value: string, flag: string): MinRemaining {
  const at = value.lastIndexOf('=');
  if (at === -1) return { percent: parsePercent(value, flag) };
  const bucket = value.slice(0, at).trim();
  if (bucket === '') throw new UsageError(`${flag} takes PCT or BUCKET=PCT, not "${value}"`);
  return { bucket, percent: parsePercent(value.slice(at + 1), flag) };
}

/** The bucket a name stands for: its limit name or metered feature, ignoring case; else a usage error listing them. */
function findBucket(report: UsageReport, name: string): AdditionalLimit {
  const buckets = report.additional_limits ?? [];
  const wanted = name.toLowerCase();
  const found = buckets.find((bucket) => [bucket.limit_name, bucket.metered_feature, bucket.limit_id].some((key) => key?.toLowerCase() === wanted));
  if (found) return found;
  const known = buckets.length > 0 ? `; the buckets are ${buckets.map(bucketName).join(', ')}` : '; the backend reports no per-feature bucket';
  throw new UsageError(`--min-remaining: no quota bucket named "${name}"${known} (\`codex usage\`)`);
}

export interface QuotaCheck {
  report?: UsageReport;
  /** Set when a window has less than the minimum left: when the last of those windows resets (unix s). */
  low?: { message: string; resetsAt: number | undefined };
}

/** Reads the quota before sending; a quota that cannot be read is a warning, not a refusal. */
export async function checkQuota(ctx: CliContext, readUsage: () => Promise<UsageReport>, min: MinRemaining | number, signal: AbortSignal): Promise<QuotaCheck> {
  const { percent: minPercent, bucket: bucketName } = typeof min === 'number' ? { percent: min, bucket: undefined } : min;
  let report: UsageReport;
  try {
    report = await readUsage();
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    if (error instanceof CodexError && error.exitCode === 3) throw error;
    ctx.warn(`cannot check --min-remaining (${messageOf(error)}); sending anyway`);
    return {};
  }
  if (bucketName !== undefined && report.source === 'headers') {
    ctx.warn(`cannot check --min-remaining ${bucketName}=${minPercent} (the usage endpoint failed; the rate-limit headers name no bucket); sending anyway`);
    return { report };
  }
  const bucket = bucketName !== undefined ? findBucket(report, bucketName) : undefined;
  const below = windowsBelow(report, minPercent, bucket);
  if (below.length === 0) return { report };
  const resets = below.map((entry) => entry.window.resets_at).filter((value): value is number => value !== undefined);
  const resetsAt = resets.length === below.length ? Math.max(...resets) : undefined;
  const what = below.map((entry) => `${Math.round(entry.left * 10) / 10}% of the ${entry.name} window`).join(' and ');
  const when = resetsAt !== undefined ? `; it resets ${describeReset(resetsAt)}` : '';
  const flag = `--min-remaining ${bucketName !== undefined ? `${bucketName}=` : ''}${minPercent}`;
  return { report, low: { message: `only ${what} left, below ${flag}${when}`, resetsAt } };
}

export interface WaitOptions {
  resetsAt: number;
  /** When --timeout ends the run (ms since the epoch), if it is given. */
  deadlineMs: number | undefined;
  signal: AbortSignal;
  reason: 'usage_limit_reached' | 'quota_low';
  /** The failure to report when the reset comes after the deadline. */
  failure: CodexError;
  emit: (event: RetryEvent) => Promise<void> | undefined;
}

/** Waits until the reset (one `retry` event, a countdown on a TTY); refuses at once when --timeout ends first. */
export async function waitForReset(ctx: CliContext, options: WaitOptions): Promise<void> {
  const untilMs = options.resetsAt * 1000 + RESET_MARGIN_MS;
  if (options.deadlineMs !== undefined && untilMs > options.deadlineMs) {
    const { failure } = options;
    throw new CodexError(failure.code, `${failure.message}; --wait-for-reset does not wait: that is after --timeout`, {
      resetsAt: options.resetsAt,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      ...(failure.plan !== undefined ? { plan: failure.plan } : {}),
    });
  }
  const delayMs = Math.max(0, untilMs - Date.now());
  await options.emit({ type: 'retry', attempt: 1, max_retries: 1, delay_ms: delayMs, reason: options.reason });
  ctx.log(`waiting ${formatDuration(delayMs / 1000)} for the quota to reset (--wait-for-reset)`);
  const tty = ctx.stderr.isTTY === true;
  const show = () =>
    ctx.stderr.write(
      `\r\x1b[K${ctx.name}: ${options.reason === 'quota_low' ? 'quota low' : 'usage limit reached'}; waiting for the reset ${describeReset(options.resetsAt)}…`,
    );
  const ticker = tty ? setInterval(show, 1_000) : undefined;
  if (tty) show();
  try {
    await delay(delayMs, undefined, { signal: options.signal });
  } catch {
    throw abortError(options.signal);
  } finally {
    if (ticker) clearInterval(ticker);
    if (tty) ctx.stderr.write('\r\x1b[K');
  }
}
