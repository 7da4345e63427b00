// Codex in-process against the loopback fake: real HTTP, real SSE, real token rotation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { BUILTIN_MODELS } from '../../src/client/models/registry.js';
import { AuthError, Codex, CodexError, type CodexEvent, type Credentials, defineTool, RefusedError, runToolLoop, UnsupportedToolCallError } from '../../src/index.js';
import type { FetchInit } from '../../src/transport/http-answer.js';
import { send } from '../../src/transport/http-send.js';
import { answer, answerEvents, frame, itemEvents, itemsAnswer, RATE_LIMITS_EVENT, type Reply, type ReplyContext, raw, SSE_HEADERS, status } from '../fake/replies.js';
import type { IssuedTokens } from '../fake/server.js';
import { useFake } from '../support/fake.js';
import { configDirWith, readAuth } from '../support/temp.js';

const fake = useFake();

const responseRequests = () => fake.requestsTo('/backend-api/codex/responses');

function transportFor(tokens: IssuedTokens, extra: Partial<ConstructorParameters<typeof Codex>[0]> = {}): Codex {
  return new Codex({
    apiKey: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expires_at,
    accountId: tokens.account_id,
    baseUrl: fake.baseUrl,
    issuer: fake.issuer,
    retryBaseDelayMs: 1,
    ...extra,
  });
}

