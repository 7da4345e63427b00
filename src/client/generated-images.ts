// Images the model makes during an ask (issue 27): from the hosted `image_generation` tool's
// `image_generation_call` items (classic layout), or from the client-side `image_gen.imagegen` function that the
// client serves through `{base}/images/generations` (Responses Lite, protocol §11). Each becomes one `image` event;
// with an output directory it is first written to a new file there.
import * as z from 'zod/mini';
import { errnoCode, messageOf } from '../shared/error-info.js';
import { CodexError } from '../shared/errors.js';
import type { CodexEvent } from './events.js';
import type { GeneratedImageInfo, ImageEvent } from './image-events.js';

export interface GeneratedImage {
  bytes: Uint8Array;
  format: string;
  source: 'image_generation_call' | 'imagegen';
  id?: string;
  size?: string;
  quality?: string;
  revisedPrompt?: string;
}

/** Where images go: a directory (each image a new file in it), or a function that stores one and returns its path. */
export type ImageOutput = string | { save(image: GeneratedImage): Promise<string> };

/** The bytes of an `image` event the client has not delivered yet (kept off the event, which is JSON). */
const bytesOf = new WeakMap<ImageEvent, GeneratedImage>();

function eventOf(image: GeneratedImage, path?: string): ImageEvent {
  return {
    type: 'image',
    source: image.source,
    ...(image.id !== undefined ? { id: image.id } : {}),
    ...(path !== undefined ? { path } : {}),
    format: image.format,
    bytes: image.bytes.length,
    ...(image.size !== undefined ? { size: image.size } : {}),
    ...(image.quality !== undefined ? { quality: image.quality } : {}),
    ...(image.revisedPrompt !== undefined ? { revised_prompt: image.revisedPrompt } : {}),
  };
}

/** An `image` event that still carries its bytes, for `ImageDelivery.sink()` to save. */
export function undeliveredImageEvent(image: GeneratedImage): ImageEvent {
  const event = eventOf(image);
  bytesOf.set(event, image);
  return event;
}

const ImageCallItemSchema = z.looseObject({
  id: z.optional(z.unknown()),
  status: z.optional(z.unknown()),
  result: z.optional(z.nullable(z.string())),
  output_format: z.optional(z.nullable(z.string())),
  size: z.optional(z.nullable(z.string())),
  quality: z.optional(z.nullable(z.string())),
  revised_prompt: z.optional(z.nullable(z.string())),
});

/**
 * A done `image_generation_call` item as an image; undefined when it carries none (a failed call). The
 * `partial_image` frames before it are previews of the same picture and are not kept.
 */
export function imageFromCallItem(item: unknown): GeneratedImage | undefined {
  const parsed = ImageCallItemSchema.safeParse(item);
  if (!parsed.success || !parsed.data.result) return undefined;
  const { id, result, output_format: format, size, quality, revised_prompt: revised } = parsed.data;
  return {
    bytes: Buffer.from(result, 'base64'),
    format: format ?? 'png',
    source: 'image_generation_call',
    ...(typeof id === 'string' ? { id } : {}),
    ...(size ? { size } : {}),
    ...(quality ? { quality } : {}),
    ...(revised ? { revisedPrompt: revised } : {}),
  };
}

/** The file extension for a format the backend names (`jpeg` → `jpg`); anything odd becomes `img`. */
export function imageExtension(format: string): string {
  const name = format.toLowerCase();
  if (name === 'jpeg') return 'jpg';
  return /^[a-z0-9]{1,8}$/.test(name) ? name : 'img';
}

/** A directory output: created (0700) if missing; each image a new file named by the time. */
export function directoryOutput(dir: string): { save(image: GeneratedImage): Promise<string> } {
  let ready: Promise<void> | undefined;
  return {
    async save(image) {
      try {
        const files = await import('../store/image-files.js');
        ready ??= files.prepareImageDir(dir);
        await ready;
        return await files.saveNewImageFile(dir, files.imageStem(), imageExtension(image.format), image.bytes);
      } catch (error) {
        throw new CodexError('image_unwritable', `cannot write the image to ${dir} (${errnoCode(error) ?? messageOf(error)})`, { cause: error });
      }
    },
  };
}

type Sink = (event: CodexEvent) => void | Promise<void>;

/**
 * The images of one run: `sink()` wraps the run's event sink so that an `image` event that still carries its bytes
 * is saved (when there is an output) and passed on with its path; `deliver()` does the same for an image the
 * client made itself. Every image passed on is kept for the result.
 */
export class ImageDelivery {
  readonly kept: GeneratedImageInfo[] = [];
  private readonly saver: { save(image: GeneratedImage): Promise<string> } | undefined;

  constructor(
    private readonly emit: Sink,
    output: ImageOutput | undefined,
  ) {
    this.saver = typeof output === 'string' ? directoryOutput(output) : output;
  }

  sink(): Sink {
    return (event) => {
      if (event.type !== 'image') return this.emit(event);
      const image = bytesOf.get(event);
      if (!image) return this.emit(event);
      bytesOf.delete(event);
      return this.deliver(image).then(() => undefined);
    };
  }

  async deliver(image: GeneratedImage): Promise<ImageEvent> {
    const event = eventOf(image, this.saver ? await this.saver.save(image) : undefined);
    const { type: _type, ...info } = event;
    this.kept.push(info);
    await this.emit(event);
    return event;
  }
}
