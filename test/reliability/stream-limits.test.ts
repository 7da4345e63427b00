import { describe, expect, it } from 'vitest';
import { frame, type Reply } from '../fake/replies.js';
import { type Expected, runScenario, terminalEvent, world } from '../support/world.js';

const MiB = 1024 * 1024;
const created = frame({ type: 'response.created', response: { id: 'resp_1', status: 'in_progress' } });

/** SSE headers, response.created, then `piece` written over and over until `total` bytes (or the client leaves). */
function flood(piece: string, total: number): Reply {
  return async ({ res, closed }) => {
    let gone = false;
    void closed.then(() => (gone = true));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(created);
    const block = piece.repeat(Math.ceil((64 * 1024) / piece.length));
    for (let sent = 0; sent < total && !gone; sent += block.length) {
      if (!res.write(block)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  };
}

/** SSE headers, response.created, then `piece` every 50 ms until the client goes away (never an event). */
function trickle(piece: string): Reply {
  return async ({ res, closed }) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(created);
    const timer = setInterval(() => res.write(piece), 50);
    await closed;
    clearInterval(timer);
  };
}

interface Row {
  name: string;
  reply: Reply;
  args: string[];
  expected: Expected;
}

const rows: Row[] = [
  { name: 'one line of 20 MiB', reply: flood('x', 20 * MiB), args: [], expected: { exit: 5, error: /^the backend sent a stream line or event larger than 16 MiB$/ } },
  {
    name: '20 MiB of data: lines without a blank line',
    reply: flood('data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n', 20 * MiB),
    args: [],
    expected: { exit: 5, error: /^the backend sent a stream line or event larger than 16 MiB$/ },
  },
  {
    name: 'keep-alive comments every 50 ms',
    reply: trickle(': keep-alive\n\n'),
    args: ['--idle-timeout', '1'],
    expected: { exit: 5, error: /^no event from the backend for 1 s$/ },
  },
  { name: 'one byte every 50 ms', reply: trickle('d'), args: ['--idle-timeout', '1'], expected: { exit: 5, error: /^no event from the backend for 1 s$/ } },
];

describe('hostile answer streams', () => {
  it.concurrent.each(rows)(
    '$name → exit 5, not retried',
    async ({ reply, args, expected }) => {
      const w = await world();
      try {
        w.fake.responses.push(reply, reply);
        const run = await runScenario(w, ['ask', '--json', ...args, 'q'], expected, false);
        expect(terminalEvent(run.stdout)).toMatchObject({ type: 'error', exit_code: 5 });
        expect(w.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
      } finally {
        await w.close();
      }
    },
    30_000,
  );
});
