/**
 * A file size limit (`ulimit -f`) during a refresh (issue 28, item 4). Before: the issuer rotated the refresh
 * token, auth.json could not be written (EFBIG), nor the spare copy in the temp dir (the limit holds for every
 * file), so the new sign-in was lost and the run failed with "could not be kept anywhere".
 *
 * What must hold: a run that needed the refresh keeps the new sign-in in memory, says so on stderr (and that
 * auth.json still holds the spent token, so the next run must sign in again), and goes on; auth.json is left as it
 * was. `codex refresh`, whose job is to save, fails (exit 3) and says the sign-in could not be kept in any file.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, expectNoSecrets } from '../support/cli.js';
import { expectCleanStderr, secretsOf, type World, world } from '../support/world.js';

/** Runs the built binary with files limited to 512 bytes (`ulimit -f 1`): auth.json (over 1 KB) cannot be written. */
function underFileLimit(w: World, args: string[]) {
  const quoted = [CLI, ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  return execa('sh', ['-c', `ulimit -f 1 && exec '${process.execPath}' ${quoted}`], {
    reject: false,
    extendEnv: false,
    stripFinalNewline: false,
    env: cliEnv({ fake: w.fake, configDir: w.dir }),
    stdin: 'ignore',
    timeout: 30_000,
  });
}

const KEPT_IN_MEMORY = (path: string) =>
  new RegExp(
    `^codex: cannot save the refreshed sign-in to ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(EFBIG: a file size limit, \`ulimit -f\`, or a full disk\\), nor in any other file: it is kept in memory for this run only, and .* still holds the spent refresh token; once this run ends, sign in again with \`codex login\`$`,
  );

describe('ulimit -f too small for auth.json, with an expired access token', () => {
  it('ask: answers with the refreshed sign-in kept in memory, says so, leaves auth.json as it was', async () => {
    const w = await world(-60);
    try {
      const run = await underFileLimit(w, ['ask', '--no-log', 'q']);
      expect(run.exitCode, String(run.stderr)).toBe(0);
      expect(run.stdout).toBe('You said: q\n');
      const authPath = join(w.dir, 'auth.json');
      expectCleanStderr(String(run.stderr), { warnings: [KEPT_IN_MEMORY(authPath)] }, false);
      expect(w.fake.refreshRequests).toHaveLength(1);
      const used = w.fake.requestsTo('/backend-api/codex/responses')[0]!.headers.authorization;
      expect(used).not.toBe(`Bearer ${w.tokens.access_token}`);
      expect(readFileSync(authPath, 'utf8')).toBe(w.authBefore);
      expectNoSecrets(`${run.stdout}${run.stderr}`, secretsOf(w));
    } finally {
      await w.close();
    }
  });

  it('refresh: exit 3, says the new sign-in could not be kept in any file', async () => {
    const w = await world(-60);
    try {
      const run = await underFileLimit(w, ['refresh']);
      expect(run.exitCode, String(run.stderr)).toBe(3);
      expectCleanStderr(
        String(run.stderr),
        {
          error:
            /EFBIG \(no space left, or a file size limit: `ulimit -f`\); .*could not be kept in any file; free some space \(or raise the limit\) and run `codex login`$/,
        },
        false,
      );
      expect(readFileSync(join(w.dir, 'auth.json'), 'utf8')).toBe(w.authBefore);
    } finally {
      await w.close();
    }
  });
});