async function collect(stream: AsyncIterable<CodexEvent>): Promise<CodexEvent[]> {
  const events: CodexEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('stream', () => {
  it('yields start, reasoning, text deltas and result in order, and sends the request the backend expects', async () => {
    fake.responses.push(answer({ text: 'Hello there, world', reasoning: ['Think.', 'Then answer.'], chunk: 5 }));
    const transport = transportFor(fake.issueTokens(), { model: 'gpt-5.5' });
    const events = await collect(transport.stream({ prompt: 'hi', instructions: 'Be brief.', effort: 'low' }));

    expect(events.map((e) => e.type)).toEqual([
      'start',
      'rate_limits', // from the response headers
      ...Array(2).fill('reasoning.delta'), // "Think." in 5-char pieces
      'reasoning.delta', // the paragraph break
      ...Array(3).fill('reasoning.delta'),
      ...Array(4).fill('text.delta'),
      'result',
    ]);
    const text = events.flatMap((e) => (e.type === 'text.delta' ? [e.delta] : [])).join('');
    const reasoning = events.flatMap((e) => (e.type === 'reasoning.delta' ? [e.delta] : [])).join('');
    expect(text).toBe('Hello there, world');
    expect(reasoning).toBe('Think.\n\nThen answer.');
    expect(events[1]).toEqual(RATE_LIMITS_EVENT);
    const result = events.at(-1)!;
    expect(result).toMatchObject({ type: 'result', text: 'Hello there, world', model: 'gpt-5.5' });

    const [request] = responseRequests();
    expect(request!.headers.version).toBe('0.171.0');
    expect(request!.body).toMatchObject({
      model: 'gpt-5.5',
      instructions: 'Be brief.',
      reasoning: { effort: 'low', summary: 'auto' },
      stream: true,
      store: false,
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
    });
    expect(request!.headers['chatgpt-account-id']).toBe(fake.account.accountId);
  });

  it('complete() returns the text, usage and response id', async () => {
    fake.responses.push(answer({ text: 'Done.', usage: { input_tokens: 10, output_tokens: 3, cached_tokens: 4 } }));
    const result = await transportFor(fake.issueTokens()).complete({ prompt: 'go' });
    expect(result).toMatchObject({ text: 'Done.', usage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 3, total_tokens: 13 } });
    expect(result.responseId).toMatch(/^resp_/);
  });

  it('complete() with a zod jsonSchema sends its JSON Schema and returns the parsed document', async () => {
    fake.responses.push(answer({ text: '{"city":"Paris","celsius":21}' }));
    const schema = z.object({ city: z.string(), celsius: z.number() });
    const result = await transportFor(fake.issueTokens()).complete({ prompt: 'weather', jsonSchema: schema });
    expect(result.json).toEqual({ city: 'Paris', celsius: 21 });
    const format = (responseRequests()[0]!.body as { text: { format: { schema: Record<string, unknown> } } }).text.format;
    expect(format.schema).toMatchObject({ type: 'object', required: ['city', 'celsius'], additionalProperties: false });
    expect(format.schema.$schema).toBeUndefined();
  });

  it('rejects a request without prompt or input before any HTTP', async () => {
    await expect(transportFor(fake.issueTokens()).complete({ prompt: '  ' })).rejects.toMatchObject({ code: 'usage' });
    expect(fake.requests).toHaveLength(0);
  });

  it('breaking out of the loop aborts the HTTP request: the fake sees the connection close', async () => {
    let closedSeen!: () => void;
    const closed = new Promise<void>((resolve) => (closedSeen = resolve));
    const stalling: Reply = async (ctx) => {
      void ctx.closed.then(() => closedSeen());
      // A few deltas, then silence with the socket open (the idle timeout is far away).
      await answer({ text: 'one two three four five six', chunk: 4, after: { events: 8, then: 'stall' } })(ctx);
    };
    fake.responses.push(stalling);
    const transport = transportFor(fake.issueTokens());
    let deltas = 0;
    for await (const event of transport.stream({ prompt: 'count' })) {
      if (event.type === 'text.delta' && ++deltas === 2) break;
    }
    expect(deltas).toBe(2);
    // The stalled reply only ends when the client goes away: if the break did not abort, this never resolves
    // and the test fails at its timeout.
    await closed;
  });

  it('an aborted request signal cancels the stream with code cancelled, before its result', async () => {
    fake.responses.push(answer({ text: 'x'.repeat(2_000), chunk: 1 }));
    const controller = new AbortController();
    const events: CodexEvent[] = [];
    const run = (async () => {
      for await (const event of transportFor(fake.issueTokens()).stream({ prompt: 'x', signal: controller.signal })) {
        events.push(event);
        if (event.type === 'text.delta') controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(events.some((e) => e.type === 'result')).toBe(false);
    expect(events.filter((e) => e.type === 'text.delta').length).toBeLessThan(2_000);
  });

  it('no event is yielded after the request signal is aborted', async () => {
    // Many deltas written at once, with no pacing: when abort() is called, the rest are already in flight or
    // buffered, and none of them may be yielded.
    fake.responses.push(answer({ text: 'x'.repeat(2_000), chunk: 1 }));
    const controller = new AbortController();
    const events: CodexEvent[] = [];
    let afterAbort = 0;
    const run = (async () => {
      for await (const event of transportFor(fake.issueTokens()).stream({ prompt: 'x', signal: controller.signal })) {
        if (controller.signal.aborted) afterAbort++;
        events.push(event);
        if (event.type === 'text.delta') controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(afterAbort).toBe(0);
    expect(events.filter((e) => e.type === 'text.delta')).toHaveLength(1);
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });
});

describe('retries', () => {
  it('gives up after maxRetries retries (1 + maxRetries requests), with retry events between', async () => {
    for (let i = 0; i < 5; i++) fake.responses.push(status(503));
    const transport = transportFor(fake.issueTokens(), { maxRetries: 2, retryBaseDelayMs: 40 });
    const events: CodexEvent[] = [];
    const started = Date.now();
    const error = await (async () => {
      for await (const event of transport.stream({ prompt: 'x' })) events.push(event);
    })().catch((e: unknown) => e);
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(CodexError);
    expect((error as CodexError).code).toBe('server_error');
    expect(responseRequests()).toHaveLength(3);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({ attempt: 1, max_retries: 2, reason: 'http_503' }),
      expect.objectContaining({ attempt: 2, max_retries: 2, reason: 'http_503' }),
    ]);
    // Backoff 40 ms then 80 ms, each with at most 25 % jitter off.
    expect(elapsed).toBeGreaterThanOrEqual(0.75 * (40 + 80) - 5);
    const delays = events.flatMap((e) => (e.type === 'retry' ? [e.delay_ms] : []));
    expect(delays[0]).toBeGreaterThanOrEqual(30);
    expect(delays[0]).toBeLessThanOrEqual(50);
    expect(delays[1]).toBeGreaterThanOrEqual(60);
    expect(delays[1]).toBeLessThanOrEqual(100);
  });

  it('maxRetries: 0 sends one request; a retry that succeeds answers normally', async () => {
    fake.responses.push(status(502));
    await expect(transportFor(fake.issueTokens(), { maxRetries: 0 }).complete({ prompt: 'x' })).rejects.toMatchObject({ code: 'server_error' });
    expect(responseRequests()).toHaveLength(1);

    fake.requests.length = 0;
    fake.responses.push(status(502), answer({ text: 'second time lucky' }));
    const result = await transportFor(fake.issueTokens(), { maxRetries: 1 }).complete({ prompt: 'x' });
    expect(result.text).toBe('second time lucky');
    expect(responseRequests()).toHaveLength(2);
  });
});

describe('onAuthRefresh', () => {
  it('is awaited once per refresh with the rotated tokens, which are then used', async () => {
    const initial = fake.issueTokens(-60); // already expired
    const seen: Credentials[] = [];
    const transport = transportFor(initial, {
      onAuthRefresh: async (credentials) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen.push(credentials);
      },
    });
    fake.responses.push(answer({ text: 'a' }), answer({ text: 'b' }), answer({ text: 'c' }));
    // Two concurrent calls share one refresh.
    await Promise.all([transport.complete({ prompt: '1' }), transport.complete({ prompt: '2' })]);
    expect(fake.refreshRequests).toHaveLength(1);
    expect(seen).toHaveLength(1);
    const rotated = seen[0]!;
    expect(rotated.refresh_token).not.toBe(initial.refresh_token);
    expect(rotated.access_token).not.toBe(initial.access_token);
    expect(rotated.account_id).toBe(initial.account_id);
    expect(rotated.expires_at).toBeGreaterThan(Date.now() / 1000);
    for (const request of responseRequests()) expect(request.headers.authorization).toBe(`Bearer ${rotated.access_token}`);

    // Still valid: no refresh, no callback.
    await transport.complete({ prompt: '3' });
    expect(seen).toHaveLength(1);

    // The backend revokes the token: a 401 forces one more refresh (with the rotated refresh token).
    fake.revokeAccess(rotated.access_token);
    fake.responses.push(answer({ text: 'd' }));
    await transport.complete({ prompt: '4' });
    expect(seen).toHaveLength(2);
    expect((fake.refreshRequests.at(-1)!.body as { refresh_token: string }).refresh_token).toBe(rotated.refresh_token);
    expect((await transport.credentials()).access_token).toBe(seen[1]!.access_token);
  });

  it('a throwing callback fails the call with an AuthError carrying the cause; the new tokens stay in use', async () => {
    const boom = new Error('disk full');
    let calls = 0;
    const transport = transportFor(fake.issueTokens(-60), {
      onAuthRefresh: () => {
        calls++;
        throw boom;
      },
    });
    const error = await transport.complete({ prompt: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'credentials_unwritable', cause: boom });
    expect((error as Error).message).toContain('onAuthRefresh failed: disk full');
    expect(responseRequests()).toHaveLength(0);
    expect(calls).toBe(1);

    // The refresh token was spent; the transport keeps the rotated one and does not refresh again.
    fake.responses.push(answer({ text: 'ok' }));
    await expect(transport.complete({ prompt: 'again' })).resolves.toMatchObject({ text: 'ok' });
    expect(fake.refreshRequests).toHaveLength(1);
  });

  it('surfaces a callback failure from fetchModels too (it is not turned into the fallback)', async () => {
    const transport = transportFor(fake.issueTokens(-60), {
      onAuthRefresh: () => Promise.reject(new Error('db down')),
    });
    await expect(transport.fetchModels()).rejects.toMatchObject({ code: 'credentials_unwritable' });
  });

  it('without a refreshToken, an expired token fails with refresh_failed before any request', async () => {
    const tokens = fake.issueTokens(-60);
    const transport = new Codex({ apiKey: tokens.access_token, baseUrl: fake.baseUrl, issuer: fake.issuer });
    await expect(transport.complete({ prompt: 'x' })).rejects.toMatchObject({ code: 'refresh_failed' });
    expect(fake.requests).toHaveLength(0);
  });

  it('fromStore refreshes under the CLI’s lock and writes the rotated tokens to its auth.json', async () => {
    const dir = configDirWith(fake.issueTokens(-60));
    const seen: Credentials[] = [];
    const transport = Codex.fromStore({ configDir: dir, baseUrl: fake.baseUrl, issuer: fake.issuer, onAuthRefresh: (c) => void seen.push(c) });
    fake.responses.push(answer({ text: 'stored' }));
    await expect(transport.complete({ prompt: 'x' })).resolves.toMatchObject({ text: 'stored' });
    expect(seen).toHaveLength(1);
    expect(readAuth(dir)).toMatchObject({ access_token: seen[0]!.access_token, refresh_token: seen[0]!.refresh_token });
    expect(() => readFileSync(join(dir, 'auth.json.lock'))).toThrow(); // released
  });
});

describe('fetchModels', () => {
  it('returns the live list', async () => {
    const result = await transportFor(fake.issueTokens()).fetchModels();
    expect(result.source).toBe('live');
    expect(result.models.map((m) => m.id)).toContain('gpt-5.5');
  });

  it('falls back to the built-in registry when the endpoint fails, with a note', async () => {
    for (let i = 0; i < 4; i++) fake.modelsReplies.push(status(500));
    const result = await transportFor(fake.issueTokens()).fetchModels();
    expect(result.source).toBe('builtin');
    expect(result.note).toMatch(/built-in/);
    expect(result.models.map((m) => m.id)).toEqual(BUILTIN_MODELS.map((m) => m.id));
    expect(fake.requestsTo('/backend-api/codex/models')).toHaveLength(2); // one retry at most
  });

  it('falls back to the `models` registry override when one is given', async () => {
    fake.modelsReplies.push(status(404), status(404));
    const transport = transportFor(fake.issueTokens(), { models: ['gpt-5.5', { id: 'my-model', display_name: 'Mine', context_window: 1000 }], model: 'my-model' });
    const result = await transport.fetchModels();
    expect(result.source).toBe('registry');
    expect(result.models.map((m) => [m.id, m.display_name, m.default])).toEqual([
      ['gpt-5.5', 'GPT-5.5', false],
      ['my-model', 'Mine', true],
    ]);
  });
});

/** The function tools a request offers: top-level (classic layout) or in the additional_tools item (lite). */
function toolsOf(body: unknown): unknown[] | undefined {
  const request = body as { tools?: unknown[]; input: { type: string; tools?: { tools: unknown[] }[] }[] };
  return request.tools ?? request.input.find((item) => item.type === 'additional_tools')?.tools?.[0]?.tools;
}

describe('tools', () => {
  it('runs a zod-typed tool: calls of one turn concurrently, parsed arguments, outputs sent back', async () => {
    fake.responses.push(
      answer({
        reasoning: ['Need the weather.'],
        functionCalls: [
          { name: 'get_weather', arguments: { city: 'Paris', days: 2 }, call_id: 'call_a' },
          { name: 'get_weather', arguments: { city: 'Rome' }, call_id: 'call_b' },
          { name: 'get_weather', arguments: { town: 'Oslo' }, call_id: 'call_c' },
        ],
      }),
      answer({ text: 'Paris is sunny, Rome rainy.' }),
    );
    const started: string[] = [];
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: z.object({ city: z.string(), days: z.number().int().default(1) }),
      async run({ city, days }, { callId }) {
        started.push(callId);
        if (started.length === 2) release();
        await bothStarted; // both calls must be running at once for this to finish
        return { city, days, sky: city === 'Paris' ? 'sunny' : 'rain' };
      },
    });
    const events = await collect(transportFor(fake.issueTokens()).stream({ prompt: 'weather?', tools: [weather] }));

    expect(events.filter((e) => e.type === 'tool_call').map((e) => (e as { arguments: unknown }).arguments)).toEqual([
      { city: 'Paris', days: 2 },
      { city: 'Rome' },
      { town: 'Oslo' },
    ]);
    const results = events.filter((e) => e.type === 'tool_result');
    expect(results).toEqual([
      { type: 'tool_result', call_id: 'call_a', output: '{"city":"Paris","days":2,"sky":"sunny"}', is_error: false },
      { type: 'tool_result', call_id: 'call_b', output: '{"city":"Rome","days":1,"sky":"rain"}', is_error: false },
      expect.objectContaining({ call_id: 'call_c', is_error: true, output: expect.stringMatching(/^invalid arguments for get_weather: city: /) }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'Paris is sunny, Rome rainy.' });

    const [first, second] = responseRequests().map((r) => r.body as { tools: Record<string, unknown>[]; input: Record<string, unknown>[] });
    expect(toolsOf(first)).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Weather for a city',
        strict: false,
        parameters: expect.objectContaining({ type: 'object', properties: expect.objectContaining({ city: { type: 'string' } }) }),
      },
    ]);
    expect(second!.input.filter((item) => item.type === 'function_call_output')).toEqual([
      { type: 'function_call_output', call_id: 'call_a', output: [{ type: 'input_text', text: '{"city":"Paris","days":2,"sky":"sunny"}' }] },
      { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '{"city":"Rome","days":1,"sky":"rain"}' }] },
      expect.objectContaining({ call_id: 'call_c' }),
    ]);
  });

  it('accepts a plain JSON-Schema tool; turn() + runToolLoop drive the same loop by hand', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'add', arguments: { a: 2, b: 3 }, call_id: 'c1' }] }), answer({ text: '5' }));
    const add = defineTool<{ a: number; b: number }>({
      name: 'add',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      run: ({ a, b }) => String(a + b),
    });
    const transport = transportFor(fake.issueTokens());
    const request = { prompt: 'add 2 and 3', tools: [add] };
    const events: CodexEvent[] = [];
    const onEvent = (event: CodexEvent) => void events.push(event);
    const outcomes = await runToolLoop(
      (input) => transport.turn(request, input, { onEvent }),
      [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'add 2 and 3' }] }],
      [add],
      { emit: onEvent },
    );
    expect(outcomes.map((outcome) => outcome.text)).toEqual(['', '5']);
    expect(events.map((e) => e.type)).toEqual(['rate_limits', 'tool_call', 'tool_result', 'rate_limits', 'text.delta']);
    expect(events).toContainEqual({ type: 'tool_result', call_id: 'c1', output: '5', is_error: false });
    expect((toolsOf(responseRequests()[0]!.body) as { name: string }[]).map((t) => t.name)).toEqual(['add']);
  });

  it('turn({ keepText: false }): the deltas come as ever, the outcome holds no copy of the text', async () => {
    fake.responses.push(answer({ text: 'passed on, not kept', chunk: 4 }), answer({ text: 'kept' }));
    const transport = transportFor(fake.issueTokens());
    const deltas: string[] = [];
    const outcome = await transport.turn({ prompt: 'hi' }, undefined, {
      keepText: false,
      onEvent: (event) => void (event.type === 'text.delta' && deltas.push(event.delta)),
    });
    expect(deltas.join('')).toBe('passed on, not kept');
    expect(outcome.text).toBe('');
    expect(outcome.usage.total_tokens).toBeGreaterThan(0);
    expect((await transport.turn({ prompt: 'hi' })).text).toBe('kept');
  });

  it('turn({ keepText: false }) checks a done text against what was streamed: a rewrite is not glued on, a text that goes on is', async () => {
    const withDone = (streamed: string, done: string) =>
      raw(
        itemEvents([{ message: streamed }])
          .map((e) => (e.type === 'response.output_item.done' ? { ...e, item: { ...(e.item as object), content: [{ type: 'output_text', text: done }] } } : e))
          .map((e) => frame(e))
          .join(''),
      );
    fake.responses.push(withDone('Streamed.', 'Rewritten.'), withDone('Streamed.', 'Streamed. And more.'));
    const transport = transportFor(fake.issueTokens());
    for (const expected of ['Streamed.', 'Streamed. And more.']) {
      const deltas: string[] = [];
      await transport.turn({ prompt: 'hi' }, undefined, { keepText: false, onEvent: (event) => void (event.type === 'text.delta' && deltas.push(event.delta)) });
      expect(deltas.join('')).toBe(expected);
    }
  });

  it('stops a model that keeps calling tools after maxTurns', async () => {
    for (let i = 0; i < 3; i++) fake.responses.push(answer({ functionCalls: [{ name: 'noop', arguments: {} }] }));
    const noop = { name: 'noop', parameters: { type: 'object', properties: {} }, run: async () => 'ok' };
    await expect(transportFor(fake.issueTokens()).complete({ prompt: 'loop', tools: [noop], maxTurns: 2 })).rejects.toMatchObject({ code: 'max_turns' });
    expect(responseRequests()).toHaveLength(2);
  });
});

