import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Whether a program is on PATH. Tests that need a missing one are skipped with a message saying so. */
export function has(program: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
  if (!found) console.warn(`test/docs: ${program} is not installed; the tests that need it are skipped`);
  return found;
}

/** Long options (`--name`) in a text. `\-` (roff) counts as `-`. */
export function longOptions(text: string): Set<string> {
  const plain = text.replace(/\\f[BIRP]/g, '').replace(/\\-/g, '-');
  return new Set([...plain.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)/g)].map((match) => match[1]!));
}
