import { type Command, CommanderError } from 'commander';
import { CodexError, exitCodeFor, UsageError } from '../shared/errors.js';
import { quotePrompt, separatePromptWords } from './ask/prompt-words.js';
import { CliContext, type CliIo, type GlobalOptions } from './context.js';
import { withColorValue } from './io/color-choice.js';
import { invokedName } from './io/program-name.js';
import { buildProgram, commandIndexIn, commandNameIn, oneLineUsageError } from './program.js';

/** A rotation of the refresh token that is under way is let finish (up to this long) before the exit after an error. */
const ROTATION_GRACE_MS = 35_000;

/** A stdout failure other than a gone reader (a full disk): one line on stderr, not a stack trace; returns the exit code. */
export function reportStdoutFailure(io: CliIo, error: NodeJS.ErrnoException): number {
  return new CliContext(io, {}).report(new CodexError('internal', `cannot write to stdout: ${error.code ?? error.message}`));
}

/** Runs one command line with `io` as the outside world; resolves to the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
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
  const ask = name === 'ask' ? program.commands.find((command) => command.name() === 'ask') : undefined;
  let args: string[];
  try {
    args = withColorValue(ask ? separatePromptWords(argv, index, ask, program, self) : argv);
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
    const code = (reporter ?? new CliContext(io, {})).report(error);
    // Once an error is reported, nothing is left to do: a run stopped by a signal or --timeout may leave work
    // behind that cannot be interrupted (a stdin read, a wait for another process's credential lock), and a bad
    // proxy can leave undici reconnecting forever. Exit once a token rotation under way is saved and what was
    // written is flushed.
    // Out of file descriptors, this import can fail too: then no refresh of ours can be under way either.
    const tokenManager = await import('../auth/token-manager.js').catch(() => undefined);
    await tokenManager?.refreshesSettled(ROTATION_GRACE_MS);
    const { exit } = io;
    if (exit) io.stdout.write('', () => io.stderr.write('', () => exit(code)));
    return code;
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
  const { editDistance } = await import('../shared/suggest.js');
  const names = [...program.commands.map((command) => command.name()), 'help'];
  return !names.some((command) => editDistance(first.toLowerCase(), command) <= 2);
}
