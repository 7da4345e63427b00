// sseBatches (src/transport/sse.ts: a streaming UTF-8 decoder feeding eventsource-parser, plus the end-of-stream
// rules) against eventsource-parser fed the whole text at once: recorded streams (vercel/ai's OpenAI Responses
// recordings, test/fixtures) and the fake's own frames, framed with LF, CRLF and CR, cut into network reads at random
// points (a multi-byte character or a CRLF split between reads), must give the same messages.
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { isJson } from '../../src/shared/json-text.js';
import { sseBatches } from '../../src/transport/sse.js';
import { answerEvents, frame } from '../fake/replies.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
/** A recording's frames (one JSON object a line) as the backend sends them: `event:` and `data:` lines. */
const recorded = (name: string) =>
  fixture(name)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => frame(JSON.parse(line)))
    .join('');

type Message = { id?: string | undefined; event?: string | undefined; data: string };

/**
 * What eventsource-parser makes of the whole text: the text fed, a final CR ended, then a last event without its
 * blank line kept when its data is whole JSON.
 */
function reference(text: string): Message[] {
  const out: Message[] = [];
  const parser = createParser({ onEvent: (message) => out.push({ id: message.id, event: message.event, data: message.data }) });
  parser.feed(text);
  if (text.endsWith('\r')) parser.feed('\n');
  const whole = out.length;
  parser.feed('\n\n');
  for (let i = whole; i < out.length; i++) {
    if (!isJson(out[i]!.data)) out.length = i;
  }
  return out;
}

async function parse(bytes: Buffer, cuts: number[], maxEventChars?: number): Promise<Message[]> {
  async function* reads() {
    let start = 0;
    for (const cut of [...cuts, bytes.length]) {
      yield bytes.subarray(start, cut);
      start = cut;
    }
  }
  const out: Message[] = [];
  for await (const batch of sseBatches(reads(), undefined, maxEventChars)) {
    for (const message of batch) out.push({ id: message.id, event: message.event, data: message.data });
  }
  return out;
}

function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const framings: [string, (text: string) => string][] = [
  ['LF', (text) => text],
  ['CRLF', (text) => text.replaceAll('\n', '\r\n')],
  ['CR', (text) => text.replaceAll('\n', '\r')],
];

const streams: [string, string][] = [
  ['vercel/ai web search recording', recorded('vercel-ai-openai-web-search-tool.1.chunks.jsonl')],
  ['vercel/ai image generation recording', recorded('vercel-ai-openai-image-generation-tool.chunks.txt')],
  [
    'the fake answer with reasoning, commentary-free, multi-byte text',
    answerEvents({ text: 'héllo → wörld 🚀 漢字', reasoning: ['ré'], chunk: 3 })
      .map((e) => frame(e))
      .join(''),
  ],
  [
    // Larger than a 16 KiB slice (sse.ts parses a large read in slices), whole or in the reads of one cut.
    'a long multi-byte answer, reads larger than a slice',
    answerEvents({ text: 'héllo → wörld 🚀 漢字 '.repeat(2000), chunk: 50 })
      .map((e) => frame(e))
      .join(''),
  ],
  [
    'every field kind: comments, id, retry, unknown and colon-less fields, multi-line data, data without a space, a BOM',
    [
      '\ufeff: a comment\n\n',
      'id: 7\nretry: 1000\nevent: one\ndata: {"a":1}\n\n',
      'event:two\ndata:first line\ndata:  two spaces\ndata\nunknown: x\nfieldonly\n\n',
      'id: with\0nul\ndata: after a bad id\n\n',
      'event: \ndata: empty event name\n\n',
      'data: 🚀 — über\n\n',
      'event: no data\n\n',
      '\n\n\n',
      'data: last\n\n',
    ].join(''),
  ],
];

describe('sseBatches: the same messages however the stream is cut into reads', () => {
  for (const [what, text] of streams) {
    for (const [framing, framed] of framings) {
      it(`${what}, ${framing}: whole and cut at 150 random points sets (seeded)`, async () => {
        const body = framed(text);
        const bytes = Buffer.from(body);
        const expected = reference(body);
        expect(expected.length).toBeGreaterThan(3);
        expect(await parse(bytes, [])).toEqual(expected);
        const random = seeded(bytes.length);
        for (let round = 0; round < 150; round++) {
          const count = round < 50 ? 1 : 1 + Math.floor(random() * 60);
          const cuts = [...new Set(Array.from({ length: count }, () => 1 + Math.floor(random() * (bytes.length - 1))))].sort((a, b) => a - b);
          expect(await parse(bytes, cuts), `cuts ${cuts.join(',')}`).toEqual(expected);
        }
      });
    }
  }

  it('one byte at a time, CRLF framing, gives the same messages', async () => {
    const body = framings[1]![1](streams.find(([what]) => what.startsWith('every field kind'))![1]);
    const bytes = Buffer.from(body);
    expect(
      await parse(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(reference(body));
  });

  it('a last event without its blank line is kept when its data is whole JSON, dropped when torn', async () => {
    expect(await parse(Buffer.from('data: {"a":1}\n\ndata: {"b":2}'), [])).toEqual([
      { data: '{"a":1}', event: undefined, id: undefined },
      { data: '{"b":2}', event: undefined, id: undefined },
    ]);
    expect(await parse(Buffer.from('data: {"a":1}\n\ndata: {"b":'), [])).toEqual([{ data: '{"a":1}', event: undefined, id: undefined }]);
    expect(await parse(Buffer.from('data: {"a":1}\r'), [])).toEqual([{ data: '{"a":1}', event: undefined, id: undefined }]);
  });

  it('a byte that is not UTF-8 becomes U+FFFD, as the decoder made it', async () => {
    const bytes = Buffer.concat([Buffer.from('data: a'), Buffer.from([0xff, 0xc3]), Buffer.from('b\n\n')]);
    expect(await parse(bytes, [8])).toEqual([{ data: new TextDecoder().decode(bytes.subarray(6, 10)), event: undefined, id: undefined }]);
  });

  it('a line or an event over the limit is bad_stream, whether it comes in one read or many', async () => {
    const line = Buffer.from(`data: ${'x'.repeat(2000)}`);
    await expect(parse(line, [], 1000)).rejects.toThrow(/larger than/);
    const lines = Buffer.from('data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(100));
    await expect(parse(lines, [], 1000)).rejects.toThrow(/larger than/);
    async function* reads() {
      for (let i = 0; i < 100; i++) yield Buffer.from('x'.repeat(100));
    }
    const batches = sseBatches(reads(), undefined, 1000);
    await expect(batches.next()).rejects.toMatchObject({ code: 'bad_stream' });
  });
});
