/**
 * Two `codex config set` of different keys at the same moment: conf writes config.json atomically, but its
 * read-modify-write is not, so without a lock each process could write back the file it read and one key was lost.
 * `config set` now reads and writes under `<config-dir>/config.json.lock` (withFileLock, as auth.json's lock).
 *
 * What must hold: in every round, two real processes started together and awaited together both exit 0 with nothing
 * on stderr, and config.json holds both keys; no lock file is left behind.
 *
 * The two processes are started once and each runs the command once per round, when a line on stdin tells it to
 * (as lock-takeover.test.ts does): the built CLI's main() (dist/, what the binary runs after start-up) with the
 * environment a spawned run gets. Fifty process start-ups were most of this test's time, and a round's two commands
 * now start within the same moment instead of a process start-up apart, so the lock is contended every round.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliEnv, waitFor } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const ROUNDS = 25;

// Runs `codex config set <key> <value>` through the built main() for every line (a JSON environment) on stdin, and
// answers with a line of JSON: the exit code and what the command printed.
const WORKER = `
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { Readable, Writable } from 'node:stream';
const [mainUrl, key, value] = process.argv.slice(2);
const { main } = await import(mainUrl);
const sink = (add) => new Writable({ write(chunk, _encoding, done) { add(chunk.toString()); done(); } });
process.stdout.write('ready\\n');
for await (const line of createInterface({ input: process.stdin })) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(['config', 'set', key, value], {
    stdin: Readable.from([]),
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: JSON.parse(line),
    platform: process.platform,
    signals: new EventEmitter(),
  });
  process.stdout.write(JSON.stringify({ exitCode, stdout, stderr }) + '\\n');
}
`;

/** The built CLI's main module (dist/chunks/main-<hash>.js). */
function builtMain(): string {
  const chunks = resolve(import.meta.dirname, '../../dist/chunks');
  const found = readdirSync(chunks).filter((name) => /^main-[\w-]+\.js$/.test(name));
  if (found.length !== 1) throw new Error(`expected one dist/chunks/main-*.js, found ${JSON.stringify(found)}`);
  return pathToFileURL(join(chunks, found[0]!)).href;
}

interface Answer {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A started worker: `run(env)` runs the command once in it. */
function startWorker(script: string, key: string, value: string): { child: ResultPromise; ready: () => boolean; run: (env: object) => Promise<Answer> } {
  const child = execa(process.execPath, [script, builtMain(), key, value], { reject: false, env: cliEnv({}), extendEnv: false, stdin: 'pipe', timeout: 200_000 });
  let ready = false;
  let buffered = '';
  const waiting: ((answer: Answer) => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') ready = true;
      else waiting.shift()?.(JSON.parse(line) as Answer);
    }
  });
  return {
    child,
    ready: () => ready,
    run: (env) =>
      new Promise<Answer>((resolveAnswer, reject) => {
        waiting.push(resolveAnswer);
        void child.then((result) => reject(new Error(`the worker exited ${result.exitCode}: ${String(result.stderr)}`)));
        child.stdin!.write(`${JSON.stringify(env)}\n`);
      }),
  };
}

describe('concurrent codex config set', () => {
  it(`two processes setting different keys at once: both keys survive, ${ROUNDS} rounds`, { timeout: 240_000 }, async () => {
    const script = join(tempDir('codex-config-setter-'), 'worker.mjs');
    writeFileSync(script, WORKER);
    const workers = [startWorker(script, 'effort', 'high'), startWorker(script, 'verbosity', 'low')];
    try {
      await waitFor(() => workers.every((worker) => worker.ready()), 60_000, 'the two processes to start');
      const lost: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const dir = tempDir();
        const env = cliEnv({ configDir: dir });
        const [effort, verbosity] = await Promise.all(workers.map((worker) => worker.run(env)));
        expect([effort!.exitCode, effort!.stderr, verbosity!.exitCode, verbosity!.stderr]).toEqual([0, '', 0, '']);
        const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
        if (config.effort !== 'high' || config.verbosity !== 'low') lost.push(`round ${round}: ${JSON.stringify(config)}`);
        expect(readdirSync(dir).sort()).toEqual(['config.json']);
      }
      expect(lost).toEqual([]);
      for (const worker of workers) worker.child.stdin!.end();
      for (const run of await Promise.all(workers.map((worker) => worker.child))) expect([run.exitCode, String(run.stderr)]).toEqual([0, '']);
    } finally {
      for (const worker of workers) worker.child.kill();
      await Promise.allSettled(workers.map((worker) => worker.child));
    }
  });
});
