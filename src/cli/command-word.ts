import { COLOR_WHEN } from './io/color-choice.js';

/** Commander-free, so that `ask`'s fast path can find its command word without loading commander. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(['--config-dir', '--base-url', '--issuer', '--profile']);

/** Where the command word stands in argv: the first word that is neither an option nor an option's value (-1: none). */
export function commandIndexIn(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return -1;
    if (GLOBAL_OPTIONS_WITH_VALUE.has(word) || (word === '--color' && (COLOR_WHEN as readonly string[]).includes(argv[i + 1] ?? ''))) {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    return i;
  }
  return -1;
}
