/**
 * A lock path that holds no lock codex can use (issue 28, item 1). Before: a directory, a dangling or another
 * user's symlink, or a lock file we may not read (left by a killed `sudo codex`) made the lock loop `continue`
 * past both its sleep and its deadline: 100 % CPU, no message, forever (only `--timeout` ended it).
 *
 * What must hold: `ask`, `refresh`, `logout` and the conversation lock end with one line naming the path and the
 * command that removes it (exit 3, `lock_unusable`), at once for what codex never makes (a directory, a symlink),
 * and for an unreadable file once it is abandoned, or at the lock's deadline while it may be live; and a waiter
 * sleeps: the CPU time it uses while waiting stays a small part of the wait.
 */

import { chmodSync, chownSync, lchownSync, mkdirSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, runInProcess } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { checkOutcome, type World, world } from '../support/world.js';

const LOCK_LINE = (path: string, what: string, remove: string) =>
  new RegExp(`^the lock ${literal(path)} ${what}; if no codex process is running, remove it: ${literal(remove)}$`);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A live lock: this test process's pid on this host, just created (what a codex in the middle of a refresh leaves). */
const liveLock = () => JSON.stringify({ pid: process.pid, host: hostname(), created: Date.now(), nonce: 'live' });

const AS_ROOT = process.getuid?.() === 0;
/** The uid the "other user" runs as when the tests run as root (as here): root reads every file. */
const OTHER_UID = 4321;

/**
 * Runs a command as a user who cannot read `lockPath`: as root, the lock stays root's (0600) and the command runs
 * as another uid that owns the config dir; otherwise the lock is made mode 000.
 */
function unreadableFor(dir: string, lockPath: string): { uid?: number; gid?: number } {
  if (!AS_ROOT) {
    chmodSync(lockPath, 0o000);
    return {};
  }
  // The run's temp folder is root's 0700: the other user needs to pass through it (not to list it).
  chmodSync(tmpdir(), 0o711);
  for (const entry of readdirSync(dir)) if (join(dir, entry) !== lockPath) chownSync(join(dir, entry), OTHER_UID, OTHER_UID);
  chownSync(dir, OTHER_UID, OTHER_UID);
  return { uid: OTHER_UID, gid: OTHER_UID };
}

async function withWorld(expiresInS: number, use: (w: World) => Promise<void>): Promise<void> {
  const w = await world(expiresInS);
  try {
    await use(w);
  } finally {
    await w.close();
  }
}

describe('a credential lock path that is no lock', () => {
  const cases: { name: string; plant: (lock: string, dir: string) => void; what: string; remove: (lock: string) => string }[] = [
    { name: 'a directory', plant: (lock) => mkdirSync(lock), what: 'is a directory, not a lock file codex made', remove: (lock) => `rm -r ${lock}` },
    {
      name: 'a dangling symlink',
      plant: (lock, dir) => symlinkSync(join(dir, 'nowhere'), lock),
      what: 'is a symbolic link, not a lock file codex made',
      remove: (lock) => `rm ${lock}`,
    },
    {
      name: "another user's symlink to a lock file",
      plant: (lock, dir) => {
        writeFileSync(join(dir, 'elsewhere'), liveLock(), { mode: 0o600 });
        symlinkSync(join(dir, 'elsewhere'), lock);
        if (AS_ROOT) lchownSync(lock, OTHER_UID, OTHER_UID);
      },
      what: 'is a symbolic link, not a lock file codex made',
      remove: (lock) => `rm ${lock}`,
    },
  ];
  for (const row of cases) {
    for (const args of [['refresh'], ['ask', 'q'], ['logout']]) {
      it.concurrent(`${row.name}: \`codex ${args[0]}\` names it and how to remove it (exit 3), at once`, async () => {
        await withWorld(-60, async (w) => {
          const lock = join(w.dir, 'auth.json.lock');
          row.plant(lock, w.dir);
          const run = await runInProcess(args, { fake: w.fake, configDir: w.dir, timeoutMs: 30_000 });
          checkOutcome(run, { exit: 3, error: LOCK_LINE(lock, row.what, row.remove(lock)) }, false);
          expect(w.fake.refreshRequests).toHaveLength(0);
          expect(w.fake.requestsTo('/oauth/revoke')).toHaveLength(0);
          expect(statSync(join(w.dir, 'auth.json')).isFile()).toBe(true);
        });
      });
    }
  }

  it('a directory at the break lock (auth.json.lock.break) with a stale lock to take over: exit 3, named', async () => {
    await withWorld(-60, async (w) => {
      const lock = join(w.dir, 'auth.json.lock');
      writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-host.example', created: Date.now() - 10 * 60_000, nonce: 'old' }), { mode: 0o600 });
      mkdirSync(`${lock}.break`);
      const run = await runInProcess(['refresh'], { fake: w.fake, configDir: w.dir, timeoutMs: 30_000 });
      checkOutcome(run, { exit: 3, error: LOCK_LINE(`${lock}.break`, 'is a directory, not a lock file codex made', `rm -r ${lock}.break`) }, false);
      expect(w.fake.refreshRequests).toHaveLength(0);
    });
  });
});

