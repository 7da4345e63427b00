import { refreshesSettled } from '../auth/token-manager.js';
import { CodexError } from '../shared/errors.js';
import { CliContext, type CliIo } from './context.js';

/** A rotation of the refresh token that is under way is let finish (up to this long) before the exit after an error. */
export const ROTATION_GRACE_MS = 35_000;

/** A stdout failure other than a gone reader (a full disk): one line on stderr, not a stack trace; returns the exit code. */
export function reportStdoutFailure(io: CliIo, error: NodeJS.ErrnoException): number {
  return new CliContext(io, {}).report(new CodexError('internal', `cannot write to stdout: ${error.code ?? error.message}`));
}

/**
 * A command failed: the error is reported once and its exit code returned. Once an error is reported, nothing is
 * left to do: a run stopped by a signal or --timeout may leave work behind that cannot be interrupted (a stdin read,
 * a wait for another process's credential lock), and a bad proxy can leave undici reconnecting forever. With an
 * `exit` in io, the process ends once a token rotation under way is saved and what was written is flushed.
 */
export async function finishAfterError(io: CliIo, reporter: CliContext | undefined, error: unknown): Promise<number> {
  const code = (reporter ?? new CliContext(io, {})).report(error);
  await refreshesSettled(ROTATION_GRACE_MS);
  const { exit } = io;
  if (exit) io.stdout.write('', () => io.stderr.write('', () => exit(code)));
  return code;
}
