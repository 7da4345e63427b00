// FileCredentialStore reuses a read while auth.json is the same file, unchanged (issue 31: auth.json once per run).
// What must never happen: a change made by a save, another process or the user going unseen.
import fs, { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Credentials, FileCredentialStore } from '../../src/store/credentials.js';
import { configDirWith } from '../support/temp.js';

const creds = (n: number): Credentials => ({ access_token: `at_${n}`, refresh_token: `rt_${n}`, expires_at: 1_800_000_000 + n, account_id: 'acct_1' });

/** Counts the opens of auth.json (calls go through to the real fs). */
const opens: string[] = [];
const realOpen = fs.promises.open;
function countOpens(): void {
  fs.promises.open = ((path: fs.PathLike, ...rest: unknown[]) => {
    if (String(path).endsWith('auth.json')) opens.push(String(path));
    return (realOpen as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.promises.open;
  syncBuiltinESMExports();
}
afterEach(() => {
  fs.promises.open = realOpen;
  syncBuiltinESMExports();
  opens.length = 0;
});

describe('auth.json reads', () => {
  it('are made once while the file is unchanged, parallel reads included', async () => {
    const store = new FileCredentialStore(configDirWith(creds(1)));
    countOpens();
    const reads = [await store.read(), ...(await Promise.all([store.read(), store.read()])), await store.read()];
    expect(reads).toEqual([creds(1), creds(1), creds(1), creds(1)]);
    expect(opens).toHaveLength(1);
  });

  it('hand out copies: a caller changing one does not change the next read', async () => {
    const store = new FileCredentialStore(configDirWith(creds(1)));
    const first = await store.read();
    first!.access_token = 'changed';
    expect(await store.read()).toEqual(creds(1));
  });

  it('see a save of this store, a rename by another process, an in-place rewrite of the same size and a removal', async () => {
    const dir = configDirWith(creds(1));
    const store = new FileCredentialStore(dir);
    expect(await store.read()).toEqual(creds(1));
    await store.save(creds(2));
    expect(await store.read()).toEqual(creds(2));
    writeFileSync(join(dir, 'other.json'), JSON.stringify(creds(3)), { mode: 0o600 });
    renameSync(join(dir, 'other.json'), join(dir, 'auth.json'));
    expect(await store.read()).toEqual(creds(3));
    writeFileSync(join(dir, 'auth.json'), JSON.stringify(creds(4)));
    expect(await store.read()).toEqual(creds(4));
    rmSync(join(dir, 'auth.json'));
    expect(await store.read()).toBeUndefined();
  });

  it('check the mode again after a chmod: a file opened to others is tightened, with the warning', async () => {
    const dir = configDirWith(creds(1));
    const warnings: string[] = [];
    const store = new FileCredentialStore(dir, { warn: (message) => warnings.push(message) });
    await store.read();
    chmodSync(join(dir, 'auth.json'), 0o644);
    expect(await store.read()).toEqual(creds(1));
    expect(warnings).toEqual([`${join(dir, 'auth.json')} was readable by others; its mode is now 0600`]);
    expect(fs.statSync(join(dir, 'auth.json')).mode & 0o777).toBe(0o600);
  });

  it('check the dir on every read: one made writable by others is refused, even with the file unchanged', async () => {
    const dir = configDirWith(creds(1));
    const store = new FileCredentialStore(dir);
    await store.read();
    chmodSync(dir, 0o777);
    await expect(store.read()).rejects.toMatchObject({ code: 'unsafe_permissions' });
  });
});
