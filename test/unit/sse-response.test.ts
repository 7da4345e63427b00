import { describe, expect, it } from 'vitest';
import { type SseOut, sseBody } from '../../src/server/sse-response.js';

/** Every chunk of the body, as bytes. */
async function chunksOf(body: ReadableStream<Uint8Array>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return chunks;
}

const head = Buffer.from('data: {"delta":{"content":');
const tail = Buffer.from('}}\n\n');

describe('sseBody (the streamed answer writer)', () => {
  it('sends the bytes of what was written, one chunk per burst, across slabs and multi-byte characters', async () => {
    // Every kind of delta a JSON string can hold: escapes short and long, control characters, DEL, lone surrogates.
    const deltas = [
      'plain',
      'ü — 漢字 🚀',
      '"quoted" \\ \n',
      'say "hi"',
      'back\\slash',
      'tab\tonly',
      'del\u007f',
      '\ud83d',
      '',
      'a delta of plain ASCII longer than 32 characters',
      'ascii then é',
      '\u0000\u0001\u001f\u007f\b\f\r\t',
      'a long delta that needs an escape at its very end "',
      'lone low \udc00 and a pair \ud83d\ude80',
    ];
    // A burst of 3,000 frames (well over one slab), a text of 200,000 characters (larger than a slab), small bursts.
    const bursts: ((out: SseOut) => string)[] = [
      (out) => {
        out.text('data: first\n\n');
        return 'data: first\n\n';
      },
      (out) => {
        let expected = '';
        for (let i = 0; i < 3000; i++) {
          const delta = deltas[i % deltas.length]!;
          out.frame(head, delta, tail);
          expected += `${head}${JSON.stringify(delta)}${tail}`;
        }
        return expected;
      },
      (out) => {
        const big = `data: ${'é漢a'.repeat(66_667)}\n\n`;
        out.text('x');
        out.text(big);
        out.frame(head, 'after', tail);
        return `x${big}${head}"after"${tail}`;
      },
      (out) => {
        out.text('data: [DONE]\n\n');
        return 'data: [DONE]\n\n';
      },
    ];
    const expected: string[] = [];
    const body = sseBody(
      async (out) => {
        for (const burst of bursts) {
          expected.push(burst(out));
          // The next burst comes in a later event-loop turn, as a network read does.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return 7;
      },
      () => undefined,
    );
    const chunks = await chunksOf(body);
    expect(chunks.map((chunk) => chunk.toString())).toEqual(expected);
    expect(Buffer.concat(chunks).equals(Buffer.from(expected.join('')))).toBe(true);
  });

  it('tells the tokens once the body is closed', async () => {
    let told: number | undefined;
    const body = sseBody(
      async (out) => {
        out.text('data: one\n\n');
        return 42;
      },
      (tokens) => {
        told = tokens;
      },
    );
    expect((await chunksOf(body)).map(String)).toEqual(['data: one\n\n']);
    expect(told).toBe(42);
  });
});
