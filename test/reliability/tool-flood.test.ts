// 400 tool calls in one turn under a limit on open files: a process of its own, since the limit (ulimit -n) is a
// process's. The tool is cat itself (one exec per call), echoing its arguments back.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { CLI, cliEnv, jsonLines } from '../support/cli.js';
import { writeTool } from '../support/tools.js';
import { expectCleanStderr, terminalEvent, world } from '../support/world.js';

describe('a flood of tool calls', () => {
  it('400 calls in one turn at ulimit -n 1024: all run, exit 0, nothing on stderr', async () => {
    const w = await world();
    const file = writeTool('echo', { command: ['cat'] }).file;
    try {
      const calls = Array.from({ length: 400 }, (_, i) => ({ name: 'echo', arguments: { n: i }, call_id: `call_${i}` }));
      w.fake.responses.push(answer({ functionCalls: calls }), answer({ text: 'done' }));
      const run = await execa('bash', ['-c', 'ulimit -n 1024; exec "$@"', 'bash', process.execPath, CLI, 'ask', '--json', '--tool', file, 'q'], {
        reject: false,
        extendEnv: false,
        stripFinalNewline: false,
        stdin: 'ignore',
        env: cliEnv({ fake: w.fake, configDir: w.dir }),
        timeout: 60_000,
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
