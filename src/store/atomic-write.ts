import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Thrown when the file system accepted fewer bytes than were written (full disk, file size limit). */
export class ShortWriteError extends Error {
  readonly code = 'ENOSPC';
  constructor(path: string, written: number, expected: number) {
    super(`short write to ${path}: ${written} of ${expected} bytes`);
  }
}

/**
 * Writes a whole file or nothing: a temp file beside it (created exclusively, so never through a planted link),
 * every byte checked as written and the size checked again, fsync, and only then a rename over the target; the
 * directory is synced after. On any failure the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await writeNewFile(temp, bytes, mode);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dirname(path));
}

/**
 * Creates `path` exclusively (never through a planted link) and writes `bytes` to it whole: every byte checked as
 * written, the size checked again, fsync. On any failure the file is removed.
 */
export async function writeNewFile(path: string, bytes: Uint8Array, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
      if (bytesWritten <= 0) throw new ShortWriteError(path, offset, bytes.length);
      offset += bytesWritten;
    }
    await handle.sync();
    const { size } = await handle.stat();
    if (size !== bytes.length) throw new ShortWriteError(path, size, bytes.length);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** Makes a rename durable; best effort (some file systems refuse to open or fsync a directory). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // the rename itself has happened
  }
}
