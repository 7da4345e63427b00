// A long answer stays in the pieces it was gathered in until someone reads its text: adding a field (the
// conversation id on `result`) must not join them, and the copy reads exactly as a spread would.
import { describe, expect, it } from 'vitest';
import { textLength, textPieces, withFields, withTextPieces } from '../../src/client/text-pieces.js';

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
