// The library on the Redis credential store (issue 30): the `credentialStore` option of fromStore, and the store's
// own rules, each checked against a real redis-server: compare-and-set on the version, writes fenced by the lock,
// and a connection the server dropped made again.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, Codex, parseStoreUrl, RedisCredentialStore } from '../../src/index.js';
import { useFake } from '../support/fake.js';
import { redisAvailable, useRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';

const fake = useFake();
const available = redisAvailable();
const KEY = 'codex-oauth:auth:default';

describe.skipIf(!available)('the library on a Redis credential store', () => {
  const redis = useRedis();
  beforeEach(async () => {
    await redis.server.command(['FLUSHALL']);
  });
  const store = (query?: string) => new RedisCredentialStore(parseStoreUrl(redis.server.url(query ? { query } : {}), 'test')!, { profile: 'default' });

  it('fromStore({ credentialStore }) answers with the sign-in in Redis and writes the refreshed tokens back there', async () => {
    const tokens = fake.issueTokens(-60);
    await redis.server.command(['HSET', KEY, 'auth', JSON.stringify(tokens), 'version', '1']);
    const dir = tempDir();
    const codex = Codex.fromStore({ configDir: dir, credentialStore: redis.server.url(), baseUrl: fake.baseUrl, issuer: fake.issuer });
    const result = await codex.complete({ prompt: 'hi' });
    expect(result.text).toBe('You said: hi');
    expect(fake.refreshCount).toBe(1);
    expect(await redis.server.command(['HGET', KEY, 'version'])).toBe('2');
    const saved = JSON.parse((await redis.server.command(['HGET', KEY, 'auth'])) as string) as { refresh_token: string };
    expect(saved.refresh_token).not.toBe(tokens.refresh_token);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
    expect(() => Codex.fromStore({ configDir: dir, credentialStore: 'memcached://x' })).toThrow('credentialStore must be `file` or a redis:// or rediss:// URL');
  });

  it('a write never overwrites a newer sign-in: the version it read must still be the current one', async () => {
    await redis.server.command(['HSET', KEY, 'auth', JSON.stringify(fake.issueTokens()), 'version', '1']);
    const slow = store();
    const fast = store();
    await slow.read();
    await fast.read();
    const newer = fake.issueTokens();
    await fast.save({ ...newer });
    await expect(slow.save({ ...fake.issueTokens() })).rejects.toThrow(
      `${KEY} in ${redis.server.url()} was changed by another process meanwhile; the newer sign-in was kept`,
    );
    expect(JSON.parse((await redis.server.command(['HGET', KEY, 'auth'])) as string)).toEqual(newer);
    expect(await redis.server.command(['HGET', KEY, 'version'])).toBe('2');
  });

  it('a holder whose lock was lost writes nothing (the fencing token is checked with the write)', async () => {
    const before = fake.issueTokens();
    await redis.server.command(['HSET', KEY, 'auth', JSON.stringify(before), 'version', '1']);
    const holder = store('lease_ms=1000');
    const error = await holder
      .withLock(async () => {
        await holder.read();
        // Another process took the lock after this one's lease ran out.
        await redis.server.command(['SET', 'codex-oauth:lock:default', 'someone-else']);
        await holder.save({ ...fake.issueTokens() });
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('refresh_failed');
    expect((error as AuthError).message).toContain('no longer holds the credential lock codex-oauth:lock:default');
    expect(JSON.parse((await redis.server.command(['HGET', KEY, 'auth'])) as string)).toEqual(before);
    // Its release left the other process's lock alone.
    expect(await redis.server.command(['GET', 'codex-oauth:lock:default'])).toBe('someone-else');
  });

  it('a connection the server dropped is made again on the next call (a long-running codex serve)', async () => {
    const tokens = fake.issueTokens();
    await redis.server.command(['HSET', KEY, 'auth', JSON.stringify(tokens), 'version', '1']);
    const kept = store();
    expect((await kept.read())?.access_token).toBe(tokens.access_token);
    expect(Number(await redis.server.command(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']))).toBeGreaterThanOrEqual(1);
    // The client learns of the close asynchronously; the first call after it may fail, the next one reconnects.
    const first = await kept.read().catch((error: unknown) => error);
    const again = first instanceof Error ? await kept.read() : first;
    expect((again as { access_token?: string } | undefined)?.access_token).toBe(tokens.access_token);
  });
});
