// One write per network read: the client says where a read ends, the renderers write what its events produced
// then, in the order the unbatched writes had, across stdout and stderr, keeping back-pressure.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TokenManager } from '../../src/auth/token-manager.js';
import { JsonLinesRenderer } from '../../src/cli/render/jsonl.js';
import { SideChannel } from '../../src/cli/render/side-channel.js';
import { TextRenderer } from '../../src/cli/render/text.js';
import type { CodexEvent } from '../../src/client/events.js';
import { ResponsesClient } from '../../src/client/responses-client.js';
import { answerEvents, frame } from '../fake/replies.js';

/** A stream that records each write() call, tagged with its name, into a log shared by several streams. */
function recorder(name: string, log: [string, string][], highWaterMark = 1 << 20): Writable {
  // Each write completes on a later turn, so a small buffer reports itself full.
  const stream = new Writable({ highWaterMark, write: (_chunk, _encoding, done) => void setImmediate(done) });
  const write = stream.write.bind(stream) as (chunk: string) => boolean;
  stream.write = ((chunk: string) => {
    log.push([name, String(chunk)]);
    return write(chunk);
  }) as typeof stream.write;
  return stream;
}

const r = (delta: string): CodexEvent => ({ type: 'reasoning.delta', delta });
const c = (delta: string): CodexEvent => ({ type: 'commentary.delta', delta });
const t = (delta: string): CodexEvent => ({ type: 'text.delta', delta });
const usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
const result: CodexEvent = { type: 'result', response_id: 'r', model: 'm', text: 'ab', usage };

describe('the client marks the end of each network read', () => {
  it('calls flush after the events of each read, before the next read is handled', async () => {
    const events = answerEvents({ text: 'one two three four', chunk: 5 });
    const frames = events.map((event) => frame(event));
    const firstDelta = events.findIndex((event) => event.type === 'response.output_text.delta');
    // Read 1: everything up to and with the first two deltas; read 2: the rest.
    const reads = [frames.slice(0, firstDelta + 2).join(''), frames.slice(firstDelta + 2).join('')];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = reads.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const tokens = { valid: async () => ({ access_token: 'at', account_id: 'acct' }) } as unknown as TokenManager;
    const fetch = (async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof globalThis.fetch;
    const client = new ResponsesClient({ baseUrl: 'http://127.0.0.1:9/backend-api/codex', tokens, fetch, maxRetries: 0 });
    const seen: string[] = [];
    await client.run(
      { model: 'm', prompt: 'hi' },
      { onEvent: (event) => void seen.push(event.type === 'text.delta' ? `delta ${event.delta}` : event.type), flush: () => void seen.push('flush') },
    );
    expect(seen).toEqual(['start', 'delta one t', 'delta wo th', 'flush', 'delta ree f', 'delta our', 'flush', 'result']);
  });
});

describe('text mode', () => {
  it('writes nothing until the read ends, then one write with the whole read', () => {
    const log: [string, string][] = [];
    const renderer = new TextRenderer(recorder('out', log), {});
    for (const event of [t('Hel'), t('lo, '), t('world')]) expect(renderer.event(event)).toBeUndefined();
    expect(log).toEqual([]);
    void renderer.flush();
    expect(log).toEqual([['out', 'Hello, world']]);
    void renderer.event(result);
    expect(log).toEqual([
      ['out', 'Hello, world'],
      ['out', '\n'],
    ]);
  });

  it('keeps the order of stdout and stderr writes within a read (--reasoning)', () => {
    const log: [string, string][] = [];
    const renderer = new TextRenderer(recorder('out', log), { side: new SideChannel(recorder('err', log)) });
    for (const event of [r('Plan'), r('ned.'), t('A'), t('B'), c('Check'), t('C')]) void renderer.event(event);
    void renderer.flush();
    void renderer.event(result);
    expect(log).toEqual([
      ['err', 'reasoning: Planned.\n'],
      ['out', 'AB'],
      ['err', 'commentary: Check\n'],
      ['out', 'C'],
      ['out', '\n'],
    ]);
  });

  it('writes what a read gathered before a notice, and on stop (a run that fails mid-read)', () => {
    const log: [string, string][] = [];
    const err = recorder('err', log);
    const renderer = new TextRenderer(recorder('out', log), { side: new SideChannel(err), notice: (message) => err.write(`codex: ${message}\n`) });
    void renderer.event(r('Thinking'));
    void renderer.event({ type: 'retry', attempt: 1, max_retries: 4, delay_ms: 200, reason: 'server_error' });
    void renderer.event(t('partial'));
    renderer.stop();
    expect(log).toEqual([
      ['err', 'reasoning: Thinking\n'],
      ['err', 'codex: retrying in 0.2 s (server_error, attempt 1 of 4)\n'],
      ['out', 'partial'],
    ]);
  });

  it('on a terminal, drops control characters per delta as before', () => {
    const log: [string, string][] = [];
    const renderer = new TextRenderer(recorder('out', log), { sanitize: (text) => text.replace(/\x1b/g, '') });
    for (const event of [t('a\x1b[2J'), t('\x1b'), t('b')]) void renderer.event(event);
    void renderer.flush();
    expect(log).toEqual([['out', 'a[2Jb']]);
  });

  it('hands back a full output as a promise that settles once it drained', async () => {
    const log: [string, string][] = [];
    const renderer = new TextRenderer(recorder('out', log, 4), {});
    void renderer.event(t('more than four bytes'));
    const wait = renderer.flush();
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect(log).toEqual([['out', 'more than four bytes']]);
    expect(renderer.flush()).toBeUndefined();
  });
});

describe('--json', () => {
  it('writes the lines of one read in one write, each exactly JSON.stringify of its event', () => {
    const log: [string, string][] = [];
    const start = { type: 'start', schema_version: 1, model: 'm', session_id: 's' } as const;
    const renderer = new JsonLinesRenderer(recorder('out', log), start);
    void renderer.event(start);
    const deltas = [t('a "quoted"\n'), r('\u2028 ü 🚀'), c('\\')];
    for (const event of deltas) expect(renderer.event(event)).toBeUndefined();
    expect(log).toEqual([['out', `${JSON.stringify(start)}\n`]]);
    void renderer.flush();
    expect(log[1]).toEqual(['out', deltas.map((event) => `${JSON.stringify(event)}\n`).join('')]);
    void renderer.event(t('x'));
    renderer.error({ type: 'error', code: 'stream_closed', message: 'gone', exit_code: 5 } as never);
    expect(log.slice(2)).toEqual([['out', `${JSON.stringify(t('x'))}\n${JSON.stringify({ type: 'error', code: 'stream_closed', message: 'gone', exit_code: 5 })}\n`]]);
  });
});
