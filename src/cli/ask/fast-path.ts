import { commandIndexIn } from '../command-word.js';
import { type AskOptions, runAsk } from '../commands/ask.js';
import { CliContext, type CliIo, type GlobalOptions } from '../context.js';
import { finishAfterError } from '../finish.js';
import { withColorValue } from '../io/color-choice.js';
import { ASK_OPTIONS, askOptionShapes, GLOBAL_OPTIONS, type OptionShape, optionShape } from './options.js';
import { separatePromptWords } from './prompt-words.js';

/** A plain `codex ask` command line as commander would have read it: the prompt words, ask's options, the program's. */
export interface AskCommandLine {
  words: string[];
  options: AskOptions;
  globals: GlobalOptions;
}

const globalShapes = GLOBAL_OPTIONS.map(optionShape);
const askShapes = ASK_OPTIONS.map(optionShape);

/**
 * `codex ask` without commander (loading it and building the program cost ≈26 ms of every ask's start-up). This
 * hand-written reader is deliberately narrow: it takes the option tables commander is given (ask/options.ts) and
 * reads only the plain forms — `-m x`, `--model x`, `--model=x`, flags, prompt words and `--` — and returns undefined
 * for everything else: help, `-V`, `--version`, an unknown or grouped option (`-nu`), a missing value, a value outside
 * an option's choices or one that starts with `-`, options that conflict, anything before `ask` but the program's
 * options. main then runs the line through commander, so every help text and error message stays commander's and
 * nothing may behave differently here; test/unit/ask-command-line.test.ts holds it to commander's reading.
 */
export function readAskCommandLine(argv: readonly string[]): AskCommandLine | undefined {
  const index = commandIndexIn(argv);
  if (index < 0 || argv[index] !== 'ask') return undefined;
  let args: string[];
  try {
    args = withColorValue(separatePromptWords(argv, index, askOptionShapes()));
  } catch {
    return undefined;
  }
  const options: Record<string, unknown> = defaults(askShapes);
  const globals: Record<string, unknown> = defaults(globalShapes);
  const words: string[] = [];
  let command = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--') {
      if (!command) return undefined;
      words.push(...args.slice(i + 1));
      break;
    }
    if (word.length > 1 && word.startsWith('-')) {
      const equals = word.startsWith('--') ? word.indexOf('=') : -1;
      const name = equals > 0 ? word.slice(0, equals) : word;
      const global = find(globalShapes, name);
      const shape = global ?? (command ? find(askShapes, name) : undefined);
      if (shape === undefined) return undefined;
      const target = global ? globals : options;
      if (!shape.takesValue) {
        if (equals > 0) return undefined;
        target[shape.attribute] = !shape.negate;
        continue;
      }
      const value = equals > 0 ? word.slice(equals + 1) : args[++i];
      if (value === undefined || (equals < 0 && value.length > 1 && value.startsWith('-'))) return undefined;
      if (shape.spec.choices && !shape.spec.choices.includes(value)) return undefined;
      target[shape.attribute] = shape.spec.repeatable ? [...((target[shape.attribute] as string[] | undefined) ?? []), value] : value;
      continue;
    }
    if (command) words.push(word);
    else if (word === 'ask') command = true;
    else return undefined;
  }
  if (!command) return undefined;
  for (const shape of askShapes) {
    if (shape.spec.conflicts !== undefined && options[shape.attribute] !== undefined && options[shape.spec.conflicts] !== undefined) return undefined;
  }
  return { words, options: options as AskOptions, globals: globals as GlobalOptions };
}

/** Runs a command line readAskCommandLine has read, as main's commander path would; resolves to the exit code. */
export async function runAskCommandLine(line: AskCommandLine, io: CliIo): Promise<number> {
  const ctx = new CliContext(io, { ...line.options, ...line.globals });
  try {
    await runAsk(ctx, line.words, line.options);
    return 0;
  } catch (error) {
    return finishAfterError(io, ctx, error);
  }
}

function find(shapes: readonly OptionShape[], name: string): OptionShape | undefined {
  return shapes.find((shape) => shape.long === name || shape.short === name);
}

/** commander's defaults: a `--no-x` option without an `--x` beside it makes x true until given. */
function defaults(shapes: readonly OptionShape[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const shape of shapes) {
    if (shape.negate && !shapes.some((other) => !other.negate && other.attribute === shape.attribute)) values[shape.attribute] = true;
  }
  return values;
}
