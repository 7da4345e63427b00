// Temp dirs that remove themselves: one made inside a test goes when that test ends, one made at file level
// (module scope, beforeAll) when the file's tests are done. test/global-setup.ts points TMPDIR at one folder
// per run and checks it is empty at the end, so a dir that escapes this is reported, not left in /tmp.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished, TestRunner } from 'vitest';
import type { IssuedTokens } from '../fake/server.js';

const fileDirs: string[] = [];

/** Removes a dir and everything in it; a process still writing there gets a few retries' grace. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

/** Removes the dirs made outside a test. Registered here for each file that imports this module; a project that
 * does not isolate its files (vitest `isolate: false`: the module is imported once per worker) calls it from a setup
 * file, which runs for every file. */
export function removeFileDirs(): void {
  for (const dir of fileDirs.splice(0)) removeDir(dir);
}

afterAll(removeFileDirs);

/**
 * A fresh dir whose name cannot look like the start of a JWT: codex masks any run that begins `eyJ` in what it prints
 * (src/shared/redact.ts), so a random suffix such as `JAweyJ` would turn a path in an expected message into
 * `[redacted-jwt]` (seen once in CI).
 */
export function tempDir(prefix = 'codex-test-'): string {
  let dir = mkdtempSync(join(tmpdir(), prefix));
  while (/eyJ/.test(dir)) {
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), prefix));
  }
  const test = TestRunner.getCurrentTest();
  // Inside a concurrent test vitest's "current test" is whichever started last, so only a sequential test can
  // safely own the dir; the others fall back to the file's cleanup.
  if (test && !test.concurrent) onTestFinished(() => removeDir(dir));
  else fileDirs.push(dir);
  return dir;
}

/** A config dir with auth.json (0600) holding the given tokens. */
export function configDirWith(tokens: IssuedTokens | Record<string, unknown>): string {
  const dir = tempDir();
  chmodSync(dir, 0o700);
  writeFileSync(join(dir, 'auth.json'), JSON.stringify(tokens), { mode: 0o600 });
  return dir;
}

export function readAuth(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'auth.json'), 'utf8')) as Record<string, unknown>;
}

/** The tokens auth.json holds in a config dir: none may appear in any output. */
export function savedSecrets(dir: string): string[] {
  const auth = readAuth(dir);
  return [auth.access_token, auth.refresh_token, auth.id_token].filter((v): v is string => typeof v === 'string');
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}
