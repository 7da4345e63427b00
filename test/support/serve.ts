// Starts `codex serve` in front of the fake and waits for its "listening" line: the built binary in a process of
// its own (startServe), or the CLI's own entry in this process (startServeInProcess, through runInProcess).
import { EventEmitter } from 'node:events';
import { Readable, Writable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';
import { CLI, cliEnv, type RunOptions, runInProcess } from './cli.js';

export interface ServedInProcess {
  /** The base URL an OpenAI client takes, ending in /v1. */
  url: string;
  /** Everything the server has written to stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
}

export interface Served extends ServedInProcess {
  child: ResultPromise;
}

const LISTENING = /codex serve: listening on (http:\/\/\S+\/v1)/;

/**
 * The key the SDK tests send (`apiKey: 'unused'`): serve always requires one, and makes its own when none is given.
 * Pass `env: { CODEX_SERVE_API_KEY: undefined }` to see that.
 */
export const TEST_SERVE_KEY = 'unused';

export async function startServe(args: string[], options: RunOptions): Promise<Served> {
  const child = execa(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    reject: false,
    extendEnv: false,
    env: cliEnv({ ...options, env: { CODEX_SERVE_API_KEY: TEST_SERVE_KEY, ...options.env } }),
    stdin: 'ignore',
    timeout: 120_000,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const match = LISTENING.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void child.then((result) => reject(new Error(`codex serve exited ${result.exitCode} before listening: ${stderr}`)));
  });
  let stopped: Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> | undefined;
  return {
    url,
    child,
    stderr: () => stderr,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
        const result = await child;
        return { exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr };
      })();
      return stopped;
    },
  };
}

/**
 * `codex serve` run in this process (main() with the same environment startServe gives the binary): stop() sends
 * SIGTERM through the run's own signals and waits for main() to return. What needs the server's own process (its
 * pid: /proc, another user's view of it, its memory) stays with startServe.
 */
export async function startServeInProcess(args: string[], options: RunOptions): Promise<ServedInProcess> {
  const signals = new EventEmitter();
  let stdout = '';
  let stderr = '';
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const sink = (add: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        add(chunk.toString('utf8'));
        done();
      },
    });
  const run = runInProcess(['serve', '--port', '0', ...args], {
    ...options,
    env: { CODEX_SERVE_API_KEY: TEST_SERVE_KEY, ...options.env },
    signals,
    timeoutMs: 120_000,
    stdio: {
      stdin: Readable.from([]),
      stdout: sink((text) => (stdout += text)),
      stderr: sink((text) => {
        stderr += text;
        const match = LISTENING.exec(stderr);
        if (match) listening(match[1]!);
      }),
    },
  });
  const exited = run.then((result) => {
    throw new Error(`codex serve exited ${result.exitCode} before listening: ${stderr}`);
  });
  exited.catch(() => undefined);
  let stopped: Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> | undefined;
  return {
    url: await Promise.race([url, exited]),
    stderr: () => stderr,
    stop() {
      stopped ??= (async () => {
        signals.emit('SIGTERM');
        const result = await run;
        return { exitCode: result.exitCode, stdout, stderr };
      })();
      return stopped;
    },
  };
}
