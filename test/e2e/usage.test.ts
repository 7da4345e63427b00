import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { usageLimit } from '../fake/replies.js';
import { CLI, cliEnv } from '../support/cli.js';
import { has } from '../support/docs.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

const signedIn = () => configDirWith(fake.issueTokens());

describe('codex ask --wait-for-reset', () => {
  it.skipIf(!has('script'))('on a terminal, a countdown on stderr while it waits', async () => {
    fake.responses.push(usageLimit('plus', 1));
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ask --wait-for-reset hi`;
    const run = await execa('script', ['-qec', command, '/dev/null'], {
      env: cliEnv({ fake, configDir: signedIn() }),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 20_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    // script(1) merges the terminal's stdout and stderr.
    expect(run.stdout).toMatch(/\r\x1b\[Kcodex: usage limit reached; waiting for the reset at [^\n]+ \(in \d+s\)…/);
    expect(run.stdout).toContain('You said: hi');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(2);
  });
});
