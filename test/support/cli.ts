// Running the built binary the way a user would, and reading what it printed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
