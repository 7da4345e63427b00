import { type AskCommandLine, readAskCommandLine, runAskCommandLine } from './ask/fast-path.js';
import type { CliIo } from './context.js';

export { reportStdoutFailure } from './finish.js';

/**
 * Runs one command line with `io` as the outside world; resolves to the exit code. A plain `codex ask` line goes
 * straight to the command (ask/fast-path.ts: commander is not loaded); everything else, help and every usage error
 * included, through commander (program-main.ts).
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const ask: AskCommandLine | undefined = readAskCommandLine(argv);
  if (ask !== undefined) return runAskCommandLine(ask, io);
  const { runProgram } = await import('./program-main.js');
  return runProgram(argv, io);
}
