// Issue 27 item 4: the whole quota — per-feature buckets, spend limits, reset credits, `usage --redeem`, and
// `ask --min-remaining BUCKET=PCT`.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { resetCredit } from '../support/quota.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const signedIn = () => configDirWith(fake.issueTokens());

describe('codex usage --redeem', () => {
  it('on a terminal it asks first: y redeems, anything else redeems nothing', async () => {
    const dir = signedIn();
    const env = cliEnv({ fake, configDir: dir }) as Record<string, string>;
    const onTerminal = (answer: string) =>
      execa('script', ['-qec', `'${process.execPath}' '${CLI}' usage --redeem`, '/dev/null'], {
        env: { ...env, TERM: 'xterm' },
        extendEnv: false,
        reject: false,
        input: answer,
        stripFinalNewline: false,
      });
    fake.quota.reset_credits = [resetCredit('one', null)];
    const no = await onTerminal('n\n');
    expect(no.exitCode).toBe(0);
    expect(no.stdout).toContain('redeem the reset credit "Full reset one" (now: 5h 12% used, weekly 34.5% used; 0 left after)? [y/N] ');
    expect(no.stdout).toContain('codex: nothing redeemed');
    expect(fake.requestsTo('/backend-api/wham/rate-limit-reset-credits/consume')).toHaveLength(0);
    const yes = await onTerminal('y\n');
    expect(yes.exitCode).toBe(0);
    expect(yes.stdout).toContain('redeemed "Full reset one": 2 windows reset');
    expect(fake.requestsTo('/backend-api/wham/rate-limit-reset-credits/consume')).toHaveLength(1);
  });
});
