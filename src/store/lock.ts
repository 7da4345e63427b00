import { randomBytes } from 'node:crypto';
import { link, lstat, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode, errnoOrMessage } from '../error-info.js';
import { LockError } from '../errors.js';
import { LONGEST_REFRESH_MS } from '../refresh-timing.js';
import { withOpenedFile } from './opened-file.js';

export interface LockOptions {
  /** Give up waiting after this long. */
  waitMs?: number;
  /** A lock older than this is taken over, whoever holds it. A refresh takes a few seconds at most. */
  staleMs?: number;
  pollMs?: number;
  /** Called once when the lock is busy and we start waiting for it. */
  onWait?: () => void;
  /** The error thrown when the wait is over (default: a credential-lock refresh_failed). */
  timeoutError?: () => Error;
}

// A holder keeps the lock for one refresh (LONGEST_REFRESH_MS). A lock older than twice that, or one whose
// process is gone, is abandoned; waiters give up a little later still.
const DEFAULT_STALE_MS = 2 * LONGEST_REFRESH_MS;
const DEFAULT_WAIT_MS = DEFAULT_STALE_MS + 30_000;
const DEFAULT_POLL_MS = 25;
/** The break lock is held for a few file operations; one this old was left by a process killed meanwhile. */
const BREAK_STALE_MS = 10_000;
/** How long a release waits for the break lock before leaving its lock to be judged stale. */
const RELEASE_WAIT_MS = 5_000;

interface LockOwner {
  pid: number;
  host: string;
  created: number;
  nonce: string;
}

/** What was at the lock path when we looked: its content and identity (read from one descriptor). */
interface Seen {
  text: string;
  dev: number;
  ino: number;
  ageMs: number;
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
    return errnoCode(error) === 'ESRCH';
  }
}

function isStale(seen: Seen, staleMs: number): boolean {
  const owner = parseOwner(seen.text);
  if (!owner) return seen.ageMs > staleMs;
  if (Date.now() - owner.created > staleMs) return true;
  return owner.host === hostname() && processIsGone(owner.pid);
}

async function inspect(path: string): Promise<Seen | undefined> {
  return withOpenedFile(path, async (handle) => {
    const stats = await handle.stat();
    const text = await handle.readFile('utf8');
    return { text, dev: stats.dev, ino: stats.ino, ageMs: Date.now() - stats.mtimeMs };
  }).catch(() => undefined);
}

const sameFile = (a: Seen, b: Seen) => a.dev === b.dev && a.ino === b.ino && a.text === b.text;

function unwritable(path: string, error: unknown): LockError {
  return new LockError('credentials_unwritable', `cannot create lock ${path}: ${errnoOrMessage(error)}`);
}

/**
 * Creates `path` holding `owner`, or returns false when it exists. The content is written to a private temp
 * file first and linked into place, so a lock file is never seen empty or torn, and a failed write (a full
 * disk) leaves nothing at the path; where hard links are not supported, an exclusive create is used instead
 * (a failed write then removes the file at once).
 */
async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  // Waiters poll: a lock that is plainly there costs one stat, not a write, a link and an unlink.
  if (
    await lstat(path).then(
      () => true,
      () => false,
    )
  )
    return false;
  const text = JSON.stringify(owner);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeWhole(temp, text);
  } catch (error) {
    throw unwritable(path, error);
  }
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return tryCreateExclusive(path, text);
    throw unwritable(path, error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function tryCreateExclusive(path: string, text: string): Promise<boolean> {
  try {
    await writeWhole(path, text);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw unwritable(path, error);
  }
}

/** Creates `path` exclusively with all of `text`, or removes it again and throws. */
async function writeWhole(path: string, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  const handle = await open(path, 'wx', 0o600);
  try {
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length, 0);
    if (bytesWritten !== bytes.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/**
 * Runs `fn` holding the break lock `${path}.break`: the only right to unlink the main lock. A stale lock is
 * removed under it, and a holder releases under it, so "is it still the file I judged?" and the unlink cannot
 * be separated by anyone else's create or release. Returns undefined when the break lock is busy.
 */
async function underBreakLock<T>(path: string, fn: () => Promise<T>): Promise<{ value: T } | undefined> {
  const breakPath = `${path}.break`;
  const me: LockOwner = { pid: process.pid, host: hostname(), created: Date.now(), nonce: randomBytes(8).toString('hex') };
  if (!(await tryCreate(breakPath, me))) {
    // A break lock left by a process killed in those few operations: judged by its pid or its age.
    const seen = await inspect(breakPath);
    if (seen && isStale(seen, BREAK_STALE_MS)) {
      const again = await inspect(breakPath);
      if (again && sameFile(seen, again)) await unlink(breakPath).catch(() => undefined);
    }
    return undefined;
  }
  try {
    return { value: await fn() };
  } finally {
    await unlink(breakPath).catch(() => undefined);
  }
}

/**
 * Removes the lock at `path` if it is still exactly `seen` (a stale lock), never one taken since. False when
 * someone else is breaking it right now (the caller waits a little, then looks again).
 */
async function breakStale(path: string, seen: Seen): Promise<boolean> {
  const done = await underBreakLock(path, async () => {
    const now = await inspect(path);
    if (now && sameFile(now, seen)) await unlink(path);
  });
  return done !== undefined;
}

/** Removes our own lock; one that someone else holds now is left alone. */
async function release(path: string, nonce: string): Promise<void> {
  const deadline = Date.now() + RELEASE_WAIT_MS;
  const removeIfOurs = async () => {
    const now = await inspect(path);
    if (now && parseOwner(now.text)?.nonce === nonce) await unlink(path).catch(() => undefined);
  };
  for (;;) {
    // No room for the break lock (a full disk): remove ours directly rather than leave it behind.
    const done = await underBreakLock(path, removeIfOurs).catch(async () => ({ value: await removeIfOurs() }));
    if (done || Date.now() > deadline) return;
    await sleep(DEFAULT_POLL_MS * Math.random());
  }
}

/**
 * Runs fn while holding an exclusive lock file; other processes wait (polling with a deadline). A lock whose
 * owner is gone (dead pid on this host) or that is older than `staleMs` is taken over, but only through the
 * break lock, and only if it is still the very file judged stale: a live lock is never stolen.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const owner: LockOwner = { pid: process.pid, host: hostname(), created: Date.now(), nonce: randomBytes(8).toString('hex') };
  const deadline = Date.now() + waitMs;
  let waited = false;
  for (;;) {
    owner.created = Date.now();
    if (await tryCreate(path, owner)) break;
    const seen = await inspect(path);
    if (seen === undefined) continue;
    if (isStale(seen, staleMs) && (await breakStale(path, seen))) continue;
    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    if (Date.now() > deadline) {
      throw options.timeoutError?.() ?? new LockError('refresh_failed', `timed out waiting for the credential lock ${path}`);
    }
    await sleep(pollMs + Math.random() * pollMs);
  }
  try {
    return await fn();
  } finally {
    await release(path, owner.nonce);
  }
}
