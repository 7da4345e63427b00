/**
 * Input faults: what the user (or a script) feeds in — prompts, flags, tool files and tools that misbehave.
 *
 * Already covered elsewhere (not repeated here):
 * - empty prompt (text and --json) → exit 2, nothing sent ............... test/e2e/ask.test.ts "empty prompt → exit 2"
 * - --nope, --effort huge, --timeout 0, --max-retries -1 → exit 2 ........ test/e2e/ask.test.ts "bad flags → exit 2"
 * - tool file not JSON / no command / empty command / bad name → exit 2 .. test/e2e/tools.test.ts "a tool file that is %s"
 * - a hanging tool killed at its timeout (the tool itself) ............... test/e2e/tools.test.ts "a tool that hangs" (here: its group)
 */
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { jsonLines, waitFor } from '../support/cli.js';
import { toolWithGrandchild, writeTool } from '../support/tools.js';
import { authNow, type Expected, MODES, processAlive, rowsFor, runScenario, terminalEvent, type World, world } from '../support/world.js';

const FIVE_MB = 5 * 1024 * 1024;
const FIFTY_MB = 50 * 1024 * 1024;

interface Row {
  name: string;
  arrange?: (w: World) => { args?: string[]; check?: (events: Record<string, unknown>[]) => Promise<void> | void } | void;
  args: string[];
  input?: string | Buffer;
  expected: Expected;
  requests: number;
}

const lastUserText = (w: World) => {
  const body = w.fake.requestsTo('/backend-api/codex/responses')[0]!.body as { input: { role?: string; content: { text?: string }[] }[] };
  return body.input.filter((item) => item.role === 'user').at(-1)!.content[0]!.text!;
};

const rows: Row[] = [
  // A 1 MB prompt on stdin is sent whole.
  {
    name: '1 MB prompt from stdin',
    arrange: (w) => {
      w.fake.responses.push(answer({ text: 'read it' }));
      return { check: () => expect(lastUserText(w)).toBe('p'.repeat(1_000_000)) };
    },
    args: ['ask', '-'],
    input: 'p'.repeat(1_000_000),
    expected: { exit: 0, stdout: 'read it\n' },
    requests: 1,
  },
  // A 5 MB one is over the backend's budget (bodies over ≈1.2 MB are dropped without an answer): exit 2, nothing sent.
  {
    name: '5 MB prompt from stdin',
    args: ['ask', '-'],
    input: 'p'.repeat(FIVE_MB),
    expected: { exit: 2, error: /over the limit of 1,100,000 \(1\.1 MB; the backend drops larger bodies/ },
    requests: 0,
  },
  // Bytes that are not UTF-8 on stdin: exit 2, nothing sent (never a prompt full of U+FFFD).
  {
    name: 'invalid UTF-8 on stdin',
    args: ['ask', '--json', 'summarise'],
    input: Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc3, 0x28]),
    expected: { exit: 2, error: /not valid UTF-8/ },
    requests: 0,
  },
  // An unknown flag in --json mode: exit 2, and stdout still ends with the error event.
  { name: 'unknown flag (--json)', args: ['ask', '--json', '--frobnicate', 'q'], expected: { exit: 2, error: /unknown option '--frobnicate'/ }, requests: 0 },
  // A misspelt flag: commander's suggestion stays on the same line.
  {
    name: 'misspelt flag with a suggestion',
    args: ['ask', '--json', '--jsn', 'q'],
    expected: { exit: 2, error: /unknown option '--jsn' \(Did you mean --json\?\)$/ },
    requests: 0,
  },
  // Nonsense numbers for the timeouts.
  {
    name: '--idle-timeout not a number',
    args: ['ask', '--json', '--idle-timeout', 'soon', 'q'],
    expected: { exit: 2, error: /--idle-timeout takes a number of seconds/ },
    requests: 0,
  },
  { name: '--max-turns 0', args: ['ask', '--json', '--max-turns', '0', 'q'], expected: { exit: 2, error: /--max-turns/ }, requests: 0 },
  // A tool that prints 50 MB: the run finishes, the output is cut at 64 KiB and says so.
  {
    name: 'a tool that prints 50 MB',
    arrange: (w) => {
      const file = writeTool('flood', { script: `head -c ${FIFTY_MB} /dev/zero | tr '\\0' 'x'` }).file;
      w.fake.responses.push(answer({ functionCalls: [{ name: 'flood', arguments: {}, call_id: 'call_flood' }] }), answer({ text: 'that was a lot' }));
      return {
        args: ['--tool', file],
        check: (events) => {
          const result = events.find((e) => e.type === 'tool_result')!;
          expect(result).toMatchObject({ call_id: 'call_flood', is_error: false });
          expect(String(result.output)).toMatch(/^x{65536}\n\[output cut at 64 KiB\]$/);
          const sent = (w.fake.requestsTo('/backend-api/codex/responses')[1]!.body as { input: { type: string; output?: string }[] }).input.at(-1)!;
          expect(sent.output!.length).toBeLessThan(70_000);
        },
      };
    },
    args: ['ask', '--json', 'q'],
    expected: { exit: 0 },
    requests: 2,
  },
  // A hanging tool that started a child of its own: at its timeout the whole group is killed, the model is told.
  {
    name: 'a hanging tool and its child, killed at the timeout',
    arrange: (w) => {
      const tool = toolWithGrandchild('hang', 'sleep 300', { timeout_s: 0.5 });
      w.fake.responses.push(answer({ functionCalls: [{ name: 'hang', arguments: {} }] }), answer({ text: 'moved on' }));
      return {
        args: ['--tool', tool.file],
        check: async (events) => {
          expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ is_error: true, output: expect.stringContaining('timed out after 0.5 s') });
          const pids = tool.pids();
          expect(pids).toHaveLength(2);
          await waitFor(() => pids.every((pid) => !processAlive(pid)), 5_000, 'the tool and its child to be gone');
        },
      };
    },
    args: ['ask', '--json', 'q'],
    expected: { exit: 0 },
    requests: 2,
  },
];

describe.each(MODES)('input faults ($mode)', ({ verbose }) => {
  it.concurrent.each(rowsFor(rows, verbose))(
    '$name',
    async (row) => {
      const w = await world();
      try {
        const arranged = row.arrange?.(w) ?? {};
        const [command, ...rest] = row.args;
        const args = [command!, ...(arranged.args ?? []), ...rest];
        const run = await runScenario(w, args, row.expected, verbose, row.input === undefined ? {} : { input: row.input });
        if (args.includes('--json')) {
          expect(terminalEvent(run.stdout).exit_code ?? 0).toBe(row.expected.exit);
          await arranged.check?.(jsonLines(run.stdout));
        } else await arranged.check?.([]);
        expect(w.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(row.requests);
        expect(authNow(w)).toBe(w.authBefore);
      } finally {
        await w.close();
      }
    },
    60_000,
  );
});
