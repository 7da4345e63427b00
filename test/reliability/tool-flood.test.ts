/**
 * A model that asks for hundreds of tool calls at once (issue 13, item 7). At `ulimit -n 1024`, 400 parallel
 * calls used to run out of file descriptors: an uncaught EMFILE, a stack trace, no terminal event, and a
 * MaxListenersExceededWarning on stderr. Now at most 8 run at a time, a failed start is an error output for the
 * model, and one abort listener serves them all.
 */
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { CLI, cliEnv, jsonLines } from '../support/cli.js';
import { expectCleanStderr, terminalEvent, world } from '../support/world.js';
import { writeTool } from '../support/tools.js';

describe('a flood of tool calls', () => {
  it('400 calls in one turn at ulimit -n 1024: all run, exit 0, nothing on stderr', async () => {
    const w = await world();
    const file = writeTool('echo', { script: 'cat' }).file;
    try {
      const calls = Array.from({ length: 400 }, (_, i) => ({ name: 'echo', arguments: { n: i }, call_id: `call_${i}` }));
      w.fake.responses.push(answer({ functionCalls: calls }), answer({ text: 'done' }));
      const run = await execa('bash', ['-c', 'ulimit -n 1024; exec "$@"', 'bash', process.execPath, CLI, 'ask', '--json', '--tool', file, 'q'], {
        reject: false, extendEnv: false, stripFinalNewline: false, stdin: 'ignore', env: cliEnv({ fake: w.fake, configDir: w.dir }), timeout: 60_000,
      });
      expect(run.exitCode, run.stderr.slice(0, 2000)).toBe(0);
      expectCleanStderr(run.stderr, {}, false);
      const results = jsonLines(run.stdout).filter((e) => e.type === 'tool_result');
      expect(results).toHaveLength(400);
      expect(results.filter((e) => e.is_error)).toEqual([]);
      expect(results[399]).toEqual({ type: 'tool_result', call_id: 'call_399', output: '{"n":399}', is_error: false });
      expect(terminalEvent(run.stdout)).toMatchObject({ type: 'result', text: 'done' });
    } finally {
      await w.close();
    }
  }, 90_000);
});
