import { CommanderError, type Command } from 'commander';
import { CliContext, type GlobalOptions } from './context.js';
import { buildProgram } from './program.js';

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
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
        process.exitCode = 0;
        return;
      }
      // commander has printed the message; usage errors exit 2, and JSON mode still ends with an error event.
      if (argv.includes('--json') && argv.includes('ask')) {
        const message = error.message.replace(/^error: /, '');
        process.stdout.write(`${JSON.stringify({ type: 'error', code: 'usage', message, exit_code: 2 })}\n`);
      }
      process.exitCode = 2;
      return;
    }
    process.exitCode = (reporter ?? new CliContext({})).report(error);
  }
}
