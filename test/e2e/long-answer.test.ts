import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types, shared with .ci/run.
import { node24Bin } from '../../scripts/node24.mjs';
import { CAP_AFTER_CHARACTERS } from '../../src/cli/ask/young-generation.js';
import { bulkAnswer } from '../fake/replies.js';
import { CLI, cliEnv, jsonLines } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
// Past the point where `ask` caps V8's young generation (src/cli/ask/young-generation.ts), in a real process on
// Node 20 and 24: the answer byte for byte, and nothing from V8 (a flag it did not know would be printed on stderr).
const BYTES = 3 * CAP_AFTER_CHARACTERS;
const PIECE = 'abcdefghijklmnopqrstuvwxyz012345';
const ANSWER = PIECE.repeat(BYTES / PIECE.length);
// On Node 24 as well when it is installed (CI installs it).
const nodes = [process.execPath, node24Bin() as string | undefined].filter((bin) => bin !== undefined);

describe.each(nodes)('a long answer (%s)', (node) => {
  const run = (args: string[]) => {
    fake.responses.push(bulkAnswer(BYTES, PIECE.length));
    return execa(node, [CLI, ...args], {
      env: cliEnv({ fake, configDir: configDirWith(fake.issueTokens()) }),
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      stdin: 'ignore',
      timeout: 30_000,
    });
  };

  it('text mode: stdout is the answer, byte for byte, and stderr says nothing of V8', async () => {
    const result = await run(['ask', 'q']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.length).toBe(ANSWER.length + 1);
    expect(result.stdout === `${ANSWER}\n`).toBe(true);
    expect(result.stderr).not.toMatch(/flag|V8/i);
  });

  it('--json: every line is an event and the result holds the whole answer', async () => {
    const result = await run(['ask', '--json', 'q']);
    expect(result.exitCode, result.stderr).toBe(0);
    const events = jsonLines(result.stdout);
    const deltas = events
      .filter((event) => event.type === 'text.delta')
      .map((event) => event.delta)
      .join('');
    expect(deltas === ANSWER).toBe(true);
    expect(events.at(-1)?.type).toBe('result');
    expect(events.at(-1)?.text === ANSWER).toBe(true);
  });
});
