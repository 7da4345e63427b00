// The Redis credential store (issue 30), against a real redis-server: every command that reads or writes the
// sign-in uses one key per profile, no auth.json is written, and a store that cannot be used is a clear exit 3.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../fake/tokens.js';
import { expectNoSecrets, jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { redisAvailable, startRedis, useRedis } from '../support/redis.js';
import { tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });
const available = redisAvailable();

/** `codex-ci on >PASSWORD ~codex-oauth:* +cmd …` as ACL SETUSER arguments after the user name. */
function aclArgs(spec: string): string[] {
  return spec
    .replace('>PASSWORD', '>ci-secret')
    .split(' ')
    .filter((word) => word !== '')
    .slice(1);
}

/** A config dir of its own, as on a machine of its own. */
function machine(): string {
  const dir = tempDir();
  return dir;
}

describe.skipIf(!available)('credentials in Redis', () => {
  const redis = useRedis();
  beforeEach(async () => {
    await redis.server.command(['FLUSHALL']);
  });
  const env = (extra: Record<string, string> = {}) => ({ CODEX_CREDENTIAL_STORE: redis.server.url(), ...extra });

  it('login --import, status, ask, refresh and logout use the key `codex-oauth:auth:default`; no auth.json is written', async () => {
    const tokens = fake.issueTokens();
    const source = join(tempDir(), 'auth.json');
    writeFileSync(source, JSON.stringify(tokens), { mode: 0o600 });
    const dir = machine();
    const login = await runInProcess(['login', '--import', source, '--json'], { fake, configDir: dir, env: env() });
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stderr).toContain(`credentials saved to ${redis.server.url()} (key codex-oauth:auth:default)`);
    expect(((await redis.server.command(['HKEYS', 'codex-oauth:auth:default'])) as string[]).sort()).toEqual(['auth', 'version']);
    expect(await redis.server.command(['HGET', 'codex-oauth:auth:default', 'version'])).toBe('1');
    expect(JSON.parse((await redis.server.command(['HGET', 'codex-oauth:auth:default', 'auth'])) as string)).toEqual(tokens);

    const status = await runInProcess(['status', '--json'], { fake, configDir: machine(), env: env() });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(jsonLines(status.stdout)[0]).toMatchObject({ logged_in: true, email: DEFAULT_ACCOUNT.email, source: 'redis', expires_at: tokens.expires_at });
    const text = await runInProcess(['status'], { fake, configDir: machine(), env: env() });
    expect(text.stdout).toContain(`  source:   redis (${redis.server.url()} (key codex-oauth:auth:default))\n`);

    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: machine(), env: env() });
    expect(ask.exitCode, ask.stderr).toBe(0);
    expect(ask.stdout).toBe('You said: hi\n');

    const refresh = await runInProcess(['refresh', '--json'], { fake, configDir: machine(), env: env() });
    expect(refresh.exitCode, refresh.stderr).toBe(0);
    expect(fake.refreshCount).toBe(1);
    expect(await redis.server.command(['HGET', 'codex-oauth:auth:default', 'version'])).toBe('2');
    const after = JSON.parse((await redis.server.command(['HGET', 'codex-oauth:auth:default', 'auth'])) as string);
    expect(after.refresh_token).not.toBe(tokens.refresh_token);

    const logout = await runInProcess(['logout'], { fake, configDir: dir, env: env() });
    expect(logout.exitCode, logout.stderr).toBe(0);
    expect(logout.stderr).toBe(`Logged out; removed ${redis.server.url()} (key codex-oauth:auth:default)\n`);
    expect(await redis.server.command(['EXISTS', 'codex-oauth:auth:default'])).toBe(0);
    expect(fake.requestsTo('/oauth/revoke')).toHaveLength(1);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
    expectNoSecrets(login.stdout + login.stderr + status.stdout + ask.stderr + refresh.stdout, [tokens.access_token, tokens.refresh_token]);
  }, 120_000);

  it('two profiles in one Redis: one key each, each profile sees its own account', async () => {
    const other = { accountId: 'acct_other_456', email: 'ops@example.com', plan: 'team', userId: 'user_other' };
    const dir = machine();
    for (const [profile, account] of [
      ['ci', DEFAULT_ACCOUNT],
      ['ops', other],
    ] as const) {
      const source = join(tempDir(), 'auth.json');
      writeFileSync(source, JSON.stringify(fake.issueTokens(3600, account)), { mode: 0o600 });
      const login = await runInProcess(['--profile', profile, 'login', '--import', source], { fake, configDir: dir, env: env() });
      expect(login.exitCode, login.stderr).toBe(0);
    }
    expect(((await redis.server.command(['KEYS', 'codex-oauth:*'])) as string[]).sort()).toEqual(['codex-oauth:auth:ci', 'codex-oauth:auth:ops']);
    const ci = await runInProcess(['--profile', 'ci', 'status', '--json'], { fake, configDir: machine(), env: env() });
    const ops = await runInProcess(['--profile', 'ops', 'status', '--json'], { fake, configDir: machine(), env: env() });
    expect(jsonLines(ci.stdout)[0]).toMatchObject({ email: DEFAULT_ACCOUNT.email, profile: 'ci' });
    expect(jsonLines(ops.stdout)[0]).toMatchObject({ email: 'ops@example.com', account_id: 'acct_other_456', profile: 'ops' });
    const all = await runInProcess(['status', '--all', '--json'], { fake, configDir: machine(), env: env() });
    expect(all.exitCode, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as { profile: string; logged_in: boolean }[]).map((row) => [row.profile, row.logged_in])).toEqual([
      ['default', false],
      ['ci', true],
      ['ops', true],
    ]);
    const none = await runInProcess(['status'], { fake, configDir: machine(), env: env() });
    expect(none.exitCode).toBe(3);
    expect(none.stderr).toBe(`codex: not logged in in ${redis.server.url()} (key codex-oauth:auth:default); run \`codex login\` (or set CODEX_AUTH_JSON)\n`);
    expect(readdirSync(dir).filter((name) => name.includes('auth'))).toEqual([]);
  }, 120_000);

  it('the ACL user of the README (its own keys, a few commands) is enough for login, refresh, status --all and logout', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const acl = /`ACL SETUSER (codex-ci [^`]+)`/.exec(readme)?.[1];
    expect(acl).toBeDefined();
    await redis.server.command(['ACL', 'SETUSER', 'codex-ci', ...aclArgs(acl ?? '')]);
    const url = redis.server.url().replace('redis://', 'redis://codex-ci:ci-secret@');
    const source = join(tempDir(), 'auth.json');
    writeFileSync(source, JSON.stringify(fake.issueTokens(-60)), { mode: 0o600 });
    for (const args of [['login', '--import', source], ['ask', 'hi'], ['status', '--all'], ['logout']]) {
      const run = await runInProcess(args, { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: url } });
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(0);
    }
    expect(fake.refreshCount).toBe(1);
    const outside = await redis.server.command(['ACL', 'DRYRUN', 'codex-ci', 'GET', 'other:key']);
    expect(String(outside)).toContain('no permissions to access');
  }, 120_000);

  it('a store that is down: exit 3 naming it, within a few seconds, and nothing is written locally', async () => {
    const down = await startRedis();
    const url = down.url();
    await down.stop();
    const dir = machine();
    const started = Date.now();
    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: dir, env: { CODEX_CREDENTIAL_STORE: url } });
    const elapsedMs = Date.now() - started;
    expect(ask.exitCode).toBe(3);
    expect(ask.stderr).toBe(`codex: credential store ${url} is unreachable: connect ECONNREFUSED 127.0.0.1:${down.port}\n`);
    expect(elapsedMs).toBeLessThan(8_000);
    const source = join(tempDir(), 'auth.json');
    writeFileSync(source, JSON.stringify(fake.issueTokens()), { mode: 0o600 });
    const login = await runInProcess(['login', '--import', source], { fake, configDir: dir, env: { CODEX_CREDENTIAL_STORE: url } });
    expect(login.exitCode).toBe(3);
    expect(login.stderr).toContain(`codex: credential store ${url} is unreachable`);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
  }, 120_000);

  it('a bad store URL is a usage error naming where it came from (exit 2)', async () => {
    const fromEnv = await runInProcess(['status'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: 'http://127.0.0.1:6379' } });
    expect(fromEnv.exitCode).toBe(2);
    expect(fromEnv.stderr).toBe('codex: CODEX_CREDENTIAL_STORE must be `file` or a redis:// or rediss:// URL, not a http URL\n');
    const dir = machine();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credential_store: 'redis://127.0.0.1:6379/zero' }), { mode: 0o600 });
    const fromFile = await runInProcess(['status'], { fake, configDir: dir });
    expect(fromFile.exitCode).toBe(2);
    expect(fromFile.stderr).toBe(`codex: "credential_store" in ${join(dir, 'config.json')}: the Redis database is a number, as in redis://host:6379/0\n`);
  }, 120_000);

  it('config key credential_store: `codex config set` checks it, and every command then uses Redis', async () => {
    const dir = machine();
    const bad = await runInProcess(['config', 'set', 'credential_store', 'redis://h:1/0?lease=1'], { fake, configDir: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('codex: credential_store unknown option "lease" in the Redis URL (known: lease_ms, prefix)\n');
    const set = await runInProcess(['config', 'set', 'credential_store', redis.server.url()], { fake, configDir: dir });
    expect(set.exitCode, set.stderr).toBe(0);
    await redis.server.command(['HSET', 'codex-oauth:auth:default', 'auth', JSON.stringify(fake.issueTokens()), 'version', '1']);
    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(ask.exitCode, ask.stderr).toBe(0);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
  }, 120_000);
});

