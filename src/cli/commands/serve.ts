import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { openCodex } from '../open-codex.js';
import { redact } from '../redact-secrets.js';

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
  const apiKey = options.apiKey ?? (ctx.env.CODEX_SERVE_API_KEY || undefined);
  const { isLoopback, listen } = await import('../../server/listen.js');
  if (!isLoopback(host) && apiKey === undefined) {
    throw new UsageError(`--host ${host} is not a loopback address: give an API key (--api-key or env CODEX_SERVE_API_KEY)`);
  }
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  if (apiKey !== undefined) ctx.secrets.add(apiKey);
  const corsOrigin = options.cors === undefined ? undefined : parseOrigin(options.cors);

  // One transport for the whole server: one token manager, so parallel requests with an expired token make one
  // refresh, under the same lock as the CLI's.
  const transport = await openCodex(ctx);
  // Not logged in (or an unreadable auth.json) stops here, before anyone is told the server is up.
  ctx.rememberCredentials(await transport.credentials());

  const server = await listen(host, port, {
    transport,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(corsOrigin !== undefined ? { corsOrigin } : {}),
    accessLog: (line) => ctx.stderr.write(`codex serve: ${redact(line, ctx.secrets)}\n`),
    redact: (text) => redact(text, ctx.secrets),
  });
  ctx.stderr.write(`codex serve: listening on ${server.url}/v1${apiKey !== undefined ? ' (API key required)' : ''}\n`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      // A second signal ends the open requests now.
      if (stopping) return void server.close(0);
      stopping = true;
      ctx.stderr.write(`codex serve: ${signal}: stopping (open requests may finish)\n`);
      void server.close().then(resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  const { refreshesSettled } = await import('../../auth/token-manager.js');
  await refreshesSettled(35_000);
  ctx.stderr.write('codex serve: stopped\n');
  // Idle keep-alive connections to the backend would hold the process open for seconds more.
  await new Promise<void>((resolve) => ctx.stderr.write('', () => resolve()));
  process.exit(0);
}
