import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenManager } from '../../src/auth/token-manager.js';
import { type Credentials, FileCredentialStore, MemoryCredentialStore } from '../../src/store/credentials.js';
import { withFileLock } from '../../src/store/lock.js';
import { accessTokenFor } from '../fake/tokens.js';
import { tempDir } from '../support/temp.js';

const NOW_S = 1_800_000_000;
const account = { accountId: 'acct_1', email: 'a@example.com', plan: 'plus', userId: 'u' };

function creds(expiresAt: number, n = 0): Credentials {
  return { access_token: accessTokenFor(account, expiresAt) + n, refresh_token: `rt_${n}`, expires_at: expiresAt, account_id: 'acct_1' };
}

function manager(initial: Credentials) {
  const store = new MemoryCredentialStore(initial);
  const calls: string[] = [];
  let n = 0;
  const oauth = {
    refresh: async (refreshToken: string) => {
      calls.push(refreshToken);
      await new Promise((resolve) => setImmediate(resolve));
      n++;
      return { access_token: accessTokenFor(account, NOW_S + 3600 * n), refresh_token: `rt_new_${n}` };
    },
  };
  const refreshed: Credentials[] = [];
  const tokens = new TokenManager({ store, oauth, nowMs: () => NOW_S * 1000, onRefresh: (c) => void refreshed.push(c) });
  return { tokens, calls, store, refreshed };
}

describe('TokenManager', () => {
  it.each([
    // [seconds until expiry, refreshes?]
    // Five minutes ahead, as the official client refreshes.
    [3600, false],
    [301, false],
    [300, true],
    [31, true],
    [0, true],
    [-100, true],
  ])('a token expiring in %i s is refreshed before use: %s', async (inS, expected) => {
    const { tokens, calls } = manager(creds(NOW_S + inS));
    await tokens.valid();
    expect(calls.length > 0).toBe(expected);
  });

  it('concurrent callers share one refresh, and the rotated token is stored and reported once', async () => {
    const { tokens, calls, store, refreshed } = manager(creds(NOW_S - 1));
    const results = await Promise.all([tokens.valid(), tokens.valid(), tokens.valid()]);
    expect(calls).toEqual(['rt_0']);
    expect(new Set(results.map((r) => r.access_token)).size).toBe(1);
    expect((await store.read())!.refresh_token).toBe('rt_new_1');
    expect(refreshed).toHaveLength(1);
  });

  it('after a 401, uses credentials someone else already replaced instead of refreshing again', async () => {
    const { tokens, calls, store } = manager(creds(NOW_S + 3600, 1));
    const rejected = creds(NOW_S + 3600, 0);
    await store.save(creds(NOW_S + 3600, 1));
    const result = await tokens.afterUnauthorized(rejected);
    expect(calls).toEqual([]);
    expect(result.refresh_token).toBe('rt_1');
    await tokens.afterUnauthorized(result);
    expect(calls).toEqual(['rt_1']);
  });

  it('refresh(ifExpiringWithinS) refreshes only when needed', async () => {
    const { tokens, calls } = manager(creds(NOW_S + 3 * 86_400));
    expect((await tokens.refresh(2 * 86_400)).refreshed).toBe(false);
    expect((await tokens.refresh(4 * 86_400)).refreshed).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('a throwing onRefresh fails the call', async () => {
    const store = new MemoryCredentialStore(creds(NOW_S - 1));
    const tokens = new TokenManager({
      store,
      oauth: { refresh: async () => ({ access_token: accessTokenFor(account, NOW_S + 60), refresh_token: 'x' }) },
      nowMs: () => NOW_S * 1000,
      onRefresh: () => {
        throw new Error('disk full');
      },
    });
    await expect(tokens.valid()).rejects.toThrow('disk full');
  });
});

describe('file lock', () => {
  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = tempDir();
    const path = join(dir, 'auth.json.lock');
    writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), created: Date.now(), nonce: 'dead' }));
    const value = await withFileLock(path, async () => 'ran', { waitMs: 2000 });
    expect(value).toBe('ran');
    expect(existsSync(path)).toBe(false);
  });

  it('serialises holders', async () => {
    const path = join(tempDir(), 'x.lock');
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withFileLock(path, async () => {
          order.push(`${name}+`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push(`${name}-`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i]!.slice(0, 1)).toBe(order[i + 1]!.slice(0, 1));
  });

  it('a file store refuses to overwrite a corrupt auth.json unless asked to', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.json'), '{broken');
    const store = new FileCredentialStore(dir);
    await expect(store.read()).rejects.toMatchObject({ code: 'credentials_corrupt' });
    await expect(store.save(creds(NOW_S))).rejects.toMatchObject({ code: 'credentials_corrupt' });
    await store.save(creds(NOW_S), { replaceCorrupt: true });
    expect((await store.read())!.account_id).toBe('acct_1');
  });
});
