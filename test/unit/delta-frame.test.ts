// Deltas (one frame per token) are checked by a hand-written guard instead of zod: the frames the backend sends
// pass with their extra keys, and a malformed one is still refused with the same bad_stream error as before.
import { describe, expect, it } from 'vitest';
import type { CodexEvent } from '../../src/client/events.js';
import { TurnState } from '../../src/client/response-turn.js';
import { isDeltaFrame } from '../../src/client/wire.js';
import { StreamError } from '../../src/shared/errors.js';

const TEXT = 'response.output_text.delta';
const REASONING = 'response.reasoning_summary_text.delta';

/** The events one frame turns into, or the error it is refused with. */
function handle(type: string, frame: Record<string, unknown>): CodexEvent[] | StreamError {
  const events: CodexEvent[] = [];
  try {
    new TurnState('gpt-test').handle('', JSON.stringify({ type, ...frame }), (event) => events.push(event));
    return events;
  } catch (error) {
    if (error instanceof StreamError) return error;
    throw error;
  }
}

describe('delta frames', () => {
  it('takes a delta as the backend sends it (item_id, indices, logprobs, obfuscation, sequence_number)', () => {
    const frame = { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hel', logprobs: [], obfuscation: 'x9Q', sequence_number: 4 };
    expect(isDeltaFrame(frame)).toBe(true);
    expect(handle(TEXT, frame)).toEqual([{ type: 'text.delta', delta: 'Hel' }]);
    expect(handle(REASONING, { delta: 'Thinking', summary_index: 0 })).toEqual([{ type: 'reasoning.delta', delta: 'Thinking' }]);
    expect(isDeltaFrame({ delta: '' })).toBe(true);
  });

  const malformed: [string, Record<string, unknown>][] = [
    ['no delta', { item_id: 'msg_1' }],
    ['a number for delta', { delta: 42 }],
    ['null for delta', { delta: null }],
    ['an object for delta', { delta: { text: 'hi' } }],
    ['null for item_id', { delta: 'a', item_id: null }],
    ['a number for item_id', { delta: 'a', item_id: 7 }],
    ['a string for output_index', { delta: 'a', output_index: '0' }],
    ['null for output_index', { delta: 'a', output_index: null }],
  ];

  for (const [what, frame] of malformed) {
    it(`refuses a delta with ${what}: bad_stream, exit 5's code, the same words as the zod check said`, () => {
      expect(isDeltaFrame(frame)).toBe(false);
      for (const type of [TEXT, REASONING]) {
        const refused = handle(type, frame);
        expect(refused).toBeInstanceOf(StreamError);
        expect((refused as StreamError).code).toBe('bad_stream');
        expect((refused as StreamError).message).toBe(`the backend sent a malformed ${type} event`);
      }
    });
  }
});
