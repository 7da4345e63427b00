// `codex image PROMPT -o FILE`: one image from the backend's image endpoints, written atomically.
import type { ImageResultEvent } from '../../client/image-events.js';
import { IMAGE_SIZE, type ImageRequest } from '../../client/image-generation.js';
import { imageUrlFor } from '../../client/images.js';
import { CodexError, UsageError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { checkOutputWritable, writeOutputFile } from '../io/output-file.js';
import { openCodex } from '../open-codex.js';
import { Spinner } from '../render/spinner.js';

export interface ImageOptions {
  output?: string;
  edit?: string;
  size?: string;
  quality?: ImageRequest['quality'];
  background?: ImageRequest['background'];
  json?: boolean;
}

async function editSource(source: string): Promise<string> {
  if (/^https?:/i.test(source)) throw new UsageError('--edit takes a local image file or a data: URL, not a web address');
  try {
    return await imageUrlFor(source);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message.replace(/^--image/, '--edit'));
    throw error;
  }
}

export async function runImage(ctx: CliContext, words: string[], options: ImageOptions): Promise<void> {
  const prompt = words.join(' ').trim();
  if (prompt === '') throw new UsageError('no prompt: codex image "a red fox in the snow" -o fox.png');
  if (options.output === undefined) throw new UsageError('codex image needs -o FILE (or -o - for stdout)');
  const toStdout = options.output === '-';
  if (toStdout && ctx.stdout.isTTY === true) throw new UsageError('-o -: not writing image bytes to a terminal; pipe it or give -o FILE');
  if (toStdout && options.json === true) throw new UsageError('-o - and --json both want stdout; give -o FILE with --json');
  if (options.size !== undefined && !IMAGE_SIZE.test(options.size)) throw new UsageError(`--size takes WIDTHxHEIGHT (e.g. 1024x1536) or auto, not "${options.size}"`);
  if (!toStdout) await checkOutputWritable(options.output);
  const edit = options.edit !== undefined ? await editSource(options.edit) : undefined;
  const request: ImageRequest = {
    prompt,
    ...(edit !== undefined ? { edit } : {}),
    ...(options.size !== undefined ? { size: options.size } : {}),
    ...(options.quality !== undefined ? { quality: options.quality } : {}),
    ...(options.background !== undefined ? { background: options.background } : {}),
  };
  const controller = new AbortController();
  const onInt = () => controller.abort(new CodexError('cancelled', 'cancelled'));
  const onTerm = () => controller.abort(new CodexError('terminated', 'terminated'));
  ctx.signals.once('SIGINT', onInt);
  ctx.signals.once('SIGTERM', onTerm);
  const spinner = ctx.interactiveStderr
    ? new Spinner(ctx.stderr, edit !== undefined ? 'editing the image…' : 'making the image (this takes a minute or two)…')
    : undefined;
  try {
    const codex = await openCodex(ctx);
    spinner?.start();
    const result = await codex.generateImage(request, { signal: controller.signal });
    spinner?.stop();
    if (toStdout) {
      await new Promise<void>((resolve, reject) => ctx.stdout.write(result.bytes, (error) => (error ? reject(error) : resolve())));
      return;
    }
    await writeOutputFile(options.output, result.bytes);
    if (options.json === true) {
      const event: ImageResultEvent = {
        type: 'result',
        path: options.output,
        format: result.format,
        ...(result.size ? { size: result.size } : {}),
        ...(result.quality ? { quality: result.quality } : {}),
        bytes: result.bytes.length,
        ...(result.usage ? { usage: result.usage } : {}),
      };
      ctx.stdout.write(`${JSON.stringify(event)}\n`);
    } else if (ctx.interactiveStderr) {
      ctx.stderr.write(`codex: wrote ${options.output} (${result.size ?? 'image'}, ${result.bytes.length} bytes)\n`);
    }
  } finally {
    spinner?.stop();
    ctx.signals.off('SIGINT', onInt);
    ctx.signals.off('SIGTERM', onTerm);
  }
}
