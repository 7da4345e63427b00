/**
 * Auth faults: refresh failures, locks, and other processes touching the same credentials.
 *
 * Already covered elsewhere (not repeated here):
 * - refresh before the request, rotated tokens saved 0600 ............... test/e2e/ask.test.ts "refreshes an expired access token"
 * - 401 → refresh → success; 401 after the refresh → exit 3, no loop ..... test/e2e/ask.test.ts "401 → one refresh → success; a second 401"
 * - refresh 401 refresh_token_reused → exit 3, file byte-identical ........ test/e2e/ask.test.ts "a reused refresh token" (here: + `status` after)
 * - 8 concurrent `ask` / 8 concurrent `refresh` → one refresh .............. test/e2e/ask.test.ts, test/e2e/login.test.ts (here: 20)
 */

import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { type Reply, raw, status } from '../fake/replies.js';
import { CLI, cliEnv, expectNoSecrets, runCli, runInProcess, waitFor } from '../support/cli.js';
import { fileMode, readAuth } from '../support/temp.js';
import { authNow, checkOutcome, type Expected, LOCK_WAIT_LINE, MODES, rowsFor, runScenario, secretsOf, terminalEvent, type World, world } from '../support/world.js';

const closedPort = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  });
});

interface Row {
  name: string;
  tokenReplies?: Reply[];
  args?: (w: World) => string[];
  expected: Expected;
  /** Network refreshes the fake must have seen. */
  refreshes: number;
  /** 'rotated': new tokens saved 0600; 'kept': byte-identical. */
  auth: 'rotated' | 'kept';
  after?: (w: World, verbose: boolean) => Promise<void>;
}

const rows: Row[] = [
  // Refresh answered 503 once: transient, retried, then the request goes through with the rotated tokens.
  {
    name: 'refresh 503 once (transient, retried)',
    tokenReplies: [status(503, { error: 'temporarily_unavailable' })],
    expected: { exit: 0, stdout: /^\{"type":"start"/ },
    refreshes: 2,
    auth: 'rotated',
  },
  // Refresh 502 on every try: exit 3 refresh_failed, the old credentials kept.
  {
    name: 'refresh 5xx on every try',
    tokenReplies: [status(502, 'Bad gateway'), status(502, 'Bad gateway'), status(502, 'Bad gateway')],
    expected: { exit: 3, error: /refreshing the sign-in failed/ },
    refreshes: 3,
    auth: 'kept',
  },
  // refresh_token_reused is permanent: one try, exit 3 "sign in again", file kept, and `status` still reads it.
  {
    name: 'refresh 401 refresh_token_reused (permanent)',
    tokenReplies: [status(401, { error: { code: 'refresh_token_reused', message: 'already used' } })],
    expected: { exit: 3, error: /sign in again/ },
    refreshes: 1,
    auth: 'kept',
    after: async (w) => {
      const run = await runInProcess(['status', '--json'], { fake: w.fake, configDir: w.dir });
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ logged_in: true, email: w.tokens.email, source: 'file' });
      expectNoSecrets(run.stdout + run.stderr, secretsOf(w));
    },
  },
  // refresh_token_expired / invalidated: permanent too.
  {
    name: 'refresh 401 refresh_token_expired',
    tokenReplies: [status(401, { error: 'refresh_token_expired', error_description: 'expired' })],
    expected: { exit: 3, error: /expired; sign in again/ },
    refreshes: 1,
    auth: 'kept',
  },
  // A 200 from the token endpoint that is not a token answer: exit 3, file kept.
  {
    name: 'refresh 200 with an HTML page',
    tokenReplies: [raw('<html>login</html>', 'text/html')],
    expected: { exit: 3, error: /unreadable answer/ },
    refreshes: 1,
    auth: 'kept',
  },
  // The issuer cannot be reached at all: retried, then exit 3 naming it.
  {
    name: 'refresh: issuer unreachable',
    args: () => ['--issuer', `http://127.0.0.1:${closedPort}`],
    expected: { exit: 3, error: /could not reach http:\/\/127\.0\.0\.1:\d+ to refresh the sign-in: ECONNREFUSED/ },
    refreshes: 0,
    auth: 'kept',
  },
];

describe.each(MODES)('refresh faults ($mode)', ({ verbose }) => {
  it.concurrent.each(rowsFor(rows, verbose))(
    '$name',
    async (row) => {
      const w = await world(-60);
      try {
        w.fake.tokenReplies.push(...(row.tokenReplies ?? []));
        const run = await runScenario(w, [...(row.args?.(w) ?? []), 'ask', '--json', 'q'], row.expected, verbose);
        expect(terminalEvent(run.stdout).exit_code ?? 0).toBe(row.expected.exit);
        expect(w.fake.refreshRequests).toHaveLength(row.refreshes);
        if (row.auth === 'kept') expect(authNow(w)).toBe(w.authBefore);
        else {
          expect(readAuth(w.dir).refresh_token).not.toBe(w.tokens.refresh_token);
          expect(fileMode(join(w.dir, 'auth.json'))).toBe(0o600);
        }
        expect(existsSync(join(w.dir, 'auth.json.lock'))).toBe(false);
        await row.after?.(w, verbose);
      } finally {
        await w.close();
      }
    },
    60_000,
  );
});

/** Writes a lock file as another process would (our format: pid, host, created, nonce). */
function holdLock(dir: string, owner: { pid: number; created?: number }): string {
  const path = join(dir, 'auth.json.lock');
  writeFileSync(path, JSON.stringify({ pid: owner.pid, host: hostname(), created: owner.created ?? Date.now(), nonce: 'test' }), { flag: 'wx', mode: 0o600 });
  return path;
}

/** A refresh reply that never answers (the client is killed while waiting for it). */
const neverAnswers: Reply = ({ closed }) => closed;

