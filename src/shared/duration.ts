/** 45s, 13m, 2h 13m, 3d 4h: how long until something, for a person. */
export function formatDuration(seconds: number): string {
  // A server or a file can say anything: a value no clock will reach is said as such, never NaN or 1e+300d.
  if (Number.isNaN(seconds)) return 'an unknown time';
  if (seconds > 100 * 365 * 86_400) return 'more than 100 years';
  if (seconds < 0 || !Number.isFinite(seconds)) return '0s';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}
