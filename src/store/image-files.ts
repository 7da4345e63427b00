// `ask --image-out DIR`: images the model makes, each written to a new file in DIR. A file is written whole under a
// temp name, then hard-linked to its final name, which fails rather than replace a file that is there: no reader
// ever sees half an image, and no existing file is overwritten.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../shared/error-info.js';
import { writeNewFile } from './atomic-write.js';

/** Private by default, as the conversation log is: the prompt shows in the picture. A directory that exists keeps its mode. */
export const IMAGE_DIR_MODE = 0o700;
export const IMAGE_FILE_MODE = 0o600;

/** After this many taken names the directory is not one we can add to (it never happens in practice). */
const MAX_NAME_TRIES = 10_000;

/** Creates `dir` (0700, with its parents) if missing; throws with an errno code when it is not a writable directory. */
export async function prepareImageDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: IMAGE_DIR_MODE });
  const info = await stat(dir);
  if (!info.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  await access(dir, constants.W_OK | constants.X_OK);
}

/** `codex-image-20261205-134502` (UTC): names sort by time. */
export function imageStem(now = new Date()): string {
  const iso = now.toISOString();
  return `codex-image-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/**
 * Writes `bytes` to a new file `STEM.EXT` in `dir` (`STEM-2.EXT`, `STEM-3.EXT` … when taken) and returns its path.
 * On a file system without hard links the final name is created exclusively and written in place.
 */
export async function saveNewImageFile(dir: string, stem: string, extension: string, bytes: Uint8Array): Promise<string> {
  const temp = join(dir, `.${stem}.${randomBytes(6).toString('hex')}.tmp`);
  await writeNewFile(temp, bytes, IMAGE_FILE_MODE);
  let linked = true;
  try {
    for (let n = 1; n <= MAX_NAME_TRIES; n++) {
      const path = join(dir, `${stem}${n === 1 ? '' : `-${n}`}.${extension}`);
      try {
        if (linked) await link(temp, path);
        else await writeNewFile(path, bytes, IMAGE_FILE_MODE);
        return path;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'EEXIST') continue;
        if (linked && (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV')) {
          linked = false;
          n--;
          continue;
        }
        throw error;
      }
    }
    throw Object.assign(new Error(`no free file name for ${stem}.${extension} in ${dir}`), { code: 'EEXIST' });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
