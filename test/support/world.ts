/**
 * Shared pieces of the fault-injection suite: every scenario gets its own fake and config dir (so rows can run
 * concurrently), runs the command, and is checked the same way — exit code, stdout, stderr (one line
 * `codex: …`, never a stack trace) and the credential file afterwards. Each table runs twice: plain, and with
 * --verbose, where the only extra promise is "still no secret anywhere".
 *
 * runScenario runs the command in this process (runInProcess: the CLI's own entry with the same environment a
 * spawned run gets) unless the scenario asks for `spawn` — a fault that needs a process of its own: signals, a
 * ulimit, a second process holding a lock, a FIFO that would block this process's event loop, a proxy (undici's
 * global dispatcher is process-wide), a working directory. Those run the built binary (runCli).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FakeCodex, IssuedTokens } from '../fake/server.js';
import { type CliRun, expectNoSecrets, jsonLines, type RunOptions, runCli, runInProcess } from './cli.js';
import { startFake } from './fake.js';
import { configDirWith, removeDir } from './temp.js';

/** The --verbose line a run prints once it finds the credential lock busy and starts waiting for it. */
export const LOCK_WAIT_LINE = 'codex: waiting for the credential lock (held by another codex process)\n';

export const MODES = [
  { mode: 'plain', verbose: false },
  { mode: 'verbose', verbose: true },
] as const;

/**
 * The rows a mode runs. Verbose runs every row (the secrets check needs diagnostics on). Plain runs the rows
 * where its stricter stderr check says something: an error (exactly one line) or an expected warning. Rows
 * marked `once` (heavy) run in verbose mode only.
 */
export function rowsFor<T extends { expected: Expected | ((...args: never[]) => Expected); once?: boolean }>(
  rows: T[],
  verbose: boolean,
  probe?: (row: T) => Expected,
): T[] {
  if (verbose) return rows;
  return rows.filter((row) => {
    if (row.once) return false;
    const expected = probe ? probe(row) : (row.expected as Expected);
    return expected.error !== undefined || (expected.warnings?.length ?? 0) > 0;
  });
}

export interface World {
  fake: FakeCodex;
  dir: string;
  tokens: IssuedTokens;
  /** auth.json as it was written before the run. */
  authBefore: string;
  /** Closes the fake and removes the config dir (a concurrent row's dir would otherwise wait for the file's end). */
  close(): Promise<void>;
}

/** A fake plus a config dir logged in with tokens from it (`expiresInS` may be negative). */
export async function world(expiresInS?: number): Promise<World> {
  const fake = await startFake();
  const tokens = fake.issueTokens(expiresInS);
  const dir = configDirWith(tokens);
  const close = async () => {
    await fake.close();
    removeDir(dir);
  };
  return { fake, dir, tokens, authBefore: readFileSync(join(dir, 'auth.json'), 'utf8'), close };
}

/** Every token the fake ever handed out, plus what ended up on disk: none may appear in any output. */
export function secretsOf(w: World): string[] {
  const secrets = [w.tokens.access_token, w.tokens.refresh_token, w.tokens.id_token];
  const path = join(w.dir, 'auth.json');
  if (existsSync(path)) {
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      for (const key of ['access_token', 'refresh_token', 'id_token']) if (typeof saved[key] === 'string') secrets.push(saved[key]);
    } catch {
      // a corrupt file holds no secret of ours
    }
  }
  for (const request of w.fake.requests) {
    const auth = request.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) secrets.push(auth.slice(7));
    const body = request.body as Record<string, unknown> | undefined;
    for (const key of ['refresh_token', 'code', 'code_verifier']) if (typeof body?.[key] === 'string') secrets.push(body[key]);
  }
  return secrets;
}

export interface Expected {
  exit: number;
  /** The whole stdout (string), a pattern, or undefined for "anything". */
  stdout?: string | RegExp;
  /** The error line after `codex: ` (success: undefined → stderr must be empty in plain mode). */
  error?: RegExp;
  /** Warning lines allowed in plain mode before the error (e.g. a mode fix). */
  warnings?: RegExp[];
}

/** What a scenario printed and how it ended (a spawned run killed by a signal has no exit code). */
export type ScenarioRun = Omit<CliRun, 'exitCode'> & { exitCode?: number };

export interface ScenarioOptions extends Omit<RunOptions, 'fake' | 'configDir'> {
  /** Run the built binary in a process of its own (say why next to it); implied by `execa` options. */
  spawn?: boolean;
}

/** Runs `args` (plus --verbose in verbose mode) against the world and checks the common promises. */
export async function runScenario(w: World, args: string[], expected: Expected, verbose: boolean, options: ScenarioOptions = {}): Promise<ScenarioRun> {
  const { spawn, ...rest } = options;
  const argv = verbose ? ['--verbose', ...args] : args;
  // About 2/3 of the 60 s the tables give each row, so a hung run fails as a timeout of the run, not the test.
  const runOptions = { fake: w.fake, configDir: w.dir, timeoutMs: 40_000, ...rest };
  const run: ScenarioRun = spawn || rest.execa ? await runCli(argv, runOptions) : await runInProcess(argv, runOptions);
  checkOutcome(run, expected, verbose);
  expectNoSecrets(`${run.stdout}\n${run.stderr}`, secretsOf(w));
  return run;
}

export function checkOutcome(run: { exitCode?: number; stdout: string; stderr: string; signal?: string }, expected: Expected, verbose: boolean): void {
  const context = `stderr: ${run.stderr.slice(0, 2000)}`;
  expect(run.exitCode, context).toBe(expected.exit);
  if (typeof expected.stdout === 'string') expect(run.stdout).toBe(expected.stdout);
  else if (expected.stdout) expect(run.stdout).toMatch(expected.stdout);
  expectCleanStderr(run.stderr, expected, verbose);
}

/** One `codex: …` line for the error (after any expected warnings), never a stack trace. */
export function expectCleanStderr(stderr: string, expected: Pick<Expected, 'error' | 'warnings'>, verbose: boolean): void {
  expect(stderr, 'no stack trace').not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m);
  const lines = stderr.split('\n');
  expect(lines.pop(), 'stderr ends with a newline').toBe('');
  for (const line of lines) expect(line, 'every stderr line is a codex: line').toMatch(/^codex: /);
  if (verbose) {
    if (expected.error) expect(lines.at(-1)!.slice('codex: '.length)).toMatch(expected.error);
    return;
  }
  const warnings = expected.warnings ?? [];
  const errorLines = expected.error ? 1 : 0;
  expect(lines, stderr).toHaveLength(warnings.length + errorLines);
  for (const [i, pattern] of warnings.entries()) expect(lines[i]).toMatch(pattern);
  if (expected.error) expect(lines.at(-1)!.slice('codex: '.length)).toMatch(expected.error);
}

/** In --json mode: `start` first and exactly one terminal event, last. */
export function terminalEvent(stdout: string): Record<string, unknown> {
  const events = jsonLines(stdout);
  expect(events[0]?.type).toBe('start');
  const terminals = events.filter((e) => e.type === 'result' || e.type === 'error');
  expect(terminals).toHaveLength(1);
  expect(events.at(-1)).toBe(terminals[0]);
  return terminals[0]!;
}

export function authNow(w: World): string | undefined {
  const path = join(w.dir, 'auth.json');
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** True while a process exists and is not a zombie (PID 1 in a container may not reap orphans). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
