// The translation of OpenAI request bodies into Codex requests (src/server), without a server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chatChunk, chatDeltaShell, translateChat } from '../../src/server/chat.js';
import { httpFailure } from '../../src/server/http-errors.js';
import { isLoopback } from '../../src/server/listen.js';
import { ResponseStore } from '../../src/server/response-store.js';
import { prepareResponses, ResponseRecorder } from '../../src/server/responses.js';
import { ApiError, CodexError, UsageError } from '../../src/shared/errors.js';
import { serveKey } from '../../src/store/serve-key.js';
import { tempDir } from '../support/temp.js';

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

  it('tool_choice: none drops the tools; required and a named function are sent on; a choice without its tool is refused', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const messages = [{ role: 'user', content: 'hi' }];
    expect(translateChat({ messages, tools, tool_choice: 'none' }).request.tools).toBeUndefined();
    const required = translateChat({ messages, tools, tool_choice: 'required' });
    expect(required.request.tools).toHaveLength(1);
    expect(required.request.toolChoice).toBe('required');
    expect(required.warnings).toEqual([]);
    expect(translateChat({ messages, tools, tool_choice: { type: 'function', function: { name: 'f' } } }).request.toolChoice).toEqual({ type: 'function', name: 'f' });
    expect(() => translateChat({ messages, tools, tool_choice: { type: 'function', function: { name: 'g' } } })).toThrow('tool_choice: no tool named g is in tools');
    expect(() => translateChat({ messages, tool_choice: 'required' })).toThrow('tool_choice: a required or named tool choice needs tools');
  });

  it('no system prompt of ours when the client sends none; reasoning is asked for with include_reasoning or reasoning.summary', () => {
    const plain = translateChat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.request).toMatchObject({ defaultInstructions: false, reasoningSummary: false });
    expect(plain.request).not.toHaveProperty('instructions');
    expect(translateChat({ messages: [{ role: 'user', content: 'hi' }], include_reasoning: true }).request.reasoningSummary).toBe(true);
    const viaObject = translateChat({ messages: [{ role: 'user', content: 'hi' }], reasoning: { summary: 'auto', effort: 'low' } });
    expect(viaObject.request).toMatchObject({ reasoningSummary: true, effort: 'low' });
    expect(viaObject.reasoning).toBe(true);
  });

  it('refuses what cannot be served: n > 1, file paths as images, no user message', () => {
    expect(() => translateChat({ messages: [{ role: 'user', content: 'hi' }], n: 2 })).toThrow(UsageError);
    expect(() => translateChat({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: '/etc/passwd' } }] }] })).toThrow(/https: or data:/);
    expect(() => translateChat({ messages: [{ role: 'system', content: 'only this' }] })).toThrow(/user message/);
    expect(() => translateChat({ messages: [{ role: 'wizard', content: 'x' }] })).toThrow(/^invalid request body: messages/);
  });
});

