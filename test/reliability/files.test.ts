/**
 * Credential-file faults: modes, unwritable places, symlinks, and a process killed in the middle of a write.
 *
 * Already covered elsewhere (not repeated here):
 * - auth.json missing → exit 3 "not logged in" (text and JSON) ............ test/e2e/ask.test.ts "not logged in → exit 3"
 * - auth.json empty / not JSON / wrong schema → exit 3 naming the path,
 *   file unchanged .......................................................... test/e2e/ask.test.ts "corrupt auth.json (%s)"
 * - rotated tokens saved 0600 in a 0700 dir .................................. test/e2e/ask.test.ts "refreshes an expired access token"
 *
 * Symlinks: auth.json may be a symlink (dotfile managers, a file shared with a container). We follow it: the
 * credentials are read through the link, and a refresh replaces the TARGET atomically (temp file beside the
 * target, then rename), so the link itself stays a link and keeps pointing at the same path.
 */

import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliEnv, expectNoSecrets } from '../support/cli.js';
import { fileMode, tempDir } from '../support/temp.js';
import { authNow, type Expected, MODES, rowsFor, runScenario, secretsOf, type World, world } from '../support/world.js';

interface Row {
  name: string;
  /** Arranges the config dir. */
  arrange: (w: World) => void;
  /** Extra CLI args, before the command. */
  globals?: (w: World) => string[];
  command?: (w: World) => string[];
  expected: (w: World) => Expected;
  /** What must hold of the files afterwards. */
  check: (w: World) => void;
  expiresInS?: number;
}

const authPath = (w: World) => join(w.dir, 'auth.json');

