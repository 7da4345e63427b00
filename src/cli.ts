#!/usr/bin/env node
import { enableCompileCache } from './compile-cache.js';
// The bin shim: answer --version before loading anything else, then hand over to the commander program.
import { VERSION } from './version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`codex-oauth ${VERSION}\n`);
} else {
  enableCompileCache();
  const { main } = await import('./cli/main.js');
  await main(argv);
}
