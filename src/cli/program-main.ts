import { type Command, CommanderError } from 'commander';
import { exitCodeFor, UsageError } from '../shared/errors.js';
import { editDistance } from '../shared/suggest.js';
import { askOptionShapes } from './ask/options.js';
import { quotePrompt, separatePromptWords } from './ask/prompt-words.js';
import { commandIndexIn } from './command-word.js';
import { CliContext, type CliIo, type GlobalOptions } from './context.js';
import { finishAfterError } from './finish.js';
import { withColorValue } from './io/color-choice.js';
import { invokedName } from './io/program-name.js';
import { buildProgram, commandNameIn, oneLineUsageError } from './program.js';

/** Runs one command line through commander (every command, help, and each usage error's message); resolves to the exit code. */
export async function runProgram(argv: string[], io: CliIo): Promise<number> {
  let reporter: CliContext | undefined;
  const name = commandNameIn(argv);
  const program = buildProgram(
    async (command: Command, body: (ctx: CliContext) => Promise<void>) => {
      reporter = new CliContext(io, command.optsWithGlobals() as GlobalOptions);
      await body(reporter);
    },
    name,
    io,
  );
  const index = commandIndexIn(argv);
  const self = invokedName(io.programPath);
  if (index >= 0 && name === undefined && (argv[index] === 'exec' || argv[index] === 'e')) {
    // OpenAI's CLI runs a prompt with `codex exec PROMPT`; this program asks with `ask`.
    const words = argv.slice(index + 1).join(' ');
    io.stderr.write(`${self}: this is codex-oauth; \`${self} ask ${words.trim() === '' ? 'PROMPT' : quotePrompt(words)}\` does that\n`);
    return exitCodeFor('usage');
  }
  if (index >= 0 && name === undefined && (await looksLikeAQuestion(argv.slice(index), program))) {
    const words = argv.slice(index).join(' ');
    io.stderr.write(`${self}: '${argv[index]}' is not a command; to ask it, run: ${self} ask ${quotePrompt(words)}\n`);
    return exitCodeFor('usage');
  }
  const ask = name === 'ask';
  let args: string[];
  try {
    args = withColorValue(ask ? separatePromptWords(argv, index, askOptionShapes(), self) : argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${self}: ${error.message}\n`);
    return usageFailure(io, argv, error.message);
  }
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // commander has printed the message.
      return usageFailure(io, argv, oneLineUsageError(error.message).trimEnd());
    }
    return finishAfterError(io, reporter, error);
  }
}

/** Usage errors exit 2; in JSON mode `ask` still starts with `start` and ends with an error event, as every --json run does. */
async function usageFailure(io: CliIo, argv: readonly string[], message: string): Promise<number> {
  if (argv.includes('--json') && argv.includes('ask')) {
    const [{ randomUUID }, { startEvent }] = await Promise.all([import('node:crypto'), import('../client/events.js')]);
    io.stdout.write(
      `${JSON.stringify(startEvent(new CliContext(io, {}).model(), randomUUID()))}\n` +
        `${JSON.stringify({ type: 'error', code: 'usage', message, exit_code: exitCodeFor('usage') })}\n`,
    );
  }
  return exitCodeFor('usage');
}

/** `codex "what is TCP?"` or `codex what is tcp`, not a mistyped command name such as `aks` (commander suggests those). */
async function looksLikeAQuestion(words: readonly string[], program: Command): Promise<boolean> {
  const first = words[0] ?? '';
  if (/\s|\?$/.test(first)) return true;
  if (words.length < 2) return false;
  const names = [...program.commands.map((command) => command.name()), 'help'];
  return !names.some((command) => editDistance(first.toLowerCase(), command) <= 2);
}
