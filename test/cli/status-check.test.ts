// `codex status --check`: the local file says "logged in", the backend decides whether that still holds.
import { describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { startFake, useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const MODELS = '/backend-api/codex/models';

describe('codex status --check', () => {
  it('a working sign-in: check ok, one /models call, no refresh while the token is good', async () => {
    const dir = configDirWith(fake.issueTokens());
    const run = await runInProcess(['status', '--check'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\n {2}check: {4}ok, the backend accepts this sign-in\n$/);
    expect(fake.requestsTo(MODELS)).toHaveLength(1);
    expect(fake.refreshRequests).toHaveLength(0);
    const json = JSON.parse((await runInProcess(['status', '--check', '--json'], { fake, configDir: dir })).stdout) as { check: string };
    expect(json.check).toBe('ok');
  });

  it('plain status makes no request at all', async () => {
    const dir = configDirWith(fake.issueTokens());
    expect((await runInProcess(['status'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it('a refresh token already spent elsewhere: plain status says logged in, --check exits 3 refresh_token_reused', async () => {
    const tokens = fake.issueTokens(-60);
    const dir = configDirWith(tokens);
    // Another client spends the refresh token first.
    await fetch(`${fake.issuer}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'app_EMoamEEZ73f0CkXaXp7hrann', grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
    });
    expect((await runInProcess(['status'], { fake, configDir: dir })).exitCode).toBe(0);
    const run = await runInProcess(['status', '--check', '--json'], { fake, configDir: dir });
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ logged_in: true, check: 'refresh_token_reused' });
    expect(run.stderr).toMatch(/^codex: .*sign in again with `codex login`\n$/);
  });

  it('an access token the backend no longer accepts, even after a refresh → exit 3 unauthorized', async () => {
    const dir = configDirWith(fake.issueTokens());
    fake.modelsReplies.push(status(401, { detail: 'Unauthorized' }), status(401, { detail: 'Unauthorized' }));
    const run = await runInProcess(['status', '--check'], { fake, configDir: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toMatch(/check: {4}failed \(unauthorized\)\n$/);
  });

  it('a backend out of reach is not a sign-in problem: exit 5', async () => {
    const dir = configDirWith(fake.issueTokens());
    const gone = await startFake();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const run = await runInProcess(['status', '--check'], { fake, configDir: dir, env: { CODEX_BASE_URL: baseUrl } });
    expect(run.exitCode).toBe(5);
  });
});
