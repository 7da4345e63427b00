#!/usr/bin/env node
import { enableCompileCache } from './cli/compile-cache.js';
import { exitCodeFor } from './shared/errors.js';
import { openFilesLimitIn, openFilesLimitMessage } from './shared/open-files.js';
// The bin shim, and the only module that touches the process: its streams, env, signals and exit. It answers
// --version before loading anything else, then hands the command line over to main with `process` as the io.
import { VERSION } from './shared/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`codex-oauth ${VERSION}\n`);
} else {
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
