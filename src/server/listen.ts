// Starts the HTTP server and stops it gracefully: stop accepting, let open requests finish up to a deadline, then
// end them (their backend requests are aborted).

import { createServer as createHttpServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import { isIP } from 'node:net';
import { serve } from '@hono/node-server';
import { CodexError, UsageError } from '../shared/errors.js';
import { type AppOptions, createApp } from './app.js';
import { loopbackHosts } from './guard.js';
import { openAiError } from './http-errors.js';

/** How long open requests may run on after SIGTERM / SIGINT. */
export const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Slow clients: a request's headers must be in within 10 s and its whole body within 60 s, or the connection is
 * closed (Node checks once a second, so a slowloris connection is gone within 11 s); an idle keep-alive
 * connection is closed after 5 s. A response, however long it streams, is not limited.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface ListenTimeouts {
  headersMs?: number;
  requestMs?: number;
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '::ffff:127.0.0.1';
}

export interface RunningServer {
  url: string;
  /** Stops accepting; open requests get `graceMs`, then are ended. Resolves once every connection is closed. */
  close(graceMs?: number): Promise<void>;
}

/** What Node answers itself (a request it cannot parse, or headers too slow), in the OpenAI error shape. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, reason, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'request_timeout', 'the request was not sent in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request headers are too large']
        : error.code === 'HPE_INVALID_METHOD'
          ? [501, 'Not Implemented', 'method_not_supported', 'codex serve does not answer this method (only GET, HEAD, POST, OPTIONS)']
          : [400, 'Bad Request', 'bad_http_request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify(openAiError(status, 'invalid_request_error', code, message));
  const allow = status === 501 ? 'allow: GET, HEAD, POST, OPTIONS\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${allow}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** A Host header that is not a host name at all (`[::1`, `a b`, a port over 65535): answered here, in our shape. */
const unusableHost = (host: string | undefined) => host !== undefined && !URL.canParse(`http://${host}/`);

/** Node's server with a Host check in front of hono's listener, which would answer a Host it cannot parse with an empty 400. */
const createCheckedServer = ((serverOptions: ServerOptions, listener: RequestListener) =>
  createHttpServer(serverOptions, (request, response) => {
    if (!unusableHost(request.headers.host)) return void listener(request, response);
    const body = JSON.stringify(openAiError(400, 'invalid_request_error', 'bad_http_request', 'the Host header is not a host name (and port)'));
    response.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
  })) as typeof createHttpServer;

export async function listen(host: string, port: number, options: Omit<AppOptions, 'shutdown' | 'allowedHosts'>, timeouts: ListenTimeouts = {}): Promise<RunningServer> {
  const shutdown = new AbortController();
  let allowedHosts: ReadonlySet<string> = new Set();
  const app = createApp({ ...options, shutdown: shutdown.signal, ...(isLoopback(host) ? { allowedHosts: () => allowedHosts } : {}) });
  const headersMs = timeouts.headersMs ?? HEADERS_TIMEOUT_MS;
  const requestMs = Math.max(headersMs, timeouts.requestMs ?? REQUEST_TIMEOUT_MS);
  const server = serve({
    fetch: app.fetch,
    hostname: host,
    port,
    overrideGlobalObjects: false,
    createServer: createCheckedServer,
    serverOptions: {
      headersTimeout: headersMs,
      requestTimeout: requestMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(headersMs / 4))),
    },
  }) as unknown as Server & {
    closeAllConnections(): void;
  };
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`cannot listen on ${host}:${port}: the port is in use`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UsageError(`cannot listen on ${host}: no such local address`));
      else if (error.code === 'EACCES') reject(new UsageError(`cannot listen on ${host}:${port}: permission denied`));
      else reject(new CodexError('internal', `cannot listen on ${host}:${port}: ${error.message}`));
    });
  });
  const address = server.address() as AddressInfo;
  allowedHosts = loopbackHosts(address.port, host);
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}`,
    close(graceMs = SHUTDOWN_GRACE_MS) {
      const endOpenRequests = () => {
        shutdown.abort(new CodexError('terminated', 'the server is shutting down'));
        // Let the aborted streams write their last frame, then cut what is left.
        setImmediate(() => server.closeAllConnections());
      };
      if (closing) {
        if (graceMs === 0) endOpenRequests();
        return closing;
      }
      closing = new Promise<void>((resolve) => {
        const timer = setTimeout(endOpenRequests, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
