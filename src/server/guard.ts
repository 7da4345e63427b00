// What a request must pass before any route sees it: the Host it was sent to (DNS rebinding), the page it came from
// (Origin, CORS), the API key, its method and content type, and the size of its body.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { MAX_IMAGE_BYTES } from '../client/images.js';
import { CodexError } from '../shared/errors.js';
import { openAiError } from './http-errors.js';
import { WARNING_HEADER } from './wire.js';

/** The backend drops bodies over about 1.2 MB (protocol §10.10); a bigger request could never be answered. */
export const BODY_LIMIT_BYTES = 1_200_000;
/** The one route that takes a form (and a bigger body: an image to edit). */
export const IMAGE_EDITS_PATH = '/v1/images/edits';
/** An image of the `-i` limit, base64 in JSON or raw in a form, and the other fields. */
export const IMAGE_EDIT_BODY_LIMIT_BYTES = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 1024 * 1024;

/** The names a loopback server answers to; with any other Host a web page could reach it by DNS rebinding. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The methods serve answers; any other is 501 before a body is read. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);
const ALLOW = 'GET, HEAD, POST, OPTIONS';

/** Response headers a page may read. */
const EXPOSED = [WARNING_HEADER, 'retry-after'];

/** A header name (RFC 9110 token), for the preflight's list of request headers. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

export interface GuardOptions {
  /**
   * Loopback serve: the `host:port` values a request's Host may carry (a getter: with port 0 the port is known
   * only once listening). Absent: no Host check (a non-loopback server requires a key instead).
   */
  allowedHosts?: () => ReadonlySet<string>;
  /** The one origin whose pages may call the API (`*`: any, which needs a key); absent: none. */
  corsOrigin?: string;
  apiKey?: string;
}

/** The Host values a loopback server on `port` accepts (`bound` is the address it listens on, if not one of them). */
export function loopbackHosts(port: number, bound?: string): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (bound !== undefined) names.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound.toLowerCase());
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(`${name}:${port}`);
    // A client leaves out the default port.
    if (port === 80) hosts.add(name);
  }
  return hosts;
}

const refuse = (c: Context, status: 401 | 403 | 413 | 415 | 421 | 501, code: string, message: string) =>
  c.json(openAiError(status, 'invalid_request_error', code, message), status);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * The checks in order: Host (421), Origin (403), CORS preflight (204), method (501), API key (401), content type of
 * a POST (415), body size (413). A refused request never reaches a route, so it never reaches the backend.
 */
export function guard(options: GuardOptions): MiddlewareHandler[] {
  const keyDigest = options.apiKey !== undefined ? digest(options.apiKey) : undefined;
  const cors = options.corsOrigin;

  const where: MiddlewareHandler = async (c, next) => {
    if (options.allowedHosts !== undefined) {
      const host = (c.req.header('host') ?? '').toLowerCase();
      if (!options.allowedHosts().has(host)) {
        const names = [...options.allowedHosts()].slice(0, 3).join(', ');
        return refuse(c, 421, 'host_not_allowed', `codex serve answers only requests sent to ${names} (a web page could reach it under another name)`);
      }
    }
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (cors === undefined || (cors !== '*' && origin !== cors)) {
        return refuse(
          c,
          403,
          'origin_not_allowed',
          cors === undefined
            ? 'codex serve takes no requests from web pages (start it with --cors ORIGIN to allow one)'
            : `codex serve takes requests only from pages of ${cors}`,
        );
      }
      if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined) {
        // The origin is the one allowed, so it may send whatever headers its client needs (openai-node sends
        // x-stainless-*, authorization, content-type; others send more); serve ignores the ones it does not read.
        const requested = (c.req.header('access-control-request-headers') ?? '')
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => TOKEN.test(name))
          .slice(0, 64);
        c.header('access-control-allow-origin', cors === '*' ? '*' : origin);
        c.header('access-control-allow-methods', 'GET, POST');
        if (requested.length > 0) c.header('access-control-allow-headers', requested.join(', '));
        c.header('access-control-max-age', '600');
        c.header('vary', 'Origin, Access-Control-Request-Headers');
        return c.body(null, 204);
      }
      await next();
      c.header('access-control-allow-origin', cors === '*' ? '*' : origin);
      c.header('access-control-expose-headers', EXPOSED.join(', '));
      c.header('vary', 'Origin', { append: true });
      return;
    }
    return next();
  };

  const method: MiddlewareHandler = async (c, next) => {
    if (c.req.method === 'OPTIONS') {
      c.header('allow', ALLOW);
      return c.body(null, 204);
    }
    if (!METHODS.has(c.req.method)) {
      c.header('allow', ALLOW);
      return refuse(c, 501, 'method_not_supported', `codex serve does not answer ${c.req.method.slice(0, 20)} requests (only ${ALLOW})`);
    }
    return next();
  };

  const key: MiddlewareHandler = async (c, next) => {
    if (keyDigest === undefined) return next();
    const header = c.req.header('authorization') ?? '';
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    if (!timingSafeEqual(digest(given), keyDigest)) {
      c.header('www-authenticate', 'Bearer');
      return refuse(c, 401, 'invalid_api_key', given === '' ? 'missing API key: send Authorization: Bearer <key>' : 'incorrect API key');
    }
    return next();
  };

  const body: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'POST') return next();
    // A page can send text/plain, form or multipart bodies without a CORS preflight; JSON needs one. Image edits
    // come as multipart (OpenAI's SDKs send files so): a page still cannot send one, for the Origin check above and
    // the key (no Authorization header without a preflight).
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const edits = new URL(c.req.url).pathname === IMAGE_EDITS_PATH;
    if (type !== 'application/json' && !(edits && type === 'multipart/form-data')) {
      return refuse(
        c,
        415,
        'unsupported_media_type',
        'codex serve takes request bodies of Content-Type: application/json only (and multipart/form-data for image edits)',
      );
    }
    return readBody(c, next, edits ? IMAGE_EDIT_BODY_LIMIT_BYTES : BODY_LIMIT_BYTES);
  };

  return [where, method, key, body];
}

/** The client went away before its whole body came (logged as 499, as nginx does). */
export const bodyCutOff = () => new CodexError('cancelled', 'the client went away before sending its whole request body');

const tooLarge = (c: Context, limit: number) => refuse(c, 413, 'request_too_large', `the request body is over ${limit} bytes, the backend's budget`);

/**
 * Holds a body without a Content-Length (chunked) to the limit, and hands the routes a request made from the bytes
 * read (hono's bodyLimit rebuilt the request from the one it had read, which threw: a 500 for every chunked body).
 * A body with a Content-Length is left to stream: Node cuts it at that length.
 */
async function readBody(c: Context, next: () => Promise<void>, limit: number): Promise<Response | undefined> {
  const raw = c.req.raw;
  const length = raw.headers.get('content-length');
  if (!raw.headers.has('transfer-encoding') || raw.body === null) {
    if (length !== null && Number(length) > limit) return tooLarge(c, limit);
    await next();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = raw.body.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch(() => {
      throw bodyCutOff();
    });
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      return tooLarge(c, limit);
    }
    chunks.push(value);
  }
  const headers = new Headers(raw.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(size));
  c.req.raw = new Request(raw.url, { method: raw.method, headers, body: new Uint8Array(Buffer.concat(chunks, size)), signal: raw.signal });
  await next();
  return undefined;
}
