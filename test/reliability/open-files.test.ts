/**
 * Too few open files allowed (issue 28, item 4). Before: below about 40 open files (`ulimit -n`) the CLI died
 * with exit 1 and a Node stack trace (a module of the command could not be opened, then another one while
 * exiting). What must hold: one `codex:` line that names the limit and how to raise it, exit 3
 * (`too_many_open_files`), whichever command and wherever the limit is hit.
 */

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

const fake = useFake();
const LINE = /^too many open files \(EMFILE\): the limit on open files \(`ulimit -n`\) is too low for codex; raise it \(256 is plenty\) and run again$/;

/** Runs the built binary under `ulimit -n limit`. */
function underLimit(limit: number, args: string[], configDir: string) {
  const quoted = [CLI, ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
  return execa('sh', ['-c', `ulimit -n ${limit} && exec '${process.execPath}' ${quoted}`], {
    reject: false,
    extendEnv: false,
    stripFinalNewline: false,
    env: cliEnv({ fake, configDir }),
    stdin: 'ignore',
    timeout: 30_000,
  });
}

describe('ulimit -n below what a command needs', () => {
  // Node itself holds ≈17 descriptors, and its loader opens a module's imports side by side. On Node 20.20 `ask` and
  // `doctor` run with 20 (the ask path is 10 files), `status` with 22; with 19 the limit is hit while the bin loads
  // its first module (boot), which src/cli.ts reports itself; at 21 `status` hits it past boot, while its command's modules
  // load; with 18 Node may not read the bin at all (its own stack trace, nothing codex can do).
  for (const [limit, args] of [
    [19, ['ask', 'q']],
    [19, ['--verbose', 'ask', '--json', 'q']],
    [19, ['status']],
    [21, ['status']],
  ] as const) {
    it(`ulimit -n ${limit}, codex ${args.join(' ')}: one line, exit 3, no stack trace, nothing sent`, async () => {
      const dir = configDirWith(fake.issueTokens());
      const run = await underLimit(limit, [...args], dir);
      expect(run.exitCode, String(run.stderr)).toBe(3);
      expectCleanStderr(String(run.stderr), { error: LINE }, false);
      expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
    });
  }
});
