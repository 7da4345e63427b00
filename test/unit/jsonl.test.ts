import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonLinesRenderer } from '../../src/cli/render/jsonl.js';
import type { ResultEvent } from '../../src/client/events.js';
import { withTextPieces } from '../../src/client/text-pieces.js';

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
    ['a pair straddling every 64 KiB write boundary', `${'x'.repeat((1 << 16) - 1)}${'🚀'.repeat(600_000)}`],
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

describe('JSON lines result kept as pieces (a long answer is never joined for --json)', () => {
  const rateLimits = { primary: { used_percent: 1, window_minutes: 300, resets_at: 2 }, active_limit: 'codex', plan_type: 'plus' };
  const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 2, reasoning_tokens: 0, total_tokens: 3 };
  it.each([
    ['a surrogate pair split across two pieces', ['x'.repeat(1 << 20) + '🚀'.slice(0, 1), '🚀'.slice(1) + 'y'.repeat(1000), 'é"\n'.repeat(400_000)]],
    ['many small pieces, one longer than a write', [...Array.from({ length: 300 }, (_, i) => `piece ${i} "q" \\ `), 'z'.repeat(3 << 20)]],
    ['a lone high surrogate at the very end', ['a'.repeat(1 << 21), '\ud83d']],
  ])('%s: the line is exactly JSON.stringify of the event, rate_limits after usage', async (_what, pieces) => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const renderer = new JsonLinesRenderer(out, { type: 'start', schema_version: 1, model: 'm', session_id: 's' });
    const text = pieces.join('');
    const result = withTextPieces<ResultEvent>({ type: 'result', response_id: 'r', model: 'm', text: '', usage, rate_limits: rateLimits } as ResultEvent, [...pieces]);
    await renderer.event(result);
    // Written from the pieces: the text was never joined (it is still an accessor, not a value).
    expect(typeof Object.getOwnPropertyDescriptor(result, 'text')!.get).toBe('function');
    const line = Buffer.concat(chunks).toString('utf8').split('\n')[1]!;
    expect(line === JSON.stringify({ type: 'result', response_id: 'r', model: 'm', text, usage, rate_limits: rateLimits })).toBe(true);
    // Read as a string, the text is the pieces joined, in the same place among the keys.
    expect(result.text === text).toBe(true);
    expect(Object.keys(result)).toEqual(['type', 'response_id', 'model', 'text', 'usage', 'rate_limits']);
  });
});
