// `POST /v1/images/generations` and `POST /v1/images/edits` in OpenAI's Images API shape, on the backend's image
// endpoints (protocol §11): one image per request, returned as `b64_json`. There is nowhere to host an image, so
// `response_format: "url"` is refused; edits take multipart/form-data (as OpenAI's SDKs send them) or JSON with
// `images: [{image_url}]`.
import * as z from 'zod/mini';
import { IMAGE_BACKGROUNDS, IMAGE_MODEL, IMAGE_QUALITIES, IMAGE_SIZE, type ImageRequest, type ImageResult } from '../client/image-generation.js';
import { MAX_IMAGE_BYTES, sniffImageType } from '../client/images.js';
import { RequestError } from './http-errors.js';

/** OpenAI parameters the backend has no use for: dropped, and named in the warning header. */
const IGNORED = ['output_format', 'output_compression', 'moderation', 'style', 'user', 'partial_images', 'input_fidelity'] as const;

const ImageParamsSchema = z.looseObject({
  prompt: z.unknown(),
  model: z.optional(z.unknown()),
  n: z.optional(z.unknown()),
  size: z.optional(z.unknown()),
  quality: z.optional(z.unknown()),
  background: z.optional(z.unknown()),
  response_format: z.optional(z.unknown()),
  stream: z.optional(z.unknown()),
});

const invalid = (param: string, message: string, code = 'invalid_value') => new RequestError(message, code, param);

export interface ImageCall {
  request: ImageRequest;
  warnings: string[];
}

/** The common parameters of both routes, checked; `fields` are strings (a form) or JSON values. */
function imageParams(fields: Record<string, unknown>): ImageCall {
  const params = ImageParamsSchema.parse(fields);
  if (typeof params.prompt !== 'string' || params.prompt.trim() === '')
    throw invalid('prompt', 'prompt is required: a description of the image', 'missing_required_parameter');
  if (params.response_format !== undefined && params.response_format !== null && params.response_format !== 'b64_json') {
    throw invalid(
      'response_format',
      params.response_format === 'url'
        ? 'response_format "url" is not supported: codex serve has nowhere to host images; use "b64_json" (the default)'
        : 'response_format must be "b64_json"',
      'unsupported_value',
    );
  }
  if (params.stream === true || params.stream === 'true') throw invalid('stream', 'streamed image generation is not supported; leave stream out', 'unsupported_value');
  if (params.n !== undefined && params.n !== null && Number(params.n) !== 1) {
    throw invalid('n', 'codex serve makes one image per request (the backend makes one per call); send n requests', 'unsupported_value');
  }
  const text = (name: 'size' | 'quality' | 'background'): string | undefined => {
    const value = params[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw invalid(name, `${name} must be a string`);
    return value;
  };
  const size = text('size');
  if (size !== undefined && !IMAGE_SIZE.test(size)) throw invalid('size', `size must be WIDTHxHEIGHT (e.g. 1024x1536) or auto, not "${size}"`);
  const quality = text('quality');
  if (quality !== undefined && !(IMAGE_QUALITIES as readonly string[]).includes(quality))
    throw invalid('quality', `quality must be one of ${IMAGE_QUALITIES.join(', ')}`);
  const background = text('background');
  if (background !== undefined && !(IMAGE_BACKGROUNDS as readonly string[]).includes(background)) {
    throw invalid('background', `background must be one of ${IMAGE_BACKGROUNDS.join(', ')}`);
  }
  const warnings: string[] = [];
  const dropped = IGNORED.filter((name) => fields[name] !== undefined);
  if (dropped.length > 0) warnings.push(`dropped parameters the backend's image endpoint does not take: ${dropped.join(', ')}`);
  if (typeof params.model === 'string' && params.model !== IMAGE_MODEL) warnings.push(`model ${params.model.slice(0, 64)} is served by ${IMAGE_MODEL}`);
  return {
    request: {
      prompt: params.prompt,
      ...(size !== undefined ? { size } : {}),
      ...(quality !== undefined ? { quality: quality as ImageRequest['quality'] } : {}),
      ...(background !== undefined ? { background: background as ImageRequest['background'] } : {}),
    },
    warnings,
  };
}

/** `POST /v1/images/generations`: a JSON body. */
export function translateImageGeneration(body: unknown): ImageCall {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'the request body must be a JSON object', 'invalid_request_body');
  return imageParams(body as Record<string, unknown>);
}

function dataUrlOf(bytes: Uint8Array, param: string): string {
  if (bytes.length > MAX_IMAGE_BYTES) throw invalid(param, `the image is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is 20 MB`);
  const type = sniffImageType(bytes.subarray(0, 16));
  if (!type) throw invalid(param, 'the image must be a PNG, JPEG, GIF or WebP file', 'invalid_image_format');
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

const DATA_URL = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

/** `POST /v1/images/edits` as JSON: `images: [{image_url: "data:…"}]` (OpenAI's JSON form for GPT image models). */
export function translateImageEditJson(body: unknown): ImageCall {
  const call = translateImageGeneration(body);
  const images = (body as { images?: unknown; mask?: unknown }).images;
  if ((body as { mask?: unknown }).mask !== undefined) throw invalid('mask', 'masks are not supported by the backend image endpoint', 'unsupported_value');
  if (!Array.isArray(images) || images.length === 0)
    throw invalid('images', 'images must be a list of {image_url: "data:image/…;base64,…"}', 'missing_required_parameter');
  const urls = images.map((image, index) => {
    const url = (image as { image_url?: unknown } | null)?.image_url;
    if (typeof url !== 'string' || !DATA_URL.test(url))
      throw invalid(`images[${index}].image_url`, 'each image must be a data:image/…;base64 URL (no web addresses, no file ids)');
    // Checked as the form's files are: the bytes sniffed (not the declared type), 20 MB at most.
    return dataUrlOf(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'), `images[${index}].image_url`);
  });
  return { ...call, request: { ...call.request, edit: urls } };
}

/** `POST /v1/images/edits` as multipart/form-data: `image` (or `image[]`, repeatable) files and the fields. */
export async function translateImageEditForm(form: FormData): Promise<ImageCall> {
  const fields: Record<string, unknown> = {};
  const files: File[] = [];
  for (const [name, value] of form) {
    if (name === 'image' || name === 'image[]') {
      if (typeof value === 'string') throw invalid('image', 'image must be a file part, not a text field');
      files.push(value);
    } else if (name === 'mask') throw invalid('mask', 'masks are not supported by the backend image endpoint', 'unsupported_value');
    else if (typeof value === 'string') fields[name] = value;
  }
  const call = imageParams(fields);
  if (files.length === 0) throw invalid('image', 'image is required: the picture to edit, as a file part', 'missing_required_parameter');
  const urls = await Promise.all(files.map(async (file) => dataUrlOf(new Uint8Array(await file.arrayBuffer()), 'image')));
  return { ...call, request: { ...call.request, edit: urls } };
}

/** The Images API answer: one `b64_json` image and what the backend said of it. */
export function imagesResponse(result: ImageResult): Record<string, unknown> {
  return {
    created: result.created ?? Math.floor(Date.now() / 1000),
    data: [{ b64_json: Buffer.from(result.bytes).toString('base64') }],
    ...(result.background !== undefined ? { background: result.background } : {}),
    output_format: result.format,
    ...(result.quality !== undefined ? { quality: result.quality } : {}),
    ...(result.size !== undefined ? { size: result.size } : {}),
    ...(result.usage !== undefined ? { usage: result.usage } : {}),
  };
}