describe.skipIf(!available)('a Redis store with a password (requirepass)', () => {
  const redis = useRedis({ requirepass: 'correct horse' });

  it('a wrong password is exit 3 naming the store, the password never printed; the right one works', async () => {
    const wrong = redis.server.url({ password: 'battery staple' });
    const status = await runInProcess(['status'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: wrong } });
    expect(status.exitCode).toBe(3);
    expect(status.stderr).toMatch(/^codex: credential store redis:\/\/.*127\.0\.0\.1:\d+\/0 refused access: WRONGPASS invalid username-password pair/);
    expect(status.stderr).not.toContain('battery');
    const none = await runInProcess(['status'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: redis.server.url() } });
    expect(none.exitCode).toBe(3);
    expect(none.stderr).toMatch(/^codex: credential store redis:\/\/127\.0\.0\.1:\d+\/0 refused access: NOAUTH /);
    const right = redis.server.url({ password: 'correct horse' });
    await redis.server.command(['HSET', 'codex-oauth:auth:default', 'auth', JSON.stringify(fake.issueTokens()), 'version', '1']);
    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: machine(), env: { CODEX_CREDENTIAL_STORE: right } });
    expect(ask.exitCode, ask.stderr).toBe(0);
    expect(ask.stdout).toBe('You said: hi\n');
  }, 120_000);
});