describe('real-world stream shapes', () => {
  it('stream() tells commentary from the answer; complete() returns the answer alone', async () => {
    const transport = transportFor(fake.issueTokens());
    fake.responses.push(itemsAnswer([{ message: 'Checking.', phase: 'commentary' }, { message: 'Done.' }]));
    const events = await collect(transport.stream({ prompt: 'x' }));
    expect(
      events
        .filter((e) => e.type === 'commentary.delta')
        .map((e) => (e as { delta: string }).delta)
        .join(''),
    ).toBe('Checking.');
    expect(
      events
        .filter((e) => e.type === 'text.delta')
        .map((e) => (e as { delta: string }).delta)
        .join(''),
    ).toBe('Done.');
    fake.responses.push(itemsAnswer([{ message: 'Checking.', phase: 'commentary' }, { message: 'Done.' }]));
    expect((await transport.complete({ prompt: 'x' })).text).toBe('Done.');
  });

  it('a refusal and a call to a tool never offered are typed errors', async () => {
    const transport = transportFor(fake.issueTokens());
    fake.responses.push(itemsAnswer([{ refusal: 'Not that.' }]));
    const refused = await collect(transport.stream({ prompt: 'x' })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RefusedError);
    expect(refused).toMatchObject({ code: 'refused', refusal: 'Not that.', exitCode: 6 });
    fake.responses.push(itemsAnswer([{ item: { type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: '' } }]));
    const unsupported = await transport.complete({ prompt: 'x' }).catch((error: unknown) => error);
    expect(unsupported).toBeInstanceOf(UnsupportedToolCallError);
    expect(unsupported).toMatchObject({ code: 'unsupported_tool_call', itemType: 'custom_tool_call', toolName: 'apply_patch' });
  });
});

