import { describe, expect, it } from 'vitest';
import { assistantMessage, type InputItem, userMessage } from '../../src/client/request.js';
import { recentConversation } from '../../src/client/web-search.js';
import { Codex } from '../../src/index.js';
import { withSearchingModel } from '../fake/search.js';
import { FAKE_PNG } from '../fake/server.js';
import { useFake } from '../support/fake.js';

const fake = useFake();
withSearchingModel(fake);

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

  it('what the model said after the current question (commentary during this turn) stays out', () => {
    const commentary: InputItem = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me search.' }], phase: 'commentary' };
    expect(recentConversation([user('q1'), assistantMessage('a1'), user('q2'), commentary])).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q1' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a1' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q2' }] },
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

  it("keeps a chat message's own text beside an unframed image (serve's chat/completions, the library's input)", async () => {
    const image = `data:image/png;base64,${FAKE_PNG.toString('base64')}`;
    const tokens = fake.issueTokens();
    const codex = new Codex({ apiKey: tokens.access_token, accountId: tokens.account_id, baseUrl: fake.baseUrl, env: {} });
    await codex.turn({
      model: 'gpt-6-sol',
      search: true,
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'where was this taken?' },
            { type: 'input_image', image_url: image },
            { type: 'input_text', text: 'search the web' },
          ],
        },
      ],
    });
    const [search] = fake.requestsTo('/backend-api/codex/alpha/search');
    expect((search!.body as { input?: unknown }).input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'where was this taken?' },
          { type: 'input_text', text: 'search the web' },
        ],
      },
    ]);
  });
});
