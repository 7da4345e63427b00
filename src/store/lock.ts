import { setTimeout as sleep } from 'node:timers/promises';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AuthError } from '../errors.js';

export interface LockOptions {
  /** Give up waiting after this long. */
  waitMs?: number;
  /** A lock older than this is taken over, whoever holds it. A refresh takes a few seconds at most. */
  staleMs?: number;
  pollMs?: number;
  /** Called once when the lock is busy and we start waiting for it. */
  onWait?: () => void;
}

// A holder keeps the lock for one refresh: at most ~60 s (three 20 s attempts). A lock older than twice that,
// or one whose process is gone, is abandoned; waiters give up a little later still.
const DEFAULT_STALE_MS = 120_000;
const DEFAULT_WAIT_MS = 150_000;
const DEFAULT_POLL_MS = 25;

interface LockOwner {
  pid: number;
  host: string;
  created: number;
  nonce: string;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.created === 'number' && typeof value.nonce === 'string') {
      return { pid: value.pid, host: String(value.host ?? ''), created: value.created, nonce: value.nonce };
    }
  } catch {
    // A torn or foreign lock file is judged by its age alone.
  }
  return undefined;
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isStale(owner: LockOwner | undefined, staleMs: number, now: number, fileAgeMs: number): boolean {
  if (!owner) return fileAgeMs > staleMs;
  if (now - owner.created > staleMs) return true;
  return owner.host === hostname() && processIsGone(owner.pid);
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AuthError('credentials_unwritable', `cannot create lock ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

/**
 * Takes over a stale lock without stealing a fresh one: the stale file is renamed aside, and if what was
 * renamed turns out to be a lock someone took meanwhile, it is linked back.
 */
async function breakStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const movedText = await readFile(aside, 'utf8').catch(() => '');
  if (movedText !== staleText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}


/** Runs fn while holding an exclusive lock file; other processes wait (polling with a deadline). */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    created: Date.now(),
    nonce: Math.random().toString(36).slice(2),
  };
  const deadline = Date.now() + waitMs;
  let waited = false;
  for (;;) {
    owner.created = Date.now();
    if (await tryCreate(path, owner)) break;
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const fileAgeMs = await stat(path).then((s) => Date.now() - s.mtimeMs, () => undefined);
      if (fileAgeMs === undefined) continue;
      if (isStale(parseOwner(text), staleMs, Date.now(), fileAgeMs)) {
        await breakStale(path, text);
        continue;
      }
    }
    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    if (Date.now() > deadline) {
      throw new AuthError('refresh_failed', `timed out waiting for the credential lock ${path}`);
    }
    await sleep(pollMs + Math.random() * pollMs);
  }
  try {
    return await fn();
  } finally {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined && parseOwner(text)?.nonce === owner.nonce) await unlink(path).catch(() => undefined);
  }
}