const rows: Row[] = [
  // A 0644 auth.json (readable by others): used, one warning line, mode fixed to 0600, content unchanged.
  {
    name: 'auth.json mode 0644 → warn and fix to 0600',
    arrange: (w) => chmodSync(authPath(w), 0o644),
    expected: (w) => ({ exit: 0, stdout: 'You said: q\n', warnings: [new RegExp(`${authPath(w)} was readable by others; its mode is now 0600`)] }),
    check: (w) => {
      expect(fileMode(authPath(w))).toBe(0o600);
      expect(authNow(w)).toBe(w.authBefore);
    },
  },
  // The config dir cannot be created (a path under a regular FILE: even root cannot make it): login --import
  // fails with exit 3 naming the path; nothing is written anywhere.
  {
    name: 'config dir not writable (login --import)',
    arrange: (w) => {
      writeFileSync(
        join(w.dir, 'official.json'),
        JSON.stringify({
          auth_mode: 'chatgpt',
          tokens: { access_token: w.tokens.access_token, refresh_token: w.tokens.refresh_token, id_token: w.tokens.id_token, account_id: w.tokens.account_id },
        }),
      );
    },
    globals: (w) => ['--config-dir', join(w.dir, 'official.json', 'sub')],
    command: (w) => ['login', '--import', join(w.dir, 'official.json')],
    expected: (w) => ({ exit: 3, error: new RegExp(`cannot (create|write) ${join(w.dir, 'official.json', 'sub')}(/auth\\.json)?: ENOTDIR$`) }),
    check: (w) => expect(authNow(w)).toBe(w.authBefore),
  },
  // auth.json is a directory: exit 3 naming the path and the reason.
  {
    name: 'auth.json is a directory',
    arrange: (w) => {
      const path = authPath(w);
      writeFileSync(`${path}.bak`, readFileSync(path));
      rmSync(path);
      mkdirSync(path);
    },
    expected: (w) => ({ exit: 3, error: new RegExp(`cannot read ${authPath(w)}: EISDIR`) }),
    check: (w) => expect(statSync(authPath(w)).isDirectory()).toBe(true),
  },
  // expires_at as a numeric string (accepted on read, per the contract): works, file unchanged.
  {
    name: 'expires_at as a numeric string',
    arrange: (w) => {
      writeFileSync(authPath(w), JSON.stringify({ ...w.tokens, expires_at: String(w.tokens.expires_at) }), { mode: 0o600 });
      w.authBefore = readFileSync(authPath(w), 'utf8');
    },
    expected: () => ({ exit: 0, stdout: 'You said: q\n' }),
    check: (w) => expect(authNow(w)).toBe(w.authBefore),
  },
  // auth.json a symlink to a file elsewhere, expired token: read through the link, the refresh rewrites the
  // target (0600), the link stays a link to the same place.
  {
    name: 'auth.json is a symlink (followed, link kept)',
    expiresInS: -60,
    arrange: (w) => linkAuth(w),
    expected: () => ({ exit: 0, stdout: 'You said: q\n' }),
    check: (w) => {
      const target = linkTarget(w);
      expect(lstatSync(authPath(w)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(authPath(w))).toBe(target);
      const saved = JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown>;
      expect(saved.refresh_token).not.toBe(w.tokens.refresh_token);
      expect(fileMode(target)).toBe(0o600);
      expect(w.fake.refreshRequests).toHaveLength(1);
    },
  },
  // A dangling symlink is "not logged in", and is left alone.
  {
    name: 'auth.json is a dangling symlink',
    arrange: (w) => {
      rmSync(authPath(w));
      symlinkSync(join(w.dir, 'nowhere.json'), authPath(w));
    },
    expected: () => ({ exit: 3, error: /not logged in/ }),
    check: (w) => expect(lstatSync(authPath(w)).isSymbolicLink()).toBe(true),
  },
];

function linkTarget(w: World): string {
  return resolve(w.dir, '..', `${w.dir.split('/').at(-1)}-real-auth.json`);
}

function linkAuth(w: World): void {
  const target = linkTarget(w);
  writeFileSync(target, readFileSync(authPath(w)), { mode: 0o600 });
  rmSync(authPath(w));
  symlinkSync(target, authPath(w));
}

describe.each(MODES)('credential files ($mode)', ({ verbose }) => {
  it.concurrent.each(rowsFor(rows, verbose, (row) => row.expected({ dir: '/stub' } as World)))(
    '$name',
    async (row) => {
      const w = await world(row.expiresInS);
      try {
        row.arrange(w);
        const globals = row.globals?.(w) ?? [];
        await runScenario(w, [...globals, ...(row.command?.(w) ?? ['ask', 'q'])], row.expected(w), verbose);
        row.check(w);
      } finally {
        await w.close();
        rmSync(linkTarget(w), { force: true });
      }
    },
    60_000,
  );
});

/**
 * A tiny program that saves credentials through the library's FileCredentialStore in a tight loop, each
 * generation a complete valid document; it is SIGKILLed at a random moment, 50 times. Every time, auth.json
 * must be a whole valid document (some generation), never torn; leftover temp files are 0600. The store is
 * bundled from src/ beside it (as lock-takeover.test.ts does): 50 starts importing the whole package (dist/index.js,
 * ~0.3 s each) bought nothing the kills test.
 */
const WRITER = `
import { FileCredentialStore } from './store.mjs';
const [dir, json] = process.argv.slice(2);
const base = JSON.parse(json);
const store = new FileCredentialStore(dir);
await store.save({ ...base, last_refresh: 'gen-0' });
process.stdout.write('ready\\n');
for (let i = 1; ; i++) await store.save({ ...base, access_token: base.access_token + '.' + i, last_refresh: 'gen-' + i });
`;

describe('SIGKILL during credential writes', () => {
  it('50 kills at random moments: auth.json is always a whole valid document', async () => {
    const w = await world();
    try {
      const scriptDir = tempDir('codex-writer-');
      const script = join(scriptDir, 'writer.mjs');
      writeFileSync(script, WRITER);
      await build({
        entryPoints: [resolve('src/store/credentials.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: join(scriptDir, 'store.mjs'),
        logLevel: 'warning',
      });
      const dirs = Array.from({ length: 50 }, () => {
        const dir = tempDir();
        writeFileSync(join(dir, 'auth.json'), JSON.stringify({ ...w.tokens, last_refresh: 'original' }), { mode: 0o600 });
        return dir;
      });
      const killOne = async (dir: string) => {
        const child = execa(process.execPath, [script, dir, JSON.stringify(w.tokens)], { reject: false, env: cliEnv({}), extendEnv: false });
        await new Promise<void>((ready) => child.stdout!.once('data', () => ready()));
        await new Promise((r) => setTimeout(r, Math.random() * 25)); // the scenario itself: a random moment
        child.kill('SIGKILL');
        const run = await child;
        expect(run.signal).toBe('SIGKILL');
        const saved = JSON.parse(readFileSync(join(dir, 'auth.json'), 'utf8')) as Record<string, unknown>;
        expect(saved.last_refresh).toMatch(/^gen-\d+$/);
        const generation = Number(String(saved.last_refresh).slice(4));
        expect(saved.access_token).toBe(generation === 0 ? w.tokens.access_token : `${w.tokens.access_token}.${generation}`);
        expect(saved.refresh_token).toBe(w.tokens.refresh_token);
        expect(fileMode(join(dir, 'auth.json'))).toBe(0o600);
        for (const name of readdirSync(dir)) expect(fileMode(join(dir, name)), name).toBe(0o600);
        return generation;
      };
      const generations: number[] = [];
      for (let i = 0; i < dirs.length; i += 5) generations.push(...(await Promise.all(dirs.slice(i, i + 5).map(killOne))));
      // The kills did land mid-loop (many generations written), not only before the first save.
      expect(Math.max(...generations)).toBeGreaterThan(0);
      expectNoSecrets('', secretsOf(w));
      expect(existsSync(join(w.dir, 'auth.json'))).toBe(true);
    } finally {
      await w.close();
    }
  }, 60_000);
});
