// A long answer stays in the pieces it was gathered in until someone reads its text: adding a field (the
// conversation id on `result`) must not join them, and the copy reads exactly as a spread would.
import { describe, expect, it } from 'vitest';
import { TurnState } from '../../src/client/response-turn.js';
import { pieceText, StoredText, TextGatherer, textLength, textPieces, withFields, withTextPieces } from '../../src/client/text-pieces.js';

describe('text pieces', () => {
  it('withFields keeps the pieces, the key order and the JSON of a spread', () => {
    const pieces = ['Hello, ', 'wor', 'ld'];
    const result = withTextPieces({ type: 'result', text: '', model: 'm' }, pieces);
    const shown = withFields(result, { conversation_id: 'c1' });
    expect(textPieces(shown)).toBe(pieces);
    expect(textLength(shown)).toBe(12);
    expect(JSON.stringify(shown)).toBe('{"type":"result","text":"Hello, world","model":"m","conversation_id":"c1"}');
    expect(JSON.stringify(shown)).toBe(JSON.stringify({ ...result, conversation_id: 'c1' }));
  });

  it('withFields on a plain object is a spread', () => {
    expect(withFields({ text: 'a', n: 1 }, { n: 2 })).toEqual({ text: 'a', n: 2 });
  });
});

describe('stored text (a long answer kept outside the heap)', () => {
  it.each([
    ['ASCII', 'plain "text"\n'.repeat(1000)],
    ['Latin-1', 'über café ÿ\u0080'.repeat(1000)],
    ['beyond Latin-1', 'naïve — 漢字 🚀'.repeat(1000)],
    ['lone surrogates', `a\ud83d b \ude80 c${'\ud83d'}`],
    ['empty', ''],
  ])('%s reads back exactly', (_what, text) => {
    const stored = StoredText.of(text);
    expect(stored.length).toBe(text.length);
    expect(stored.toString() === text).toBe(true);
    expect(pieceText(stored) === text).toBe(true);
  });

  it('a result of stored and plain pieces joins, measures and serializes as the text', () => {
    const parts = ['x'.repeat(70_000), 'é—🚀'.repeat(30_000), 'tail'];
    const pieces = [StoredText.of(parts[0]!), StoredText.of(parts[1]!), parts[2]!];
    const result = withTextPieces({ type: 'result', text: '' }, pieces);
    expect(textLength(result)).toBe(parts.join('').length);
    expect(textPieces(result)).toBe(pieces);
    expect(JSON.stringify(result) === JSON.stringify({ type: 'result', text: parts.join('') })).toBe(true);
  });

  it('a long streamed answer is gathered into stored pieces and reads back exactly', () => {
    // Deltas of every kind of character, a surrogate pair split across two deltas, well past the 64 KiB store size.
    const deltas: string[] = [];
    for (let i = 0; i < 40_000; i++) deltas.push(i % 7 === 0 ? '\ud83d' : i % 7 === 1 ? '\ude80 ' : i % 3 === 0 ? 'wörd ' : 'word — ');
    const turn = new TurnState('m');
    const emit = () => undefined;
    const frame = (event: object) => JSON.stringify(event);
    turn.handle('', frame({ type: 'response.output_item.added', output_index: 0, item: { type: 'message', id: 'msg' } }), emit);
    for (const delta of deltas) turn.handle('', frame({ type: 'response.output_text.delta', output_index: 0, item_id: 'msg', delta }), emit);
    turn.handle('', frame({ type: 'response.completed', response: { id: 'r' } }), emit);
    const outcome = turn.finish();
    const pieces = textPieces(outcome);
    expect(pieces.some((piece) => piece instanceof StoredText)).toBe(true);
    expect(textLength(outcome)).toBe(deltas.join('').length);
    expect(outcome.text === deltas.join('')).toBe(true);
  });

  it('a gatherer keeps a short text as strings and a long one in stored pieces, across slabs, exactly', () => {
    const short = new TextGatherer();
    for (const piece of ['a', 'é', '🚀']) short.add(piece);
    expect(short.textPieces()).toEqual(['aé🚀']);
    // Runs of ASCII, Latin-1 and wider text (a pair split across two adds), past several 1 MiB slabs.
    const adds: string[] = [];
    for (let i = 0; i < 60_000; i++) adds.push(i % 5000 < 2500 ? 'plain ascii words "q"\n ' : i % 3 === 0 ? 'über\u0000 ' : i % 3 === 1 ? 'x \ud83d' : '\ude80 漢字 ');
    adds.push('y'.repeat(3 << 20));
    const gatherer = new TextGatherer();
    for (const piece of adds) gatherer.add(piece);
    const pieces = gatherer.textPieces();
    expect(pieces.every((piece) => piece instanceof StoredText)).toBe(true);
    expect(gatherer.text() === adds.join('')).toBe(true);
    // Read again after more text: the pieces so far stay valid.
    gatherer.add('end');
    expect(gatherer.text() === `${adds.join('')}end`).toBe(true);
    expect(pieces.map(pieceText).join('') === adds.join('')).toBe(true);
  });
});
