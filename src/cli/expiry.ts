/** "2026-11-25 10:00 (in 59m)" / "… (expired 3m ago)": local time plus a relative hint. */
export function describeExpiry(expiresAtS: number, nowMs = Date.now()): string {
  const date = new Date(expiresAtS * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const deltaS = Math.round(expiresAtS - nowMs / 1000);
  return deltaS > 0 ? `${local} (in ${humanDuration(deltaS)})` : `${local} (expired ${humanDuration(-deltaS)} ago)`;
}

/** 45s, 13m, 2h 13m, 3d 4h. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}
