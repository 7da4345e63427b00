import { UsageError } from '../../shared/errors.js';
import { closestName } from '../../shared/suggest.js';
import { COLOR_WHEN } from '../io/color-choice.js';
import type { OptionShape } from './options.js';

/**
 * Options are read anywhere, as llm, gh and `codex exec` read them (`codex ask "hi" -m gpt-6-luna`), with one guard
 * against losing data: the shell's quotes are gone by now, so when the prompt is several unquoted words
 * (`codex ask explain the -o flag of tar`), an option that takes a value among them could be a prompt word that
 * would silently become an option (and write a file named "flag"). Such a run is refused (exit 2) with the two
 * ways to quote it. Options without a value in the middle of such a prompt stay prompt words (`codex ask what does
 * -v do`), a trailing run of long ones is read as options (`codex ask what is UDP --json`). `--` ends the options.
 *
 * `options`: ask's and the program's (askOptionShapes). Returns argv as commander should read it: when the prompt is several words, the options first, then `--`, then
 * the prompt words, so that commander sees every one of them as an argument.
 */
export function separatePromptWords(
  argv: readonly string[],
  commandIndex: number,
  options: readonly Pick<OptionShape, 'short' | 'long' | 'takesValue'>[],
  name = 'codex',
): string[] {
  const takesValue = new Set<string>();
  const flags = new Set<string>();
  const longNames: string[] = [];
  for (const option of options) {
    const names = [option.short, option.long].filter((name): name is string => name !== undefined);
    if (option.long) longNames.push(option.long);
    for (const optionName of names) (option.takesValue ? takesValue : flags).add(optionName);
  }
  /** The option a word names, and whether it takes the next word as its value. */
  const optionOf = (index: number): { known: boolean; value: 'none' | 'inline' | 'next' } => {
    const word = argv[index]!;
    const equals = word.startsWith('--') ? word.indexOf('=') : -1;
    const optionName = equals > 0 ? word.slice(0, equals) : word;
    if (optionName === '--color')
      return { known: true, value: equals > 0 ? 'inline' : (COLOR_WHEN as readonly string[]).includes(argv[index + 1] ?? '') ? 'next' : 'none' };
    if (takesValue.has(optionName)) return { known: true, value: equals > 0 ? 'inline' : 'next' };
    return { known: flags.has(optionName), value: 'none' };
  };

  // The options-anywhere reading: which words are prompt words, and where each option stands.
  const words: number[] = [];
  const valueOptions: { at: number; end: number }[] = [];
  let doubleDash = -1;
  for (let i = commandIndex + 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      doubleDash = i;
      break;
    }
    if (word.startsWith('-') && word !== '-') {
      const option = optionOf(i);
      if (option.value !== 'none') valueOptions.push({ at: i, end: option.value === 'next' ? i + 1 : i });
      if (option.value === 'next') i++;
      continue;
    }
    words.push(i);
  }
  const afterDash = doubleDash >= 0 ? argv.length - doubleDash - 1 : 0;
  // One prompt word (a quoted prompt) or none: every option is an option, wherever it stands.
  if (words.length + afterDash <= 1) return [...argv];

  const first = words[0] ?? doubleDash;
  if (first === doubleDash) return [...argv];
  const among = valueOptions.find((option) => option.at > first);
  if (among !== undefined) {
    const stop = doubleDash >= 0 ? doubleDash : argv.length;
    const typed = argv.slice(first, stop);
    const promptOnly = words.map((index) => argv[index]!);
    const optionWords = valueOptions.filter((option) => option.at > first).flatMap((option) => argv.slice(option.at, option.end + 1));
    throw new UsageError(
      `${argv[among.at]!.split('=')[0]} stands among the words of an unquoted prompt; to send it as text, quote the prompt: ` +
        `${name} ask ${quotePrompt(typed.join(' '))}; to use it as an option, quote the prompt without it: ` +
        `${name} ask ${quotePrompt(promptOnly.join(' '))} ${optionWords.map(shellWord).join(' ')}`,
    );
  }
  let end = argv.length;
  if (doubleDash < 0) {
    while (end > first + 1) {
      const word = argv[end - 1]!;
      if (word.startsWith('--') && flags.has(word)) {
        end--;
        continue;
      }
      // A mistyped option at the end (`--jsno`) is more likely a typo than a prompt word.
      const close = word.startsWith('--') && !word.includes('=') ? closestName(word, longNames) : undefined;
      if (close !== undefined && close !== word) {
        throw new UsageError(
          `unknown option '${word}' (Did you mean ${close}?); to send it as text, quote the prompt: ${name} ask ${quotePrompt(argv.slice(first).join(' '))}`,
        );
      }
      break;
    }
  }
  return [...argv.slice(0, first), ...argv.slice(end), '--', ...argv.slice(first, end)];
}

/** A prompt as the shell takes it in one word: "in double quotes" when that is safe, else 'in single quotes'. */
export function quotePrompt(text: string): string {
  return /^[\w ./,:=@+?-]*$/.test(text) ? `"${text}"` : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A word as the shell takes it: bare when it has nothing the shell would read, else quoted. */
function shellWord(text: string): string {
  return /^[\w./,:=@+-]+$/.test(text) ? text : quotePrompt(text);
}
