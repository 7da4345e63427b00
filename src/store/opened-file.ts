import type { Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** What a path that is not a regular file is, for messages: "a directory", "a FIFO"… */
export function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Runs `use` on the file opened for reading and closes it after. A file that cannot be opened gives undefined,
 * unless `rethrow` says that error must still be thrown.
 */
export async function withOpenedFile<T>(
  path: string,
  use: (handle: FileHandle) => Promise<T>,
  rethrow: (error: unknown) => boolean = () => false,
): Promise<T | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (rethrow(error)) throw error;
    return undefined;
  }
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}
