import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { CookieJar } from './cookie-jar.js';
import { processProxyEnv, proxyConfigured } from './proxy-env.js';

/**
 * A fetch that sends exactly the headers it is given. Node's fetch adds `sec-fetch-mode`, `accept-language` and
 * its own `accept-encoding`: a fingerprint no official client has (protocol §11). Direct requests go through
 * node:http(s); with a proxy variable set, through undici's `request` and the proxy agent that
 * installProxyFromEnv made the global dispatcher (undici is loaded only then: it costs start-up time).
 * Answers are Responses, so callers read them as they read fetch's; failures are fetch's `TypeError('fetch
 * failed')` with the cause, and a redirect with `redirect: 'error'` fails as fetch's does.
 */
export type Send = typeof fetch;

interface SendInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | null;
  redirect?: 'error' | 'follow' | 'manual';
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  body: Readable;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function toHeaders(raw: RawAnswer['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

let zlibModule: typeof import('node:zlib') | undefined;
/** node:zlib, loaded (synchronously) for the first compressed answer only: a request goes out without it (issue 31). */
const zlib = () => (zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib'));

function decoded(body: Readable, encoding: string | null): Readable {
  const coding = encoding?.trim().toLowerCase();
  if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') return body;
  const { constants, createBrotliDecompress, createGunzip, createInflate } = zlib();
  // Flushed on every chunk, as fetch does, so a compressed event stream is not held back; a truncated end is no error.
  const flush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  const brotli = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };
  const decoder = coding === 'gzip' || coding === 'x-gzip' ? createGunzip(flush) : coding === 'deflate' ? createInflate(flush) : createBrotliDecompress(brotli);
  body.on('error', (error) => decoder.destroy(error));
  return body.pipe(decoder);
}

async function direct(url: URL, init: SendInit): Promise<RawAnswer> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ...(init.signal ? { signal: init.signal } : {}) }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

async function viaProxy(url: URL, init: SendInit): Promise<RawAnswer> {
  const { request } = await import('./undici.js');
  const answer = await request(url, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers,
    body: init.body,
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return { status: answer.statusCode, headers: answer.headers, body: answer.body as unknown as Readable };
}

export interface SendOptions {
  /** Keep cookies the hosts set and send them back (the backend's Cloudflare cookies). */
  cookies?: CookieJar;
}

export function createSend(options: SendOptions = {}): Send {
  const jar = options.cookies;
  return (async (input: string | URL | Request, init: SendInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = { ...init.headers };
    // gzip, which the official client accepts too (it adds zstd, which Node 20 cannot decode).
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding')) headers['accept-encoding'] = 'gzip';
    const cookie = jar?.header(url);
    if (cookie && !Object.keys(headers).some((name) => name.toLowerCase() === 'cookie')) headers.cookie = cookie;
    let raw: RawAnswer;
    try {
      raw = await (proxyConfigured(processProxyEnv()) ? viaProxy : direct)(url, { ...init, headers });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw fetchFailed(error);
    }
    const responseHeaders = toHeaders(raw.headers);
    jar?.store(url, responseHeaders.getSetCookie());
    if (raw.status >= 300 && raw.status < 400 && raw.status !== 304 && init.redirect === 'error') {
      raw.body.destroy();
      throw fetchFailed(new TypeError('unexpected redirect'));
    }
    const empty = NULL_BODY.has(raw.status) || init.method === 'HEAD';
    if (empty) raw.body.resume();
    const stream = empty ? undefined : decoded(raw.body, responseHeaders.get('content-encoding'));
    if (!empty && responseHeaders.has('content-encoding')) {
      responseHeaders.delete('content-encoding');
      responseHeaders.delete('content-length');
    }
    const response = new Response(stream ? lazyWebStream(stream) : null, { status: raw.status, headers: responseHeaders });
    if (stream) nodeBodies.set(response, stream);
    return response;
  }) as Send;
}

const nodeBodies = new WeakMap<Response, Readable>();

/**
 * The body of an answer `send` made, as the node stream it reads from, for a reader that wants no web stream in
 * between (a long event stream: Node's adapter costs a copy and several promises per network read). Taken once;
 * the Response's own body is then never read.
 */
export function takeNodeBody(response: Response): Readable | undefined {
  const stream = nodeBodies.get(response);
  nodeBodies.delete(response);
  return stream;
}

/** A web stream over `body` that starts reading it on the first read only (so takeNodeBody can have it instead). */
function lazyWebStream(body: Readable): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= body[Symbol.asyncIterator]();
        const next = await chunks.next();
        // A copy, as Readable.toWeb makes: the bytes are the reader's.
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value));
      },
      cancel() {
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/** One jar for the process: the backend's cookies last as long as the process, as the official client's do. */
export const processCookies = new CookieJar();

/** The default for backend and issuer requests. */
export const send: Send = createSend({ cookies: processCookies });