describe('responses → backend body', () => {
  const prepare = (body: unknown, store = new ResponseStore()) => prepareResponses(body, JSON.stringify(body).length, store, 1_200_000);

  it('passes tools of every type, input items and settings as they came; adds store:false, stream:true and encrypted reasoning', () => {
    const tools = [{ type: 'custom', name: 'exec', format: { type: 'grammar' } }, { type: 'web_search' }, { type: 'tool_search', execution: 'client' }];
    const input = [
      { type: 'additional_tools', role: 'developer', tools: [{ type: 'namespace', name: 'functions', tools: [] }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'custom_tool_call_output', call_id: 'c', output: 'x' },
    ];
    const prepared = prepare({ model: 'm', input, tools, reasoning: { effort: 'low' }, text: { verbosity: 'low' }, prompt_cache_key: 'k', client_metadata: { a: 1 } });
    expect(prepared.model).toBe('m');
    expect(prepared.body).toEqual({
      input,
      tools,
      reasoning: { effort: 'low' },
      text: { verbosity: 'low' },
      prompt_cache_key: 'k',
      client_metadata: { a: 1 },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
    });
    expect(prepared.wantsEncrypted).toBe(false);
    expect(prepared.warnings).toEqual([]);
  });

  it('a string input is one user message; system messages go as developer messages; refused parameters are dropped and named', () => {
    expect(prepare({ input: 'hi' }).body.input).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]);
    const prepared = prepare({
      input: [{ role: 'system', content: 'B.' }],
      temperature: 0.2,
      max_output_tokens: 9,
      store: true,
      include: ['reasoning.encrypted_content'],
    });
    expect(prepared.body.input).toEqual([{ role: 'developer', content: 'B.' }]);
    expect(prepared.body).not.toHaveProperty('temperature');
    expect(prepared.body).not.toHaveProperty('max_output_tokens');
    expect(prepared.wantsEncrypted).toBe(true);
    expect(prepared.warnings).toEqual([
      'input: system messages sent as developer messages (the backend refuses the system role)',
      'dropped parameters the backend rejects: max_output_tokens, temperature',
      'store: the backend keeps nothing; sent as false (this server keeps recent responses for previous_response_id)',
    ]);
  });

  it('previous_response_id and item_reference replay kept items; unknown ids are 400s naming the parameter', () => {
    const store = new ResponseStore();
    const reasoning = { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAA' };
    store.put('resp_1', [{ role: 'user', content: 'one' }], [reasoning, { type: 'message', id: 'msg_1', role: 'assistant', content: [] }], 100);
    const next = prepare(
      {
        previous_response_id: 'resp_1',
        input: [
          { type: 'item_reference', id: 'rs_1' },
          { role: 'user', content: 'two' },
        ],
      },
      store,
    );
    expect(next.body).not.toHaveProperty('previous_response_id');
    expect(next.body.input).toEqual([
      { role: 'user', content: 'one' },
      reasoning,
      { type: 'message', id: 'msg_1', role: 'assistant', content: [] },
      reasoning,
      { role: 'user', content: 'two' },
    ]);
    const unknown = (() => {
      try {
        prepare({ previous_response_id: 'resp_gone', input: 'x' }, store);
      } catch (error) {
        return httpFailure(error);
      }
    })();
    expect(unknown?.status).toBe(400);
    expect(unknown?.body.error).toMatchObject({ code: 'previous_response_not_found', param: 'previous_response_id' });
    expect(unknown?.body.error.message).toMatch(/^previous_response_id: no response resp_gone is kept by this server \(unknown, or evicted/);
    expect(() => prepare({ input: [{ type: 'item_reference', id: 'rs_gone' }] }, store)).toThrow(/^input\[0\]: item_reference rs_gone names no item/);
  });
  it('an empty previous_response_id names no kept response: a 400, not an answer without the history', () => {
    const failure = (() => {
      try {
        prepare({ previous_response_id: '', input: 'x' });
      } catch (error) {
        return httpFailure(error);
      }
    })();
    expect(failure?.status).toBe(400);
    expect(failure?.body.error).toMatchObject({ code: 'previous_response_not_found', param: 'previous_response_id' });
  });

  it('counts the replayed context in UTF-8 bytes: a non-ASCII answer under 1.2 M characters but over 1.2 MB is refused', () => {
    const store = new ResponseStore();
    const recorder = new ResponseRecorder(false);
    // 450 000 characters, 1 350 000 bytes: over the backend's budget however it is replayed.
    const item = { type: 'message', id: 'msg_big', role: 'assistant', content: [{ type: 'output_text', text: '語'.repeat(450_000) }] };
    recorder.frame({ event: 'response.output_item.done', data: JSON.stringify({ type: 'response.output_item.done', item }), id: '' });
    recorder.frame({ event: 'response.completed', data: JSON.stringify({ type: 'response.completed', response: { id: 'resp_big', output: [] } }), id: '' });
    const first = prepare({ input: 'hi' }, store);
    store.put(recorder.responseId!, first.input, recorder.output, first.bytes + recorder.outputBytes);
    expect(store.totalBytes).toBeGreaterThan(1_350_000);
    const refused = (body: unknown) => {
      try {
        prepare(body, store);
      } catch (error) {
        return httpFailure(error).body.error;
      }
    };
    expect(refused({ previous_response_id: 'resp_big', input: 'and then?' })).toMatchObject({ code: 'context_length_exceeded', param: 'previous_response_id' });
    expect(refused({ input: [{ type: 'item_reference', id: 'msg_big' }] })).toMatchObject({ code: 'context_length_exceeded', param: 'input' });
  });
});

describe('the serve key file', () => {
  it('two serves starting at once in a new config dir share one key, the one the file holds', async () => {
    const dir = join(tempDir(), 'config');
    const keys = await Promise.all([serveKey(dir), serveKey(dir), serveKey(dir)]);
    const inFile = readFileSync(join(dir, 'serve-key'), 'utf8').trim();
    expect(keys.map((made) => made.key)).toEqual([inFile, inFile, inFile]);
    expect(keys.filter((made) => made.created)).toHaveLength(1);
  });
});

describe('the store of recent responses', () => {
  it('keeps at most maxResponses and maxBytes, evicting the least recently used; a response over the budget is not kept', () => {
    const store = new ResponseStore({ maxResponses: 2, maxBytes: 100 });
    store.put('a', [], [{ id: 'ia' }], 10);
    store.put('b', [], [{ id: 'ib' }], 10);
    expect(store.get('a')?.items).toEqual([{ id: 'ia' }]);
    store.put('c', [], [{ id: 'ic' }], 10);
    expect(store.get('b')).toBeUndefined();
    expect(store.item('ib')).toBeUndefined();
    expect(store.item('ia')).toEqual({ id: 'ia' });
    store.put('d', [], [], 95);
    expect([store.get('a'), store.get('c')]).toEqual([undefined, undefined]);
    expect(store.size).toBe(1);
    expect(store.totalBytes).toBe(95);
    store.put('huge', [], [], 101);
    expect(store.get('huge')).toBeUndefined();
    expect(store.size).toBe(1);
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

describe('chat completion delta frames', () => {
  it.each([
    [{ id: 'chatcmpl-1', created: 1, model: 'gpt-6-sol' }, true],
    [{ id: 'chatcmpl-2', created: 1796487107, model: 'a "delta":{} model — ü 🚀' }, false],
  ])('are the bytes of JSON.stringify(chatChunk(…)) for %j (usage %s)', (meta, includeUsage) => {
    for (const key of ['content', 'reasoning_content'] as const) {
      const { head, tail } = chatDeltaShell(meta, includeUsage, key);
      for (const text of ['', 'plain', '"quoted" \\ \n\t', 'ü — 漢字 🚀', '\ud83d', '\u2028\u0000']) {
        const bytes = Buffer.concat([head, Buffer.from(JSON.stringify(text)), tail]);
        expect(bytes.toString()).toBe(`data: ${JSON.stringify(chatChunk(meta, { [key]: text }, null, includeUsage))}\n\n`);
      }
    }
  });
});
