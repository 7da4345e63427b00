// Projects that run the built code (the binary, dist/ or build/) refuse a stale build rather than test it.
import { readdirSync, statSync } from 'node:fs';
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

export default function setup(): void {
  const built = statSync(join(ROOT, 'dist/cli.js'), { throwIfNoEntry: false });
  if (!built || built.mtimeMs < newestMtimeMs(join(ROOT, 'src'))) {
    throw new Error('dist/ is missing or older than src/: run `npm run build` (or `npm test`, which builds first)');
  }
}
