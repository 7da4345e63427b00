// Starts `codex serve` (the built binary) in front of the fake and waits for its "listening" line.
import { execa, type ResultPromise } from 'execa';
import { CLI, cliEnv, type RunOptions } from './cli.js';

export interface Served {
  /** The base URL an OpenAI client takes, ending in /v1. */
  url: string;
  child: ResultPromise;
  /** Everything the server has written to stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }>;
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
