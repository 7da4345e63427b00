// Running OpenAI's own `codex` (0.171) in ChatGPT mode against the https fake, as protocol §11 says: a scratch
// CODEX_HOME with an official-format auth.json holding tokens the fake issued, the base URL overrides, the issuer
// overrides, and the fake's CA. Nothing it does may leave loopback: every proxy variable points at a trap that
// refuses and records each attempt (loopback itself is exempt through NO_PROXY), and the telemetry and update
// checks that have a switch are off. Its stdin is closed, its HOME, CODEX_HOME and TMPDIR are temp dirs removed after
// the test (its daemon socket dir and bubblewrap mount-target lock would otherwise stay behind in /tmp), and every run
// has a deadline.

import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import type { FakeCodex, IssuedTokens } from '../fake/server.js';
import { jsonLines } from './cli.js';
import { tempDir } from './temp.js';

/**
 * Switches of the official client that would otherwise reach other hosts (its OTLP metrics go to ab.chatgpt.com by
 * default, analytics events to the backend) or cost a run seconds of retries against the fake (the apps MCP server,
 * the plugin directory, tool suggestions): checked in openai/codex's config and `codex features list` of 0.171.
 */
export const OFFICIAL_QUIET = [
  '-c',
  'analytics.enabled=false',
  '-c',
  'otel.metrics_exporter="none"',
  '-c',
  'otel.exporter="none"',
  '-c',
  'otel.trace_exporter="none"',
  '-c',
  'check_for_update_on_startup=false',
  '--disable',
  'apps',
  '--disable',
  'plugins',
  '--disable',
  'remote_plugin',
  '--disable',
  'tool_suggest',
];

/**
 * The one folder TMPDIR does not move: its sandbox masks `/tmp/codex-daemon-<uid>` (its daemon's socket folder, a
 * fixed path) with a tmpfs when it runs a command, and creates it first. When the file's runs made it, it goes again
 * after them — only while empty, so a real daemon's socket (or another run still using it) is never touched.
 */
const daemonDir = `/tmp/codex-daemon-${process.getuid?.() ?? 0}`;
let daemonDirWasThere: boolean | undefined;
afterAll(() => {
  if (daemonDirWasThere !== false) return;
  try {
    rmdirSync(daemonDir);
  } catch {
    // not empty, or gone already: not ours to remove
  }
});

/** The deadline of one run of the official client. */
export const OFFICIAL_DEADLINE_MS = 60_000;

/** A loopback proxy that lets nothing through: what the official client tried to reach beyond loopback. */
export interface Trap {
  url: string;
  /** `CONNECT host:port` and plain-proxy `METHOD url` lines, in order. */
  attempts: string[];
}

/** One trap for the test file: started before its tests, closed after. */
export function useTrap(): Trap {
  const trap: Trap = { url: '', attempts: [] };
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      trap.attempts.push(`${req.method} ${req.url}`);
      res.writeHead(403).end();
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.on('connect', (req, socket: Socket) => {
      trap.attempts.push(`CONNECT ${req.url}`);
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    trap.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return trap;
}

/** auth.json as the official client writes it after a ChatGPT sign-in (protocol §4). */
export function officialAuthJson(tokens: IssuedTokens): string {
  return JSON.stringify({
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
    last_refresh: new Date().toISOString(),
  });
}

export interface OfficialRun {
  exitCode: number | undefined;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The `--json` events it printed. */
  events: Record<string, unknown>[];
}

/** One user of the official client: a HOME, a CODEX_HOME signed in with the fake's tokens, and a work dir. */
export interface OfficialSession {
  home: string;
  codexHome: string;
  /** The folder it works in (its cwd). */
  work: string;
  /** `codex <args>` with the overrides and switches above; never rejects. */
  run(args: string[], options?: { timeoutMs?: number }): Promise<OfficialRun>;
}

/** A session against `fake` (which must serve https); `tokens` default to fresh ones from the fake. */
export function officialSession(bin: string, fake: FakeCodex, trap: Trap, tokens: IssuedTokens = fake.issueTokens()): OfficialSession {
  if (!fake.caCertificate) throw new Error('the official client needs the fake over https (start it with { https: true })');
  daemonDirWasThere ??= existsSync(daemonDir);
  const root = tempDir('codex-official-');
  const [home, codexHome, work, tmp] = ['home', 'codex-home', 'work', 'tmp'].map((name) => join(root, name)) as [string, string, string, string];
  for (const dir of [home, codexHome, work, tmp]) mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(codexHome, 'auth.json'), officialAuthJson(tokens), { mode: 0o600 });
  const caFile = join(root, 'fake-ca.pem');
  writeFileSync(caFile, fake.caCertificate);
  const proxy = trap.url;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_HOME: codexHome,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    CODEX_CA_CERTIFICATE: caFile,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${fake.issuer}/oauth/token`,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${fake.issuer}/oauth/revoke`,
    RUST_LOG: 'error',
    ...Object.fromEntries(
      ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].flatMap((name) => [
        [name, proxy],
        [name.toLowerCase(), proxy],
      ]),
    ),
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
  };
  const overrides = ['-c', `chatgpt_base_url="${fake.url}/backend-api/"`, '-c', `openai_base_url="${fake.url}/backend-api/codex"`];
  return {
    home,
    codexHome,
    work,
    async run(args, options = {}) {
      // Options go after the subcommand path (`exec`, `exec resume`) and before its arguments.
      const [command, ...rest] = args;
      const result = await execa(bin, [command!, ...overrides, ...OFFICIAL_QUIET, ...rest], {
        cwd: work,
        env,
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        stripFinalNewline: false,
        timeout: options.timeoutMs ?? OFFICIAL_DEADLINE_MS,
        forceKillAfterDelay: 2_000,
      });
      const stdout = String(result.stdout ?? '');
      let events: Record<string, unknown>[] = [];
      try {
        events = jsonLines(stdout);
      } catch {
        events = [];
      }
      return { exitCode: result.exitCode, timedOut: result.timedOut, stdout, stderr: String(result.stderr ?? ''), events };
    },
  };
}

/** A 1×1 PNG, as small as an image gets. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
