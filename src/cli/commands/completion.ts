import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errnoCode } from '../../shared/error-info.js';
import { UsageError } from '../../shared/errors.js';
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
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new UsageError(`cannot find completions/${file} in the codex-oauth package`);
    dir = parent;
  }
}

/**
 * The script registers both names. Run as `codex-oauth` (installed beside OpenAI's `codex`), it registers only
 * `codex-oauth`, so that sourcing it never replaces the other program's completion of `codex`.
 */
export function forInvokedName(script: string, shell: Shell, name: string): string {
  if (name !== 'codex-oauth') return script;
  switch (shell) {
    case 'bash':
      return script.replace(/^complete -F _codex codex codex-oauth$/m, 'complete -F _codex codex-oauth');
    case 'zsh':
      return script.replace(/^#compdef codex codex-oauth$/m, '#compdef codex-oauth').replace(/compdef _codex codex codex-oauth$/m, 'compdef _codex codex-oauth');
    case 'fish':
      return script.replace(/^complete -c codex-oauth --wraps codex\n/m, '').replace(/^complete -c codex /gm, 'complete -c codex-oauth ');
  }
}

/** Prints the completion script for a shell on stdout. */
export async function runCompletion(ctx: CliContext, shell: string): Promise<void> {
  if (!Object.hasOwn(COMPLETION_FILES, shell)) throw new UsageError(`completion: unknown shell ${JSON.stringify(shell)} (bash, zsh or fish)`);
  const script = await readCompletion(COMPLETION_FILES[shell as Shell]);
  ctx.stdout.write(forInvokedName(script, shell as Shell, basename(ctx.io.programPath ?? '')));
}
