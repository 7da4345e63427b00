/**
 * Tool process trees (issue 13, item 13). A background child of a tool kept the tool's stdout open, so codex
 * waited for it (until timeout_s) and it outlived the tool; a `setsid` grandchild holding stdout escaped the
 * group kill and kept codex waiting past timeout_s. Now the group is killed when the tool exits, and after the
 * tool exits (or is killed) its output is read for a short grace period only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { jsonLines, waitFor } from '../support/cli.js';
import { toolWithGrandchild } from '../support/tools.js';
import { processAlive, runScenario, world } from '../support/world.js';

describe('tool process trees', () => {
  it('a background child is killed when the tool exits, and its output does not wait for it', async () => {
    const w = await world();
    const tool = toolWithGrandchild('bg', 'echo done', { timeout_s: 30 });
    try {
      w.fake.responses.push(answer({ functionCalls: [{ name: 'bg', arguments: {}, call_id: 'call_bg' }] }), answer({ text: 'ok' }));
      const run = await runScenario(w, ['ask', '--json', '--tool', tool.file, 'q'], { exit: 0 }, false);
      expect(jsonLines(run.stdout).find((e) => e.type === 'tool_result')).toEqual({ type: 'tool_result', call_id: 'call_bg', output: 'done\n', is_error: false });
      await waitFor(() => tool.pids().every((pid) => !processAlive(pid)), 10_000, 'the tool and its background child to be gone');
    } finally {
      for (const pid of tool.pids()) if (processAlive(pid)) process.kill(pid, 'SIGKILL');
      await w.close();
    }
  });

  it('a setsid grandchild holding stdout does not keep codex waiting past timeout_s', async () => {
    const w = await world();
    const tool = toolWithGrandchild('escape', 'setsid sleep 300 & echo $! > escaped.pid\nsleep 300', { timeout_s: 0.5 });
    const escapedPid = () => Number(readFileSync(join(tool.folder, 'escaped.pid'), 'utf8'));
    try {
      w.fake.responses.push(answer({ functionCalls: [{ name: 'escape', arguments: {}, call_id: 'call_esc' }] }), answer({ text: 'ok' }));
      const run = await runScenario(w, ['ask', '--json', '--tool', tool.file, 'q'], { exit: 0 }, false, { execa: { cwd: tool.folder } });
      expect(jsonLines(run.stdout).find((e) => e.type === 'tool_result')).toMatchObject({
        call_id: 'call_esc',
        is_error: true,
        output: expect.stringMatching(/^the tool timed out after 0\.5 s/),
      });
    } finally {
      try {
        process.kill(escapedPid(), 'SIGKILL');
      } catch {
        // already gone
      }
      await w.close();
    }
  });
});
