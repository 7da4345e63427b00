// A real redis-server for the credential-store tests: its own process on a free loopback port, with its files in a
// temp dir, stopped after the test file. `.ci/run` installs the Debian package; without it the tests fail in CI
// and are skipped (with a message) elsewhere.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { createClient } from '@redis/client';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './temp.js';

export const REDIS_SERVER = 'redis-server';

/** Whether redis-server can run here; in CI its absence is a failure, not a skip. */
export function redisAvailable(): boolean {
  const found = spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI) throw new Error('redis-server is not installed; .ci/run installs the Debian package redis-server');
  if (!found) process.stderr.write('redis-server is not installed: the Redis credential-store tests are skipped (apt-get install redis-server)\n');
  return found;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** PING over a plain (or TLS) socket: true once the server answers. */
function ping(port: number, tls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls ? tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : createConnection({ port, host: '127.0.0.1' });
    socket.on('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8').includes('PONG') || chunk.toString('utf8').includes('NOAUTH'));
    });
    socket.on('error', () => resolve(false));
    socket.write('PING\r\n');
  });
}

/** One command through the client the store uses (a fresh connection each time): the reply. */
async function redisCommand(url: string, args: string[], ca?: string): Promise<unknown> {
  const client = createClient({ url, socket: ca === undefined ? { reconnectStrategy: false } : { reconnectStrategy: false, tls: true, ca } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.sendCommand(args);
  } finally {
    client.destroy();
  }
}

export interface RedisServer {
  port: number;
  /** With `tls`: the PEM file of the server's self-signed certificate (its own CA), for NODE_EXTRA_CA_CERTS. */
  caFile?: string;
  /** `redis://127.0.0.1:PORT/DB` (with the password when the server has one and `withPassword`). */
  url(options?: { db?: number; password?: string; query?: string }): string;
  /** Runs a command (authenticated when the server has a password): the reply. */
  command(args: string[]): Promise<unknown>;
  /** SIGKILLs the server (a crash); stop() is then a no-op. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a redis-server on a free loopback port; the caller stops it (see useRedis). */
export async function startRedis(options: { requirepass?: string; tls?: boolean } = {}): Promise<RedisServer> {
  const dir = tempDir('codex-redis-');
  const port = await freePort();
  const args = ['--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
  let caFile: string | undefined;
  if (options.tls) {
    // A self-signed certificate for 127.0.0.1, its own CA: TLS only, no plain port.
    caFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        caFile,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    if (made.status !== 0) throw new Error('openssl could not make a certificate for the TLS redis-server');
    args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', caFile, '--tls-key-file', keyFile, '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no');
  } else {
    args.push('--port', String(port));
  }
  if (options.requirepass) args.push('--requirepass', options.requirepass);
  const child: ResultPromise = execa(REDIS_SERVER, args, { reject: false, stdio: 'ignore', cleanup: true });
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const url = ({ db = 0, password, query }: { db?: number; password?: string; query?: string } = {}) =>
    `${options.tls ? 'rediss' : 'redis'}://${password !== undefined ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${port}/${db}${query ? `?${query}` : ''}`;
  const ca = caFile === undefined ? undefined : readFileSync(caFile, 'utf8');
  const command = (parts: string[]) => redisCommand(url({ ...(options.requirepass !== undefined ? { password: options.requirepass } : {}) }), parts, ca);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await ping(port, options.tls === true)) break;
    if (exited) throw new Error(`redis-server exited at start-up (port ${port})`);
    if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const stopWith = async (signal: NodeJS.Signals) => {
    if (exited) return;
    child.kill(signal);
    await child;
  };
  const server: RedisServer = {
    port,
    ...(caFile !== undefined ? { caFile } : {}),
    url,
    command,
    kill: () => stopWith('SIGKILL'),
    stop: () => stopWith('SIGTERM'),
  };
  return server;
}

/** One redis-server for the test file, started before its tests and stopped after them. */
export function useRedis(options: { requirepass?: string; tls?: boolean } = {}): { readonly server: RedisServer } {
  const holder: { server?: RedisServer } = {};
  beforeAll(async () => {
    holder.server = await startRedis(options);
  });
  afterAll(() => holder.server?.stop());
  return {
    get server() {
      if (!holder.server) throw new Error('redis-server is not started yet');
      return holder.server;
    },
  };
}
