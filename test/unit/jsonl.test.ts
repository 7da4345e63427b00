import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ResultEvent } from '../../src/client/events.js';
import { JsonLinesRenderer } from '../../src/render/jsonl.js';

async function render(text: string): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const renderer = new JsonLinesRenderer(out, { type: 'start', schema_version: 1, model: 'm', session_id: 's' });
  renderer.event({ type: 'start', schema_version: 1, model: 'm', session_id: 's' });
  const result: ResultEvent = {
    type: 'result',
    response_id: 'r',
    model: 'm',
    text,
    usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 2, reasoning_tokens: 0, total_tokens: 3 },
  };
  await renderer.event(result);
  return Buffer.concat(chunks).toString('utf8').split('\n')[1]!;
}

describe('JSON lines result', () => {
  it.each([
    ['short', 'hello "world"\n'],
    ['longer than a piece, with escapes', 'a"\\\n\t'.repeat(300_000)],
    ['a surrogate pair on every piece boundary', '🚀'.repeat(1_100_000)],
    ['a pair straddling exactly the first boundary', `${'x'.repeat((1 << 20) - 1)}🚀tail`],
  ])('%s: the line is exactly JSON.stringify of the event', async (_what, text) => {
    const line = await render(text);
    const event = {
      type: 'result',
      response_id: 'r',
      model: 'm',
      text,
      usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 2, reasoning_tokens: 0, total_tokens: 3 },
    };
    expect(line === JSON.stringify(event)).toBe(true);
  });
});
