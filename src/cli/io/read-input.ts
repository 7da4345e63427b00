import { constants } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { errnoCode } from '../../shared/error-info.js';

const MAX_INPUT_BYTES = 16 * 1024 * 1024;
const POLL_MS = 10;

/**
 * A small input file (a schema, a tool file, a system prompt). A FIFO or another non-regular file is opened
 * without blocking and read until its end: a blocking open of a FIFO that no one writes would tie up a thread
 * that even process.exit waits for, so --timeout and Ctrl-C could not end the run. A FIFO nobody writes reads
 * as empty.
 */
export async function readInputFile(path: string): Promise<string> {
  const info = await stat(path);
  if (info.isFile() || info.isDirectory()) return readFile(path, 'utf8');
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(64 * 1024);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        if (errnoCode(error) !== 'EAGAIN') throw error;
        await delay(POLL_MS);
        continue;
      }
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw Object.assign(new Error('larger than 16 MiB'), { code: 'EFBIG' });
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
