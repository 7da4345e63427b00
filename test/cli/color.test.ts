// --color always|never|auto (--color alone: always; --no-color: never): the reasoning on stderr is dimmed or not.
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const DIM = '\x1b[2m';

describe('--color', () => {
  it.each([
    [['--color', 'always'], true],
    [['--color'], true],
    [['--color=always'], true],
    [['--color', 'never'], false],
    [['--no-color'], false],
    [['--color', 'auto'], false],
    [[], false],
  ])('codex %j ask --reasoning: escape codes on a pipe: %s', async (flags, coloured) => {
    const dir = configDirWith(fake.issueTokens());
    const run = await runInProcess([...flags, 'ask', '--reasoning', 'hello'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: hello\n');
    expect(run.stderr.includes(DIM)).toBe(coloured);
    expect(run.stderr.replace(/\x1b\[\d+m/g, '')).toBe('reasoning: Reading the prompt.\n');
  });

  it('after a quoted prompt, --color stays an option; a value it does not take is exit 2', async () => {
    const dir = configDirWith(fake.issueTokens());
    const after = await runInProcess(['ask', '--reasoning', 'hello', '--color', 'always'], { fake, configDir: dir });
    expect([after.exitCode, after.stdout, after.stderr.includes(DIM)]).toEqual([0, 'You said: hello\n', true]);
    const bad = await runInProcess(['--color=sometimes', 'ask', 'hello'], { fake, configDir: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(`codex: option '--color <when>' argument 'sometimes' is invalid. Allowed choices are always, never, auto.\n`);
  });
});
