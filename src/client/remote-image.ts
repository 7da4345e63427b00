import { UsageError } from '../shared/errors.js';
import type { HttpAnswer } from '../transport/http-answer.js';
import { createSend, type Send } from '../transport/http-send.js';
import { describeNetworkError } from '../transport/network-error.js';
import { MAX_IMAGE_BYTES, sniffImageType } from './images.js';
import type { InputItem } from './request.js';

/** How long fetching one image may take, redirects included. */
export const IMAGE_FETCH_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;

export interface ImageFetchOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Default: a sender without the backend's cookies. */
  send?: Send;
}

export function isRemoteImage(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function refused(url: string, why: string): UsageError {
  return new UsageError(`--image: cannot use ${url}: ${why}`);
}

/**
 * An http(s) image as a `data:` URL, for Responses Lite, which takes only inline images (protocol §11): the same
 * 20 MB limit as a file, its type sniffed from its bytes (not the server's content type), redirects followed only
 * within the same scheme, one deadline for all of it. Anything else is a UsageError (exit 2), sent nowhere.
 */
export async function fetchImageAsDataUrl(url: string, options: ImageFetchOptions = {}): Promise<string> {
  const send = options.send ?? createSend();
  const timeout = AbortSignal.timeout(options.timeoutMs ?? IMAGE_FETCH_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    let response: HttpAnswer;
    try {
      response = await send(current, { method: 'GET', headers: { accept: 'image/*' }, redirect: 'manual', signal });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) throw refused(url, `no answer within ${Math.round((options.timeoutMs ?? IMAGE_FETCH_TIMEOUT_MS) / 1000)} s`);
      throw refused(url, describeNetworkError(error, current.href));
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location || hop >= MAX_REDIRECTS) throw refused(url, `HTTP ${response.status} ${location ? 'redirects too often' : 'without a Location'}`);
      const next = new URL(location, current);
      if (next.protocol !== current.protocol) throw refused(url, `it redirects to ${next.protocol.replace(/:$/, '')}:, which codex does not follow`);
      current = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw refused(url, `HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_IMAGE_BYTES) {
      await response.body?.cancel();
      throw refused(url, `${(declared / 1048576).toFixed(1)} MB; the limit is 20 MB`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of response.body ?? []) {
        total += chunk.length;
        if (total > MAX_IMAGE_BYTES) throw refused(url, 'over the 20 MB limit');
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) throw refused(url, `no answer within ${Math.round((options.timeoutMs ?? IMAGE_FETCH_TIMEOUT_MS) / 1000)} s`);
      throw refused(url, describeNetworkError(error, current.href));
    }
    const bytes = Buffer.concat(chunks);
    const type = sniffImageType(bytes.subarray(0, 16));
    if (!type) throw refused(url, `not a PNG, JPEG, GIF or WebP image (${response.headers.get('content-type') ?? 'no content type'})`);
    return `data:${type};base64,${bytes.toString('base64')}`;
  }
}

/** `input` with every remote image of its messages fetched and inlined (each URL fetched once). */
export async function inlineRemoteImages(input: readonly InputItem[], fetchImage: (url: string) => Promise<string>): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for (const item of input) {
    if (item.type !== 'message' || !item.content.some((part) => part.type === 'input_image' && isRemoteImage(part.image_url))) {
      out.push(item);
      continue;
    }
    const content = await Promise.all(
      item.content.map(async (part) => (part.type === 'input_image' && isRemoteImage(part.image_url) ? { ...part, image_url: await fetchImage(part.image_url) } : part)),
    );
    out.push({ ...item, content });
  }
  return out;
}
