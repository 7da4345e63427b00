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
