// `codex serve`: a streaming client that stops reading no longer holds its backend stream open forever — past the
// stall bound (CODEX_SERVE_STALL_TIMEOUT_MS, default 300 s) the backend request is cancelled and logged as 499.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frame, type Reply, SSE_HEADERS } from '../fake/replies.js';
import { waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { type Served, startServe, TEST_SERVE_KEY } from '../support/serve.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

/** A backend answer that never ends: 16 KiB text deltas for as long as the client reads; `ended` once it is closed. */
function endless(): { reply: Reply; ended: () => boolean; bytes: () => number } {
  let ended = false;
  let bytes = 0;
  const reply: Reply = async ({ res, closed }) => {
    let gone = false;
    void closed.then(() => {
      gone = true;
      ended = true;
    });
    res.writeHead(200, SSE_HEADERS);
    res.write(frame({ type: 'response.created', response: { id: 'resp_endless', model: 'gpt-6.2-sol', status: 'in_progress', output: [] } }));
    res.write(
      frame({ type: 'response.output_item.added', output_index: 0, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [], phase: 'final_answer' } }),
    );
    const delta = frame({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'x'.repeat(16384) });
    while (!gone) {
      bytes += delta.length;
      if (!res.write(delta)) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed]);
    }
  };
  return { reply, ended: () => ended, bytes: () => bytes };
}

/** A client that sends its request and then reads nothing (its socket paused). */
function stalledClient(url: string, path: string, body: unknown): Socket {
  const { hostname, port } = new URL(url);
  const text = JSON.stringify(body);
  const socket = connect(Number(port), hostname, () => {
    socket.write(
      `POST ${new URL(url).pathname}${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${TEST_SERVE_KEY}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
    socket.pause();
  });
  socket.setNoDelay(true);
  return socket;
}

describe('codex serve: a client that stops reading', () => {
  let served: Served;
  beforeAll(async () => {
    served = await startServe([], { fake, configDir: configDirWith(fake.issueTokens()), env: { CODEX_SERVE_STALL_TIMEOUT_MS: '1000' } });
  });
  afterAll(async () => {
    expect((await served.stop()).exitCode).toBe(0);
  });

  it.each([
    ['/chat/completions', { model: 'gpt-6.2-sol', stream: true, messages: [{ role: 'user', content: 'go on forever' }] }],
    ['/responses', { model: 'gpt-6.2-sol', stream: true, input: 'go on forever' }],
  ])('POST %s: the backend stream is cancelled past the bound, and the request logged as 499', async (path, body) => {
    const backend = endless();
    fake.responses.push(backend.reply);
    const socket = stalledClient(served.url, path, body);
    try {
      await waitFor(backend.ended, 30_000, 'the backend stream to be cancelled');
      // It was held while the client's buffers filled, then let go: more than the buffers, far less than forever.
      expect(backend.bytes()).toBeGreaterThan(64 * 16384);
      await waitFor(() => new RegExp(`POST /v1${path} model=gpt-6\\.2-sol status=499`).test(served.stderr()), 10_000, 'the access log line');
    } finally {
      socket.destroy();
    }
  });
});
