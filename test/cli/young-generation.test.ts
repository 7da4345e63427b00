// `ask` caps V8's young generation once an answer passes 1 M characters and sets V8's default back when it ends
// (src/cli/ask/young-generation.ts): the calls it makes, seen in-process.
import v8 from 'node:v8';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CAP_AFTER_CHARACTERS } from '../../src/cli/ask/young-generation.js';
import { answer, bulkAnswer } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const measured = [20, 22, 24].includes(Number(process.versions.node.split('.')[0]));

describe('codex ask and V8 young generation', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([[[]], [['--json']]])('a long answer (%j): capped past 1 M characters, V8 default again at its end', async (args) => {
    const flags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    fake.responses.push(bulkAnswer(CAP_AFTER_CHARACTERS + 64 * 1024, 32));
    const run = await runInProcess(['ask', ...args, 'q'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(flags.mock.calls.map(([flag]) => flag)).toEqual(measured ? ['--semi-space-growth-factor=1', '--semi-space-growth-factor=2'] : []);
  });

  it('a short answer: no flag set', async () => {
    const flags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    fake.responses.push(answer({ text: 'short' }));
    const run = await runInProcess(['ask', 'q'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(run.stdout).toBe('short\n');
    expect(flags).not.toHaveBeenCalled();
  });
});
