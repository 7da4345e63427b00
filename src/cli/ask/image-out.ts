// `ask --image-out DIR`: the directory is made (0700) and checked before anything is sent, so a bad path costs no answer.
import { errnoCode } from '../../shared/error-info.js';
import { UsageError } from '../../shared/errors.js';
import { prepareImageDir } from '../../store/image-files.js';

export async function checkImageDir(dir: string): Promise<void> {
  if (dir.trim() === '') throw new UsageError('--image-out needs a directory');
  try {
    await prepareImageDir(dir);
  } catch (error) {
    const code = errnoCode(error);
    throw new UsageError(`--image-out: cannot write images to ${dir} (${code === 'ENOTDIR' || code === 'EEXIST' ? 'not a directory' : (code ?? 'error')})`);
  }
}
