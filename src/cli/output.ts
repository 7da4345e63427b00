import { maskTokens } from '../redact.js';

/** Last line of defence for diagnostics: any JWT-like run, URL userinfo, and every known secret, is masked. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = maskTokens(text);
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out;
}

export interface ColorChoice {
  color?: boolean;
}

/** Colour only on a TTY (not TERM=dumb) unless forced: --color/--no-color, then NO_COLOR / FORCE_COLOR, then isTTY. */
export function useColor(stream: { isTTY?: boolean }, flags: ColorChoice, env: Record<string, string | undefined> = process.env): boolean {
  if (flags.color !== undefined) return flags.color;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}
