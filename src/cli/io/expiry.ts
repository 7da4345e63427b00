import { formatDuration } from '../../shared/duration.js';

/** "2026-11-25 10:00 (in 59m)" / "… (expired 3m ago)": local time plus a relative hint. */
export function describeExpiry(expiresAtS: number, nowMs = Date.now()): string {
  const date = new Date(expiresAtS * 1000);
  if (Number.isNaN(date.getTime())) return `never, as far as the token says (in ${formatDuration(expiresAtS - nowMs / 1000)})`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const deltaS = Math.round(expiresAtS - nowMs / 1000);
  return deltaS > 0 ? `${local} (in ${formatDuration(deltaS)})` : `${local} (expired ${formatDuration(-deltaS)} ago)`;
}
