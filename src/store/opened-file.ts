import { type FileHandle, open } from 'node:fs/promises';

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
