// The translation of OpenAI request bodies into Codex requests (src/server), without a server.
import { describe, expect, it } from 'vitest';
import { ApiError, CodexError, UsageError } from '../../src/errors.js';
import { translateChat } from '../../src/server/chat.js';
import { httpFailure } from '../../src/server/http-errors.js';
import { isLoopback } from '../../src/server/listen.js';
import { translateResponses } from '../../src/server/responses.js';

describe('chat completions → Codex request', () => {
  it('system and developer messages join the instructions; the rest keep their order', () => {
    const { request } = translateChat({
      messages: [
        { role: 'system', content: 'One.' },
        { role: 'developer', content: [{ type: 'text', text: 'Two.' }] },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'out' },
      ],
    });
    expect(request.instructions).toBe('One.\n\nTwo.');
    expect(request.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello' }] },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: 'out' },
    ]);
  });

  it('tool_choice none drops the tools; required is sent as auto with a warning', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const messages = [{ role: 'user', content: 'hi' }];
    expect(translateChat({ messages, tools, tool_choice: 'none' }).request.tools).toBeUndefined();
    const required = translateChat({ messages, tools, tool_choice: 'required' });
    expect(required.request.tools).toHaveLength(1);
    expect(required.warnings).toEqual(['tool_choice: the backend takes only "auto"; sent as auto']);
  });

  it('refuses what cannot be served: n > 1, file paths as images, no user message', () => {
    expect(() => translateChat({ messages: [{ role: 'user', content: 'hi' }], n: 2 })).toThrow(UsageError);
    expect(() => translateChat({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: '/etc/passwd' } }] }] })).toThrow(/https: or data:/);
    expect(() => translateChat({ messages: [{ role: 'system', content: 'only this' }] })).toThrow(/user message/);
    expect(() => translateChat({ messages: [{ role: 'wizard', content: 'x' }] })).toThrow(/^invalid request body: messages/);
  });
});

describe('responses → Codex request', () => {
  it('a string input is one user message; system items join the instructions', () => {
    expect(translateResponses({ input: 'hi' }).request.input).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]);
    const { request } = translateResponses({
      instructions: 'A.',
      input: [
        { role: 'system', content: 'B.' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(request.instructions).toBe('A.\n\nB.');
    expect(request.input).toHaveLength(1);
  });

  it('hosted tools are refused; store true is a warning', () => {
    expect(() => translateResponses({ input: 'hi', tools: [{ type: 'web_search' }] })).toThrow(/only function tools/);
    expect(translateResponses({ input: 'hi', store: true }).warnings).toEqual(['store: the backend keeps nothing; sent as false']);
  });
});

describe('HTTP statuses', () => {
  it('maps codes to OpenAI-shaped errors', () => {
    expect(httpFailure(new CodexError('model_unavailable', 'gone')).body.error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
    expect(httpFailure(new CodexError('model_unavailable', 'gone')).status).toBe(404);
    const limit = httpFailure(new ApiError('usage_limit_reached', 'limit', { resetsAt: Math.floor(Date.now() / 1000) + 60 }));
    expect(limit.status).toBe(429);
    expect(Number(limit.headers['retry-after'])).toBeGreaterThan(0);
    expect(httpFailure(new CodexError('not_logged_in', 'run codex login')).status).toBe(503);
    expect(httpFailure(new Error('secret stack')).body.error.message).toBe('internal error');
    // A failure on the server's side names local paths: the client gets its code, the server's log the message.
    const corrupt = httpFailure(new CodexError('credentials_corrupt', '/home/ann/.config/codex-oauth/auth.json is not valid JSON'));
    expect(corrupt.status).toBe(503);
    expect(corrupt.body.error.message).not.toContain('/home/ann');
    expect(corrupt.body.error.message).toContain('credentials_corrupt');
    expect(corrupt.detail).toBe('/home/ann/.config/codex-oauth/auth.json is not valid JSON');
    expect(httpFailure(new CodexError('unsafe_permissions', '/home/ann/.config/codex-oauth is writable by others')).status).toBe(503);
    expect(httpFailure(new CodexError('model_unavailable', 'gone')).detail).toBeUndefined();
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});
