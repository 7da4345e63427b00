// The API key `codex serve` requires when none is given: random, made once, kept in the config dir (0600) so that
// clients configured with it keep working after a restart, and so that scripts of the same user can read it.
import { randomBytes } from 'node:crypto';
import { constants, fstatSync } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../shared/error-info.js';
import { AuthError } from '../shared/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { checkConfigDir, checkTrusted, kindOf } from './private-files.js';

export const SERVE_KEY_FILE = 'serve-key';

/** A key as the file may hold it: printable ASCII, no spaces (a Bearer token), long enough not to be guessed. */
const KEY_SHAPE = /^[\x21-\x7e]{16,256}$/;

const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

export interface ServeKey {
  key: string;
  path: string;
  /** Made now: no usable key was there. */
  created: boolean;
  /** Why the file's key was not used (it was readable by others, or not a key), when it was replaced. */
  replaced?: string;
}

export function newServeKey(): string {
  return `sk-codex-${randomBytes(24).toString('base64url')}`;
}

/** The key in `<configDir>/serve-key`, or a new one written there (0600, in a 0700 dir). */
export async function serveKey(configDir: string): Promise<ServeKey> {
  const path = join(configDir, SERVE_KEY_FILE);
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  checkConfigDir(configDir, { tighten: true });
  const found = await readKey(path);
  if (found.key !== undefined) return { key: found.key, path, created: false };
  const key = newServeKey();
  if (found.problem !== undefined) {
    await writeFileAtomic(path, `${key}\n`, 0o600);
    return { key, path, created: true, replaced: found.problem };
  }
  // No file: two serves starting at once must not each print a key of their own while the file keeps only the
  // last. The key is written whole beside it, then linked into place, which fails if another was first.
  const temp = `${path}.${randomBytes(6).toString('hex')}.new`;
  await writeFileAtomic(temp, `${key}\n`, 0o600);
  try {
    await link(temp, path).catch(async (error: unknown) => {
      // A file system without hard links: the rename, as before (the race stays open there).
      if (!NO_LINKS.has(errnoCode(error) ?? '')) throw error;
      await writeFileAtomic(path, `${key}\n`, 0o600);
    });
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw new AuthError('credentials_unwritable', `cannot write ${path}: ${errnoCode(error) ?? 'error'}`);
    const first = await readKey(path);
    if (first.key === undefined) throw new AuthError('credentials_corrupt', `${path} appeared while codex serve was making its key, and holds no key`);
    return { key: first.key, path, created: false };
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return { key, path, created: true };
}

async function readKey(path: string): Promise<{ key?: string; problem?: string }> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return {};
    if (code === 'ELOOP') throw new AuthError('unsafe_permissions', `${path} is a symbolic link; codex serve will not read its key through one`);
    throw new AuthError('credentials_corrupt', `cannot read ${path}: ${code ?? 'error'}`);
  }
  try {
    const stats = fstatSync(handle.fd);
    if (!stats.isFile()) throw new AuthError('unsafe_permissions', `${path} is ${kindOf(stats)}, not a regular file; codex serve will not read it`);
    checkTrusted(path, stats, 'file');
    // Another user may have read it: the key is spent.
    if ((stats.mode & 0o077) !== 0) return { problem: 'it was readable by other users' };
    if (stats.size > 1024) return { problem: 'it held no key (16–256 printable characters, no spaces)' };
    const key = (await handle.readFile({ encoding: 'utf8' })).trim();
    return KEY_SHAPE.test(key) ? { key } : { problem: 'it held no key (16–256 printable characters, no spaces)' };
  } finally {
    await handle.close();
  }
}
