/**
 * A `profiles/` dir others control (issue 28, item 4). Before: the config dir and a profile's own dir were checked
 * (ssh's rules: the user's or root's, not writable by group or others), but `<config-dir>/profiles/` was not, so
 * anyone who could write there could swap a profile dir for one of theirs (their base_url-free auth.json, their
 * account) between runs.
 *
 * What must hold: `profiles/` gets the same checks as the config dir: writable by others or someone else's, every
 * command of that profile stops with exit 3 (`unsafe_permissions`), the path and the fix named, before any request.
 */

import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

const fake = useFake();
const AS_ROOT = process.getuid?.() === 0;

/** A config dir with a signed-in profile `work`. */
function withProfile(): { dir: string; profiles: string } {
  const dir = configDirWith(fake.issueTokens());
  const profiles = join(dir, 'profiles');
  mkdirSync(join(profiles, 'work'), { recursive: true, mode: 0o700 });
  writeFileSync(join(profiles, 'work', 'auth.json'), JSON.stringify(fake.issueTokens()), { mode: 0o600 });
  return { dir, profiles };
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a profiles/ dir others can write', () => {
  for (const args of [['status'], ['ask', 'q'], ['refresh'], ['logout']]) {
    it(`--profile work ${args[0]}: exit 3 unsafe_permissions, profiles/ and the chmod named, nothing sent`, async () => {
      const { dir, profiles } = withProfile();
      chmodSync(profiles, 0o777);
      const run = await runInProcess(['--profile', 'work', ...args], { fake, configDir: dir });
      expect(run.exitCode, run.stderr).toBe(3);
      expectCleanStderr(
        run.stderr,
        { error: new RegExp(`^${literal(profiles)} is writable by others \\(mode 0777\\); codex will not use it until you run \`chmod 700 ${literal(profiles)}\`$`) },
        false,
      );
      expect(fake.requests).toHaveLength(0);
    });
  }

  it('login --profile new --import under it: refused (exit 3), no profile made', async () => {
    const { dir, profiles } = withProfile();
    chmodSync(profiles, 0o770);
    const tokens = fake.issueTokens();
    const official = join(dir, 'official-auth.json');
    writeFileSync(official, JSON.stringify({ tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token } }), {
      mode: 0o600,
    });
    const run = await runInProcess(['--profile', 'new', 'login', '--import', official], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^codex: ${literal(profiles)} is writable by others \\(mode 0770\\)`, 'm'));
    expect(existsSync(join(profiles, 'new', 'auth.json'))).toBe(false);
    expect(fake.refreshRequests).toHaveLength(0);
  });

  it.runIf(AS_ROOT)("someone else's profiles/ (uid 4321): exit 3, named", async () => {
    const { dir, profiles } = withProfile();
    chownSync(profiles, 4321, 4321);
    const run = await runInProcess(['--profile', 'work', 'ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(3);
    expectCleanStderr(run.stderr, { error: new RegExp(`^${literal(profiles)} belongs to another user \\(uid 4321\\); codex will not use it$`) }, false);
    expect(fake.requests).toHaveLength(0);
  });

  it('a profiles/ dir that is the user’s own and 0700 works as before', async () => {
    const { dir } = withProfile();
    const run = await runInProcess(['--profile', 'work', 'ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: q\n');
  });
});