describe('usage and profiles', () => {
  it('usage() returns the quota from wham/usage, else from the /models headers', async () => {
    const transport = transportFor(fake.issueTokens());
    const { type: _type, active_limit: _limit, ...fromEndpoint } = RATE_LIMITS_EVENT;
    // wham/usage also says how many reset credits there are (none on the fake's default account).
    await expect(transport.usage()).resolves.toEqual({ source: 'usage', fetched_at: expect.any(Number), ...fromEndpoint, reset_credits: { available_count: 0 } });
    fake.usageReplies.push(status(502), status(502));
    const { type: _t, ...fromHeaders } = RATE_LIMITS_EVENT;
    await expect(transport.usage()).resolves.toEqual({ source: 'headers', fetched_at: expect.any(Number), ...fromHeaders });
    expect(fake.requestsTo('/backend-api/wham/usage')).toHaveLength(3);
  });

  it('fromStore({profile}) uses <configDir>/profiles/<profile>/auth.json, and refuses an unsafe name', async () => {
    const dir = configDirWith(fake.issueTokens());
    const work = fake.issueTokens(-60);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'profiles', 'work'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'profiles', 'work', 'auth.json'), JSON.stringify(work), { mode: 0o600 });
    const transport = Codex.fromStore({ configDir: dir, profile: 'work', baseUrl: fake.baseUrl, issuer: fake.issuer });
    fake.responses.push(answer({ text: 'work' }));
    await expect(transport.complete({ prompt: 'x' })).resolves.toMatchObject({ text: 'work' });
    const rotated = readAuth(join(dir, 'profiles', 'work'));
    expect(rotated.refresh_token).not.toBe(work.refresh_token);
    expect(responseRequests().at(-1)!.headers.authorization).toBe(`Bearer ${rotated.access_token}`);
    expect(() => Codex.fromStore({ configDir: dir, profile: '../x' })).toThrow(expect.objectContaining({ code: 'usage' }));
  });
});

