import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IssuedTokens } from '../fake/server.js';
import { expectNoSecrets, jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, fileMode, readAuth, tempDir } from '../support/temp.js';

const fake = useFake();
/** The official CLI's auth.json for these tokens, to sign a profile in with `login --import`. */
function officialFile(tokens: IssuedTokens): string {
  const path = join(tempDir(), 'auth.json');
  const official = {
    auth_mode: 'chatgpt',
    tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
  };
  writeFileSync(path, JSON.stringify(official), { mode: 0o600 });
  return path;
}

function withProfile(configDir: string, name: string, tokens: IssuedTokens): string {
  const dir = join(configDir, 'profiles', name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'auth.json'), JSON.stringify(tokens), { mode: 0o600 });
  return dir;
}

describe('profiles', () => {
  it('login --profile work signs in to profiles/work/auth.json (0700/0600), leaving auth.json as it is', async () => {
    const personal = fake.issueTokens();
    const configDir = configDirWith(personal);
    const work = fake.issueTokens(3600, { ...fake.account, email: 'work@example.com', plan: 'team' });
    const run = await runInProcess(['login', '--profile', 'work', '--import', officialFile(work)], { fake, configDir });
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = join(configDir, 'profiles', 'work');
    expect(run.stderr).toContain(`credentials saved to ${join(dir, 'auth.json')}`);
    expect(fileMode(dir)).toBe(0o700);
    expect(fileMode(join(configDir, 'profiles'))).toBe(0o700);
    expect(fileMode(join(dir, 'auth.json'))).toBe(0o600);
    expect(readAuth(dir)).toMatchObject({ refresh_token: work.refresh_token, email: 'work@example.com' });
    expect(readAuth(configDir)).toMatchObject({ refresh_token: personal.refresh_token });

    const status = await runInProcess(['--profile', 'work', 'status', '--json'], { fake, configDir });
    expect(JSON.parse(status.stdout)).toMatchObject({ logged_in: true, email: 'work@example.com', profile: 'work' });
    const fromEnv = await runInProcess(['status', '--json'], { fake, configDir, env: { CODEX_PROFILE: 'work' } });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ email: 'work@example.com', profile: 'work' });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ default_profile: 'work' }));
    const fromConfig = await runInProcess(['status', '--json'], { fake, configDir });
    expect(JSON.parse(fromConfig.stdout)).toMatchObject({ email: 'work@example.com', profile: 'work' });
    const flagWins = await runInProcess(['status', '--json', '--profile', 'default'], { fake, configDir });
    expect(JSON.parse(flagWins.stdout)).toMatchObject({ email: personal.email, profile: 'default' });
  });

  it("ask --profile uses that profile's tokens", async () => {
    const configDir = configDirWith(fake.issueTokens());
    const work = fake.issueTokens();
    withProfile(configDir, 'work', work);
    const run = await runInProcess(['ask', '--profile', 'work', 'hi'], { fake, configDir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(fake.requestsTo('/backend-api/codex/responses')[0]!.headers.authorization).toBe(`Bearer ${work.access_token}`);
  });

  it.for([
    ['--profile', '../evil'],
    ['--profile', 'a/b'],
    ['--profile', '.hidden'],
    ['--profile', 'x'.repeat(65)],
  ])('refuses the name %s %s with exit 2, one line, nothing written', async (flag) => {
    const configDir = tempDir();
    const run = await runInProcess(['login', ...flag, '--device'], { fake, configDir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^codex: --profile: a profile name is 1 to 64 letters, digits, '\.', '_' or '-', starting with a letter or digit, not "[^\n]+"\n$/);
    expect(existsSync(join(configDir, 'profiles'))).toBe(false);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a bad CODEX_PROFILE with exit 2', async () => {
    const run = await runInProcess(['status'], { fake, configDir: tempDir(), env: { CODEX_PROFILE: 'no good' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^codex: CODEX_PROFILE: a profile name is/);
  });

  it('status --all: one line per profile, default first; --json an array; logout --profile removes only that one', async () => {
    const personal = fake.issueTokens();
    const configDir = configDirWith(personal);
    const work = fake.issueTokens(3600, { ...fake.account, email: 'work@example.com', plan: 'team' });
    withProfile(configDir, 'work', work);
    mkdirSync(join(configDir, 'profiles', 'empty'));
    const text = await runInProcess(['status', '--all'], { fake, configDir });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toBe(`default\t${personal.email} (plus)\tusage not seen yet\nwork\twork@example.com (team)\tusage not seen yet\n`);
    const json = await runInProcess(['status', '--all', '--json'], { fake, configDir });
    expect(JSON.parse(json.stdout)).toMatchObject([
      { profile: 'default', logged_in: true, email: personal.email },
      { profile: 'work', logged_in: true, email: 'work@example.com' },
    ]);
    expectNoSecrets(text.stdout + json.stdout, [personal.access_token, personal.refresh_token, work.access_token, work.refresh_token]);

    const logout = await runInProcess(['logout', '--profile', 'work'], { fake, configDir });
    expect(logout.exitCode).toBe(0);
    expect(existsSync(join(configDir, 'profiles', 'work', 'auth.json'))).toBe(false);
    expect(readAuth(configDir)).toMatchObject({ refresh_token: personal.refresh_token });
    expect(fake.requestsTo('/oauth/revoke').map((r) => (r.body as { token: string }).token)).toEqual([work.refresh_token]);
    const after = await runInProcess(['status', '--all'], { fake, configDir });
    expect(after.stdout).toBe(`default\t${personal.email} (plus)\tusage not seen yet\n`);
  });

  it('two sign-ins refreshing in parallel: each profile spends only its own refresh token, each file keeps its own', async () => {
    fake.refreshDelayMs = 300;
    const personal = fake.issueTokens(-60);
    const configDir = configDirWith(personal);
    const work = fake.issueTokens(-60);
    const workDir = withProfile(configDir, 'work', work);
    const runs = await Promise.all([
      runInProcess(['ask', '--json', 'one'], { fake, configDir }),
      runInProcess(['ask', '--json', 'two'], { fake, configDir }),
      runInProcess(['ask', '--json', '--profile', 'work', 'three'], { fake, configDir }),
      runInProcess(['--profile', 'work', 'ask', '--json', 'four'], { fake, configDir }),
    ]);
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'result' });
    }
    const spent = fake.refreshRequests.map((r) => (r.body as { refresh_token: string }).refresh_token).sort();
    expect(spent).toEqual([personal.refresh_token, work.refresh_token].sort());
    const personalNow = readAuth(configDir);
    const workNow = readAuth(workDir);
    expect(personalNow.refresh_token).not.toBe(personal.refresh_token);
    expect(workNow.refresh_token).not.toBe(work.refresh_token);
    expect(personalNow.refresh_token).not.toBe(workNow.refresh_token);
    // Each ask used the access token of its own profile's file.
    const used = new Set(fake.requestsTo('/backend-api/codex/responses').map((r) => r.headers.authorization));
    expect(used).toEqual(new Set([`Bearer ${personalNow.access_token}`, `Bearer ${workNow.access_token}`]));
    expect(fileMode(join(workDir, 'auth.json'))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(workDir, 'auth.json'), 'utf8'))).toMatchObject({ account_id: work.account_id });
  });
});

describe('codex doctor --profile', () => {
  it("checks the profile's own auth.json", async () => {
    const configDir = configDirWith(fake.issueTokens());
    const dir = withProfile(configDir, 'work', fake.issueTokens());
    const { chmodSync } = await import('node:fs');
    chmodSync(join(dir, 'auth.json'), 0o644);
    const run = await runInProcess(['--profile', 'work', 'doctor', '--json'], { fake, configDir });
    const checks = (JSON.parse(run.stdout) as { checks: { name: string; status: string; detail: string; fix?: string }[] }).checks;
    expect(checks.find((check) => check.name === 'config')).toMatchObject({ status: 'warn', fix: `chmod 600 ${join(dir, 'auth.json')}` });
    expect(checks.find((check) => check.name === 'credentials')?.detail).toContain(join(dir, 'auth.json'));
  });
});