interface Race {
  name: string;
  /** Test timeout (default 60 s); subprocesses get about 2/3 of it. */
  timeoutMs?: number;
  /** Runs only in these modes (a race that synchronises on --verbose diagnostics needs verbose). */
  modes: readonly ('plain' | 'verbose')[];
  drive(w: World, verbose: boolean): Promise<void>;
}

const races: Race[] = [
  // We hold the lock; codex (expired token) waits for it. Meanwhile "another process" rotates auth.json and
  // releases. codex must re-read the file and use those tokens: no refresh of its own, the file left as written.
  {
    name: 'another process rotated the token while we waited for the lock',
    modes: ['verbose'],
    drive: async (w) => {
      const lock = holdLock(w.dir, { pid: process.pid });
      const child = execa(process.execPath, [CLI, '--verbose', 'ask', 'q'], {
        env: cliEnv({ fake: w.fake, configDir: w.dir }),
        extendEnv: false,
        reject: false,
        stripFinalNewline: false,
        stdin: 'ignore',
        timeout: 40_000,
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await waitFor(() => stderr.includes(LOCK_WAIT_LINE), 15_000, 'codex to wait for the lock');
      const theirs = w.fake.issueTokens();
      writeFileSync(join(w.dir, 'auth.json'), JSON.stringify(theirs), { mode: 0o600 });
      rmSync(lock);
      const run = await child;
      checkOutcome(run, { exit: 0, stdout: 'You said: q\n' }, true);
      expect(run.stderr).toMatch(/refreshed by another process/);
      expect(w.fake.refreshRequests).toHaveLength(0);
      expect(w.fake.requestsTo('/backend-api/codex/responses')[0]!.headers.authorization).toBe(`Bearer ${theirs.access_token}`);
      expect(readAuth(w.dir)).toEqual(theirs);
      expectNoSecrets(run.stdout + run.stderr, [...secretsOf(w), theirs.access_token, theirs.refresh_token]);
    },
  },
  // A codex killed (SIGKILL) while refreshing leaves its lock behind; the next run sees the dead pid, takes the
  // lock over and refreshes.
  {
    name: 'stale lock left by a killed process is taken over',
    modes: ['plain', 'verbose'],
    drive: async (w, verbose) => {
      w.fake.tokenReplies.push(neverAnswers);
      const victim = runCli(['ask', 'q'], { fake: w.fake, configDir: w.dir });
      await waitFor(() => w.fake.refreshRequests.length === 1 && existsSync(join(w.dir, 'auth.json.lock')), 15_000, 'the first refresh');
      victim.kill('SIGKILL');
      await victim;
      expect(existsSync(join(w.dir, 'auth.json.lock'))).toBe(true);
      expect(authNow(w)).toBe(w.authBefore);
      const run = await runScenario(w, ['ask', 'q'], { exit: 0, stdout: 'You said: q\n' }, verbose);
      expect(run.exitCode).toBe(0);
      expect(w.fake.refreshRequests).toHaveLength(2);
      expect(readAuth(w.dir).refresh_token).not.toBe(w.tokens.refresh_token);
      expect(existsSync(join(w.dir, 'auth.json.lock'))).toBe(false);
    },
  },
  // A lock file with unreadable content, a minute old: judged by its age, taken over.
  {
    name: 'garbage lock file older than the stale age is taken over',
    modes: ['plain', 'verbose'],
    drive: async (w, verbose) => {
      const path = join(w.dir, 'auth.json.lock');
      writeFileSync(path, 'not a lock');
      const old = (Date.now() - 120_000) / 1000;
      utimesSync(path, old, old);
      await runScenario(w, ['ask', 'q'], { exit: 0, stdout: 'You said: q\n' }, verbose);
      expect(w.fake.refreshRequests).toHaveLength(1);
      expect(existsSync(path)).toBe(false);
    },
  },
  // A lock held by a live process for longer than a refresh can take (its `created` is 2 minutes old).
  {
    name: 'lock of a live process older than the stale age is taken over',
    modes: ['plain'],
    drive: async (w, verbose) => {
      holdLock(w.dir, { pid: process.pid, created: Date.now() - 120_000 });
      await runScenario(w, ['ask', 'q'], { exit: 0, stdout: 'You said: q\n' }, verbose);
      expect(w.fake.refreshRequests).toHaveLength(1);
    },
  },
  // 20 processes start at once with the same expired token: exactly one network refresh, all succeed.
  {
    name: '20 concurrent processes with an expired token → exactly one refresh',
    modes: ['verbose'],
    timeoutMs: 120_000,
    drive: async (w) => {
      w.fake.refreshDelayMs = 150;
      const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => runCli(['--verbose', 'ask', `q${i}`], { fake: w.fake, configDir: w.dir, timeoutMs: 80_000 })));
      for (const [i, run] of runs.entries()) checkOutcome(run, { exit: 0, stdout: `You said: q${i}\n` }, true);
      expect(w.fake.refreshRequests).toHaveLength(1);
      expect(existsSync(join(w.dir, 'auth.json.lock'))).toBe(false);
      expect(fileMode(join(w.dir, 'auth.json'))).toBe(0o600);
      const secrets = secretsOf(w);
      for (const run of runs) expectNoSecrets(run.stdout + run.stderr, secrets);
    },
  },
];

describe.each(MODES)('refresh races ($mode)', ({ mode, verbose }) => {
  for (const race of races.filter((r) => r.modes.includes(mode))) {
    it.concurrent(
      race.name,
      async () => {
        const w = await world(-60);
        try {
          await race.drive(w, verbose);
        } finally {
          await w.close();
        }
      },
      race.timeoutMs ?? 60_000,
    );
  }
});
