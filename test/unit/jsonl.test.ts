import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { JsonLinesRenderer } from '../../src/cli/render/jsonl.js';
import type { ResultEvent } from '../../src/client/events.js';
import { TextGatherer, withTextPieces } from '../../src/client/text-pieces.js';

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

describe('JSON lines from bytes (the gathered answer and the delta lines are escaped and encoded without a string)', () => {
  const usage = { input_tokens: 1, cached_input_tokens: 0, output_tokens: 2, reasoning_tokens: 0, total_tokens: 3 };
  const every = Array.from({ length: 256 }, (_, code) => String.fromCharCode(code)).join('');

  async function lines(feed: (renderer: JsonLinesRenderer) => Promise<void> | void): Promise<string[]> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const renderer = new JsonLinesRenderer(out, { type: 'start', schema_version: 1, model: 'm', session_id: 's' });
    renderer.event({ type: 'start', schema_version: 1, model: 'm', session_id: 's' });
    await feed(renderer);
    await renderer.flush();
    return Buffer.concat(chunks).toString('utf8').split('\n').slice(1, -1);
  }

  it.each([
    ['every latin1 character, over many pieces', [every.repeat(3000)]],
    [
      'latin1, then a wide piece ending in a high surrogate, then latin1',
      ['é\\"\u0001'.repeat(70_000), `${'ü'.repeat(70_000)}中${'x'.repeat(65_530)}\ud83d`, '\ude80 after'.repeat(10_000)],
    ],
    ['a lone high surrogate before latin1', [`${'a'.repeat(70_000)}中\ud83d`, 'b'.repeat(70_000)]],
    ['token-sized pieces: latin1, wide, pairs cut in two', [`${every}ab "c" 🚀 — ü\n`.repeat(1500)], 7],
  ])('%s: the result line is exactly JSON.stringify of the event', async (_what, texts, size = 997) => {
    const gatherer = new TextGatherer();
    for (const text of texts) for (let at = 0; at < text.length; at += size) gatherer.add(text.slice(at, at + size));
    const text = texts.join('');
    const result = withTextPieces<ResultEvent>({ type: 'result', response_id: 'r', model: 'm', text: '', usage } as ResultEvent, gatherer.textPieces());
    const [line] = await lines((renderer) => renderer.event(result));
    expect(line === JSON.stringify({ type: 'result', response_id: 'r', model: 'm', text, usage })).toBe(true);
  });

  it('delta lines are exactly JSON.stringify of each event, escapes, pairs, lone surrogates and long deltas included', async () => {
    const deltas = [
      'plain',
      'a "quote"',
      'back\\slash',
      'new\nline\ttab\u0000\u001f\u007f',
      'é ü ß',
      '中文',
      '🚀',
      '\ud83d',
      '\ude80',
      '\u2028',
      '',
      every,
      'x'.repeat(100_000),
    ];
    const events = deltas.flatMap((delta) => [
      { type: 'text.delta' as const, delta },
      { type: 'reasoning.delta' as const, delta },
      { type: 'commentary.delta' as const, delta },
    ]);
    const out = await lines((renderer) => {
      for (const event of events) renderer.event(event);
    });
    expect(out).toEqual(events.map((event) => JSON.stringify(event)));
  });
});
