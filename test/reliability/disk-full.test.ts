/**
 * A full disk while the rotated tokens are saved (issue 13, item 1). The issuer has already spent the old refresh
 * token, so a short write renamed over auth.json would lose the sign-in. What must hold: exit 3 saying so, the old
 * auth.json byte-identical, no temp file left in the config dir, and the new tokens kept where they can be
 * recovered when there is a place for them.
 *
 * Two ways to fill the disk: `ulimit -f 1` (every file is capped at 1 KiB, so writes fail with EFBIG; works for
 * any user, and nothing can be kept anywhere), and, as root only, a 16 KiB tmpfs as the config dir with one page
 * left (ENOSPC in the config dir, the temp dir elsewhere still has room).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, expectNoSecrets } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { authNow, expectCleanStderr, secretsOf, world } from '../support/world.js';

const isRoot = process.getuid?.() === 0;

/** Runs the binary through bash with a file size limit of `blocks` KiB. */
function runLimited(blocks: number, args: string[], env: Record<string, string | undefined>) {
  return execa('bash', ['-c', `ulimit -f ${blocks}; exec "$@"`, 'bash', process.execPath, CLI, ...args], {
    reject: false,
    extendEnv: false,
    stripFinalNewline: false,
    stdin: 'ignore',
    env,
    timeout: 20_000,
  });
}

describe('full disk while saving rotated tokens', () => {
  it('ulimit -f: refresh exits 3, says the tokens could not be kept, auth.json untouched, no temp file left', async () => {
    const w = await world(-60);
    const tmp = tempDir('codex-tmp-');
    try {
      expect(w.authBefore.length).toBeGreaterThan(1024);
      const run = await runLimited(1, ['refresh'], cliEnv({ fake: w.fake, configDir: w.dir, env: { TMPDIR: tmp } }));
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.stdout).toBe('');
      expectCleanStderr(
        run.stderr,
        {
          error: /cannot write .*auth\.json: EFBIG .*the file is unchanged.*could not be kept in any file; free some space \(or raise the limit\) and run `codex login`$/,
        },
        false,
      );
      expect(w.fake.refreshRequests).toHaveLength(1);
      expect(authNow(w)).toBe(w.authBefore);
      expect(readdirSync(w.dir)).toEqual(['auth.json']);
      expect(readdirSync(tmp)).toEqual([]);
      expectNoSecrets(run.stdout + run.stderr, secretsOf(w));
    } finally {
      await w.close();
    }
  });

  it('ulimit -f 0: the lock cannot be written → exit 3, no (empty) lock file left, no refresh made', async () => {
    const w = await world(-60);
    try {
      const run = await runLimited(0, ['refresh'], cliEnv({ fake: w.fake, configDir: w.dir }));
      expect(run.exitCode, run.stderr).toBe(3);
      expectCleanStderr(run.stderr, { error: /^cannot create lock .*auth\.json\.lock: EFBIG$/ }, false);
      expect(w.fake.refreshRequests).toHaveLength(0);
      expect(authNow(w)).toBe(w.authBefore);
      expect(readdirSync(w.dir)).toEqual(['auth.json']);
    } finally {
      await w.close();
    }
  });

  it.skipIf(!isRoot)('tmpfs with no room (root): ask exits 3, the new sign-in is kept 0600 in the temp dir and works', async () => {
    const w = await world(-60);
    const mount = tempDir('codex-tmpfs-');
    const tmp = tempDir('codex-tmp-');
    let mounted = false;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k,mode=0700', 'tmpfs', mount]);
      mounted = true;
      writeFileSync(join(mount, 'auth.json'), w.authBefore, { mode: 0o600 });
      // Fill it with one-page files, then free one page: the lock file gets it, the new auth.json does not.
      mkdirSync(join(mount, 'filler'), { mode: 0o700 });
      for (let i = 0; ; i++) {
        try {
          writeFileSync(join(mount, 'filler', String(i)), Buffer.alloc(4096));
        } catch {
          rmSync(join(mount, 'filler', String(i)), { force: true });
          rmSync(join(mount, 'filler', '0'));
          break;
        }
      }
      const env = cliEnv({ fake: w.fake, configDir: mount, env: { TMPDIR: tmp } });
      const run = await execa(process.execPath, [CLI, 'ask', 'q'], { reject: false, extendEnv: false, stripFinalNewline: false, stdin: 'ignore', env, timeout: 20_000 });
      expect(run.exitCode, run.stderr).toBe(3);
      expectCleanStderr(
        run.stderr,
        {
          error:
            /cannot write .*auth\.json: ENOSPC .*the new sign-in was kept in .*codex-oauth-unsaved-auth-[0-9a-f]+\.json \(mode 0600\); move it over .*auth\.json once there is room$/,
        },
        false,
      );
      expect(readFileSync(join(mount, 'auth.json'), 'utf8')).toBe(w.authBefore);
      expect(readdirSync(mount).sort()).toEqual(['auth.json', 'filler']);
      const kept = readdirSync(tmp);
      expect(kept).toHaveLength(1);
      const keptPath = join(tmp, kept[0]!);
      expect(statSync(keptPath).mode & 0o777).toBe(0o600);
      const saved = JSON.parse(readFileSync(keptPath, 'utf8')) as Record<string, unknown>;
      expect(saved.refresh_token).not.toBe(w.tokens.refresh_token);
      expectNoSecrets(run.stdout + run.stderr, [...secretsOf(w), String(saved.refresh_token), String(saved.access_token)]);
      // Moved into place, the kept sign-in works (its refresh token is the live one).
      const dir = tempDir();
      writeFileSync(join(dir, 'auth.json'), readFileSync(keptPath), { mode: 0o600 });
      const again = await execa(process.execPath, [CLI, 'refresh'], {
        reject: false,
        extendEnv: false,
        stdin: 'ignore',
        env: cliEnv({ fake: w.fake, configDir: dir }),
        timeout: 20_000,
      });
      expect(again.exitCode, again.stderr).toBe(0);
    } finally {
      if (mounted) execFileSync('umount', [mount]);
      await w.close();
    }
  });
});
