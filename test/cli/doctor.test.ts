// `codex doctor`: one line per check with ok / warn / fail and a fix, against each failure mode of the fake.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { startFake, useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

/** Writes a file into the config dir; the run then needs no other options. */
function withFile(name: string, text: string): Record<string, never> {
  writeFileSync(join(dir, name), text);
  return {};
}

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; fix?: string; code?: string }[];
}
const statusOf = (report: Report) => Object.fromEntries(report.checks.map((check) => [check.name, check.status]));
const lineOf = (stdout: string, name: string) => stdout.split('\n').find((line) => new RegExp(`^\\w+\\s+${name}\\s`).test(line));

describe('codex doctor', () => {
  it('all well: every check ok, exit 0, and the refresh token is not spent', async () => {
    const run = await runInProcess(['doctor'], { fake, configDir: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const names = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/\s+/).slice(0, 2).join(' '));
    expect(names).toEqual(['ok config', 'ok proxy', 'ok credentials', 'ok issuer', 'ok token', 'ok models', 'ok settings', 'ok routing', 'ok clock']);
    expect(lineOf(run.stdout, 'settings')).toMatch(
      /ask uses gpt-6\.2-sol \(the catalog default\), effort low, lite layout \(Responses Lite: the system prompt as the first developer message, tools as an input item, images inline without detail\)$/,
    );
    expect(lineOf(run.stdout, 'models')).toMatch(/11 listed models for client version 0\.171\.0 \(14 in all\); default gpt-6\.2-sol$/);
    expect(lineOf(run.stdout, 'config')).toContain(`${dir} (0700)`);
    expect(fake.refreshRequests).toHaveLength(0);
    expect(fake.requestsTo('/.well-known/openid-configuration')).toHaveLength(1);
    // A classic model: the system prompt goes to the top-level instructions.
    const classic = await runInProcess(['doctor'], { fake, configDir: dir, env: { CODEX_MODEL: 'gpt-5.5' } });
    expect(lineOf(classic.stdout, 'settings')).toMatch(
      /ask uses gpt-5\.5 \(chosen by CODEX_MODEL\), effort medium, classic layout \(the system prompt as the top-level instructions/,
    );
  });

  it('--json: the checks as one object', async () => {
    const run = await runInProcess(['doctor', '--json'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(Object.keys(statusOf(report))).toEqual(['config', 'proxy', 'credentials', 'issuer', 'token', 'models', 'settings', 'routing', 'clock']);
  });

  it.each<[string, () => { env?: Record<string, string>; configDir?: string }, string, string, number]>([
    ['not logged in', () => ({ configDir: tempDir() }), 'credentials', 'not_logged_in', 3],
    ['a corrupt auth.json', () => withFile('auth.json', '{"access_token":'), 'credentials', 'credentials_corrupt', 3],
    ['a broken config.json', () => withFile('config.json', '{nope'), 'config', 'usage', 2],
    ['a malformed proxy variable', () => ({ env: { HTTPS_PROXY: 'not a url' } }), 'proxy', 'usage', 2],
    ['an unknown client version setting', () => ({ env: { CODEX_CLIENT_VERSION: 'newest' } }), 'config', 'usage', 2],
    ['a retired model in config.json', () => withFile('config.json', JSON.stringify({ model: 'gpt-5.4' })), 'settings', 'usage', 2],
    ['an effort the default model does not take', () => withFile('config.json', JSON.stringify({ effort: 'minimal' })), 'settings', 'usage', 2],
  ])('%s → that check fails with its exit code', async (_what, setUp, name, code, exitCode) => {
    const { env, configDir } = setUp();
    const run = await runInProcess(['doctor', '--json'], { fake, configDir: configDir ?? dir, ...(env ? { env } : {}) });
    expect(run.exitCode).toBe(exitCode);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.status === 'fail')).toMatchObject({ name, code });
    expect(run.stderr).toMatch(new RegExp(`^codex: doctor: \\d checks? failed, first ${name}: `));
    expect(run.stderr.split('\n')).toHaveLength(2);
  });

  it('the backend unreachable → models fails with a fix, exit 5; the issuer is still checked', async () => {
    const gone = await startFake();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const run = await runInProcess(['doctor'], { fake, configDir: dir, env: { CODEX_BASE_URL: baseUrl } });
    expect(run.exitCode).toBe(5);
    expect(lineOf(run.stdout, 'models')).toMatch(/^fail\s+models\s+cannot reach 127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain('fix: check the network, HTTPS_PROXY and --base-url');
    expect(lineOf(run.stdout, 'issuer')).toMatch(/^ok/);
  });

  it('the catalog failing (500) → exit 5 server_error', async () => {
    fake.modelsReplies.push(status(500), status(500));
    const run = await runInProcess(['doctor', '--json'], { fake, configDir: dir });
    expect(run.exitCode).toBe(5);
    expect((JSON.parse(run.stdout) as Report).checks.find((check) => check.name === 'models')).toMatchObject({ status: 'fail', code: 'server_error' });
  });

  it('warnings do not fail: an expired token, a skewed clock, a failed workspace check, a config dir others can read', async () => {
    const expired = configDirWith(fake.issueTokens(-120));
    chmodSync(expired, 0o755);
    fake.clockSkewS = -600;
    fake.accountsCheckReplies.push(status(500), status(500));
    const run = await runInProcess(['doctor'], { fake, configDir: expired });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(lineOf(run.stdout, 'token')).toMatch(/^ok\s+token\s+the access token expired 2m ago; refreshed now, it expires in (1h|59m( \d+s)?)$/);
    expect(fake.refreshRequests).toHaveLength(1);
    expect(lineOf(run.stdout, 'clock')).toMatch(/^warn\s+clock\s+this machine's clock is 10m ahead of the server's/);
    expect(lineOf(run.stdout, 'routing')).toMatch(/^warn\s+routing\s+the workspace check failed/);
    expect(lineOf(run.stdout, 'config')).toMatch(/^warn\s+config\s+.* is mode 0755 \(others can read it\)$/);
    expect(run.stdout).toContain(`fix: chmod 700 ${expired}`);
    expect(lineOf(run.stdout, 'models')).toMatch(/^ok/);
  });

  it('reports workspace routing', async () => {
    fake.routing = { override: 'us', origin: 'https://us.example' };
    const run = await runInProcess(['doctor'], { fake, configDir: dir });
    expect(lineOf(run.stdout, 'routing')).toMatch(/^ok\s+routing\s+workspace routed \(us\) to https:\/\/us\.example$/);
  });

  it('--probe asks the default model for one line; a refused model fails it with exit 6', async () => {
    const run = await runInProcess(['doctor', '--probe'], { fake, configDir: dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(lineOf(run.stdout, 'probe')).toMatch(/^ok\s+probe\s+gpt-6\.2-sol answered "You said: Reply with the single word: ok" in \d+ ms$/);

    fake.retired.push('gpt-6.2-sol');
    const refused = await runInProcess(['doctor', '--probe', '--json'], { fake, configDir: dir });
    expect(refused.exitCode).toBe(6);
    expect((JSON.parse(refused.stdout) as Report).checks.at(-1)).toMatchObject({ name: 'probe', status: 'fail', code: 'model_unavailable' });
  });
});
