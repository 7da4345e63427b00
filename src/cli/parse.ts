import { UsageError } from '../shared/errors.js';

/** Node's timers hold at most 2^31 − 1 ms (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** Seconds > 0 (fractions allowed), at most MAX_TIMER_SECONDS; undefined when the option was not given. */
export function parsePositiveSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} takes a number of seconds greater than 0, not "${value}"`);
  }
  if (seconds > MAX_TIMER_SECONDS) throw new UsageError(`${flag} takes at most ${MAX_TIMER_SECONDS} seconds (24 days), not "${value}"`);
  return seconds;
}

export function parseNonNegativeInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} takes a whole number ≥ 0, not "${value}"`);
  return Number(value);
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** "30m", "2d", "1h30m", "90" (seconds) → seconds. */
export function parseDuration(value: string, flag: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new UsageError(`${flag} takes a duration such as 30m, 12h or 2d, not "${value}"`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * UNIT_SECONDS[part[2]!]!, 0);
}
