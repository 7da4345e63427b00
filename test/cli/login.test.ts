import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IssuedTokens } from '../fake/server.js';
import { expectNoSecrets, runInProcess, waitFor } from '../support/cli.js';
import { startFake, testFake, useFake } from '../support/fake.js';
import { codeExchanges } from '../support/requests.js';
import { configDirWith, fileMode, readAuth, savedSecrets, tempDir } from '../support/temp.js';

const fake = useFake({ fresh: true });

describe('codex login (browser flow)', () => {
  it('--paste: stdin that ends with nothing accepted fails at once (exit 3), not at --timeout', async () => {
    const configDir = tempDir();
    const run = await runInProcess(['login', '--no-browser', '--port', '0', '--paste', '--timeout', '60'], { fake, configDir, input: 'not a url\n', timeoutMs: 20_000 });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/codex: standard input ended without an accepted redirect URL\n$/);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0);
  });
});

// The device tests wait out the issuer's poll interval (at least 1 s, the client's floor): they run side by side,
// each against a fake of its own.
describe.concurrent('codex login --device', () => {
  it('shows the URL and code, polls through two pending answers (403, 404), then signs in', async (ctx) => {
    const fake = await testFake(ctx);
    fake.deviceAuth = { enabled: true, pendingPolls: 2, interval: '1' };
    const configDir = tempDir();
    const result = await runInProcess(['login', '--device', '--json'], { fake, configDir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`${fake.issuer}/codex/device`);
    expect(result.stderr).toMatch(/^\s+[0-9A-F]{4}-[0-9A-F]{4}$/m);
    const polls = fake.requestsTo('/api/accounts/deviceauth/token');
    expect(polls).toHaveLength(3);
    // Polled at the interval the issuer gave (1 s), never faster (a little slack for timer granularity).
    for (let i = 1; i < polls.length; i++) expect(polls[i]!.receivedAt - polls[i - 1]!.receivedAt, `gap before poll ${i + 1}`).toBeGreaterThanOrEqual(900);
    const userCode = result.stderr.match(/^\s+([0-9A-F]{4}-[0-9A-F]{4})$/m)![1];
    expect(polls[0]!.body).toMatchObject({ user_code: userCode });
    expect(fake.requestsTo('/api/accounts/deviceauth/usercode')[0]!.body).toEqual({ client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });
    expect(codeExchanges(fake)).toHaveLength(1);
    expect(codeExchanges(fake)[0]!.redirect_uri).toBe(`${fake.issuer}/deviceauth/callback`);
    expect(JSON.parse(result.stdout)).toMatchObject({ account_id: fake.account.accountId, email: fake.account.email });
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    expect(readAuth(configDir).account_id).toBe(fake.account.accountId);
    expectNoSecrets(result.stdout + result.stderr, savedSecrets(configDir));
  });

  it('a denied device sign-in → exit 3 with the issuer’s reason, nothing written, no exchange', async (ctx) => {
    const fake = await testFake(ctx);
    fake.deviceAuth = {
      enabled: true,
      pendingPolls: 1,
      interval: '1',
      deny: { status: 400, body: { error: 'access_denied', error_description: 'The user denied the request' } },
    };
    const configDir = tempDir();
    const result = await runInProcess(['login', '--device', '--json'], { fake, configDir });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^codex: .*The user denied the request/m);
    expect(fake.requestsTo('/api/accounts/deviceauth/token')).toHaveLength(2);
    expect(codeExchanges(fake)).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('--timeout while the code stays pending → exit 3, nothing written', async (ctx) => {
    const fake = await testFake(ctx);
    fake.deviceAuth = { enabled: true, pendingPolls: 1_000, interval: '1' };
    const configDir = tempDir();
    const result = await runInProcess(['login', '--device', '--timeout', '2'], { fake, configDir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^codex: .*2 s/m);
    expect(fake.requestsTo('/api/accounts/deviceauth/token').length).toBeGreaterThanOrEqual(1);
    expect(codeExchanges(fake)).toHaveLength(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('explains a 404 (device login not enabled) in plain words, exit 3', async (ctx) => {
    const fake = await testFake(ctx);
    fake.deviceAuth = { enabled: false, pendingPolls: 0, interval: '1' };
    const configDir = tempDir();
    const result = await runInProcess(['login', '--device'], { fake, configDir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/^codex: device code sign-in is not enabled for this ChatGPT account.*settings/m);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });
});

describe('codex login --import', () => {
  function officialFile(tokens: IssuedTokens, dir = tempDir()): string {
    const path = join(dir, 'auth.json');
    writeFileSync(
      path,
      JSON.stringify({
        auth_mode: 'chatgpt',
        OPENAI_API_KEY: null,
        tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
        last_refresh: '2026-07-27T10:00:00Z',
      }),
    );
    return path;
  }

  it('imports the official auth.json from $CODEX_HOME, and the result works for refresh', async () => {
    const tokens = fake.issueTokens();
    const codexHome = tempDir();
    officialFile(tokens, codexHome);
    const configDir = tempDir();
    const result = await runInProcess(['login', '--import', '--json'], { fake, configDir, env: { CODEX_HOME: codexHome } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ email: tokens.email, plan: tokens.plan, account_id: tokens.account_id, expires_at: tokens.expires_at });
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    const auth = readAuth(configDir);
    expect(auth).toMatchObject({ access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id, expires_at: tokens.expires_at });
    expectNoSecrets(result.stdout + result.stderr, [tokens.access_token, tokens.refresh_token, tokens.id_token]);
    expect(fake.requests).toHaveLength(0);

    const refresh = await runInProcess(['refresh', '--json'], { fake, configDir });
    expect(refresh.exitCode).toBe(0);
    expect(JSON.parse(refresh.stdout).refreshed).toBe(true);
  });

  it('imports from an explicit path and from ~/.codex/auth.json by default', async () => {
    const tokens = fake.issueTokens();
    const explicit = officialFile(tokens);
    const configDir = tempDir();
    const one = await runInProcess(['login', '--import', explicit], { fake, configDir });
    expect(one.exitCode).toBe(0);
    expect(readAuth(configDir).account_id).toBe(tokens.account_id);

    const home = tempDir();
    mkdirSync(join(home, '.codex'));
    officialFile(tokens, join(home, '.codex'));
    const configDir2 = tempDir();
    const two = await runInProcess(['login', '--import'], { fake, configDir: configDir2, env: { HOME: home } });
    expect(two.exitCode).toBe(0);
    expect(readAuth(configDir2).account_id).toBe(tokens.account_id);
  });

  it('a missing file is a usage error (exit 2) and a file without tokens is refused (exit 3)', async () => {
    const configDir = tempDir();
    const missing = await runInProcess(['login', '--import', join(tempDir(), 'nope.json')], { fake, configDir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^codex: --import: .*nope\.json does not exist/m);

    const apiKey = join(tempDir(), 'auth.json');
    writeFileSync(apiKey, JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: 'sk-not-a-sign-in' }));
    const refused = await runInProcess(['login', '--import', apiKey], { fake, configDir });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/API key, not a ChatGPT sign-in/);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });
});

describe('codex status / logout / refresh', () => {
  it('status: not logged in → exit 3 and {"logged_in":false}', async () => {
    const configDir = tempDir();
    const json = await runInProcess(['status', '--json'], { fake, configDir });
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout)).toEqual({ logged_in: false });
    const text = await runInProcess(['status'], { fake, configDir });
    expect(text.exitCode).toBe(3);
    expect(text.stderr).toMatch(/^codex: not logged in/m);
  });

  it('status from the file and from CODEX_AUTH_JSON', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    const json = await runInProcess(['status', '--json'], { fake, configDir });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      logged_in: true,
      email: tokens.email,
      plan: tokens.plan,
      account_id: tokens.account_id,
      expires_at: tokens.expires_at,
      source: 'file',
      profile: 'default',
      usage: null,
    });
    const text = await runInProcess(['status'], { fake, configDir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(tokens.email);
    expect(text.stdout).toContain(tokens.account_id);
    expect(text.stdout).toMatch(/source:\s+file/);
    expectNoSecrets(text.stdout + text.stderr + json.stdout + json.stderr, [tokens.access_token, tokens.refresh_token, tokens.id_token]);

    const env = await runInProcess(['status', '--json'], { fake, configDir: tempDir(), env: { CODEX_AUTH_JSON: JSON.stringify(tokens) } });
    expect(env.exitCode).toBe(0);
    expect(JSON.parse(env.stdout)).toMatchObject({ logged_in: true, source: 'env', account_id: tokens.account_id });
    expect(fake.requests).toHaveLength(0);
  });

  it('logout revokes, removes auth.json, and exits 0 when already logged out', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    const first = await runInProcess(['logout'], { fake, configDir });
    expect(first.exitCode).toBe(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
    const revokes = fake.requestsTo('/oauth/revoke');
    expect(revokes).toHaveLength(1);
    expect(revokes[0]!.body).toEqual({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: 'app_EMoamEEZ73f0CkXaXp7hrann' });

    const again = await runInProcess(['logout'], { fake, configDir });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/not logged in/i);
    expect((await runInProcess(['status'], { fake, configDir })).exitCode).toBe(3);
  });

  it('logout with CODEX_AUTH_JSON says there is nothing stored, exit 0, no revoke', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    const result = await runInProcess(['logout'], { fake, configDir, env: { CODEX_AUTH_JSON: JSON.stringify(tokens) } });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/nothing stored to remove/);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(true);
    expect(fake.requestsTo('/oauth/revoke')).toHaveLength(0);
  });

  it('logout still succeeds when the issuer cannot be reached', async () => {
    const gone = await startFake();
    const configDir = configDirWith(gone.issueTokens());
    await gone.close();
    const result = await runInProcess(['logout'], { fake: gone, configDir });
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(configDir, 'auth.json'))).toBe(false);
  });

  it('refresh now, and --if-expiring only when needed', async () => {
    const tokens = fake.issueTokens(3600);
    const configDir = configDirWith(tokens);

    const notYet = await runInProcess(['refresh', '--json', '--if-expiring', '30m'], { fake, configDir });
    expect(notYet.exitCode).toBe(0);
    expect(JSON.parse(notYet.stdout)).toEqual({ refreshed: false, expires_at: tokens.expires_at, account_id: tokens.account_id });
    expect(fake.refreshRequests).toHaveLength(0);
    const notYetText = await runInProcess(['refresh', '--if-expiring', '30m'], { fake, configDir });
    expect(notYetText.stdout).toMatch(/^Not refreshed/);

    const due = await runInProcess(['refresh', '--json', '--if-expiring', '2h'], { fake, configDir });
    expect(due.exitCode).toBe(0);
    const dueJson = JSON.parse(due.stdout);
    expect(dueJson.refreshed).toBe(true);
    expect(fake.refreshRequests).toHaveLength(1);
    const afterDue = readAuth(configDir);
    expect(afterDue.refresh_token).not.toBe(tokens.refresh_token);
    expect(afterDue.expires_at).toBe(dueJson.expires_at);
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);

    const now = await runInProcess(['refresh'], { fake, configDir });
    expect(now.exitCode).toBe(0);
    expect(now.stdout).toMatch(/^Refreshed; the access token is valid until /);
    expect(fake.refreshRequests).toHaveLength(2);
    expect(readAuth(configDir).refresh_token).not.toBe(afterDue.refresh_token);

    const bad = await runInProcess(['refresh', '--if-expiring', 'soon'], { fake, configDir });
    expect(bad.exitCode).toBe(2);
    expect(fake.refreshRequests).toHaveLength(2);
  });

  it('refresh when not logged in → exit 3; a dead refresh token → exit 3', async () => {
    const none = await runInProcess(['refresh'], { fake, configDir: tempDir() });
    expect(none.exitCode).toBe(3);
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    await runInProcess(['logout'], { fake, configDir: configDirWith(tokens) });
    const dead = await runInProcess(['refresh', '--json'], { fake, configDir });
    expect(dead.exitCode).toBe(3);
    expect(dead.stderr).toMatch(/^codex: .*codex login/m);
  });

  it('refresh with CODEX_AUTH_JSON refuses to spend the secret, but --if-expiring can check it', async () => {
    const tokens = fake.issueTokens(3600);
    const env = { CODEX_AUTH_JSON: JSON.stringify(tokens) };
    const check = await runInProcess(['refresh', '--json', '--if-expiring', '10m'], { fake, configDir: tempDir(), env });
    expect(check.exitCode).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ refreshed: false });
    const forced = await runInProcess(['refresh'], { fake, configDir: tempDir(), env });
    expect(forced.exitCode).toBe(2);
    expect(forced.stderr).toMatch(/CODEX_AUTH_JSON/);
    expect(fake.refreshRequests).toHaveLength(0);
  });

  it('8 concurrent `codex refresh` → exactly one network refresh, all exit 0', async () => {
    const tokens = fake.issueTokens();
    const configDir = configDirWith(tokens);
    // Widens the race: the first refresh is held at the issuer until the 7 other runs wait for the lock, so every one
    // of them has read the old token before the first refresh answers.
    const release = fake.holdRefreshes();
    let waiting = 0;
    const onStderr = (text: string) => {
      waiting += text.split('waiting for the credential lock').length - 1;
    };
    const runs = Array.from({ length: 8 }, () => runInProcess(['--verbose', 'refresh', '--json'], { fake, configDir, onStderr }));
    await waitFor(() => waiting === 7 && fake.refreshRequests.length === 1, 15_000, 'one refresh at the issuer and 7 runs waiting for the lock');
    release();
    const results = await Promise.all(runs);
    expect(fake.refreshRequests).toHaveLength(1);
    expect(fake.refreshCount).toBe(1);
    const auth = readAuth(configDir);
    for (const result of results) {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${JSON.stringify({ refreshed: true, expires_at: auth.expires_at, account_id: tokens.account_id })}\n`);
    }
    // One rotated token on disk, 0600.
    expect(auth.refresh_token).not.toBe(tokens.refresh_token);
    expect(auth.access_token).not.toBe(tokens.access_token);
    expect(fileMode(join(configDir, 'auth.json'))).toBe(0o600);
    // The one rotated refresh token on disk is live: the next refresh works.
    const next = await runInProcess(['refresh', '--json'], { fake, configDir });
    expect(next.exitCode).toBe(0);
    expect(fake.refreshCount).toBe(2);
  });
});

describe('a broken config.json', () => {
  it('stops status, login, logout and refresh as it stops ask: one line, exit 2, no fall back to auth.json, the file kept', async () => {
    const dir = configDirWith(fake.issueTokens());
    // It may name a Redis credential store: going on with auth.json would act on the wrong sign-in.
    writeFileSync(join(dir, 'config.json'), '{"credential_store": "redis://127.0.0.1:6379/0",', { mode: 0o600 });
    for (const args of [['status', '--json'], ['logout'], ['refresh'], ['login', '--import', join(dir, 'official.json')], ['ask', 'q']]) {
      const run = await runInProcess(args, { fake, configDir: dir });
      // status --json says so on stdout too, as for any error.
      const stdout = args[0] === 'status' ? `${JSON.stringify({ logged_in: false, error: 'usage' })}\n` : '';
      expect([run.exitCode, run.stdout, run.stderr], args.join(' ')).toEqual([2, stdout, `codex: ${join(dir, 'config.json')} is not valid JSON\n`]);
    }
    expect(existsSync(join(dir, 'auth.json'))).toBe(true);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"credential_store": "redis://127.0.0.1:6379/0",');
    expect(fake.refreshCount).toBe(0);
  });

  it('a bad client_version does not lock the user out: status warns, uses the default and works; ask refuses it (exit 2)', async () => {
    const dir = configDirWith(fake.issueTokens());
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ client_version: 'latest' }), { mode: 0o600 });
    const message = `"client_version" in ${join(dir, 'config.json')} must be a version like 0.171.0, not "latest"`;
    const statusRun = await runInProcess(['status', '--json'], { fake, configDir: dir });
    expect([statusRun.exitCode, statusRun.stderr]).toEqual([0, `codex: ${message}; ignoring it\n`]);
    expect(JSON.parse(statusRun.stdout)).toMatchObject({ logged_in: true, source: 'file' });
    const ask = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect([ask.exitCode, ask.stderr]).toEqual([2, `codex: ${message}\n`]);
  });
});
