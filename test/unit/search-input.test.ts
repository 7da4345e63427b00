import { describe, expect, it } from 'vitest';
import { assistantMessage, type InputItem, userMessage } from '../../src/client/request.js';
import { recentConversation } from '../../src/client/web-search.js';

const user = (text: string) => userMessage(text, [], 'lite');
const developer: InputItem = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'be brief' }] };

describe('recentConversation: what a web search is sent with', () => {
  it('the previous user message, the answer after it and the current message; no developer text, calls or images', () => {
    const items: InputItem[] = [
      developer,
      user('first question'),
      assistantMessage('first answer'),
      user('second question'),
      assistantMessage('second answer'),
      { type: 'function_call', call_id: 'c1', name: 'run', namespace: 'web', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'results' },
      userMessage('third question', ['data:image/png;base64,AAAA'], 'lite'),
    ];
    expect(recentConversation(items)).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'second question' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'second answer' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'third question' }] },
    ]);
  });

  it('bounds the assistant text to about a thousand tokens', () => {
    const sent = recentConversation([user('q1'), assistantMessage('a'.repeat(3_000)), assistantMessage('b'.repeat(3_000)), user('q2')]);
    const assistantText = sent.flatMap((item) =>
      item.type === 'message' && item.role === 'assistant' ? item.content.map((part) => ('text' in part ? part.text : '')) : [],
    );
    expect(assistantText.join('')).toBe(`${'a'.repeat(3_000)}${'b'.repeat(1_000)}`);
  });

  it('nothing when there is no user text', () => {
    expect(recentConversation([developer])).toEqual([]);
  });
});
