import { constants } from 'node:fs';
import { access, lstat, readlink, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoCode } from '../../shared/error-info.js';
import { UsageError } from '../../shared/errors.js';
import { writeFileAtomic } from '../../store/atomic-write.js';

/**
 * Where `-o PATH` writes, and how. A symlink is written through to its target (the link stays a link); an
 * existing FIFO, device or socket is written into directly (a rename would replace it with a regular file: as
 * root, `-o /dev/full` replaced the device node); anything else is replaced atomically.
 */
async function outputTarget(path: string): Promise<{ target: string; direct: boolean }> {
  let target = resolve(path);
  const link = await lstat(target).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    target = await realpath(target).catch(async () => resolve(dirname(target), await readlink(target)));
  }
  const info = await stat(target).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`--output: ${path} is a directory`);
  return { target, direct: info !== undefined && !info.isFile() };
}

const failure = (path: string, error: unknown) => new UsageError(`--output: cannot write ${path} (${errnoCode(error) ?? 'error'})`);

/** Checked before the request: a path that cannot be written must not cost an answer. */
export async function checkOutputWritable(path: string): Promise<void> {
  const { target, direct } = await outputTarget(path);
  try {
    await access(direct ? target : dirname(target), constants.W_OK);
  } catch (error) {
    throw failure(path, error);
  }
}

export async function writeOutputFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    const { target, direct } = await outputTarget(path);
    if (direct) await writeFile(target, data);
    else await writeFileAtomic(target, data);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw failure(path, error);
  }
}
