import { GLOBAL_OPTIONS, optionShape } from './ask/options.js';
import { COLOR_WHEN } from './io/color-choice.js';

/**
 * Commander-free, so that `ask`'s fast path can find its command word without loading commander: the program's
 * options that always take a value (`--color`'s value is optional, below).
 */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(
  GLOBAL_OPTIONS.map(optionShape)
    .filter((shape) => shape.takesValue && shape.spec.choices === undefined)
    .map((shape) => shape.long),
);

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
