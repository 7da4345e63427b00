// Codex access tokens (issue 30): opaque `at-…` tokens a workspace admin issues. The account is looked up at the
// issuer's whoami endpoint, as the official client does; no refresh is ever attempted; an expired or revoked
// token is the not-logged-in exit (3) with a message that says what to do.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/shared/errors.js';
import { answer } from '../fake/replies.js';
import { DEFAULT_ACCOUNT } from '../fake/tokens.js';
import { expectNoSecrets, jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { tempDir } from '../support/temp.js';
import { writeTool } from '../support/tools.js';

const fake = useFake({ fresh: true });
const WHOAMI = '/api/accounts/v1/user-auth-credential/whoami';
const REFUSED =
  'was refused: it has expired or was revoked. Ask your workspace admin for a new one, then `codex login --with-access-token` (or set CODEX_ACCESS_TOKEN); access tokens are never refreshed\n';

describe('Codex access tokens', () => {
  it('`login --with-access-token` reads the token from stdin, saves it with the account whoami names, and ask uses it', async () => {
    const token = fake.issueAccessToken();
    const dir = tempDir();
    const login = await runInProcess(['login', '--with-access-token', '--json'], { fake, configDir: dir, input: `${token}\n` });
    expect(login.exitCode, login.stderr).toBe(0);
    expect(jsonLines(login.stdout)).toEqual([{ email: DEFAULT_ACCOUNT.email, plan: 'plus', account_id: DEFAULT_ACCOUNT.accountId, expires_at: null }]);
    expect(login.stderr).toBe(`Signed in as ${DEFAULT_ACCOUNT.email} (ChatGPT plus plan); credentials saved to ${join(dir, 'auth.json')}\n`);
    const whoami = fake.requestsTo(WHOAMI);
    expect(whoami).toHaveLength(1);
    expect(whoami[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(JSON.parse(readFileSync(join(dir, 'auth.json'), 'utf8'))).toEqual({
      auth_mode: 'access_token',
      access_token: token,
      account_id: DEFAULT_ACCOUNT.accountId,
      email: DEFAULT_ACCOUNT.email,
      plan: 'plus',
    });

    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(ask.exitCode, ask.stderr).toBe(0);
    expect(ask.stdout).toBe('You said: hi\n');
    const sent = fake.requestsTo('/backend-api/codex/responses');
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent[0]?.headers['chatgpt-account-id']).toBe(DEFAULT_ACCOUNT.accountId);
    expect(fake.requestsTo(WHOAMI)).toHaveLength(1);

    const status = await runInProcess(['status'], { fake, configDir: dir });
    expect(status.stdout).toContain('  expires:  when the workspace admin says (a Codex access token; never refreshed)\n');
    const refresh = await runInProcess(['refresh'], { fake, configDir: dir });
    expect(refresh.exitCode, refresh.stderr).toBe(0);
    expect(refresh.stdout).toBe(`Not refreshed: a Codex access token (${join(dir, 'auth.json')}) is never refreshed\n`);
    const logout = await runInProcess(['logout'], { fake, configDir: dir });
    expect(logout.exitCode, logout.stderr).toBe(0);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0);
    expect(fake.requestsTo('/oauth/revoke')).toHaveLength(0);
    expectNoSecrets(login.stdout + login.stderr + ask.stderr + status.stdout + refresh.stdout + logout.stderr, [token]);
  }, 90_000);

  it('the token is never taken from the command line, and what stdin holds must be an access token', async () => {
    const dir = tempDir();
    const argv = await runInProcess(['login', '--with-access-token', 'at-on-the-command-line'], { fake, configDir: dir });
    expect(argv.exitCode).toBe(EXIT_CODES.usage);
    expect(argv.stderr).toContain("too many arguments for 'login'");
    const empty = await runInProcess(['login', '--with-access-token'], { fake, configDir: dir, input: '' });
    expect(empty.exitCode).toBe(EXIT_CODES.login_failed);
    expect(empty.stderr).toBe('codex: stdin is empty; it takes a Codex access token (at-…)\n');
    const other = await runInProcess(['login', '--with-access-token'], { fake, configDir: dir, input: 'sk-proj-not-a-codex-token\n' });
    expect(other.exitCode).toBe(EXIT_CODES.login_failed);
    expect(other.stderr).toBe('codex: stdin does not hold a Codex access token (they start with "at-")\n');
    expect(other.stderr).not.toContain('sk-proj');
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
    expect(fake.requestsTo(WHOAMI)).toHaveLength(0);
  }, 90_000);

  it('CODEX_ACCESS_TOKEN: looked up once per run, nothing written, no refresh', async () => {
    const token = fake.issueAccessToken();
    const dir = tempDir();
    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: dir, env: { CODEX_ACCESS_TOKEN: token } });
    expect(ask.exitCode, ask.stderr).toBe(0);
    expect(ask.stdout).toBe('You said: hi\n');
    expect(fake.requestsTo(WHOAMI)).toHaveLength(1);
    expect(fake.requestsTo('/backend-api/codex/responses')[0]?.headers['chatgpt-account-id']).toBe(DEFAULT_ACCOUNT.accountId);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
    const status = await runInProcess(['status', '--json'], { fake, configDir: dir, env: { CODEX_ACCESS_TOKEN: token } });
    expect(jsonLines(status.stdout)[0]).toMatchObject({ logged_in: true, source: 'access-token', expires_at: null, account_id: DEFAULT_ACCOUNT.accountId });
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0);
    expectNoSecrets(ask.stdout + ask.stderr + status.stdout + status.stderr, [token]);
  }, 90_000);

  it('a token revoked (or expired) mid-use: exit 3 with what to do, and no refresh is attempted', async () => {
    const token = fake.issueAccessToken();
    const dir = tempDir();
    const login = await runInProcess(['login', '--with-access-token'], { fake, configDir: dir, input: token });
    expect(login.exitCode, login.stderr).toBe(0);
    fake.revokeAccess(token);
    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(ask.exitCode).toBe(EXIT_CODES.not_logged_in);
    expect(ask.stderr).toBe(`codex: the Codex access token in ${join(dir, 'auth.json')} ${REFUSED}`);
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0);
  }, 90_000);

  it('an expired CODEX_ACCESS_TOKEN: exit 3 at the look-up, before any request to the backend', async () => {
    const token = fake.issueAccessToken(-60);
    const ask = await runInProcess(['ask', 'hi'], { fake, configDir: tempDir(), env: { CODEX_ACCESS_TOKEN: token } });
    expect(ask.exitCode).toBe(EXIT_CODES.not_logged_in);
    expect(ask.stderr).toBe(`codex: the Codex access token in CODEX_ACCESS_TOKEN ${REFUSED}`);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
    expect(fake.requestsTo('/oauth/token')).toHaveLength(0);
    const login = await runInProcess(['login', '--with-access-token'], { fake, configDir: tempDir(), input: token });
    expect(login.exitCode).toBe(EXIT_CODES.not_logged_in);
    expect(login.stderr).toBe(`codex: the Codex access token in stdin ${REFUSED}`);
  }, 90_000);

  it('a tool run by ask sees none of CODEX_ACCESS_TOKEN, CODEX_CREDENTIAL_STORE, CODEX_SERVE_API_KEY (its output goes to the model)', async () => {
    const token = fake.issueAccessToken();
    const { file } = writeTool('env', { script: 'echo "token=${CODEX_ACCESS_TOKEN:-unset} store=${CODEX_CREDENTIAL_STORE:-unset} key=${CODEX_SERVE_API_KEY:-unset}"' });
    fake.responses.push(answer({ functionCalls: [{ name: 'env', arguments: {}, call_id: 'call_env' }] }));
    fake.responses.push(answer({ text: 'done' }));
    const run = await runInProcess(['ask', '--tool', file, 'show env'], {
      fake,
      configDir: tempDir(),
      // `file` is the file store, so the variable selects nothing; it is set only to be seen not to leak.
      env: { CODEX_ACCESS_TOKEN: token, CODEX_CREDENTIAL_STORE: 'file', CODEX_SERVE_API_KEY: 'serve-key-0123456789abcdef' },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const second = fake.requestsTo('/backend-api/codex/responses')[1]?.body as { input: { type: string; output?: unknown }[] };
    expect(second.input.find((item) => item.type === 'function_call_output')?.output).toEqual([{ type: 'input_text', text: 'token=unset store=unset key=unset\n' }]);
  }, 90_000);
});
