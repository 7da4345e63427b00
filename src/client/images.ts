import { open, readFile, stat } from 'node:fs/promises';
import { errnoCode } from '../shared/error-info.js';
import { UsageError } from '../shared/errors.js';

export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The image type from its first bytes (not the file name). */
export function sniffImageType(head: Uint8Array): string | undefined {
  const bytes = Buffer.from(head);
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const ascii = bytes.subarray(0, 12).toString('latin1');
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'image/gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/** `-i PATH|URL`: an http(s) or data URL passes through; a file becomes a data URL of its sniffed type. */
export async function imageUrlFor(source: string): Promise<string> {
  if (/^(https?:|data:image\/)/i.test(source)) return source;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw new UsageError(`--image: ${source}: only https://, http:// and data:image/ URLs, or a file`);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(source);
  } catch (error) {
    throw new UsageError(`--image: cannot read ${source} (${errnoCode(error) ?? 'error'})`);
  }
  if (!info.isFile()) {
    const what = info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a FIFO' : info.isSocket() ? 'a socket' : 'not a regular file';
    throw new UsageError(`--image: cannot read ${source} (${what}; an image must be a file or a URL)`);
  }
  const size = Number(info.size);
  if (size > MAX_IMAGE_BYTES) throw new UsageError(`--image: ${source} is ${(size / 1048576).toFixed(1)} MB; the limit is 20 MB`);
  const handle = await open(source, 'r');
  const head = Buffer.alloc(16);
  try {
    await handle.read(head, 0, 16, 0);
  } finally {
    await handle.close();
  }
  const type = sniffImageType(head);
  if (!type) throw new UsageError(`--image: ${source} is not a PNG, JPEG, GIF or WebP image`);
  return `data:${type};base64,${(await readFile(source)).toString('base64')}`;
}
