/**
 * A leftover credential lock (issue 13, item 2): what a SIGKILL or crash during a refresh leaves. The old
 * takeover renamed whatever was at the path *now* (possibly a fresh lock) and linked it back, so several
 * processes could each believe they held the lock and spend the same single-use refresh token.
 *
 * What must hold: with a leftover lock (a dead pid on this host, or another host's old lock), 50 parallel
 * processes × 20 rounds make exactly one network refresh per round, and every one of them succeeds.
 *
 * To keep this cheap enough for CI, the 50 processes are started once and each runs the 20 rounds: a tiny
 * program around FileCredentialStore + TokenManager (what `codex ask` uses; bundled from src/ beside it, since the
 * package root does not export the token manager), told by a line on
 * stdin when a round starts. The fake issuer counts the refreshes and refuses a reused refresh token.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliEnv, waitFor } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { world } from '../support/world.js';

const WORKER = `
import { createInterface } from 'node:readline';
import { FileCredentialStore, OAuthClient, TokenManager } from './core.mjs';
const [dir, issuer] = process.argv.slice(2);
const tokens = new TokenManager({ store: new FileCredentialStore(dir), oauth: new OAuthClient({ issuer, refreshRetries: 0 }) });
process.stdout.write('ready\\n');
for await (const round of createInterface({ input: process.stdin })) {
  try {
    await tokens.valid();
    process.stdout.write('ok ' + round + '\\n');
  } catch (error) {
    process.stdout.write('err ' + round + ' ' + error.code + '\\n');
  }
}
`;

/** A pid that is certainly gone: a child that has exited and been reaped. */
const deadPid = spawnSync(process.execPath, ['-e', '']).pid;

function plantLeftoverLock(dir: string, round: number): void {
  const owner =
    round % 2 === 0
      ? { pid: deadPid, host: hostname(), created: Date.now(), nonce: `dead-${round}` }
      : { pid: 1, host: 'another-host.example', created: Date.now() - 10 * 60_000, nonce: `old-${round}` };
  writeFileSync(join(dir, 'auth.json.lock'), JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
}

describe('a leftover credential lock', () => {
  it('50 processes × 20 rounds, each round starting with a leftover lock: one refresh per round, all succeed', async () => {
    const PROCESSES = 50;
    const ROUNDS = 20;
    const w = await world(-60);
    const scriptDir = tempDir('codex-locker-');
    const script = join(scriptDir, 'worker.mjs');
    writeFileSync(script, WORKER);
    // Split, as dist/ is: what is imported lazily (undici, for a proxy) stays in chunks of its own, which these
    // workers never load. One file parsed ≈40 ms more CPU per process, 50 times (≈1.2 MB, mostly undici).
    await build({
      stdin: {
        contents:
          "export { FileCredentialStore } from './src/store/credentials.ts'; export { OAuthClient } from './src/auth/oauth.ts'; export { TokenManager } from './src/auth/token-manager.ts';",
        resolveDir: resolve('.'),
        sourcefile: 'core.ts',
        loader: 'ts',
      },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      outdir: scriptDir,
      entryNames: 'core',
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
    });
    const answers: string[][] = Array.from({ length: ROUNDS }, () => []);
    const workers: ResultPromise[] = [];
    try {
      let ready = 0;
      for (let i = 0; i < PROCESSES; i++) {
        const child = execa(process.execPath, [script, w.dir, w.fake.issuer], { reject: false, env: cliEnv({}), extendEnv: false, stdin: 'pipe', timeout: 120_000 });
        let buffered = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) {
            if (line === 'ready') ready += 1;
            else answers[Number(line.split(' ')[1])]!.push(line);
          }
        });
        workers.push(child);
      }
      await waitFor(() => ready === PROCESSES, 60_000, 'the workers to start');
      for (let round = 0; round < ROUNDS; round++) {
        if (round > 0) writeFileSync(join(w.dir, 'auth.json'), JSON.stringify(w.fake.issueTokens(-60)), { mode: 0o600 });
        plantLeftoverLock(w.dir, round);
        for (const child of workers) child.stdin!.write(`${round}\n`);
        await waitFor(() => answers[round]!.length === PROCESSES, 60_000, `round ${round}`);
        expect(
          answers[round]!.filter((line) => !line.startsWith('ok ')),
          `round ${round}`,
        ).toEqual([]);
        expect(w.fake.refreshRequests, `round ${round}`).toHaveLength(round + 1);
        expect(existsSync(join(w.dir, 'auth.json.lock'))).toBe(false);
        expect(existsSync(join(w.dir, 'auth.json.lock.break'))).toBe(false);
      }
      for (const child of workers) child.stdin!.end();
      const runs = await Promise.all(workers);
      for (const run of runs) expect(run.exitCode, String(run.stderr)).toBe(0);
      expect(readdirSync(w.dir)).toEqual(['auth.json']);
    } finally {
      for (const child of workers) child.kill();
      await Promise.allSettled(workers);
      await w.close();
    }
  }, 120_000);
});
