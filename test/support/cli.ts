// Running the built binary the way a user would, and reading what it printed.
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { execa, type Options, type ResultPromise } from 'execa';
import type { FakeCodex } from '../fake/server.js';
import { tempDir } from './temp.js';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

export interface RunOptions {
  fake?: FakeCodex;
  configDir?: string;
  /** Bytes for stdin; when absent stdin is closed (as in CI). */
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  execa?: Options;
}

/** The environment of a clean run: no proxy, no inherited codex variables, the fake as issuer and backend. */
export function cliEnv(options: RunOptions): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: options.configDir ?? tempDir(),
    LANG: 'C.UTF-8',
    // The npm registry (asked for the newest Codex version) is never the real one in tests: a closed loopback port.
    CODEX_NPM_REGISTRY: 'http://127.0.0.1:9',
    ...(options.fake ? { CODEX_BASE_URL: options.fake.baseUrl, CODEX_ISSUER: options.fake.issuer } : {}),
    ...(options.configDir ? { CODEX_CONFIG_DIR: options.configDir } : {}),
    ...options.env,
  };
  return env;
}

/** Runs the built binary; never rejects on a non-zero exit. */
export function runCli(args: string[], options: RunOptions = {}): ResultPromise<{ reject: false; extendEnv: false; stripFinalNewline: false }> {
  return execa(process.execPath, [CLI, ...args], {
    reject: false,
    extendEnv: false,
    stripFinalNewline: false,
    env: cliEnv(options),
    timeout: options.timeoutMs ?? 20_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
    ...(options.execa as object),
  }) as never;
}

/** What a run printed and how it ended: the fields runCli's result and runInProcess's share. */
export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface InProcessOptions extends Omit<RunOptions, 'execa'> {
  /** The path the program is run as (process.argv[1] of a real run): `…/codex-oauth` makes it `codex-oauth`. */
  programPath?: string;
  /** Where the run's SIGINT/SIGTERM come from: emit on it to send one. */
  signals?: EventEmitter;
  /**
   * The working directory of the run (relative paths, `-o out.md`): this process's, changed for the run and back.
   * Needs the forks pool (a worker thread cannot chdir) and a run that overlaps no other.
   */
  cwd?: string;
  /**
   * Streams of the run's own (a shell's pipes and files: test/docs/readme.test.ts): what the run prints goes there,
   * and the result's stdout and stderr are empty.
   */
  stdio?: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
  /** Called with each piece of stderr as the run prints it (the result still holds all of it). */
  onStderr?: (text: string) => void;
}

/** A stream that keeps what is written to it, shaped as the process's stdout/stderr when they are pipes. */
function capture(onChunk?: (text: string) => void): { stream: NodeJS.WriteStream; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      onChunk?.(chunk.toString('utf8'));
      done();
    },
  });
  return { stream: stream as NodeJS.WriteStream, bytes: () => Buffer.concat(chunks) };
}

/**
 * What a process has of its own and runs in-process would otherwise share: the connection pools (node:http's
 * keep-alive agents, undici's dispatcher: a socket the fake closed between two runs must not be reused) and the
 * cookie jar. Runs that overlap (concurrent tests) share one.
 */
let active = 0;
let pool: { close: () => Promise<void> } | undefined;
async function freshProcessState(): Promise<void> {
  if (active++ > 0) return;
  const [{ Agent, getGlobalDispatcher, setGlobalDispatcher }, { processCookies }] = await Promise.all([import('undici'), import('../../src/transport/http-send.js')]);
  http.globalAgent.destroy();
  https.globalAgent.destroy();
  const previous = getGlobalDispatcher();
  const agent = new Agent();
  setGlobalDispatcher(agent);
  pool = {
    close: async () => {
      // A proxy a run installed (HTTPS_PROXY) replaced the pool: it goes with it. The test's own requests (fetch)
      // go through the dispatcher it had.
      const current = getGlobalDispatcher();
      setGlobalDispatcher(previous);
      http.globalAgent.destroy();
      https.globalAgent.destroy();
      await Promise.all([agent.destroy(), current !== agent ? current.destroy() : undefined]);
      // The cookies the runs were given go with them: the next file in this worker (isolate: false) starts clean.
      processCookies.clear();
    },
  };
  processCookies.clear();
}
async function processStateDone(): Promise<void> {
  if (--active > 0) return;
  await pool?.close();
  pool = undefined;
}

/**
 * Runs a command in this process through the CLI's own entry (src/cli/main.ts), with the same environment as
 * runCli and the same result shape: switching a test between the two is changing the call. What needs a real
 * process (signals to it, EPIPE, the process's exit, the start-up path, NODE_* variables, a working directory) stays with
 * runCli.
 */
export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<CliRun & { stdoutBytes: Buffer }> {
  if ('execa' in options) throw new Error('runInProcess: execa options need a process (use runCli)');
  const env = cliEnv(options);
  const { main } = await import('../../src/cli/main.js');
  const stdout = capture();
  const stderr = capture(options.onStderr);
  const stdin = (options.stdio?.stdin ?? Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)])) as NodeJS.ReadStream;
  const timeoutMs = options.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const home = process.cwd();
  if (options.cwd !== undefined) {
    if (active > 0) throw new Error('runInProcess: a run with cwd cannot overlap another run');
    process.chdir(options.cwd);
  }
  await freshProcessState();
  const exitCode = await Promise.race([
    main(args, {
      stdin,
      stdout: (options.stdio?.stdout ?? stdout.stream) as NodeJS.WriteStream,
      stderr: (options.stdio?.stderr ?? stderr.stream) as NodeJS.WriteStream,
      env,
      platform: process.platform,
      signals: options.signals ?? new EventEmitter(),
      ...(options.programPath !== undefined ? { programPath: options.programPath } : {}),
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`runInProcess: codex ${args.join(' ')} did not end within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => {
    clearTimeout(timer);
    if (options.cwd !== undefined) process.chdir(home);
    return processStateDone();
  });
  const bytes = stdout.bytes();
  return { stdout: bytes.toString('utf8'), stderr: stderr.bytes().toString('utf8'), exitCode, stdoutBytes: bytes };
}

/** Parses JSON-lines stdout. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every secret the fake handed out; none may appear in any output. */
export function expectNoSecrets(output: string, secrets: string[]): void {
  for (const secret of secrets) {
    if (secret && output.includes(secret)) throw new Error(`a token appeared in the output: ${secret.slice(0, 12)}…`);
  }
}

/** Polls until `check` is true or the deadline passes. */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A module resolve hook that logs every URL Node resolves: `register` is the file to preload
 * (`--import=<register>`), `resolved()` reads the log back.
 */
export function resolveRecorder(): { register: string; resolved: () => string[] } {
  const dir = tempDir('codex-resolve-');
  const log = join(dir, 'resolved.log');
  const hook = join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}
`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
  return { register, resolved: () => [...new Set(readFileSync(log, 'utf8').trim().split('\n'))] };
}
