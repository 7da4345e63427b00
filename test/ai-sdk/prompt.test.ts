// The AI SDK prompt → Responses input, for both spec versions' shapes (v3 raw file data, v4 tagged file data).
import { UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { convertPrompt, type PromptMessage } from '../../src/ai-sdk/prompt.js';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('convertPrompt', () => {
  it('joins system messages into the instructions and keeps the order of the other items', () => {
    const prompt: PromptMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'think', providerOptions: { codex: { item: { type: 'reasoning', id: 'rs_1', encrypted_content: 'gAAAAAx' } } } },
          { type: 'reasoning', text: 'from another provider' },
          { type: 'text', text: 'Let me ' },
          { type: 'text', text: 'check.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool-call', toolCallId: 'c2', toolName: 'clock', input: '{}' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'get_weather', output: { type: 'json', value: { sky: 'rain' } } },
          { type: 'tool-result', toolCallId: 'c2', toolName: 'clock', output: { type: 'execution-denied', reason: 'not now' } },
        ],
      },
    ];
    expect(convertPrompt(prompt)).toEqual({
      instructions: 'Be brief.\n\nAnswer in French.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { type: 'reasoning', id: 'rs_1', encrypted_content: 'gAAAAAx' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.' }] },
        { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'c2', name: 'clock', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: '{"sky":"rain"}' },
        { type: 'function_call_output', call_id: 'c2', output: 'the tool call was denied: not now' },
      ],
    });
  });

  it('sends tool results of every kind as text', () => {
    const outputs = [
      { type: 'text', value: 'plain' },
      { type: 'error-text', value: 'it broke' },
      { type: 'error-json', value: { error: 'x' } },
      {
        type: 'content',
        value: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ];
    const { input } = convertPrompt([
      { role: 'tool', content: outputs.map((output, index) => ({ type: 'tool-result', toolCallId: `c${index}`, toolName: 't', output })) },
    ]);
    expect(input.map((item) => (item as { output: string }).output)).toEqual(['plain', 'it broke', '{"error":"x"}', 'ab']);
  });

  it('images: v3 bytes, base64 and URLs, v4 tagged data and urls; the type is read from the bytes when only "image" is given', () => {
    const { input } = convertPrompt([
      {
        role: 'user',
        content: [
          { type: 'file', mediaType: 'image/png', data: Uint8Array.from([1, 2]) },
          { type: 'file', mediaType: 'image/webp', data: 'AQI=' },
          { type: 'file', mediaType: 'image/jpeg', data: new URL('https://example.com/a.jpg') },
          { type: 'file', mediaType: 'image', data: { type: 'data', data: JPEG } },
          { type: 'file', mediaType: 'image/*', data: { type: 'url', url: new URL('https://example.com/b.png') } },
        ],
      },
    ]);
    expect((input[0] as { content: unknown[] }).content).toEqual([
      { type: 'input_image', image_url: 'data:image/png;base64,AQI=' },
      { type: 'input_image', image_url: 'data:image/webp;base64,AQI=' },
      { type: 'input_image', image_url: 'https://example.com/a.jpg' },
      { type: 'input_image', image_url: `data:image/jpeg;base64,${Buffer.from(JPEG).toString('base64')}` },
      { type: 'input_image', image_url: 'https://example.com/b.png' },
    ]);
  });

  it('refuses what the backend cannot take, with the AI SDK error for it', () => {
    const refused = (content: PromptMessage['content'], role: PromptMessage['role'] = 'user') => {
      try {
        convertPrompt([{ role, content }]);
      } catch (error) {
        expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused([{ type: 'file', mediaType: 'application/pdf', data: Uint8Array.from([1]) }])).toMatch(/application\/pdf/);
    expect(refused([{ type: 'file', mediaType: 'image', data: Uint8Array.from([1, 2, 3]) }])).toMatch(/not PNG, JPEG, GIF or WebP/);
    expect(refused([{ type: 'file', mediaType: 'image/png', data: { type: 'reference', reference: { openai: 'file_1' } } }])).toMatch(/reference/);
    expect(refused([{ type: 'file', mediaType: 'image/png', data: Uint8Array.from([1]) }], 'assistant')).toMatch(/assistant/);
    expect(refused([{ type: 'tool-result', toolCallId: 'c', toolName: 't', output: { type: 'content', value: [{ type: 'file', data: 'x' }] } }], 'tool')).toMatch(
      /tool results with files/,
    );
  });
});
