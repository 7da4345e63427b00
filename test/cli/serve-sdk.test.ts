// `codex serve` in front of the fake, driven by real clients: the official openai SDK and the Vercel AI SDK. Serve runs
// in this process (startServeInProcess); a stop by a real signal is test/e2e/serve.test.ts.
import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answer, bulkAnswer, frame, itemEvents, type Reply, raw, usageLimit } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import type { IssuedTokens } from '../fake/server.js';
import { expectNoSecrets, runInProcess, waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { systemPromptOf } from '../support/requests.js';
import { type ServedInProcess, startServeInProcess } from '../support/serve.js';
import { configDirWith, readAuth } from '../support/temp.js';

const fake = useFake();
withSearchingModel(fake);
/** A 1×1 PNG. */
const PNG_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

type Body = {
  model: string;
  instructions?: string;
  input: { type?: string; role?: string; call_id?: string; output?: string; content?: { type: string; text?: string; image_url?: string }[] }[];
  text?: { format?: { type?: string; schema?: unknown } };
  reasoning?: { effort?: string };
  [key: string]: unknown;
};
const sent = (index = -1) => fake.requestsTo('/backend-api/codex/responses').at(index)!.body as Body;

describe('codex serve with the openai SDK', () => {
  let served: ServedInProcess;
  let tokens: IssuedTokens;
  let client: OpenAI;
  beforeAll(async () => {
    tokens = fake.issueTokens();
    served = await startServeInProcess([], { fake, configDir: configDirWith(tokens) });
    client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    const { exitCode, stdout, stderr } = await served.stop();
    expect(exitCode).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain('codex serve: stopped');
    // A streamed request is logged when its stream ends, with its tokens.
    expect(stderr).toMatch(/codex serve: POST \/v1\/responses model=gpt-6-sol status=200 ms=\d+ tokens=\d+/);
    expectNoSecrets(stderr, [tokens.access_token, tokens.refresh_token, tokens.id_token]);
    // The access log names requests, never their prompts.
    expect(stderr).not.toContain('What is in the picture');
  });

  it('lists the catalog as models', async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    expect(ids[0]).toBe('gpt-6.2-sol');
    expect(ids).toContain('gpt-6-luna');
  });

  it('chat.completions.create with web_search_options: the search is served, the sources come back as url_citation annotations', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'Berlin news' }], web_search_options: {} });
    const message = completion.choices[0]!.message;
    expect(message.content).toBe('From the search: see [example.com](https://example.com/berlin-news-1) and [example.com](https://example.com/berlin-news-2).');
    expect(message.annotations).toEqual([
      { type: 'url_citation', url_citation: { url: 'https://example.com/berlin-news-1', title: 'example.com' } },
      { type: 'url_citation', url_citation: { url: 'https://example.com/berlin-news-2', title: 'example.com' } },
    ]);
    expect(fake.requestsTo('/backend-api/codex/alpha/search')).toHaveLength(1);
  });

  it('chat.completions.create: system messages become the instructions', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-6-sol',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello there' },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe('You said: hello there');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);
    expect(sent().model).toBe('gpt-6-sol');
    // gpt-6-sol is a Responses Lite model: the system prompt travels as the first developer message.
    expect(sent().instructions).toBeUndefined();
    expect(systemPromptOf(sent())).toBe('Be brief.');
    expect(sent().store).toBe(false);
    expect(sent().stream).toBe(true);
    expect(served.stderr()).toMatch(/codex serve: POST \/v1\/chat\/completions model=gpt-6-sol status=200 ms=\d+ tokens=\d+/);
  });

  it('chat.completions.create streamed: deltas, then usage in the last chunk with include_usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-6-sol',
      messages: [{ role: 'user', content: 'stream this please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe('You said: stream this please');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
  });

  it('chat.completions.create streamed: a done text that differs from the deltas adds nothing to them', async () => {
    const events = itemEvents([{ message: 'Streamed.' }]).map((e) =>
      e.type === 'response.output_item.done' ? { ...e, item: { ...(e.item as object), content: [{ type: 'output_text', text: 'Rewritten.' }] } } : e,
    );
    fake.responses.push(raw(events.map((e) => frame(e)).join('')));
    const stream = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Streamed.');
  });

  it('a tool round trip: the call goes to the client, its output back to the model', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, call_id: 'call_1' }] }));
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'gpt-6-sol', messages, tools, tool_choice: 'auto' });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

    fake.responses.push(answer({ text: 'Sunny in Paris.' }));
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny"}' });
    const second = await client.chat.completions.create({ model: 'gpt-6-sol', messages, tools });
    expect(second.choices[0]!.message.content).toBe('Sunny in Paris.');
    const input = sent().input;
    expect(input.find((item) => item.type === 'function_call')?.call_id).toBe('call_1');
    expect(input.find((item) => item.type === 'function_call_output')).toMatchObject({ call_id: 'call_1', output: [{ type: 'input_text', text: '{"sky":"sunny"}' }] });
  });

  it('a streamed tool call arrives as tool_calls deltas', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Rome' }, call_id: 'call_2' }] }));
    const stream = await client.chat.completions.create({
      model: 'gpt-6-sol',
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
      stream: true,
    });
    const calls: unknown[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      calls.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(calls).toEqual([{ index: 0, id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }]);
    expect(finish).toBe('tool_calls');
  });

  it('an image_url part reaches the backend as an input image', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-6-sol',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in the picture?' },
            { type: 'image_url', image_url: { url: PNG_URL } },
          ],
        },
      ],
    });
    expect(completion.choices[0]!.message.content).toBe('You said: What is in the picture?');
    const user = sent().input.find((item) => item.role === 'user')!;
    expect(user.content).toContainEqual(expect.objectContaining({ type: 'input_image', image_url: PNG_URL }));
  });

  it('response_format json_schema and reasoning_effort map across', async () => {
    fake.responses.push(answer({ text: '{"city":"Oslo"}' }));
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const completion = await client.chat.completions.create({
      model: 'gpt-6-sol',
      messages: [{ role: 'user', content: 'A city, as JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
      reasoning_effort: 'high',
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ city: 'Oslo' });
    expect(sent().text?.format).toMatchObject({ type: 'json_schema', schema });
    expect(JSON.stringify(sent())).toContain('"effort":"high"');
  });

  it('parameters the backend rejects are dropped, and named in a warning header', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, max_tokens: 50, seed: 1 })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('You said: hi');
    expect(response.headers.get('x-codex-warning')).toBe('dropped parameters the backend rejects: max_tokens, temperature, seed');
    for (const name of ['temperature', 'max_tokens', 'seed']) expect(sent()).not.toHaveProperty(name);
  });

  it('responses.create: the answer as a response object', async () => {
    const { data, response } = await client.responses
      .create({ model: 'gpt-6-sol', instructions: 'Be brief.', input: 'hello responses', temperature: 0.5, max_output_tokens: 100 })
      .withResponse();
    expect(data.output_text).toBe('You said: hello responses');
    expect(data.status).toBe('completed');
    expect(data.usage!.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-codex-warning')).toBe('dropped parameters the backend rejects: max_output_tokens, temperature');
    expect(systemPromptOf(sent())).toBe('Be brief.');
    expect(sent()).not.toHaveProperty('temperature');
  });

  it('responses.create streamed: text deltas, then response.completed', async () => {
    const stream = await client.responses.create({ model: 'gpt-6-sol', input: [{ role: 'user', content: 'stream responses' }], stream: true });
    let text = '';
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(text).toBe('You said: stream responses');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed!.output_text ?? (completed!.output[0] as { content: { text: string }[] }).content[0]!.text).toBe('You said: stream responses');
  });

  it('responses.create with reasoning.summary: the summary as a reasoning item, streamed and not', async () => {
    fake.responses.push(answer({ text: 'Done.', reasoning: ['Thinking it over.'] }));
    const stream = await client.responses.create({ model: 'gpt-6-sol', input: 'think', reasoning: { summary: 'auto' }, stream: true });
    let summary = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === 'response.reasoning_summary_text.delta') summary += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(summary).toContain('Thinking it over.');
    expect(completed!.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(JSON.stringify(sent())).toContain('"summary":"auto"');

    fake.responses.push(answer({ text: 'Done.', reasoning: ['Thinking again.'] }));
    const whole = await client.responses.create({ model: 'gpt-6-sol', input: 'think', reasoning: { summary: 'auto' } });
    expect(whole.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: expect.stringContaining('Thinking again.') }] });
    expect(whole.output_text).toBe('Done.');
  });

  it('responses.create: a tool round trip with function_call_output items', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'lookup', arguments: { q: 'x' }, call_id: 'call_r' }] }));
    const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: false }];
    const first = await client.responses.create({ model: 'gpt-6-sol', input: 'look it up', tools });
    const call = first.output.find((item) => item.type === 'function_call')!;
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_r', name: 'lookup', arguments: '{"q":"x"}' });
    fake.responses.push(answer({ text: 'Found it.' }));
    const second = await client.responses.create({
      model: 'gpt-6-sol',
      input: [{ role: 'user', content: 'look it up' }, call, { type: 'function_call_output', call_id: 'call_r', output: 'result' }],
      tools,
    });
    expect(second.output_text).toBe('Found it.');
    expect(sent().input.find((item) => item.type === 'function_call_output')).toMatchObject({ call_id: 'call_r', output: 'result' });
  });

  it('a usage limit is 429 with Retry-After and the reset time', async () => {
    fake.responses.push(usageLimit('plus', 3600));
    const failure = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    const error = failure as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.code).toBe('usage_limit_reached');
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3601); // resets_in_seconds counted from when the server read it
    expect((error.error as { resets_at?: number }).resets_at).toBeGreaterThan(Date.now() / 1000);
  });

  it('a retired or unknown model is 404 model_not_found, before anything is sent', async () => {
    const before = fake.requestsTo('/backend-api/codex/responses').length;
    for (const model of ['gpt-5.4', 'gpt-nonexistent']) {
      const failure = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
      expect((failure as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    }
    const responses = await client.responses.create({ model: 'gpt-5.4', input: 'hi' }).catch((error: unknown) => error);
    expect((responses as InstanceType<typeof OpenAI.NotFoundError>).status).toBe(404);
    expect(fake.requestsTo('/backend-api/codex/responses').length).toBe(before);
  });

  it('a body that is not a chat request is 400 naming the field', async () => {
    const response = await fetch(`${served.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer unused' },
      body: '{"messages":"hi"}',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; type: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^invalid request body: messages/);
  });

  it('the Vercel AI SDK streamText works over chat completions and responses', async () => {
    const provider = createOpenAI({ baseURL: served.url, apiKey: 'unused' });
    const overChat = streamText({ model: provider.chat('gpt-6-sol'), prompt: 'hello from the ai sdk', maxRetries: 0 });
    let text = '';
    for await (const delta of overChat.textStream) text += delta;
    expect(text).toBe('You said: hello from the ai sdk');
    expect((await overChat.usage).totalTokens).toBeGreaterThan(0);

    const overResponses = streamText({ model: provider.responses('gpt-6-sol'), prompt: 'and over responses', maxRetries: 0 });
    let more = '';
    for await (const delta of overResponses.textStream) more += delta;
    expect(more).toBe('You said: and over responses');
  });
});

describe('codex serve: security and lifecycle', () => {
  const started: ServedInProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((served) => served.stop()));
  });
  const serve = async (args: string[], env: Record<string, string> = {}, configDir = configDirWith(fake.issueTokens())) => {
    const served = await startServeInProcess(args, { fake, configDir, env });
    started.push(served);
    return served;
  };

  it('refuses a non-loopback address without an API key (exit 2, one line)', async () => {
    const run = await runInProcess(['serve', '--host', '0.0.0.0', '--port', '0'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: --host 0.0.0.0 is not a loopback address: give an API key (--api-key or env CODEX_SERVE_API_KEY)\n');
  });

  it('refuses to start when not logged in (exit 3)', async () => {
    const run = await runInProcess(['serve', '--port', '0'], { fake, configDir: configDirWith({}) });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).not.toContain('listening');
  });

  it('with a key: a missing or wrong key is 401, the right one passes', async () => {
    const served = await serve([], { CODEX_SERVE_API_KEY: 'sesame-key-123' });
    expect(served.stderr()).toContain('(API key required)');
    const wrong = new OpenAI({ baseURL: served.url, apiKey: 'wrong', maxRetries: 0 });
    const failure = await wrong.models.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((failure as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    const none = await fetch(`${served.url}/models`);
    expect(none.status).toBe(401);
    const right = new OpenAI({ baseURL: served.url, apiKey: 'sesame-key-123', maxRetries: 0 });
    expect((await right.models.list()).data.length).toBeGreaterThan(0);
    expect(served.stderr()).not.toContain('sesame-key-123');
  });

  it('a body over the backend budget is 413, and never reaches the backend', async () => {
    const served = await serve([]);
    const huge = JSON.stringify({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'x'.repeat(1_300_000) }] });
    const response = await fetch(`${served.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer unused' },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    expect(fake.requestsTo('/backend-api/codex/responses')).toEqual([]);
  });

  it('a client that goes away mid-stream aborts the backend request', async () => {
    const served = await serve([]);
    let backendClosed = false;
    const slow: Reply = (ctx) => {
      void ctx.closed.then(() => (backendClosed = true));
      return answer({ text: 'one two three four five six seven eight', pauseAt: { events: 8, until: new Promise(() => undefined) } })(ctx);
    };
    fake.responses.push(slow);
    const controller = new AbortController();
    const response = await fetch(`${served.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer unused' },
      body: JSON.stringify({ model: 'gpt-6-sol', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let seen = '';
    while (!seen.includes('"content":"one ')) seen += new TextDecoder().decode((await reader.read()).value);
    expect(backendClosed).toBe(false);
    controller.abort();
    await waitFor(() => backendClosed, 10_000, 'the backend request to close');
    const { stdout } = await served.stop();
    expect(stdout).toBe('');
  });

  it('a stream that breaks after output ends with an error frame, which the SDK throws', async () => {
    const served = await serve([]);
    fake.responses.push(answer({ text: 'half an answer and then', after: { events: 7, then: 'drop' } }));
    const client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).not.toBe('');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toMatch(/stream/);
    await waitFor(() => /POST \/v1\/chat\/completions model=gpt-6-sol status=502/.test(served.stderr()), 10_000, 'the access-log line');
  });

  it('a slow reader holds the backend back (its writes wait), and still gets the whole answer', async () => {
    const served = await serve([]);
    const bytes = 6 * 1024 * 1024;
    let blocked = false;
    const bulk: Reply = (ctx) => {
      const write = ctx.res.write.bind(ctx.res) as (chunk: unknown) => boolean;
      ctx.res.write = ((chunk: unknown) => {
        const ok = write(chunk);
        if (!ok) blocked = true;
        return ok;
      }) as typeof ctx.res.write;
      return bulkAnswer(bytes, 512)(ctx);
    };
    fake.responses.push(bulk);
    const client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'a lot' }], stream: true });
    let length = 0;
    let first = true;
    for await (const chunk of stream) {
      length += chunk.choices[0]?.delta.content?.length ?? 0;
      if (first && length > 0) {
        first = false;
        await waitFor(() => blocked, 20_000, 'the backend to wait for the server to read');
      }
    }
    expect(length).toBe(Math.ceil(bytes / (512 * 256)) * 512 * 256);
  });

  it('CORS headers only with --cors', async () => {
    const plain = await serve([]);
    const without = await fetch(`${plain.url}/models`, { headers: { origin: 'http://localhost:3000', authorization: 'Bearer unused' } });
    expect(without.status).toBe(403);
    expect(without.headers.get('access-control-allow-origin')).toBeNull();
    const withCors = await serve(['--cors', 'http://localhost:3000']);
    const preflight = await fetch(`${withCors.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
  });

  it('parallel requests with an expired token make one refresh, written back to auth.json', async () => {
    const expired = fake.issueTokens(-60);
    const configDir = configDirWith(expired);
    const served = await serve([], {}, configDir);
    fake.refreshDelayMs = 300;
    const client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) => client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: `request ${index}` }] })),
    );
    expect(answers.map((completion) => completion.choices[0]!.message.content)).toEqual(Array.from({ length: 6 }, (_, index) => `You said: request ${index}`));
    expect(fake.refreshCount).toBe(1);
    expect(readAuth(configDir).refresh_token).not.toBe(expired.refresh_token);
  });
});

describe('codex serve --profile', () => {
  it("serves the chosen profile's sign-in, not the default one", async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const personal = fake.issueTokens();
    const work = fake.issueTokens();
    const configDir = configDirWith(personal);
    mkdirSync(join(configDir, 'profiles', 'work'), { recursive: true, mode: 0o700 });
    writeFileSync(join(configDir, 'profiles', 'work', 'auth.json'), JSON.stringify(work), { mode: 0o600 });
    const served = await startServeInProcess(['--profile', 'work'], { fake, configDir });
    try {
      const client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
      const reply = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hi' }] });
      expect(reply.choices[0]!.message.content).toBe('You said: hi');
      const last = fake.requestsTo('/backend-api/codex/responses').at(-1)!;
      expect(last.headers.authorization).toBe(`Bearer ${work.access_token}`);
    } finally {
      expect((await served.stop()).exitCode).toBe(0);
    }
  });
});