describe('relay (a proxy sends its own body)', () => {
  const body = { model: 'gpt-5.5', input: [{ role: 'user', content: 'relayed' }], store: false, stream: true, tools: [{ type: 'web_search' }] };

  it('sends the body as given with the transport headers, and hands back the raw frames', async () => {
    const transport = transportFor(fake.issueTokens());
    const types: string[] = [];
    let opened = false;
    await transport.relay(body, {
      lite: false,
      onOpen: (headers) => (opened = headers.get('content-type')?.startsWith('text/event-stream') ?? false),
      onFrames: (frames) => {
        for (const frame of frames) types.push(frame.event ?? '');
        return undefined;
      },
    });
    expect(opened).toBe(true);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    const request = responseRequests().at(-1)!;
    expect(request.body).toEqual(body);
    expect(request.headers).toMatchObject({ version: expect.any(String), 'chatgpt-account-id': 'acct_fake_123' });
  });

  it('retries a 503 before the stream opens; a stream silent for the idle timeout is idle_timeout', async () => {
    fake.responses.push(status(503), answer({ text: 'one two three', after: { events: 4, then: 'stall' } }));
    const transport = transportFor(fake.issueTokens(), { idleTimeoutMs: 300 });
    let frames = 0;
    const failure = await transport
      .relay(body, {
        onFrames: (batch) => {
          frames += batch.length;
          return undefined;
        },
      })
      .catch((error: unknown) => error);
    expect(responseRequests()).toHaveLength(2);
    expect(frames).toBe(4);
    expect(failure).toBeInstanceOf(CodexError);
    expect((failure as CodexError).code).toBe('idle_timeout');
  });
});

