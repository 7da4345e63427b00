#!/usr/bin/env node
// OpenAI's own CLI (npm @openai/codex), installed into a cache folder outside the clone: the oracle the
// conformance suite, the serve matrix and the bench run against the fake. Never a dependency of ours: its `codex` bin
// would shadow ours in node_modules/.bin.
//   node scripts/official-client.mjs --install   installs it when missing (CI runs this), prints the bin path
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const OFFICIAL_VERSION = '0.171.0';

/** The folder the official client lives in: $CODEX_OFFICIAL_DIR, or the user's cache dir. */
export function officialDir(version = OFFICIAL_VERSION) {
  if (process.env.CODEX_OFFICIAL_DIR) return process.env.CODEX_OFFICIAL_DIR;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'codex-oauth-tests', `openai-codex-${version}`);
}

/** The installed bin, or undefined. */
export function officialBin(version = OFFICIAL_VERSION) {
  const bin = join(officialDir(version), 'node_modules', '.bin', 'codex');
  return existsSync(bin) ? bin : undefined;
}

/** Installs the official client when missing: `{ bin }`, or `{ skipped }` saying why there is none. */
export function installOfficial(version = OFFICIAL_VERSION) {
  const found = officialBin(version);
  if (found) return { bin: found };
  const dir = officialDir(version);
  mkdirSync(dir, { recursive: true });
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, `@openai/codex@${version}`], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (npm.status !== 0) return { skipped: `npm install @openai/codex@${version} failed (registry out of reach?): ${(npm.stderr || '').trim().split('\n').pop()}` };
  const bin = officialBin(version);
  if (!bin) return { skipped: `@openai/codex@${version} installed no codex binary for this platform` };
  return { bin };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv.includes('--install')) {
  const result = installOfficial();
  if ('skipped' in result) {
    process.stderr.write(`official-client: ${result.skipped}\n`);
    process.exit(1);
  }
  process.stdout.write(`${result.bin}\n`);
}
