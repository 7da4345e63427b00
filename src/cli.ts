#!/usr/bin/env node
import { enableCompileCache } from './cli/compile-cache.js';
import { exitCodeFor } from './shared/errors.js';
import { openFilesLimitIn, openFilesLimitMessage } from './shared/open-files.js';
// The bin shim: answer --version before loading anything else, then hand over to the commander program.
import { VERSION } from './shared/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`codex-oauth ${VERSION}\n`);
} else {
  enableCompileCache();
  try {
    const { main } = await import('./cli/main.js');
    await main(argv);
  } catch (error) {
    // Loading a command's modules opens files too: a limit hit there is one line and its exit code, not a trace.
    const code = openFilesLimitIn(error);
    if (code === undefined) throw error;
    process.stderr.write(`codex: ${openFilesLimitMessage(code)}\n`);
    process.exitCode = exitCodeFor('too_many_open_files');
  }
}