describe('an answer body cut short (reset credits)', () => {
  /** Headers and the start of a JSON body; then `cut` ends the connection, or nothing more is sent until the client leaves. */
  const halfAList =
    (cut: boolean) =>
    async ({ res, closed }: ReplyContext) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Cut once the bytes are out: a reset before the headers arrive would be retried as a failed request.
      await new Promise<void>((resolve) => res.write('{"credits": [', () => resolve()));
      if (cut) res.destroy();
      else await closed;
    };

  it('a connection that ends mid-body is a network failure, not JSON the backend got wrong', async () => {
    fake.resetCreditListReplies.push(halfAList(true));
    const failure = await transportFor(fake.issueTokens())
      .resetCredits()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CodexError);
    expect(failure).toMatchObject({ code: 'network', message: expect.stringMatching(/^the reset-credit list was cut off: /) });
  });

  it('an abort while the body is read is a cancel (exit 130), not "not valid JSON"', async () => {
    fake.resetCreditListReplies.push(halfAList(false));
    let arrived!: () => void;
    const answered = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    // The answer's headers are in when the fetch resolves: the abort then lands on the body read.
    const fetchThenTell = (async (input: string | URL, init?: FetchInit) => {
      const answer = await send(input, init);
      arrived();
      return answer;
    }) as unknown as typeof fetch;
    const controller = new AbortController();
    const listing = transportFor(fake.issueTokens(), { fetch: fetchThenTell }).resetCredits({ signal: controller.signal });
    await answered;
    controller.abort();
    const failure = await listing.catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'cancelled', exitCode: 130 });
  });
});

