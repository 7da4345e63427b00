// Every command opens files (its own modules first): below a few dozen open files allowed (`ulimit -n`) that
// fails, and what the user needs to know is the limit, not where it was hit. No imports: the bin shim loads this
// before the command's modules, so it can still report a limit hit while loading them.

const LIMIT_CODES = new Set(['EMFILE', 'ENFILE']);

/** `EMFILE` or `ENFILE` when that is what `error` (or an error it wraps) failed with. */
export function openFilesLimitIn(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && LIMIT_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The message for either limit (error code too_many_open_files): the process's (EMFILE) or the system's (ENFILE). */
export function openFilesLimitMessage(code: string): string {
  return code === 'ENFILE'
    ? 'too many open files on this system (ENFILE); close some programs and run again'
    : 'too many open files (EMFILE): the limit on open files (`ulimit -n`) is too low for codex; raise it (256 is plenty) and run again';
}
