import { describe, expect, it } from 'vitest';
import type { CodexEvent } from '../../src/client/events.js';
import { TurnState } from '../../src/client/response-turn.js';
import { sseMessages } from '../../src/transport/sse.js';
import { answerEvents, frame } from '../fake/replies.js';

async function* pieces(bytes: Buffer, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<{ event?: string; data: string }[]> {
  const out: { event?: string; data: string }[] = [];
  for await (const message of sseMessages(source)) out.push({ event: message.event, data: message.data });
  return out;
}

/** The normalized events and outcome a whole stream folds into. */
async function fold(source: AsyncIterable<Uint8Array>) {
  const turn = new TurnState('m');
  const events: CodexEvent[] = [];
  for await (const message of sseMessages(source)) turn.handle(message.event ?? '', message.data, (e) => events.push(e));
  return { events, outcome: turn.finish() };
}

describe('SSE chunking', () => {
  const stream = answerEvents({ text: 'héllo → wörld 🚀', reasoning: ['ré'], chunk: 2 });
  const bytes = Buffer.from(stream.map((e) => frame(e)).join(''));

  it('gives the same messages whatever single point the bytes are split at', async () => {
    const whole = await collect(pieces(bytes, []));
    expect(whole).toHaveLength(stream.length);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(pieces(bytes, [cut]))).toEqual(whole);
    }
  });

  it('gives the same text when every byte arrives on its own', async () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    const { outcome, events } = await fold(pieces(bytes, cuts));
    expect(outcome.text).toBe('héllo → wörld 🚀');
    expect(
      events
        .filter((e) => e.type === 'text.delta')
        .map((e) => (e as { delta: string }).delta)
        .join(''),
    ).toBe('héllo → wörld 🚀');
  });

  it('gives the same text for random multi-point splits, LF and CRLF framing (seeded, 200 cases)', async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (const crlf of [false, true]) {
      const framed = Buffer.from(stream.map((e) => frame(e, crlf)).join(''));
      for (let round = 0; round < 100; round++) {
        const cuts = [...new Set(Array.from({ length: 1 + Math.floor(random() * 40) }, () => 1 + Math.floor(random() * (framed.length - 1))))].sort((a, b) => a - b);
        const { outcome } = await fold(pieces(framed, cuts));
        expect(outcome.text, `cuts ${cuts.join(',')}`).toBe('héllo → wörld 🚀');
      }
    }
  });

  it('reads CRLF framing, `data:` without a space, comments and [DONE]', async () => {
    const text = [
      ': keep-alive\r\n\r\n',
      'event: response.output_text.delta\r\ndata:{"type":"response.output_text.delta","delta":"a","item_id":"m"}\r\n\r\n',
      frame({ type: 'response.output_text.delta', delta: 'b', item_id: 'm' }, true),
      frame({ type: 'response.completed', response: { id: 'r1' } }, true),
      'data: [DONE]\r\n\r\n',
    ].join('');
    const { outcome } = await fold(pieces(Buffer.from(text), [7, 50, 51]));
    expect(outcome.text).toBe('ab');
    expect(outcome.responseId).toBe('r1');
  });

  it('ignores unknown event types and unknown fields', async () => {
    const text = [
      frame({ type: 'response.brand_new_thing', whatever: 1 }),
      frame({ type: 'codex.rate_limits', primary: {} }),
      frame({ type: 'response.output_text.delta', delta: 'ok', item_id: 'm', logprobs: [], obfuscation: 'xyz', new_field: true }),
      frame({
        type: 'response.completed',
        response: { id: 'r2', usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 5 } } },
      }),
    ].join('');
    const { outcome } = await fold(pieces(Buffer.from(text), []));
    expect(outcome.text).toBe('ok');
    expect(outcome.usage).toEqual({ input_tokens: 1, cached_input_tokens: 0, output_tokens: 2, reasoning_tokens: 0, total_tokens: 3 });
  });

  it('fails on data that is not JSON, and on a stream without response.completed', async () => {
    await expect(fold(pieces(Buffer.from('data: {not json\n\n'), []))).rejects.toMatchObject({ code: 'bad_stream' });
    await expect(fold(pieces(Buffer.from(frame({ type: 'response.output_text.delta', delta: 'x' })), []))).rejects.toMatchObject({
      code: 'stream_closed',
    });
  });

  it.each([
    ['context_length_exceeded', 'context_length_exceeded'],
    ['insufficient_quota', 'usage_limit_reached'],
    ['usage_not_included', 'usage_limit_reached'],
    ['rate_limit_exceeded', 'rate_limited'],
    ['server_error', 'server_error'],
    ['server_is_overloaded', 'server_error'],
    ['something_new', 'response_failed'],
  ])('response.failed with %s → %s', async (backendCode, code) => {
    const text = frame({ type: 'response.failed', response: { id: 'r', error: { code: backendCode, message: 'failed' } } });
    await expect(fold(pieces(Buffer.from(text), []))).rejects.toMatchObject({ code });
  });
});