describe('connections', () => {
  it('turns one after another share one connection: a finished answer stream hands its connection back', async () => {
    fake.responses.push(answer({ text: 'one' }), answer({ text: 'two' }), answer({ text: 'three' }));
    const codex = transportFor(fake.issueTokens());
    expect((await codex.complete({ prompt: 'a' })).text).toBe('one');
    expect((await codex.complete({ prompt: 'b' })).text).toBe('two');
    expect(await collect(codex.stream({ prompt: 'c' }))).toContainEqual(expect.objectContaining({ type: 'result' }));
    const ports = responseRequests().map((request) => request.clientPort);
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(1);
  });
});

describe('connections, held open', () => {
  it('a stream the backend holds open after its last event still ends the turn; the next request takes another connection', async () => {
    let held!: () => void;
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    fake.responses.push(
      async ({ res, closed }) => {
        res.writeHead(200, SSE_HEADERS);
        for (const event of answerEvents({ text: 'kept' })) res.write(frame(event));
        held();
        await closed;
      },
      answer({ text: 'next' }),
    );
    const codex = transportFor(fake.issueTokens());
    expect((await codex.complete({ prompt: 'a' })).text).toBe('kept');
    await holding;
    expect((await codex.complete({ prompt: 'b' })).text).toBe('next');
    const [first, second] = responseRequests().map((request) => request.clientPort);
    expect(second).not.toBe(first);
  });
});
