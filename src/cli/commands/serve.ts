import { UsageError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { ROTATION_GRACE_MS } from '../finish.js';
import { redact } from '../io/redact-secrets.js';
import { openCodex } from '../open-codex.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  apiKey?: string;
  cors?: string;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 65_535) throw new UsageError(`--port takes a port number 0–65535, not "${value}"`);
  return Number(value);
}

/** A test's bound for slow clients (env CODEX_SERVE_HEADERS_TIMEOUT_MS / CODEX_SERVE_REQUEST_TIMEOUT_MS / CODEX_SERVE_STALL_TIMEOUT_MS). */
function timeoutFromEnv(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} takes milliseconds (a whole number over 0), not "${value}"`);
  return Number(value);
}

function parseOrigin(value: string): string {
  if (value === '*') return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--cors takes an origin such as http://localhost:3000 (or *), not "${value}"`);
  }
  if (url.origin === 'null' || url.origin !== value.replace(/\/$/, '')) {
    throw new UsageError(`--cors takes an origin (scheme, host and port only), not "${value}"`);
  }
  return url.origin;
}

/** Resolves once the server has stopped after SIGTERM / SIGINT. */
export async function runServe(ctx: CliContext, options: ServeOptions): Promise<void> {
  const host = options.host ?? '127.0.0.1';
  const port = parsePort(options.port ?? '8787');
  const given = options.apiKey ?? (ctx.env.CODEX_SERVE_API_KEY || undefined);
  const { isLoopback, listen } = await import('../../server/listen.js');
  if (!isLoopback(host) && given === undefined) {
    throw new UsageError(`--host ${host} is not a loopback address: give an API key (--api-key or env CODEX_SERVE_API_KEY)`);
  }
  if (given !== undefined && given.trim() === '') throw new UsageError('--api-key must not be empty');
  // A client sends the key in a header: spaces at its ends are cut and non-ASCII bytes are read as Latin-1, so such
  // a key would turn every request away with a 401. (The key itself is never echoed.)
  if (given !== undefined && !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(given)) {
    throw new UsageError('the API key must be printable ASCII with no space at either end (clients send it in an HTTP header)');
  }
  if (options.apiKey !== undefined) {
    ctx.warn('--api-key is visible to every user of this machine in the process list (ps); prefer env CODEX_SERVE_API_KEY');
  }
  const corsOrigin = options.cors === undefined ? undefined : parseOrigin(options.cors);
  const stallMs = timeoutFromEnv('CODEX_SERVE_STALL_TIMEOUT_MS', ctx.env.CODEX_SERVE_STALL_TIMEOUT_MS);
  const timeouts = {
    headersMs: timeoutFromEnv('CODEX_SERVE_HEADERS_TIMEOUT_MS', ctx.env.CODEX_SERVE_HEADERS_TIMEOUT_MS),
    requestMs: timeoutFromEnv('CODEX_SERVE_REQUEST_TIMEOUT_MS', ctx.env.CODEX_SERVE_REQUEST_TIMEOUT_MS),
  };

  // One transport for the whole server: one token manager, so parallel requests with an expired token make one
  // refresh, under the same lock as the CLI's.
  ctx.longRunning = true;
  const transport = await openCodex(ctx);
  // Not logged in (or an unreadable auth.json) stops here, before anyone is told the server is up.
  ctx.rememberCredentials(await transport.credentials());

  // Without a key, any local user (and any page that gets past the Host and Origin checks) could spend the
  // subscription: serve always requires one, and makes its own when none is given.
  let apiKey = given;
  if (apiKey === undefined) {
    const { serveKey } = await import('../../store/serve-key.js');
    const made = await serveKey(ctx.config.configDir);
    apiKey = made.key;
    if (made.replaced !== undefined) ctx.warn(`${made.path} was not used (${made.replaced}); a new key replaces it`);
    if (made.created) {
      ctx.stderr.write(`codex serve: new API key: ${made.key}\n`);
      ctx.stderr.write(`codex serve: it is kept in ${made.path} (0600) and used again next time; clients send it as Authorization: Bearer KEY\n`);
    } else ctx.stderr.write(`codex serve: API key from ${made.path} (clients send it as Authorization: Bearer KEY)\n`);
  }
  ctx.secrets.add(apiKey);

  const server = await listen(
    host,
    port,
    {
      transport,
      apiKey,
      ...(corsOrigin !== undefined ? { corsOrigin } : {}),
      ...(stallMs !== undefined ? { stallMs } : {}),
      accessLog: (line) => ctx.stderr.write(`codex serve: ${redact(line, ctx.secrets)}\n`),
      redact: (text) => redact(text, ctx.secrets),
    },
    timeouts,
  );
  ctx.stderr.write(`codex serve: listening on ${server.url}/v1 (API key required)\n`);

  // Listening until the end: a second signal while open requests finish ends them, and one during the wait for a
  // refresh does not kill the process before the rotated tokens are saved. Removed before returning, so a caller
  // that runs serve in-process is left with none.
  let stopping = false;
  let closed!: () => void;
  const serverClosed = new Promise<void>((resolve) => {
    closed = resolve;
  });
  const stop = (signal: string) => {
    if (stopping) return void server.close(0);
    stopping = true;
    ctx.stderr.write(`codex serve: ${signal}: stopping (open requests may finish)\n`);
    void server.close().then(closed);
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  ctx.signals.on('SIGINT', onInt);
  ctx.signals.on('SIGTERM', onTerm);
  try {
    await serverClosed;
    const { refreshesSettled } = await import('../../auth/token-manager.js');
    await refreshesSettled(ROTATION_GRACE_MS);
    ctx.stderr.write('codex serve: stopped\n');
    // Idle keep-alive connections to the backend would hold the process open for seconds more.
    await new Promise<void>((resolve) => ctx.stderr.write('', () => resolve()));
  } finally {
    ctx.signals.off('SIGINT', onInt);
    ctx.signals.off('SIGTERM', onTerm);
  }
  ctx.io.exit?.(0);
}
