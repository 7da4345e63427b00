// Images the model makes during an ask (issue 27): from the hosted `image_generation` tool's
// `image_generation_call` items (classic layout), or from the client-side `image_gen.imagegen` function that the
// client serves through `{base}/images/generations` (Responses Lite, protocol §11). Each becomes one `image` event;
// with an output directory it is first written to a new file there.
import * as z from 'zod/mini';
import { errnoCode, messageOf } from '../shared/error-info.js';
import { CodexError } from '../shared/errors.js';
import { imageStem, prepareImageDir, saveNewImageFile } from '../store/image-files.js';
import type { CodexEvent } from './events.js';
import type { GeneratedImageInfo, ImageEvent } from './image-events.js';
import { IMAGE_BACKGROUNDS, IMAGE_QUALITIES, IMAGE_SIZE, type ImageRequest, type ImageResult } from './image-generation.js';
import type { AskRequest } from './request.js';
import { type Tool, ToolRunFailure } from './tool-loop.js';

export const IMAGE_TOOL_NAMESPACE = 'image_gen';
export const IMAGE_TOOL_NAME = 'imagegen';
/** The hosted tool offered on the classic layout. */
export const HOSTED_IMAGE_TOOL = { type: 'image_generation' } as const;

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
        ready ??= prepareImageDir(dir);
        await ready;
        return await saveNewImageFile(dir, imageStem(), imageExtension(image.format), image.bytes);
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

const ImageToolArgsSchema = z.object({
  prompt: z.string().check(z.minLength(1)),
  size: z.optional(z.string().check(z.regex(IMAGE_SIZE))),
  quality: z.optional(z.enum(IMAGE_QUALITIES)),
  background: z.optional(z.enum(IMAGE_BACKGROUNDS)),
});

/**
 * The client-side image function of Responses Lite (namespace `image_gen`, function `imagegen`): makes one image
 * through the image endpoint and delivers it (saved, then an `image` event); the model is told where it went.
 */
export function imageGenerationTool(generate: (request: ImageRequest, signal?: AbortSignal) => Promise<ImageResult>, images: ImageDelivery): Tool {
  return {
    name: IMAGE_TOOL_NAME,
    namespace: IMAGE_TOOL_NAMESPACE,
    description: 'Make one image from a text description. The image is saved to a file for the user; you are told its path.',
    parameters: {
      type: 'object',
      properties: {
        prompt: { type: 'string', description: 'What the image shows, in detail.' },
        size: { type: 'string', description: 'WIDTHxHEIGHT (e.g. 1024x1024, 1536x1024, 1024x1536) or auto.' },
        quality: { type: 'string', enum: [...IMAGE_QUALITIES] },
        background: { type: 'string', enum: [...IMAGE_BACKGROUNDS] },
      },
      required: ['prompt'],
      additionalProperties: false,
    },
    async run(args, { callId, signal }) {
      const parsed = ImageToolArgsSchema.safeParse(args);
      if (!parsed.success) return { output: 'imagegen needs {"prompt": "…"}; size is WIDTHxHEIGHT or auto', isError: true };
      const { prompt, size, quality, background } = parsed.data;
      let result: ImageResult;
      try {
        result = await generate({ prompt, ...(size ? { size } : {}), ...(quality ? { quality } : {}), ...(background ? { background } : {}) }, signal);
      } catch (error) {
        if (error instanceof CodexError && error.code === 'image_not_in_plan') throw new ToolRunFailure(error);
        throw error;
      }
      const event = await images.deliver({
        bytes: result.bytes,
        format: result.format,
        source: 'imagegen',
        id: callId,
        ...(result.size ? { size: result.size } : {}),
        ...(result.quality ? { quality: result.quality } : {}),
      });
      const what = `${result.size ?? ''} ${result.format} image`.trim();
      return event.path !== undefined ? `Made a ${what} and saved it for the user as ${event.path}.` : `Made a ${what}; it was not saved to a file.`;
    },
  };
}

/**
 * What `imageOut` adds to a run: nothing without it; on Responses Lite the `imagegen` function; on classic the
 * hosted `image_generation` tool.
 */
export function imageTools(
  request: AskRequest,
  output: ImageOutput | undefined,
  images: ImageDelivery,
  generate: (request: ImageRequest, signal?: AbortSignal) => Promise<ImageResult>,
): { request: AskRequest; tools: Tool[] } {
  if (output === undefined) return { request, tools: [] };
  if (request.layout === 'lite') return { request, tools: [imageGenerationTool(generate, images)] };
  return { request: { ...request, hostedTools: [...(request.hostedTools ?? []), HOSTED_IMAGE_TOOL] }, tools: [] };
}
