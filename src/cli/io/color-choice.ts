export const COLOR_WHEN = ['always', 'never', 'auto'] as const;

export interface ColorChoice {
  /** `--color WHEN` (`--color` alone is `always`); `false` from `--no-color`. */
  color?: boolean | string;
}

/**
 * Colour only on a TTY (not TERM=dumb) unless chosen: --color always|never (--no-color), then NO_COLOR /
 * FORCE_COLOR, then isTTY. `--color auto` is the default.
 */
export function useColor(stream: { isTTY?: boolean }, flags: ColorChoice, env: Record<string, string | undefined>): boolean {
  if (flags.color === true || flags.color === 'always') return true;
  if (flags.color === false || flags.color === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** `--color` alone means `--color=always`; `--color WHEN` is left as it is. Options end at `--`. */
export function withColorValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return [...out, ...argv.slice(i)];
    if (word === '--color' && !(COLOR_WHEN as readonly string[]).includes(argv[i + 1] ?? '')) out.push('--color=always');
    else out.push(word);
  }
  return out;
}
