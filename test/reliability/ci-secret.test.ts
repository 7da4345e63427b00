/**
 * A CI secret spent by a check (issue 28, item 2). Before: with CODEX_AUTH_JSON holding an expired access token,
 * `codex doctor` and `codex status --check` refreshed in memory and threw the rotated tokens away; doctor even
 * printed "ok … refreshed now" and exited 0, and the next job failed with `refresh_token_reused`.
 *
 * What must hold: nothing refreshes unless the command can keep the result. doctor warns and exits 0,
 * status --check exits 3 (`access_token_expired`); neither sends the refresh token, so the job after them still
 * works; `ask` keeps its documented behaviour (refreshes in memory for its own run).
 */

import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { tempDir } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

const fake = useFake();
const LEFT_UNUSED = "access token expired; the secret's refresh token is left unused";

/** A CI job's environment: the secret, and a config dir that holds nothing. */
function job(secret: string) {
  return { fake, configDir: tempDir(), env: { CODEX_AUTH_JSON: secret } };
}

describe('CODEX_AUTH_JSON with an expired access token', () => {
  it('doctor: warns that the refresh token is left unused, sends no refresh, exits 0; the next ask still works', async () => {
    const secret = JSON.stringify(fake.issueTokens(-120));
    const run = await runInProcess(['doctor'], job(secret));
    expect(run.exitCode, run.stderr).toBe(0);
    const token = run.stdout.split('\n').find((line) => /^\w+\s+token\s/.test(line));
    expect(token).toMatch(/^warn\s+token\s+access token expired \(2m( \d+s)? ago\); the secret's refresh token is left unused, so the backend was not checked/);
    expect(run.stdout).not.toMatch(/refreshed now/);
    expect(run.stdout).toMatch(/fix: renew the secret: codex --config-dir DIR refresh/);
    expect(fake.refreshRequests).toHaveLength(0);
    const next = await runInProcess(['ask', 'q'], job(secret));
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stdout).toBe('You said: q\n');
    expect(fake.refreshRequests).toHaveLength(1);
  });

  it('status --check: exit 3 access_token_expired (one line, JSON too), no refresh; the next ask still works', async () => {
    const secret = JSON.stringify(fake.issueTokens(-120));
    const run = await runInProcess(['status', '--check'], job(secret));
    expect(run.exitCode).toBe(3);
    expectCleanStderr(run.stderr, { error: new RegExp(`^${LEFT_UNUSED} \\(a refresh of CODEX_AUTH_JSON would be kept nowhere`) }, false);
    expect(run.stdout).toMatch(/\n {2}check: {4}failed \(access_token_expired\)\n$/);
    const json = await runInProcess(['status', '--check', '--json'], job(secret));
    expect(json.exitCode).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ logged_in: true, source: 'env', check: 'access_token_expired' });
    expect(fake.refreshRequests).toHaveLength(0);
    expect(fake.requestsTo('/backend-api/codex/models')).toHaveLength(0);
    const next = await runInProcess(['ask', 'q'], job(secret));
    expect(next.exitCode, next.stderr).toBe(0);
    expect(fake.refreshRequests).toHaveLength(1);
  });

  it('status --check with a token the backend refuses (401): exit 3 unauthorized, still no refresh', async () => {
    const tokens = fake.issueTokens();
    fake.revokeAccess(tokens.access_token);
    const run = await runInProcess(['status', '--check', '--json'], job(JSON.stringify(tokens)));
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ check: 'unauthorized' });
    expectCleanStderr(run.stderr, { error: /^the backend refused the access token of CODEX_AUTH_JSON; the secret's refresh token is left unused$/ }, false);
    expect(fake.refreshRequests).toHaveLength(0);
  });

  it('a token still good (expiring in 10 s, inside the refresh margin): status --check and doctor use it as it is', async () => {
    const secret = JSON.stringify(fake.issueTokens(10));
    const check = await runInProcess(['status', '--check'], job(secret));
    expect(check.exitCode, check.stderr).toBe(0);
    const doctor = await runInProcess(['doctor'], job(secret));
    expect(doctor.exitCode, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(/^ok\s+token\s+the access token expires in \d+s$/m);
    expect(fake.refreshRequests).toHaveLength(0);
  });

  it('ask keeps its documented behaviour: refreshed in memory for the run (one refresh), answered', async () => {
    const secret = JSON.stringify(fake.issueTokens(-120));
    const run = await runInProcess(['ask', 'q'], job(secret));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: q\n');
    expect(fake.refreshRequests).toHaveLength(1);
  });
});
