import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, lstat, open, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode, errnoOrMessage } from '../shared/error-info.js';
import { LockError } from '../shared/errors.js';
import { LONGEST_REFRESH_MS } from '../shared/refresh-timing.js';
import { fileKind } from './opened-file.js';

export interface LockOptions {
  /** Give up waiting after this long. */
  waitMs?: number;
  /** A lock older than this is taken over, whoever holds it. A refresh takes a few seconds at most. */
  staleMs?: number;
  /** The first pause between looks at a busy lock; later ones back off to MAX_POLL_MS. */
  pollMs?: number;
  /** Called once when the lock is busy and we start waiting for it. */
  onWait?: () => void;
  /** The error thrown when the wait is over (default: a credential-lock refresh_failed). */
  timeoutError?: () => Error;
  /** The error thrown when the lock cannot be made at all (a read-only or full disk); default: credentials_unwritable. */
  unwritableError?: (failure: LockError) => Error;
}

// A holder keeps the lock for one refresh (LONGEST_REFRESH_MS). A lock older than twice that, or one whose
// process is gone, is abandoned; waiters give up a little later still.
const DEFAULT_STALE_MS = 2 * LONGEST_REFRESH_MS;
const DEFAULT_WAIT_MS = DEFAULT_STALE_MS + 30_000;
const DEFAULT_POLL_MS = 25;
/** Polls back off from pollMs to this (with jitter), so a waiter sleeps nearly all the time it waits. */
const MAX_POLL_MS = 200;
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

/** Nothing at the path (released meanwhile), or a regular file we may not read (another user's). */
type Looked = Seen | { gone: true } | { unreadable: string; stats: Stats };

/**
 * A lock codex did not make, or one left by another user: never waited on forever, never removed by us. The
 * message names the path and the command that removes it.
 */
function unusable(path: string, why: string, stats: Stats): LockError {
  const remove = stats.isDirectory() ? `rm -r ${path}` : `rm ${path}`;
  const uid = process.getuid?.();
  const sudo = uid !== undefined && uid !== 0 && stats.uid !== uid ? 'sudo ' : '';
  return new LockError('lock_unusable', `the lock ${path} ${why}; if no codex process is running, remove it: ${sudo}${remove}`);
}

/**
 * What is at the lock path, read from one descriptor opened without following a link or blocking (a FIFO). A
 * directory, a symbolic link (dangling, someone else's, or not) or a device is no lock codex made: LockError
 * lock_unusable at once. A regular file we may not read (EACCES: a lock of a `sudo codex`) is reported so.
 */
async function inspect(path: string): Promise<Looked> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { gone: true };
    throw new LockError('lock_unusable', `cannot look at the lock ${path}: ${errnoOrMessage(error)}`);
  }
  if (!link.isFile()) throw unusable(path, `is ${fileKind(link)}, not a lock file codex made`, link);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = errnoCode(error);
    // Replaced or removed between the lstat and the open: look again.
    if (code === 'ENOENT' || code === 'ELOOP') return { gone: true };
    return { unreadable: errnoOrMessage(error), stats: link };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw unusable(path, `is ${fileKind(stats)}, not a lock file codex made`, stats);
    const text = await handle.readFile('utf8');
    return { text, dev: stats.dev, ino: stats.ino, ageMs: Date.now() - stats.mtimeMs };
  } catch (error) {
    if (error instanceof LockError) throw error;
    return { unreadable: errnoOrMessage(error), stats: link };
  } finally {
    await handle.close();
  }
}

/** The lock as it is now, if it is a lock file we can read (what a takeover or a release may act on). */
async function readable(path: string): Promise<Seen | undefined> {
  const looked = await inspect(path);
  return 'text' in looked ? looked : undefined;
}

/** The error for a lock we cannot read: it names the owner, the age and how to remove it. */
function unreadableError(path: string, looked: { unreadable: string; stats: Stats }): LockError {
  const age = Math.max(0, Math.round((Date.now() - looked.stats.mtimeMs) / 1000));
  return unusable(path, `cannot be read (${looked.unreadable}; owner uid ${looked.stats.uid}, ${age} s old)`, looked.stats);
}

const sameFile = (a: Seen, b: Seen) => a.dev === b.dev && a.ino === b.ino && a.text === b.text;

/** A lock that could not be made, as the caller names that failure (LockOptions.unwritableError). */
function lockUnwritable(error: unknown, options: LockOptions): never {
  if (options.unwritableError && error instanceof LockError && error.code === 'credentials_unwritable') throw options.unwritableError(error);
  throw error;
}

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
    const looked = await inspect(breakPath);
    if ('unreadable' in looked) throw unreadableError(breakPath, looked);
    const seen = 'text' in looked ? looked : undefined;
    if (seen && isStale(seen, BREAK_STALE_MS)) {
      const again = await readable(breakPath);
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
    const now = await readable(path);
    if (now && sameFile(now, seen)) await unlink(path);
  });
  return done !== undefined;
}

/** Removes our own lock; one that someone else holds now is left alone. */
async function release(path: string, nonce: string): Promise<void> {
  const deadline = Date.now() + RELEASE_WAIT_MS;
  const removeIfOurs = async () => {
    const now = await readable(path).catch(() => undefined);
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
 * Runs fn while holding an exclusive lock file; other processes wait (sleeping polls that back off, with a
 * deadline). Anything at the path that is not a regular file we can read ends the wait with lock_unusable. A lock whose
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
  let delayMs = pollMs;
  // After a change (the lock went away, or a stale one was broken) one more try comes at once; never two in a
  // row, so nothing at the path can make this loop spin, and every pass meets the deadline.
  let triedAtOnce = false;
  for (;;) {
    owner.created = Date.now();
    if (await tryCreate(path, owner).catch((error) => lockUnwritable(error, options))) break;
    const looked = await inspect(path);
    let changed = 'gone' in looked;
    if ('unreadable' in looked) {
      // Another user's lock (a `sudo codex`): waited for while it may be live, reported once it is abandoned.
      if (Date.now() - looked.stats.mtimeMs > staleMs) throw unreadableError(path, looked);
    } else if ('text' in looked && isStale(looked, staleMs)) {
      changed = await breakStale(path, looked);
    }
    if (!changed && !waited) {
      waited = true;
      options.onWait?.();
    }
    if (Date.now() > deadline) {
      if ('unreadable' in looked) throw unreadableError(path, looked);
      throw options.timeoutError?.() ?? new LockError('refresh_failed', `timed out waiting for the credential lock ${path}`);
    }
    triedAtOnce = changed && !triedAtOnce;
    if (!triedAtOnce) {
      await sleep(delayMs * (0.5 + Math.random()));
      delayMs = Math.min(delayMs * 2, Math.max(MAX_POLL_MS, pollMs));
    }
  }
  try {
    return await fn();
  } finally {
    await release(path, owner.nonce);
  }
}
