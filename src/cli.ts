#!/usr/bin/env node
// The bin shim, and the only module that touches the process: its streams, env, signals and exit. It answers
// --version before loading anything at all (no import: each module costs start-up time), then hands the command
// line over to main with `process` as the io.

declare const __CODEX_VERSION__: string | undefined;

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // As src/shared/version.ts has it, inlined by the build: importing that module would cost a module load.
  process.stdout.write(`codex-oauth ${typeof __CODEX_VERSION__ === 'string' ? __CODEX_VERSION__ : '0.0.0-dev'}\n`);
} else {
  // open-files first: a limit on open files hit while loading the command's modules is then still reported.
  const boot = await import('./cli/boot.js').catch((error: NodeJS.ErrnoException) => {
    // Hit while loading boot itself: the same line and exit code (3) that boot's openFilesLimitMessage gives.
    if (error?.code !== 'EMFILE' && error?.code !== 'ENFILE') throw error;
    process.stderr.write(
      error.code === 'ENFILE'
        ? 'codex: too many open files on this system (ENFILE); close some programs and run again\n'
        : 'codex: too many open files (EMFILE): the limit on open files (`ulimit -n`) is too low for codex; raise it (256 is plenty) and run again\n',
    );
    process.exitCode = 3;
    return undefined;
  });
  if (boot !== undefined) await run(boot);
}

async function run({ openFilesLimitIn, openFilesLimitMessage, exitCodeFor, enableCompileCache }: typeof import('./cli/boot.js')): Promise<void> {
  enableCompileCache();
  try {
    const { main, reportStdoutFailure } = await import('./cli/main.js');
    const io = {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      platform: process.platform,
      signals: process,
      ...(process.argv[1] !== undefined ? { programPath: process.argv[1] } : {}),
      exit: (code: number) => process.exit(code),
    };
    // Exits quietly when the reader of stdout goes away (`codex ask … | head -1`); any other stdout failure (a
    // full disk) is one line on stderr, not a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      process.exit(reportStdoutFailure(io, error));
    });
    process.exitCode = await main(argv, io);
  } catch (error) {
    // Loading a command's modules opens files too: a limit hit there is one line and its exit code, not a trace.
    const code = openFilesLimitIn(error);
    if (code === undefined) throw error;
    process.stderr.write(`codex: ${openFilesLimitMessage(code)}\n`);
    process.exitCode = exitCodeFor('too_many_open_files');
  }
}
