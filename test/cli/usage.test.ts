import { describe, expect, it } from 'vitest';
import { PRIMARY_RESET_AT, RATE_LIMITS_EVENT, SECONDARY_RESET_AT, status, usageLimit } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();

const signedIn = () => configDirWith(fake.issueTokens());
const { type: _type, ...SNAPSHOT } = RATE_LIMITS_EVENT;

describe('codex usage', () => {
  it('shows plan, both windows with their resets, and credits from wham/usage', async () => {
    fake.quota.credits = { has_credits: true, unlimited: false, balance: '12.5' };
    const run = await runInProcess(['usage'], { fake, configDir: signedIn() });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^plan:\s+plus$/);
    expect(lines[1]).toMatch(/^5h window:\s+12% used, resets at .+ \(in (1h 59m|2h)\)$/);
    expect(lines[2]).toMatch(/^weekly:\s+34\.5% used, resets at .+ \(in (3d 23h|4d)\)$/);
    expect(lines[3]).toMatch(/^credits:\s+12\.5$/);
    const [request] = fake.requestsTo('/backend-api/wham/usage');
    expect(request!.headers['chatgpt-account-id']).toBe(fake.account.accountId);
    expect(fake.requestsTo('/backend-api/codex/models')).toHaveLength(0);
  });

  it('--json: the snapshot with its source', async () => {
    const run = await runInProcess(['usage', '--json'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const { active_limit: _header, ...fromEndpoint } = SNAPSHOT;
    // The backend counts the reset credits in every answer (none here); buckets and spend limits only when it has them.
    expect(report).toEqual({ source: 'usage', fetched_at: expect.any(Number), ...fromEndpoint, reset_credits: { available_count: 0 } });
    expect(report.primary).toEqual({ used_percent: 12, window_minutes: 300, resets_at: PRIMARY_RESET_AT });
    expect(report.secondary).toEqual({ used_percent: 34.5, window_minutes: 10080, resets_at: SECONDARY_RESET_AT });
  });

  it('falls back to the x-codex-* headers of /models when wham/usage fails, with a note on stderr', async () => {
    fake.usageReplies.push(status(500, { detail: 'boom' }), status(500, { detail: 'boom' }));
    const run = await runInProcess(['usage', '--json'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('codex: the usage endpoint failed; showing the rate-limit headers of the backend instead\n');
    expect(JSON.parse(run.stdout)).toEqual({ source: 'headers', fetched_at: expect.any(Number), ...SNAPSHOT });
    expect(fake.requestsTo('/backend-api/codex/models')).toHaveLength(1);
  });

  it('neither source → exit 5, one line', async () => {
    fake.usageReplies.push(status(500), status(500));
    fake.modelsReplies.push(status(503), status(503));
    fake.quota.primary = null;
    fake.quota.secondary = null;
    const run = await runInProcess(['usage'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(5);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^codex: cannot get the quota: [^\n]+\n$/);
  });

  it('not logged in → exit 3, no request', async () => {
    const run = await runInProcess(['usage'], { fake, configDir: tempDir() });
    expect(run.exitCode).toBe(3);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('codex status: the usage line', () => {
  it('shows the last snapshot seen (no request of its own), and status --json includes it', async () => {
    const dir = signedIn();
    const before = await runInProcess(['status'], { fake, configDir: dir });
    expect(before.stdout).toMatch(/\n {2}usage: {4}not seen yet \(`codex usage`\)\n$/);
    expect((await runInProcess(['usage'], { fake, configDir: dir })).exitCode).toBe(0);
    fake.reset();
    const text = await runInProcess(['status'], { fake, configDir: dir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/\n {2}usage: {4}plus · 5h: 12% used, resets at [^·]+ · weekly: 34\.5% used, resets at [^·]+ \(seen \d+s ago\)\n$/);
    const json = await runInProcess(['status', '--json'], { fake, configDir: dir });
    expect(JSON.parse(json.stdout).usage).toMatchObject({ source: 'usage', primary: SNAPSHOT.primary, secondary: SNAPSHOT.secondary });
    expect(fake.requests).toHaveLength(0);
  });

  it('an ask leaves its snapshot for status too', async () => {
    const dir = signedIn();
    fake.quota.primary!.used_percent = 55;
    expect((await runInProcess(['ask', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    const json = await runInProcess(['status', '--json'], { fake, configDir: dir });
    expect(JSON.parse(json.stdout).usage).toMatchObject({ source: 'headers', primary: { used_percent: 55 } });
  });
});

describe('codex ask: quota in every run', () => {
  it('the result event carries the last rate-limit snapshot, with every x-codex-* header read', async () => {
    fake.quota.credits = { has_credits: true, unlimited: true, balance: '3' };
    const run = await runInProcess(['ask', '--json', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    const events = jsonLines(run.stdout);
    const expected = { ...SNAPSHOT, credits: { has_credits: true, unlimited: true, balance: 3 } };
    expect(events.filter((event) => event.type === 'rate_limits')).toEqual([{ type: 'rate_limits', ...expected }]);
    expect(events.at(-1)).toMatchObject({ type: 'result', rate_limits: expected });
  });

  it('-u prints token usage and the windows on stderr after the answer; stdout is the answer alone', async () => {
    const run = await runInProcess(['ask', '-u', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('You said: hi\n');
    expect(run.stderr).toMatch(
      /^codex: tokens: 42 in \(0 cached\), 3 out \(0 reasoning\), 45 total\ncodex: quota: plus · 5h: 12% used, resets at [^·]+ · weekly: 34\.5% used, resets at [^·\n]+\n$/,
    );
  });

  it('warns when the backend says it served another model than the one asked for', async () => {
    fake.servedModel = 'gpt-5.5';
    const run = await runInProcess(['ask', '-m', 'gpt-6-sol', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('You said: hi\n');
    expect(run.stderr).toBe("codex: served by gpt-5.5, not gpt-6-sol as asked (the backend's openai-model header)\n");
  });
});

describe('codex ask --min-remaining', () => {
  it('less left than asked → exit 4 quota_low with the reset time, before any /responses request', async () => {
    fake.quota.primary!.used_percent = 91;
    const run = await runInProcess(['ask', '--json', '--min-remaining', '10', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/^codex: only 9% of the 5h window left, below --min-remaining 10; it resets at .+ \(in (1h 59m|2h)\)\n$/);
    const events = jsonLines(run.stdout);
    expect(events.map((event) => event.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({ code: 'quota_low', exit_code: 4, resets_at: PRIMARY_RESET_AT });
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });

  it('enough left → the ask goes through', async () => {
    const run = await runInProcess(['ask', '--min-remaining', '50', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: hi\n');
    expect(fake.requestsTo('/backend-api/wham/usage')).toHaveLength(1);
  });

  it('a quota that cannot be read is a warning, and the ask goes on', async () => {
    fake.quota.primary = null;
    fake.quota.secondary = null;
    const run = await runInProcess(['ask', '--min-remaining', '50', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('You said: hi\n');
    expect(run.stderr).toMatch(/^codex: cannot check --min-remaining \(cannot get the quota: [^\n]+\); sending anyway\n$/);
  });

  it('a bad percentage → exit 2, no request', async () => {
    const run = await runInProcess(['ask', '--min-remaining', '120', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: --min-remaining takes a percentage from 0 to 100, not "120"\n');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('codex ask --wait-for-reset', () => {
  it('waits until the reset after a usage limit, with one retry event, then sends once more and succeeds', async () => {
    fake.responses.push(usageLimit('plus', 1));
    const run = await runInProcess(['ask', '--json', '--wait-for-reset', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.filter((event) => event.type === 'start')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'retry')).toEqual([
      { type: 'retry', attempt: 1, max_retries: 1, delay_ms: expect.any(Number), reason: 'usage_limit_reached' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'You said: hi' });
    const [limited, sent] = fake.requestsTo('/backend-api/codex/responses');
    expect(sent).toBeDefined();
    // The reset the fake named (whole seconds, at most one second after the limited request).
    const resetsAtMs = (Math.floor(limited!.receivedAt / 1000) + 1) * 1000;
    expect(sent!.receivedAt).toBeGreaterThanOrEqual(resetsAtMs);
  });

  it('with --min-remaining: a low quota is waited out until its reset, then the ask is sent', async () => {
    fake.quota.primary!.used_percent = 100;
    fake.quota.primary!.reset_at = Math.floor(Date.now() / 1000) + 1;
    const run = await runInProcess(['ask', '--json', '--min-remaining', '5', '--wait-for-reset', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.filter((event) => event.type === 'retry')).toMatchObject([{ attempt: 1, max_retries: 1, reason: 'quota_low' }]);
    expect(events.at(-1)).toMatchObject({ type: 'result' });
    const [sent] = fake.requestsTo('/backend-api/codex/responses');
    expect(sent!.receivedAt).toBeGreaterThanOrEqual(fake.quota.primary!.reset_at * 1000);
  });

  it('a reset after --timeout is not waited for: exit 4 at once, one request', async () => {
    fake.responses.push(usageLimit('plus', 3600));
    const run = await runInProcess(['ask', '--wait-for-reset', '--timeout', '30', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/usage limit of your ChatGPT plus plan; it resets at .+ \(in (59m|1h)\); --wait-for-reset does not wait: that is after --timeout\n$/);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
  });
});
