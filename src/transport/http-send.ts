import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { CookieJar } from './cookie-jar.js';
import { type Fetch, type FetchInit, NodeAnswer, NodeHeaders } from './http-answer.js';
import { processProxyEnv, proxyConfigured } from './proxy-env.js';

/**
 * A fetch that sends exactly the headers it is given. Node's fetch adds `sec-fetch-mode`, `accept-language` and
 * its own `accept-encoding`: a fingerprint no official client has (protocol §11). Direct requests go through
 * node:http(s); with a proxy variable set, through undici's `request` and the proxy agent that
 * installProxyFromEnv made the global dispatcher (undici is loaded only then: it costs start-up time).
 * Answers are HttpAnswers (http-answer.ts: what callers read of fetch's Response, without loading undici);
 * failures are fetch's `TypeError('fetch failed')` with the cause, and a redirect with `redirect: 'error'` fails as
 * fetch's does.
 */
export type Send = Fetch;

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  /** node:http's answer, whose `socket` is its connection while it is not done (none through a proxy). */
  connection?: IncomingMessage;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

const builtin = createRequire(import.meta.url);
let zlibModule: typeof import('node:zlib') | undefined;
/** node:zlib, loaded (synchronously) for the first compressed answer only: a request goes out without it (issue 31). */
const zlib = () => (zlibModule ??= builtin('node:zlib') as typeof import('node:zlib'));

function decoded(body: Readable, encoding: string | null): Readable {
  const coding = encoding?.trim().toLowerCase();
  if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') return body;
  const { constants, createBrotliDecompress, createGunzip, createInflate } = zlib();
  // Flushed on every chunk, as fetch does, so a compressed event stream is not held back; a truncated end is no error.
  const flush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  const brotli = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };
  const decoder = coding === 'gzip' || coding === 'x-gzip' ? createGunzip(flush) : coding === 'deflate' ? createInflate(flush) : createBrotliDecompress(brotli);
  body.on('error', (error) => decoder.destroy(error));
  // A decoder let go of before the end (a body cancelled) lets go of the answer too: pipe would leave its socket open.
  decoder.once('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  return body.pipe(decoder);
}

function direct(url: URL, init: FetchInit): Promise<RawAnswer> {
  // Required, not imported: on Node 24 the ES module view of node:http reads every export, its WebSocket getter
  // included, and that loads Node's bundled undici (≈30 ms) for nothing.
  const { request } = (url.protocol === 'https:' ? builtin('node:https') : builtin('node:http')) as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ...(init.signal ? { signal: init.signal } : {}) }, (res) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headersDistinct, body: res, connection: res }),
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

async function viaProxy(url: URL, init: FetchInit): Promise<RawAnswer> {
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
  return async (input: string | URL, init: FetchInit = {}) => {
    const url = new URL(input);
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
    const responseHeaders = new NodeHeaders(raw.headers);
    jar?.store(url, responseHeaders.getSetCookie());
    if (raw.status >= 300 && raw.status < 400 && raw.status !== 304 && init.redirect === 'error') {
      raw.body.destroy();
      throw fetchFailed(new TypeError('unexpected redirect'));
    }
    const empty = NULL_BODY.has(raw.status) || init.method === 'HEAD';
    if (empty) raw.body.resume();
    const stream = empty ? undefined : decoded(raw.body, responseHeaders.get('content-encoding'));
    // Only a body that was decoded loses its encoding and length (another coding is handed on as it came, and says so).
    if (stream !== undefined && stream !== raw.body) {
      responseHeaders.delete('content-encoding');
      responseHeaders.delete('content-length');
    }
    return new NodeAnswer(raw.status, responseHeaders, stream, raw.connection);
  };
}

/** One jar for the process: the backend's cookies last as long as the process, as the official client's do. */
export const processCookies = new CookieJar();

/** The default for backend and issuer requests. */
export const send: Send = createSend({ cookies: processCookies });
