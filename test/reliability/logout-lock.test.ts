/**
 * Logout during a refresh (issue 13, item 12). Logout used to read and revoke outside the credential lock: with
 * a refresh in flight it revoked the old (already spent) refresh token, and the rotated one stayed live. Now it
 * takes the lock, re-reads, revokes what is live, and deletes.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../fake/replies.js';
import { CLI, cliEnv, runCli, waitFor } from '../support/cli.js';
import { LOCK_WAIT_LINE, world } from '../support/world.js';

describe('logout while another process refreshes', () => {
  it('waits for the refresh, then revokes the rotated refresh token and removes auth.json', async () => {
    const w = await world(-60);
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const rotated = w.fake.issueTokens();
      const slowRefresh: Reply = async ({ res }) => {
        await gate;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id_token: rotated.id_token, access_token: rotated.access_token, refresh_token: rotated.refresh_token, expires_in: 3600 }));
      };
      w.fake.tokenReplies.push(slowRefresh);
      const ask = runCli(['ask', 'q'], { fake: w.fake, configDir: w.dir, timeoutMs: 30_000 });
      await waitFor(() => w.fake.refreshRequests.length === 1, 15_000, 'the refresh to start');
      const logout = execa(process.execPath, [CLI, '--verbose', 'logout'], {
        env: cliEnv({ fake: w.fake, configDir: w.dir }),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 30_000,
      });
      let stderr = '';
      logout.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await waitFor(() => stderr.includes(LOCK_WAIT_LINE), 15_000, 'logout to wait for the lock');
      open();
      const [asked, out] = await Promise.all([ask, logout]);
      expect(asked.exitCode, asked.stderr).toBe(0);
      expect(out.exitCode, out.stderr).toBe(0);
      const revokes = w.fake.requestsTo('/oauth/revoke');
      expect(revokes).toHaveLength(1);
      expect((revokes[0]!.body as { token?: string }).token).toBe(rotated.refresh_token);
      expect(existsSync(join(w.dir, 'auth.json'))).toBe(false);
    } finally {
      await w.close();
    }
  });

  it('an ask that holds a good token finishes though `codex logout` removes auth.json before its request', async () => {
    const w = await world(-60);
    try {
      let loggedOut!: () => void;
      const logoutDone = new Promise<void>((resolve) => (loggedOut = resolve));
      // The catalog is answered only once logout has finished: the ask's request comes after auth.json is gone.
      const modelsAfterLogout: Reply = async ({ res }) => {
        await logoutDone;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ models: w.fake.models }));
      };
      w.fake.modelsReplies.push(modelsAfterLogout);
      const ask = runCli(['ask', 'q'], { fake: w.fake, configDir: w.dir, timeoutMs: 30_000 });
      await waitFor(() => w.fake.requestsTo('/backend-api/codex/models').length === 1, 15_000, 'the ask to refresh and ask for the catalog');
      const out = await execa(process.execPath, [CLI, 'logout'], { env: cliEnv({ fake: w.fake, configDir: w.dir }), extendEnv: false, reject: false, stdin: 'ignore' });
      expect(out.exitCode, out.stderr).toBe(0);
      expect(existsSync(join(w.dir, 'auth.json'))).toBe(false);
      loggedOut();
      const asked = await ask;
      expect(asked.exitCode, asked.stderr).toBe(0);
      expect(asked.stdout).toBe('You said: q\n');
      expect(w.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
    } finally {
      await w.close();
    }
  });
});
