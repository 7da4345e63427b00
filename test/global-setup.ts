// Runs once around the whole test run: every temp dir a test (or a process it starts) makes lands in one
// folder of its own, removed at the end. Tests remove their own temp dirs (test/support/temp.ts), so anything
// still in that folder at the end is a leak and fails the run. (The projects that run the build check it in
// test/build-check.ts.)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  let dir = mkdtempSync(join(tmpdir(), 'codex-tests-'));
  // Not a name that starts like a JWT, which codex masks in what it prints (test/support/temp.ts says why).
  while (/eyJ/.test(dir)) {
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'codex-tests-'));
  }
  process.env.TMPDIR = dir;
  return () => {
    // Node ≥ 22.1 keeps the CLI's compiled modules in the OS temp folder (README: the compile cache): not a leftover.
    const left = readdirSync(dir).filter((name) => name !== 'node-compile-cache');
    rmSync(dir, { recursive: true, force: true });
    if (left.length > 0) {
      // A throw here is only logged by vitest ("error during close"); the exit status is what CI sees.
      console.error(`the tests left ${left.length} entries in their temp folder: ${left.slice(0, 20).join(', ')}`);
      process.exitCode = 1;
    }
  };
}
