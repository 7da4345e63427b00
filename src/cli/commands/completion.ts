import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';

/** The shells `codex completion` knows, and the file of each in the package's completions/ folder. */
export const COMPLETION_FILES = { bash: 'codex.bash', zsh: '_codex', fish: 'codex.fish' } as const;
export type Shell = keyof typeof COMPLETION_FILES;

/**
 * Finds the package's completions/ folder. The code runs from dist/cli.js or a chunk in dist/chunks/ (or from
 * src/ in tests), and completions/ sits at the package root, so walk up from this file until it appears.
 */
async function readCompletion(file: string): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      return await readFile(join(dir, 'completions', file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError(`cannot find completions/${file} in the codex-oauth package`);
    dir = parent;
  }
}

/** Prints the completion script for a shell on stdout. */
export async function runCompletion(ctx: CliContext, shell: string): Promise<void> {
  if (!Object.hasOwn(COMPLETION_FILES, shell)) throw new UsageError(`completion: unknown shell ${JSON.stringify(shell)} (bash, zsh or fish)`);
  ctx.stdout.write(await readCompletion(COMPLETION_FILES[shell as Shell]));
}
