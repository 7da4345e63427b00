import { CommanderError, type Command } from 'commander';
import { CodexError, type ErrorCode } from '../errors.js';
import { CliContext, type GlobalOptions } from './context.js';
import { buildProgram, commandNameIn, oneLineUsageError } from './program.js';

const INTERRUPTIONS = new Set<ErrorCode>(['cancelled', 'terminated', 'timeout']);

/** Exits quietly when the reader of stdout goes away (`codex ask … | head -1`). */
function exitQuietlyOnEpipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnEpipe();
  let reporter: CliContext | undefined;
  const program = buildProgram(async (command: Command, body: (ctx: CliContext) => Promise<void>) => {
    reporter = new CliContext(command.optsWithGlobals() as GlobalOptions);
    await body(reporter);
  }, commandNameIn(argv));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
        process.exitCode = 0;
        return;
      }
      // commander has printed the message; usage errors exit 2, and JSON mode still starts with `start` and
      // ends with an error event, as every --json run does.
      if (argv.includes('--json') && argv.includes('ask')) {
        const [{ randomUUID }, { DEFAULT_MODEL }, { SCHEMA_VERSION }] = await Promise.all([
          import('node:crypto'),
          import('../config.js'),
          import('../client/events.js'),
        ]);
        const model = process.env.CODEX_MODEL || DEFAULT_MODEL;
        const message = oneLineUsageError(error.message).trimEnd();
        process.stdout.write(
          `${JSON.stringify({ type: 'start', schema_version: SCHEMA_VERSION, model, session_id: randomUUID() })}\n` +
            `${JSON.stringify({ type: 'error', code: 'usage', message, exit_code: 2 })}\n`,
        );
      }
      process.exitCode = 2;
      return;
    }
    process.exitCode = (reporter ?? new CliContext({})).report(error);
    // A run stopped by a signal or --timeout may leave work behind that cannot be interrupted (a stdin read, a
    // wait for another process's credential lock): exit now, once what was written has been flushed.
    if (error instanceof CodexError && INTERRUPTIONS.has(error.code)) {
      const code = process.exitCode;
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    }
  }
}
