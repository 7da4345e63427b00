// `POST {base}/images/generations` and `…/images/edits` (protocol §11; openai/codex codex-api endpoint/images.rs):
// one image per call, returned as base64 in `data[0].b64_json`.
import * as z from 'zod/mini';
import { ApiError, CodexError } from '../shared/errors.js';
import type { BackendHttp } from '../transport/backend-http.js';
import type { HttpAnswer } from '../transport/http-answer.js';
import { readJson } from '../transport/read-json.js';

/** The image model the official client names in every request. */
export const IMAGE_MODEL = 'gpt-image-1.5';
export const IMAGE_QUALITIES = ['low', 'medium', 'high', 'auto'] as const;
export const IMAGE_BACKGROUNDS = ['transparent', 'opaque', 'auto'] as const;
/** `auto` or WIDTHxHEIGHT; the backend normalises what it does not make (2048x2048 came back 1254x1254). */
export const IMAGE_SIZE = /^(auto|\d{2,4}x\d{2,4})$/;

export interface ImageRequest {
  prompt: string;
  /** A data: URL (or several): edit this image instead of making a new one. */
  edit?: string | string[];
  size?: string;
  quality?: (typeof IMAGE_QUALITIES)[number];
  background?: (typeof IMAGE_BACKGROUNDS)[number];
}

const ImageResponseSchema = z.looseObject({
  created: z.optional(z.nullable(z.number())),
  data: z.array(z.looseObject({ b64_json: z.string() })).check(z.minLength(1)),
  output_format: z.optional(z.nullable(z.string())),
  quality: z.optional(z.nullable(z.string())),
  size: z.optional(z.nullable(z.string())),
  background: z.optional(z.nullable(z.string())),
  usage: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

export interface ImageResult {
  bytes: Uint8Array;
  /** Unix seconds, as the backend says. */
  created?: number;
  background?: string;
  /** `png` unless the backend says otherwise. */
  format: string;
  size?: string;
  quality?: string;
  usage?: Record<string, unknown>;
}

export function imageBody(request: ImageRequest): Record<string, unknown> {
  const options = {
    ...(request.background !== undefined ? { background: request.background } : {}),
    ...(request.quality !== undefined ? { quality: request.quality } : {}),
    ...(request.size !== undefined ? { size: request.size } : {}),
  };
  return request.edit !== undefined
    ? { images: [request.edit].flat().map((url) => ({ image_url: url })), prompt: request.prompt, model: IMAGE_MODEL, ...options }
    : { prompt: request.prompt, model: IMAGE_MODEL, ...options };
}

export async function generateImage(options: { http: Pick<BackendHttp, 'request'>; request: ImageRequest; signal?: AbortSignal; plan?: string }): Promise<ImageResult> {
  const path = options.request.edit !== undefined ? '/images/edits' : '/images/generations';
  let response: HttpAnswer;
  try {
    ({ response } = await options.http.request({ method: 'POST', path, body: imageBody(options.request), ...(options.signal ? { signal: options.signal } : {}) }));
  } catch (error) {
    // The backend answers 403 to a plan without image generation (reported: Plus and above have it).
    if (error instanceof CodexError && error.status === 403) {
      throw new CodexError('image_not_in_plan', `image generation is not available on ${options.plan ? `the ${options.plan} plan` : 'this plan'} (HTTP 403)`, {
        status: 403,
        ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
      });
    }
    throw error;
  }
  const parsed = ImageResponseSchema.safeParse(await readJson(response, 'the image answer', options.signal));
  if (!parsed.success) throw new ApiError('server_error', 'the image answer has an unexpected shape (no image data)', { status: response.status });
  const { data, output_format: format, size, quality, usage, created, background } = parsed.data;
  return {
    bytes: Buffer.from(data[0]!.b64_json, 'base64'),
    ...(typeof created === 'number' ? { created } : {}),
    ...(background ? { background } : {}),
    format: format ?? 'png',
    ...(size ? { size } : {}),
    ...(quality ? { quality } : {}),
    ...(usage ? { usage } : {}),
  };
}
