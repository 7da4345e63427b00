// A fleet of runners sharing one sign-in through Redis (issue 30): the Redis lock makes exactly one refresh per
// expiry across machines, a holder that dies is superseded when its lease ends, and a store that dies mid-run is a
// clear exit 3. Each process gets a config dir of its own, as on a machine of its own.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultPromise } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { type RedisServer, redisAvailable, startRedis, useRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });
const available = redisAvailable();
const KEY = 'codex-oauth:auth:default';

/** Puts an expired sign-in into the store, as `codex login` on another machine would have left it. */
async function seedExpired(server: RedisServer): Promise<{ refresh_token: string }> {
  const tokens = fake.issueTokens(-60);
  await server.command(['HSET', KEY, 'auth', JSON.stringify(tokens), 'version', '1']);
  return tokens;
}

/** The stderr a running process has printed so far. */
function stderrOf(child: ResultPromise): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return () => text;
}

describe.skipIf(!available)('a fleet sharing one sign-in in Redis', () => {
  const redis = useRedis();
  beforeEach(async () => {
    await redis.server.command(['FLUSHALL']);
  });

  it('30 processes, each with its own config dir, and one expired token: exactly one refresh, and all 30 answer', async () => {
    const PROCESSES = 30;
    // One run first, on a valid token: what a single process costs on this machine right now.
    await redis.server.command(['HSET', KEY, 'auth', JSON.stringify(fake.issueTokens()), 'version', '1']);
    const single = Date.now();
    const one = await runCli(['ask', 'alone'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: redis.server.url() }, timeoutMs: 60_000 });
    expect(one.exitCode, one.stderr).toBe(0);
    const singleS = (Date.now() - single) / 1000;
    fake.reset();
    const seeded = await seedExpired(redis.server);
    const dirs = Array.from({ length: PROCESSES }, () => tempDir());
    const started = Date.now();
    const runs = await Promise.all(
      dirs.map((dir, index) => runCli(['ask', `runner ${index}`], { fake, configDir: dir, env: { CODEX_CREDENTIAL_STORE: redis.server.url() }, timeoutMs: 150_000 })),
    );
    const elapsedS = (Date.now() - started) / 1000;
    for (const [index, run] of runs.entries()) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toBe(`You said: runner ${index}\n`);
      expect(run.stderr).toBe('');
    }
    expect(fake.refreshRequests).toHaveLength(1);
    expect(fake.refreshCount).toBe(1);
    expect(fake.refreshRequests[0]?.body).toMatchObject({ refresh_token: seeded.refresh_token });
    expect(await redis.server.command(['HGET', KEY, 'version'])).toBe('2');
    expect(dirs.filter((dir) => existsSync(join(dir, 'auth.json')))).toEqual([]);
    // Bounded: no slower than the 30 runs one after another (a lock that waited out leases would be 15 s a run).
    expect(elapsedS).toBeLessThan(PROCESSES * singleS + 30);
  }, 400_000);

  it('the lock holder SIGKILLed mid-refresh: the next process takes over when the lease ends, and no sign-in is lost', async () => {
    const url = redis.server.url({ query: 'lease_ms=1000' });
    await seedExpired(redis.server);
    const release = fake.holdRefreshes();
    const holder = runCli(['ask', 'first'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: url }, timeoutMs: 60_000 });
    await waitFor(() => fake.refreshRequests.length === 1, 30_000, 'the holder to send its refresh');
    const next = runCli(['--verbose', 'ask', 'second'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: url }, timeoutMs: 60_000 });
    const nextStderr = stderrOf(next);
    await waitFor(() => nextStderr().includes('waiting for the credential lock'), 30_000, 'the next process to wait for the lock');
    holder.kill('SIGKILL');
    const killed = await holder;
    expect(killed.signal).toBe('SIGKILL');
    // The held refresh is let go only now that its client is gone: the issuer never saw it through.
    release();
    const took = await next;
    expect(took.exitCode, took.stderr).toBe(0);
    expect(took.stdout).toBe('You said: second\n');
    expect(took.stderr).toContain(`waiting for the credential lock codex-oauth:lock:default in ${redis.server.url()} (held by another codex process)`);
    expect(fake.refreshCount).toBe(1);
    expect(await redis.server.command(['EXISTS', 'codex-oauth:lock:default'])).toBe(0);
    // The sign-in lives on: a later refresh spends the refresh token that was saved.
    const later = await runCli(['refresh'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: url } });
    expect(later.exitCode, later.stderr).toBe(0);
    expect(fake.refreshCount).toBe(2);
  }, 120_000);

  it('Redis killed mid-run: a waiting process exits 3 naming the store within a few seconds; so does the holder', async () => {
    const own = await startRedis();
    try {
      const url = own.url();
      await seedExpired(own);
      const release = fake.holdRefreshes();
      const holder = runCli(['ask', 'first'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: url }, timeoutMs: 60_000 });
      await waitFor(() => fake.refreshRequests.length === 1, 30_000, 'the holder to send its refresh');
      const waiter = runCli(['--verbose', 'ask', 'second'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: url }, timeoutMs: 60_000 });
      const waiterStderr = stderrOf(waiter);
      await waitFor(() => waiterStderr().includes('waiting for the credential lock'), 30_000, 'the waiter to wait for the lock');
      await own.kill();
      const killedAt = Date.now();
      const waited = await waiter;
      const afterKillMs = Date.now() - killedAt;
      expect(waited.exitCode).toBe(3);
      const unreachable = new RegExp(`^codex: credential store ${url.replace(/[/.]/g, '\\$&')} is unreachable: `, 'm');
      expect(waited.stderr).toMatch(unreachable);
      expect(afterKillMs).toBeLessThan(8_000);
      release();
      const held = await holder;
      expect(held.exitCode).toBe(3);
      expect(held.stderr).toMatch(unreachable);
      expect(held.stderr).toContain('; the new sign-in was not saved, so the stored one may be spent: run `codex login` once the store is back\n');
      expect(held.stdout).toBe('');
    } finally {
      await own.stop();
    }
  }, 120_000);
});