describe('a conversation lock path that is no lock', () => {
  it('a directory at ID.lock: `ask -c` names it (exit 3) and sends nothing', async () => {
    await withWorld(3600, async (w) => {
      const first = await runInProcess(['ask', 'first'], { fake: w.fake, configDir: w.dir });
      expect(first.exitCode, first.stderr).toBe(0);
      const conversations = join(w.dir, 'data', 'conversations');
      const [log] = readdirSync(conversations).filter((name) => name.endsWith('.jsonl'));
      const lock = join(conversations, log!.replace(/\.jsonl$/, '.lock'));
      mkdirSync(lock);
      const sent = w.fake.requestsTo('/responses').length;
      const run = await runInProcess(['ask', '-c', 'again'], { fake: w.fake, configDir: w.dir, timeoutMs: 30_000 });
      checkOutcome(run, { exit: 3, error: LOCK_LINE(lock, 'is a directory, not a lock file codex made', `rm -r ${lock}`) }, false);
      expect(w.fake.requestsTo('/responses')).toHaveLength(sent);
    });
  });
});

describe('a lock file this user may not read (a `sudo codex` left it)', () => {
  it('abandoned (older than the stale limit): `codex refresh` says whose it is and how to remove it (exit 3), at once', async () => {
    await withWorld(-60, async (w) => {
      const lock = join(w.dir, 'auth.json.lock');
      writeFileSync(lock, liveLock(), { mode: 0o600 });
      const old = Date.now() / 1000 - 10 * 60;
      utimesSync(lock, old, old);
      const as = unreadableFor(w.dir, lock);
      // As another user (root runs the tests): a process of its own.
      const run = await runCli(['refresh'], { fake: w.fake, configDir: w.dir, timeoutMs: 30_000, execa: as });
      const owner = AS_ROOT ? 0 : process.getuid?.();
      const remove = AS_ROOT ? `sudo rm ${lock}` : `rm ${lock}`;
      checkOutcome(run, { exit: 3, error: LOCK_LINE(lock, `cannot be read \\(EACCES; owner uid ${owner}, \\d+ s old\\)`, remove) }, false);
      expect(w.fake.refreshRequests).toHaveLength(0);
    });
  });
});

// A small program around withFileLock (src/store/lock.ts, what every lock of the CLI goes through; bundled beside it,
// since the package root does not export it): it waits for the
// lock at argv[2] for argv[3] ms and reports how it ended and the CPU time it used meanwhile.
const WAITER = `
import { withFileLock } from './lock.mjs';
const [path, waitMs] = process.argv.slice(2);
const before = process.cpuUsage();
const started = Date.now();
let outcome;
try {
  await withFileLock(path, async () => undefined, { waitMs: Number(waitMs) });
  outcome = { code: 'acquired' };
} catch (error) {
  outcome = { code: error.code, message: error.message };
}
const cpu = process.cpuUsage(before);
process.stdout.write(JSON.stringify({ ...outcome, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Date.now() - started }) + '\\n');
`;

interface Waited {
  code: string;
  message?: string;
  cpuMs: number;
  wallMs: number;
}

// Both waits are mostly sleep (that is what they check): they run side by side, from one build of the waiter.
describe.concurrent('waiting for a lock sleeps', () => {
  const WAIT_MS = 3_000;
  let built: Promise<string> | undefined;

  /** The waiter script beside its bundle of src/store/lock.ts, built once for both tests. */
  function waiter(): Promise<string> {
    built ??= (async () => {
      const dir = tempDir('codex-waiter-');
      if (AS_ROOT) chmodSync(dir, 0o755);
      const script = join(dir, 'waiter.mjs');
      writeFileSync(script, WAITER, { mode: 0o644 });
      await build({ entryPoints: [resolve('src/store/lock.ts')], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'lock.mjs'), logLevel: 'warning' });
      if (AS_ROOT) chmodSync(join(dir, 'lock.mjs'), 0o644);
      return script;
    })();
    return built;
  }

  async function waitOn(lock: string, as: { uid?: number; gid?: number } = {}): Promise<Waited> {
    const script = await waiter();
    // Killed well after its own deadline: a spinning waiter never reaches that deadline.
    const run = await execa(process.execPath, [script, lock, String(WAIT_MS)], { reject: false, env: cliEnv({}), extendEnv: false, timeout: 30_000, ...as });
    expect(run.exitCode, `${run.stderr}${run.timedOut ? ' (timed out: the waiter never reached its deadline)' : ''}`).toBe(0);
    return JSON.parse(run.stdout) as Waited;
  }

  it('on a live lock: gives up at the deadline, using under 10 % of the wait in CPU time', async () => {
    const dir = tempDir();
    const lock = join(dir, 'auth.json.lock');
    writeFileSync(lock, liveLock(), { mode: 0o600 });
    const waited = await waitOn(lock);
    expect(waited.code).toBe('refresh_failed');
    expect(waited.wallMs).toBeGreaterThanOrEqual(WAIT_MS);
    expect(waited.cpuMs, JSON.stringify(waited)).toBeLessThan(WAIT_MS / 10);
  });

  it('on a live lock it may not read: ends at the deadline with the lock named, using under 10 % of the wait in CPU time', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o700);
    const lock = join(dir, 'auth.json.lock');
    writeFileSync(lock, liveLock(), { mode: 0o600 });
    const as = unreadableFor(dir, lock);
    const waited = await waitOn(lock, as);
    expect(waited.code).toBe('lock_unusable');
    expect(waited.message).toMatch(LOCK_LINE(lock, 'cannot be read \\(EACCES; owner uid \\d+, \\d+ s old\\)', AS_ROOT ? `sudo rm ${lock}` : `rm ${lock}`));
    expect(waited.wallMs).toBeGreaterThanOrEqual(WAIT_MS);
    expect(waited.cpuMs, JSON.stringify(waited)).toBeLessThan(WAIT_MS / 10);
  });
});
