// Runs once around the whole test run: every temp dir a test (or a process it starts) makes lands in one
// folder of its own, removed at the end; and a stale build is refused rather than tested. Tests remove their own
// temp dirs (test/support/temp.ts), so anything still in that folder at the end is a leak and fails the run.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function setup(): () => void {
  const built = statSync(join(ROOT, 'dist/cli.js'), { throwIfNoEntry: false });
  if (!built || built.mtimeMs < newestMtimeMs(join(ROOT, 'src'))) {
    throw new Error('dist/ is missing or older than src/: run `npm run build` (or `npm test`, which builds first)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'codex-tests-'));
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
