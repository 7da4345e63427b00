// What `imageOut` offers the model (issue 27, protocol §11): on Responses Lite the client-side function
// `image_gen.imagegen`, served through `{base}/images/generations`; on classic models the hosted `image_generation`
// tool. Loaded only for a run with `imageOut`.
import * as z from 'zod/mini';
import { messageOf } from '../shared/error-info.js';
import { CodexError } from '../shared/errors.js';
import type { ImageDelivery, ImageOutput } from './generated-images.js';
import { IMAGE_BACKGROUNDS, IMAGE_QUALITIES, IMAGE_SIZE, type ImageRequest, type ImageResult } from './image-generation.js';
import type { AskRequest } from './request.js';
import { type Tool, ToolRunFailure } from './tool-loop.js';

export const IMAGE_TOOL_NAMESPACE = 'image_gen';
export const IMAGE_TOOL_NAME = 'imagegen';
/** The hosted tool offered on the classic layout. */
export const HOSTED_IMAGE_TOOL = { type: 'image_generation' } as const;

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
      // An image that cannot be saved ends the run (exit 3), as on classic models, rather than telling the model.
      const event = await images
        .deliver({
          bytes: result.bytes,
          format: result.format,
          source: 'imagegen',
          id: callId,
          ...(result.size ? { size: result.size } : {}),
          ...(result.quality ? { quality: result.quality } : {}),
        })
        .catch((error: unknown) => {
          throw new ToolRunFailure(
            error instanceof CodexError ? error : new CodexError('image_unwritable', `cannot save the image: ${messageOf(error)}`, { cause: error }),
          );
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
  return { request: { ...request, extraTools: [...(request.extraTools ?? []), HOSTED_IMAGE_TOOL] }, tools: [] };
}
