import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errnoCode, errnoOrMessage, messageOf } from '../shared/error-info.js';
import { AuthError, CodexError } from '../shared/errors.js';

/** The ports whose redirect URIs are registered for the Codex client, tried in this order. */
export const CALLBACK_PORTS = [1455, 1457] as const;
export const CALLBACK_PATH = '/auth/callback';
const LOOPBACK = '127.0.0.1';
const LOOPBACK6 = '::1';

/** What became of one callback (from the browser or pasted by the user). */
export type CallbackVerdict<T> =
  /** Wrong or missing state, or no code: refused, nothing exchanged, still waiting. */
  | { kind: 'rejected'; message: string }
  /** A callback with the right state was already handled. */
  | { kind: 'ignored'; message: string }
  /** The sign-in ended in failure (error= from the issuer, or a failed exchange). */
  | { kind: 'failed'; error: CodexError }
  | { kind: 'done'; value: T };

export interface CallbackServerOptions<T> {
  /** The `state` sent in the authorize URL; a callback must carry exactly this. */
  state: string;
  /** undefined: 1455, then 1457 when busy. 0: any free port. */
  port?: number;
  /** Runs once, for the first callback with the right state and a code: exchange and save. */
  complete: (code: string) => Promise<T>;
  log?: (message: string) => void;
}

export interface CallbackServer<T> {
  readonly port: number;
  /** `http://localhost:PORT/auth/callback`, as registered for the client. */
  readonly redirectUri: string;
  /** Settles once: with complete()'s value, or with the error that ended the sign-in. */
  readonly result: Promise<T>;
  /** Checks the query of a callback URL that reached us another way (pasted from a browser elsewhere). */
  submit(query: URLSearchParams): Promise<CallbackVerdict<T>>;
  /** True once a callback (or pasted URL) with the right state has been acted on. */
  readonly handled: boolean;
  close(): Promise<void>;
}

const ENTITLEMENT_MESSAGE =
  'Codex is not enabled for your ChatGPT workspace (missing_codex_entitlement); ask a workspace admin to enable it, or sign in with another account';

function sameState(expected: string, actual: string | null): boolean {
  if (actual === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The issuer's refusal in words (error_description first; a special case for a missing Codex entitlement). */
export function describeAuthorizeError(error: string, description: string | null): string {
  if (error === 'missing_codex_entitlement') return ENTITLEMENT_MESSAGE;
  const text = description && description.trim() !== '' ? `${description.trim()} (${error})` : error;
  return `the sign-in was refused: ${text}`;
}

/**
 * Browsers resolve `localhost` (the redirect's host) to ::1 first: another program listening on [::1]:PORT would
 * get the callback. So the port is ours only when both loopbacks are: we listen on ::1 as well, and a port whose
 * ::1 side is taken counts as busy. Where the host has no IPv6 loopback, 127.0.0.1 alone is enough.
 */
async function listenBoth(servers: [Server, Server], port: number): Promise<number> {
  const bound = await listen(servers[0], port, LOOPBACK);
  try {
    await listen(servers[1], bound, LOOPBACK6);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return bound;
    await new Promise<void>((resolve) => servers[0].close(() => resolve()));
    throw error;
  }
  return bound;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true, ipv6Only: host === LOOPBACK6 });
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;line-height:1.5}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>
`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    connection: 'close',
  });
  res.end(html);
}

/**
 * A loopback server (127.0.0.1 and ::1 only) that waits for the issuer's redirect to /auth/callback. Only a callback
 * with the expected state is acted on, once; anything else gets a 400 page and the wait goes on.
 */
export async function startCallbackServer<T>(options: CallbackServerOptions<T>): Promise<CallbackServer<T>> {
  let settle!: { resolve: (value: T) => void; reject: (error: unknown) => void };
  const result = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  result.catch(() => undefined);
  let handled = false;

  const submit = async (query: URLSearchParams): Promise<CallbackVerdict<T>> => {
    if (handled) return { kind: 'ignored', message: 'this sign-in has already been handled' };
    if (!sameState(options.state, query.get('state'))) {
      options.log?.('callback refused: state missing or wrong');
      return {
        kind: 'rejected',
        message: 'the state does not match this sign-in attempt (an old or forged link); nothing was exchanged',
      };
    }
    const error = query.get('error');
    if (error !== null) {
      handled = true;
      const failure = new AuthError('login_failed', describeAuthorizeError(error, query.get('error_description')));
      settle.reject(failure);
      return { kind: 'failed', error: failure };
    }
    const code = query.get('code');
    if (!code) return { kind: 'rejected', message: 'the callback carries no authorization code' };
    handled = true;
    try {
      const value = await options.complete(code);
      settle.resolve(value);
      return { kind: 'done', value };
    } catch (caught) {
      const failure = caught instanceof CodexError ? caught : new AuthError('login_failed', `the sign-in failed: ${messageOf(caught)}`);
      settle.reject(failure);
      return { kind: 'failed', error: failure };
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found', 'This is the codex-oauth sign-in callback.');
    if (req.method !== 'GET') return page(res, 405, 'Method not allowed', 'Only GET is accepted here.');
    void submit(url.searchParams).then((verdict) => {
      switch (verdict.kind) {
        case 'rejected':
          return page(res, 400, 'Sign-in link not accepted', `${capitalise(verdict.message)}. Start again with codex login.`);
        case 'ignored':
          return page(res, 409, 'Already handled', 'This sign-in has already been handled; you can close this tab.');
        case 'failed':
          return page(res, 400, 'Sign-in failed', `${capitalise(verdict.error.message)}.`);
        case 'done':
          return page(res, 200, 'Signed in to codex-oauth', 'You are signed in. You can close this tab and return to the terminal.');
      }
    });
  };
  const servers: [Server, Server] = [createServer(handle), createServer(handle)];

  const candidates = options.port === undefined ? [...CALLBACK_PORTS] : [options.port];
  let port: number | undefined;
  let lastError: unknown;
  for (const candidate of candidates) {
    try {
      port = await listenBoth(servers, candidate);
      break;
    } catch (error) {
      lastError = error;
      options.log?.(`cannot listen on ${LOOPBACK}:${candidate} and [${LOOPBACK6}]:${candidate}: ${errnoOrMessage(error)}`);
      if (errnoCode(error) !== 'EADDRINUSE') break;
    }
  }
  if (port === undefined) {
    const busy = errnoCode(lastError) === 'EADDRINUSE';
    const where = candidates.map((p) => `${LOOPBACK}:${p}`).join(' or ');
    throw new AuthError(
      'login_failed',
      busy
        ? `cannot start the sign-in callback server: ${where} ${candidates.length > 1 ? 'are' : 'is'} in use (another \`codex login\`?); free the port, pass --port N, or use --device`
        : `cannot start the sign-in callback server on ${where}: ${lastError === undefined ? 'unknown error' : errnoOrMessage(lastError)}`,
    );
  }

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) return resolve();
            server.close(() => resolve());
            server.closeIdleConnections();
            // Give the last page a moment to flush, then drop whatever is still open.
            setTimeout(() => server.closeAllConnections(), 200).unref();
          }),
      ),
    ).then(() => undefined);
    return closed;
  };

  return {
    port,
    redirectUri: `http://localhost:${port}${CALLBACK_PATH}`,
    result,
    submit,
    get handled() {
      return handled;
    },
    close,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
