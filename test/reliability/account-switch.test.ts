/**
 * Sign-in into someone else's account (issue 13, item 10). Another local user who can read the authorize URL
 * (the browser launcher's argv) could sign this machine into their own account. Now a sign-in into a different
 * account than before is pointed out, and `login --expect-email` saves only the expected account's sign-in.
 * Driven through `login --import`, which saves through the same path as the browser and device sign-ins.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { readAuth } from '../support/temp.js';
import { authNow, runScenario, type World, world } from '../support/world.js';

function officialFile(w: World, account?: { accountId: string; email: string; plan: string; userId: string }): string {
  const tokens = w.fake.issueTokens(3600, account);
  const path = join(w.dir, '..', `${w.dir.split('/').at(-1)}-official.json`);
  writeFileSync(
    path,
    JSON.stringify({
      auth_mode: 'chatgpt',
      tokens: { access_token: tokens.access_token, refresh_token: tokens.refresh_token, id_token: tokens.id_token, account_id: tokens.account_id },
    }),
  );
  return path;
}

const IMPORT_NOTE = /^codex: imported .*Both CLIs now share one refresh token/;

describe('signing in to another account', () => {
  it('a different account than before: saved, with a warning naming the previous one', async () => {
    const w = await world();
    const path = officialFile(w, { accountId: 'acct_other_9', email: 'attacker@example.com', plan: 'plus', userId: 'user_other' });
    try {
      const run = await runInProcess(['login', '--import', path], { fake: w.fake, configDir: w.dir });
      expect(run.exitCode, run.stderr).toBe(0);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(IMPORT_NOTE);
      expect(lines[1]).toMatch(/^Signed in as attacker@example\.com/);
      expect(lines[2]).toMatch(
        /^codex: this is a different account than the one signed in before \(dev@example\.com\); if you did not mean to switch, run `codex logout` and sign in again$/,
      );
      expect(readAuth(w.dir)).toMatchObject({ email: 'attacker@example.com' });
    } finally {
      await w.close();
      rmSync(path, { force: true });
    }
  });

  it('--expect-email another address: exit 3, nothing saved, the previous sign-in kept', async () => {
    const w = await world();
    const path = officialFile(w, { accountId: 'acct_other_9', email: 'attacker@example.com', plan: 'plus', userId: 'user_other' });
    try {
      await runScenario(
        w,
        ['login', '--import', path, '--expect-email', 'dev@example.com'],
        { exit: 3, error: /^the sign-in is for attacker@example\.com, not dev@example\.com \(--expect-email\); nothing was saved$/ },
        false,
      );
      expect(authNow(w)).toBe(w.authBefore);
    } finally {
      await w.close();
      rmSync(path, { force: true });
    }
  });

  it('--expect-email the right address (any case): saved, no account warning', async () => {
    const w = await world();
    const path = officialFile(w);
    try {
      const run = await runInProcess(['login', '--import', path, '--expect-email', 'DEV@example.com'], { fake: w.fake, configDir: w.dir });
      expect(run.exitCode, run.stderr).toBe(0);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(IMPORT_NOTE);
      expect(lines[1]).toMatch(/^Signed in as dev@example\.com/);
      expect(authNow(w)).not.toBe(w.authBefore);
    } finally {
      await w.close();
      rmSync(path, { force: true });
    }
  });
});
