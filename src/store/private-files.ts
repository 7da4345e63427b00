import { chmodSync, closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode } from '../shared/error-info.js';
import { AuthError } from '../shared/errors.js';

/**
 * What ssh does with ~/.ssh, for the config dir and the files in it: they must belong to the user (or root) and
 * must not be writable by group or others; otherwise someone else could have put a base_url, an issuer, a
 * symlink or a FIFO there. Nothing here follows a path twice where a file descriptor can be checked instead.
 */

/** The uid files must belong to (undefined where the platform has none: no ownership checks). */
export function ownUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** Throws unsafe_permissions when `stats` (of `path`) belongs to someone else or is writable by others. */
export function checkTrusted(path: string, stats: Stats, what: 'directory' | 'file'): void {
  if (ownUid() === undefined) return;
  checkOwner(path, stats);
  if ((stats.mode & 0o022) !== 0) {
    const fix = what === 'directory' ? `chmod 700 ${path}` : `chmod 600 ${path}`;
    throw new AuthError('unsafe_permissions', `${path} is writable by others (mode ${octal(stats.mode)}); codex will not use it until you run \`${fix}\``);
  }
}

/** Throws unsafe_permissions when `stats` belongs to neither the user nor root (a symlink: its owner is all that counts). */
export function checkOwner(path: string, stats: Stats): void {
  const uid = ownUid();
  if (uid === undefined || stats.uid === uid || stats.uid === 0) return;
  throw new AuthError('unsafe_permissions', `${path} belongs to another user (uid ${stats.uid}); codex will not use it`);
}

/**
 * Checks the config dir (following a symlink to it); 'missing' when it does not exist or is not a directory.
 * With `tighten`, a dir of our own that others can read or enter is made 0700.
 */
export function checkConfigDir(dir: string, { tighten = false } = {}): 'ok' | 'missing' {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
  if (!stats.isDirectory()) return 'missing';
  checkTrusted(dir, stats, 'directory');
  if (tighten && (stats.mode & 0o077) !== 0 && ownUid() === stats.uid) {
    try {
      chmodSync(dir, 0o700);
    } catch {
      // A read-only file system: the dir is still ours and not writable by others.
    }
  }
  return 'ok';
}

/** Names a non-regular file for a message. */
export function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads a small trusted file of the config dir (config.json): undefined when it or its dir does not exist.
 * The dir and the file must pass checkTrusted, and the file must be a regular one (a FIFO would block forever:
 * it is opened non-blocking and checked by its descriptor before anything is read).
 */
export function readTrustedFileSync(path: string): string | undefined {
  if (checkConfigDir(dirname(path)) === 'missing') return undefined;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (!stats.isFile()) throw new AuthError('unsafe_permissions', `${path} is ${kindOf(stats)}, not a regular file; codex will not read it`);
    checkTrusted(path, stats, 'file');
    const link = lstatSync(path);
    if (link.isSymbolicLink()) checkOwner(path, link);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
