import { describe, expect, it } from 'vitest';
import { PRIMARY_RESET_AT, SECONDARY_RESET_AT } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { resetCredit } from '../support/quota.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const signedIn = () => configDirWith(fake.issueTokens());

const SPARK = {
  limit_name: 'GPT-6-Spark',
  metered_feature: 'codex_spark',
  primary: { used_percent: 85, limit_window_seconds: 300 * 60, reset_at: PRIMARY_RESET_AT },
  secondary: { used_percent: 40, limit_window_seconds: 10080 * 60, reset_at: SECONDARY_RESET_AT },
};
const SPEND = {
  reached: false,
  reached_limit_type: null,
  individual_limit: {
    limit: '50.00',
    used: '12.50',
    remaining: '37.50',
    used_percent: 25,
    remaining_percent: 75,
    reset_after_seconds: 3600,
    reset_at: SECONDARY_RESET_AT,
  },
};

describe('codex usage: the whole quota', () => {
  it('text: the per-feature bucket windows, the spend limit and the reset credits', async () => {
    fake.quota.additional = [SPARK];
    fake.quota.spend_control = SPEND;
    fake.quota.reset_credits = [resetCredit('a', '2026-12-31T00:00:00Z'), resetCredit('b', null), resetCredit('c', null, 'redeemed')];
    const run = await runInProcess(['usage'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^plan:\s+plus$/);
    expect(lines[3]).toMatch(/^GPT-6-Spark 5h:\s+85% used, resets at .+ \(in (1h 59m|2h)\)$/);
    expect(lines[4]).toMatch(/^GPT-6-Spark weekly:\s+40% used, resets at .+$/);
    expect(lines[5]).toMatch(/^credits:\s+none$/);
    expect(lines[6]).toMatch(/^spend \(individual\):\s+12\.50 of 50\.00 used \(25%\), resets at .+$/);
    expect(lines[7]).toMatch(/^reset credits:\s+2 available \(`codex usage --redeem`\)$/);
  });

  it('--json: additional_limits, spend_control and reset_credits under the backend names', async () => {
    fake.quota.additional = [SPARK];
    fake.quota.spend_control = { ...SPEND, reached: true, reached_limit_type: 'individual' };
    fake.quota.reset_credits = [resetCredit('a', null)];
    const run = await runInProcess(['usage', '--json'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.additional_limits).toEqual([
      {
        limit_name: 'GPT-6-Spark',
        metered_feature: 'codex_spark',
        primary: { used_percent: 85, window_minutes: 300, resets_at: PRIMARY_RESET_AT },
        secondary: { used_percent: 40, window_minutes: 10080, resets_at: SECONDARY_RESET_AT },
      },
    ]);
    expect(report.spend_control).toEqual({
      reached: true,
      reached_limit_type: 'individual',
      limits: [{ type: 'individual', limit: '50.00', used: '12.50', remaining: '37.50', used_percent: 25, resets_at: SECONDARY_RESET_AT }],
    });
    expect(report.reset_credits).toEqual({ available_count: 1 });
  });
});

describe('codex ask --min-remaining BUCKET=PCT', () => {
  it('checks the named bucket (by limit name or metered feature): low → exit 4 before sending; enough → sent', async () => {
    fake.quota.additional = [SPARK];
    const dir = signedIn();
    const low = await runInProcess(['ask', '--min-remaining', 'gpt-6-spark=20', 'hi'], { fake, configDir: dir });
    expect(low.exitCode).toBe(4);
    expect(low.stderr).toMatch(/^codex: only 15% of the GPT-6-Spark 5h window left, below --min-remaining gpt-6-spark=20; it resets at .+\n$/);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
    const enough = await runInProcess(['ask', '--min-remaining', 'codex_spark=10', 'hi'], { fake, configDir: dir });
    expect([enough.exitCode, enough.stderr]).toEqual([0, '']);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
  });

  it('an unknown bucket → exit 2 naming the buckets; a bad percentage → exit 2 before any request', async () => {
    fake.quota.additional = [SPARK];
    const dir = signedIn();
    const unknown = await runInProcess(['ask', '--min-remaining', 'turbo=10', 'hi'], { fake, configDir: dir });
    expect([unknown.exitCode, unknown.stderr]).toEqual([2, 'codex: --min-remaining: no quota bucket named "turbo"; the buckets are GPT-6-Spark (`codex usage`)\n']);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
    fake.reset();
    const bad = await runInProcess(['ask', '--min-remaining', 'spark=lots', 'hi'], { fake, configDir: dir });
    expect([bad.exitCode, bad.stderr]).toEqual([2, 'codex: --min-remaining takes a percentage from 0 to 100, not "lots"\n']);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('codex usage --redeem', () => {
  it('--yes: redeems the credit that expires first, with a fresh redeem id, and shows what changed', async () => {
    fake.quota.primary!.used_percent = 80;
    fake.quota.secondary!.used_percent = 90;
    fake.quota.reset_credits = [resetCredit('later', '2027-01-31T00:00:00Z'), resetCredit('never', null), resetCredit('soon', '2026-12-20T00:00:00Z')];
    const run = await runInProcess(['usage', '--redeem', '--yes'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const [consume] = fake.requestsTo('/backend-api/wham/rate-limit-reset-credits/consume');
    const body = consume!.body as { credit_id: string; redeem_request_id: string };
    expect(body.credit_id).toBe('soon');
    expect(body.redeem_request_id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('redeemed "Full reset soon", expires 2026-12-20T00:00:00Z: 2 windows reset');
    expect(lines[1]).toMatch(/^5h: 80% → 0% used, resets at .+$/);
    expect(lines[2]).toMatch(/^weekly: 90% → 0% used, resets at .+$/);
    expect(lines[3]).toBe('reset credits: 2 left');
    expect(fake.quota.reset_credits.map((entry) => entry.status)).toEqual(['available', 'available', 'redeemed']);
  });

  it('--json: the code, the credit, and the quota before and after', async () => {
    fake.quota.primary!.used_percent = 100;
    fake.quota.reset_credits = [resetCredit('one', null)];
    const run = await runInProcess(['usage', '--redeem', '-y', '--json'], { fake, configDir: signedIn() });
    expect(run.exitCode, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ code: 'reset', windows_reset: 2, credit: { id: 'one', title: 'Full reset one' }, redeem_request_id: expect.any(String) });
    expect([out.before.primary.used_percent, out.after.primary.used_percent]).toEqual([100, 0]);
    expect([out.before.reset_credits, out.after.reset_credits]).toEqual([{ available_count: 1 }, { available_count: 0 }]);
  });

  it('not on a terminal without --yes → exit 2 and nothing is spent', async () => {
    fake.quota.reset_credits = [resetCredit('one', null)];
    const run = await runInProcess(['usage', '--redeem'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toBe('codex: --redeem spends a reset credit: add --yes to redeem without a question (stdin or stderr is not a terminal)\n');
    expect(fake.requests).toHaveLength(0);
  });

  it('no credit → exit 4 (no_reset_credit); no window used → the credit is kept and it says so', async () => {
    const dir = signedIn();
    const none = await runInProcess(['usage', '--redeem', '--yes'], { fake, configDir: dir });
    expect([none.exitCode, none.stdout, none.stderr]).toEqual([4, '', 'codex: no reset credit available to redeem\n']);
    expect(fake.requestsTo('/backend-api/wham/rate-limit-reset-credits/consume')).toHaveLength(0);
    fake.quota.primary!.used_percent = 0;
    fake.quota.secondary!.used_percent = 0;
    fake.quota.reset_credits = [resetCredit('one', null)];
    const idle = await runInProcess(['usage', '--redeem', '--yes'], { fake, configDir: dir });
    expect([idle.exitCode, idle.stderr]).toEqual([0, '']);
    expect(idle.stdout).toBe('nothing to reset: no window is used; the credit "Full reset one" was kept\n');
    expect(fake.quota.reset_credits[0]!.status).toBe('available');
  });

  it('--yes without --redeem → exit 2', async () => {
    const run = await runInProcess(['usage', '--yes'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([2, 'codex: --yes goes with --redeem\n']);
  });
});
