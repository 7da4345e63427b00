// The real-client matrix: clients nobody here wrote, driving `codex serve` in front of the fake (issue #26).
// openai-node, the AI SDK (OpenAI provider over Responses and Chat, the OpenAI-compatible provider), the OpenAI
// Agents SDK, and OpenAI's own `codex exec` with a custom `wire_api="responses"` provider.
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { Agent, OpenAIResponsesModel, run, setTracingDisabled } from '@openai/agents';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { execa } from 'execa';
import OpenAI from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { answer, bulkAnswer, itemsAnswer } from '../fake/replies.js';
import type { IssuedTokens } from '../fake/server.js';
import { expectNoSecrets, waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { officialCodexBin } from '../support/official-client.js';
import { type Served, startServe, TEST_SERVE_KEY } from '../support/serve.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();

type Item = { type?: string; role?: string; id?: string; call_id?: string; content?: string | { type: string; text?: string }[]; [key: string]: unknown };
type Body = { model: string; instructions?: string; input: Item[]; tools?: unknown[]; tool_choice?: unknown; include?: string[]; [key: string]: unknown };
const backendRequests = () => fake.requestsTo('/backend-api/codex/responses');
const sent = (index = -1) => backendRequests().at(index)!.body as Body;
const textOf = (item: Item | undefined) => (typeof item?.content === 'string' ? item.content : (item?.content ?? []).map((part) => part.text ?? '').join(''));
const userTexts = (body: Body) => body.input.filter((item) => (item.type ?? 'message') === 'message' && item.role === 'user').map(textOf);

let served: Served;
let tokens: IssuedTokens;
let client: OpenAI;
beforeAll(async () => {
  tokens = fake.issueTokens();
  served = await startServe([], { fake, configDir: configDirWith(tokens) });
  client = new OpenAI({ baseURL: served.url, apiKey: 'unused', maxRetries: 0 });
  setTracingDisabled(true);
});
afterAll(async () => {
  const { exitCode, stderr } = await served.stop();
  expect(exitCode).toBe(0);
  expectNoSecrets(stderr, [tokens.access_token, tokens.refresh_token, tokens.id_token]);
});

describe('openai-node', () => {
  it('chat.completions.parse and responses.parse: structured output through json_schema', async () => {
    const Person = z.object({ name: z.string(), age: z.number() });
    fake.responses.push(answer({ text: '{"name":"Ada","age":36}' }));
    const chat = await client.chat.completions.parse({
      model: 'gpt-6-sol',
      messages: [{ role: 'user', content: 'who?' }],
      response_format: zodResponseFormat(Person, 'person'),
    });
    expect(chat.choices[0]!.message.parsed).toEqual({ name: 'Ada', age: 36 });
    expect(sent().text).toMatchObject({ format: { type: 'json_schema', schema: { type: 'object', required: ['name', 'age'] } } });

    fake.responses.push(answer({ text: '{"name":"Bob","age":7}' }));
    const parsed = await client.responses.parse({ model: 'gpt-6-sol', input: 'who?', text: { format: zodTextFormat(Person, 'person') } });
    expect(parsed.output_parsed).toEqual({ name: 'Bob', age: 7 });
    // The client's format goes on as it was sent (name and strict included).
    expect(sent().text).toMatchObject({ format: { type: 'json_schema', name: 'person', strict: true } });
  });

  it("chat without a system message sends no instructions at all; the client's prompt_cache_key goes on", async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'bare' }] });
    expect(completion.choices[0]!.message.content).toBe('You said: bare');
    expect(sent()).not.toHaveProperty('instructions');
    expect(JSON.stringify(sent())).not.toContain('command line');

    await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'cached' }], prompt_cache_key: 'chat-key-7' });
    expect(sent().prompt_cache_key).toBe('chat-key-7');
  });

  it('chat with include_reasoning: the summary as reasoning_content, streamed and not', async () => {
    fake.responses.push(answer({ text: 'Four.', reasoning: ['Adding two and two.'] }));
    const body = { model: 'gpt-6-sol', messages: [{ role: 'user' as const, content: '2+2?' }], include_reasoning: true };
    const stream = await client.chat.completions.create({ ...body, stream: true } as OpenAI.ChatCompletionCreateParamsStreaming);
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
    }
    expect(reasoning).toBe('Adding two and two.');
    expect(content).toBe('Four.');
    expect(JSON.stringify(sent())).toContain('"summary":"auto"');

    fake.responses.push(answer({ text: 'Four.', reasoning: ['Again.'] }));
    const whole = await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect((whole.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe('Again.');

    // Not asked: no summary requested, none shown.
    const plain = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'no reasoning' }] });
    expect(plain.choices[0]!.message).not.toHaveProperty('reasoning_content');
    expect(JSON.stringify(sent())).not.toContain('"summary"');
  });

  it('chat tool_choice: required and a named function are sent on (classic model); a named one on a lite model is a clear 400', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'look' }];
    fake.responses.push(answer({ functionCalls: [{ name: 'lookup', arguments: {} }] }));
    const required = await client.chat.completions.create({ model: 'gpt-6-sol', messages, tools, tool_choice: 'required' });
    expect(required.choices[0]!.finish_reason).toBe('tool_calls');
    expect(sent().tool_choice).toBe('required');

    fake.responses.push(answer({ functionCalls: [{ name: 'lookup', arguments: {} }] }));
    const named = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools, tool_choice: { type: 'function', function: { name: 'lookup' } } });
    expect(named.choices[0]!.message.tool_calls![0]).toMatchObject({ function: { name: 'lookup' } });
    expect(sent().tool_choice).toEqual({ type: 'function', name: 'lookup' });

    const before = backendRequests().length;
    const refused = await client.chat.completions
      .create({ model: 'gpt-6-sol', messages, tools, tool_choice: { type: 'function', function: { name: 'lookup' } } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('tool_choice naming a function is not supported with gpt-6-sol');
    expect(backendRequests()).toHaveLength(before);
  });

  it('responses: previous_response_id replays the kept conversation, streamed and not; an unknown id is a 400', async () => {
    const first = await client.responses.create({ model: 'gpt-6-sol', instructions: 'Be brief.', input: 'my name is Ada' });
    expect(first.output_text).toBe('You said: my name is Ada');
    const second = await client.responses.create({ model: 'gpt-6-sol', input: 'what is my name?', previous_response_id: first.id });
    expect(second.output_text).toBe('You said: what is my name?');
    expect(sent()).not.toHaveProperty('previous_response_id');
    expect(userTexts(sent())).toEqual(['my name is Ada', 'what is my name?']);
    expect(sent().input.map((item) => item.role ?? item.type)).toEqual(['user', 'assistant', 'user']);

    const stream = await client.responses.create({ model: 'gpt-6-sol', input: 'and now?', previous_response_id: second.id, stream: true });
    let completedId = '';
    for await (const event of stream) if (event.type === 'response.completed') completedId = event.response.id;
    expect(userTexts(sent())).toEqual(['my name is Ada', 'what is my name?', 'and now?']);
    const third = await client.responses.create({ model: 'gpt-6-sol', input: 'last', previous_response_id: completedId });
    expect(third.output_text).toBe('You said: last');
    expect(userTexts(sent())).toHaveLength(4);

    const before = backendRequests().length;
    const unknown = await client.responses.create({ model: 'gpt-6-sol', input: 'x', previous_response_id: 'resp_nope' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
    const failure = unknown as InstanceType<typeof OpenAI.BadRequestError>;
    expect(failure.code).toBe('previous_response_not_found');
    expect(failure.param).toBe('previous_response_id');
    expect(failure.message).toContain('no response resp_nope is kept by this server');
    expect(backendRequests()).toHaveLength(before);
  });

  it('responses: encrypted reasoning only when include asks for it; the kept reasoning is replayed either way', async () => {
    fake.responses.push(answer({ text: 'ok', reasoning: ['hidden'] }));
    const without = await client.responses.create({ model: 'gpt-6-sol', input: 'think', reasoning: { summary: 'auto' } });
    expect(without.output[0]).toMatchObject({ type: 'reasoning' });
    expect(without.output[0]).not.toHaveProperty('encrypted_content');
    // serve asked for it anyway, to keep it.
    expect(sent().include).toEqual(['reasoning.encrypted_content']);
    await client.responses.create({ model: 'gpt-6-sol', input: 'more', previous_response_id: without.id });
    expect(sent().input[1]).toMatchObject({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAAA/) });

    fake.responses.push(answer({ text: 'ok', reasoning: ['shown'] }));
    const withIt = await client.responses.create({ model: 'gpt-6-sol', input: 'think', reasoning: { summary: 'auto' }, include: ['reasoning.encrypted_content'] });
    expect(withIt.output[0]).toMatchObject({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAAA/) });
  });

  it('responses: hosted and custom tools, namespaces, the lite header and prompt_cache_key pass as the client sent them', async () => {
    const body = {
      model: 'gpt-6-sol',
      input: [
        {
          type: 'additional_tools',
          role: 'developer',
          tools: [
            { type: 'namespace', name: 'functions', description: '', tools: [] },
            { type: 'tool_search', execution: 'client' },
          ],
        },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'lite' }] },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'low', context: 'all_turns' },
      prompt_cache_key: 'client-key-1',
      text: { verbosity: 'low' },
      client_metadata: { thread_id: 't' },
      stream: true,
    };
    const response = await fetch(`${served.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SERVE_KEY}`, 'content-type': 'application/json', 'x-openai-internal-codex-responses-lite': 'true' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You said: lite');
    const { stream: _, ...rest } = body;
    expect(sent()).toEqual({ ...rest, store: false, stream: true, include: ['reasoning.encrypted_content'] });
    expect(backendRequests().at(-1)!.headers['x-openai-internal-codex-responses-lite']).toBe('true');

    const tools = [{ type: 'web_search' }, { type: 'custom', name: 'apply_patch', description: 'patch', format: { type: 'text' } }];
    await client.responses.create({ model: 'gpt-5.5', input: 'classic', tools: tools as OpenAI.Responses.Tool[] });
    expect(sent().tools).toEqual(tools);
    expect(backendRequests().at(-1)!.headers).not.toHaveProperty('x-openai-internal-codex-responses-lite');
  });
});

describe('/v1/responses pass-through details', () => {
  it("the backend's turn state and quota headers come back, and the client's turn state goes on", async () => {
    fake.turnState = 'sticky';
    const response = await fetch(`${served.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SERVE_KEY}`, 'content-type': 'application/json', 'x-codex-turn-state': 'from-client' },
      body: JSON.stringify({ model: 'gpt-6-sol', input: 'turn state', stream: true }),
    });
    expect(response.headers.get('x-codex-turn-state')).toBe('sticky-1');
    expect(response.headers.get('x-codex-primary-used-percent')).toBe('12');
    expect(response.headers.get('openai-model')).toBe('gpt-6-sol');
    await response.text();
    expect(backendRequests().at(-1)!.headers['x-codex-turn-state']).toBe('from-client');
  });

  it("the backend's own refusal comes back as a 400 with its words", async () => {
    const refused = await client.responses
      .create({ model: 'gpt-6-sol', input: [{ type: 'function_call', call_id: 'call_lost', name: 'f', arguments: '{}' }] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as Error).message).toContain('No tool output found for function call call_lost.');
  });

  it('a slow reader holds the backend back, and still gets the whole answer; a client that goes away aborts the backend request', async () => {
    const bytes = 6 * 1024 * 1024;
    let blocked = false;
    fake.responses.push((ctx) => {
      const write = ctx.res.write.bind(ctx.res) as (chunk: unknown) => boolean;
      ctx.res.write = ((chunk: unknown) => {
        const ok = write(chunk);
        if (!ok) blocked = true;
        return ok;
      }) as typeof ctx.res.write;
      return bulkAnswer(bytes, 512)(ctx);
    });
    const stream = await client.responses.create({ model: 'gpt-6-sol', input: 'a lot', stream: true });
    let length = 0;
    let first = true;
    for await (const event of stream) {
      if (event.type !== 'response.output_text.delta') continue;
      length += event.delta.length;
      if (first) {
        first = false;
        await waitFor(() => blocked, 20_000, 'the backend to wait for the server to read');
      }
    }
    expect(length).toBe(Math.ceil(bytes / (512 * 256)) * 512 * 256);

    let backendClosed = false;
    fake.responses.push((ctx) => {
      void ctx.closed.then(() => (backendClosed = true));
      return answer({ text: 'one two three four five six seven eight', pauseAt: { events: 8, until: new Promise(() => undefined) } })(ctx);
    });
    const controller = new AbortController();
    const response = await fetch(`${served.url}/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SERVE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-6-sol', stream: true, input: 'hi' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let seen = '';
    while (!seen.includes('"delta":"one ')) seen += new TextDecoder().decode((await reader.read()).value);
    expect(backendClosed).toBe(false);
    controller.abort();
    await waitFor(() => backendClosed, 10_000, 'the backend request to close');
  });

  it('a stream the backend drops before response.completed ends with an error event; nothing is kept', async () => {
    fake.responses.push(answer({ text: 'cut short here', after: { events: 6, then: 'drop' } }));
    const stream = await client.responses.create({ model: 'gpt-6-sol', input: 'drop', stream: true });
    const types: string[] = [];
    let responseId = '';
    const failure = await (async () => {
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.created') responseId = event.response.id;
      }
    })().catch((error: unknown) => error);
    expect(types[0]).toBe('response.created');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(String(failure)).toMatch(/stream/);
    const later = await client.responses.create({ model: 'gpt-6-sol', input: 'x', previous_response_id: responseId }).catch((error: unknown) => error);
    expect((later as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('previous_response_not_found');
  });
});

describe('the AI SDK', () => {
  const openai = () => createOpenAI({ baseURL: served.url, apiKey: 'unused' });
  const weather = tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => `sunny in ${city}`,
  });

  it('@ai-sdk/openai Responses with reasoningSummary and a tool: the item_reference of the next step is answered from the store', async () => {
    fake.responses.push(itemsAnswer([{ reasoning: ['I should look it up.'] }, { call: { name: 'weather', arguments: { city: 'Paris' }, call_id: 'call_w' } }]));
    fake.responses.push(answer({ text: 'It is sunny.', reasoning: ['Done.'] }));
    const result = await generateText({
      model: openai().responses('gpt-6-sol'),
      prompt: 'weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(3),
      providerOptions: { openai: { reasoningSummary: 'auto' } },
      maxRetries: 0,
    });
    expect(result.text).toBe('It is sunny.');
    expect(result.reasoningText).toContain('Done.');
    const second = sent();
    // The AI SDK referred to the first step's reasoning by id; the backend got the item itself.
    expect(second.input.some((item) => item.type === 'item_reference')).toBe(false);
    expect(second.input.find((item) => item.type === 'reasoning')).toMatchObject({ summary: [{ text: 'I should look it up.' }], encrypted_content: 'gAAAAAfake' });
    expect(second.input.find((item) => item.type === 'function_call_output')).toMatchObject({ call_id: 'call_w', output: 'sunny in Paris' });
  });

  it('openai.chat streamed, and generateObject over Responses', async () => {
    const streamed = streamText({ model: openai().chat('gpt-6-sol'), prompt: 'chat stream', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe('You said: chat stream');

    fake.responses.push(answer({ text: '{"city":"Oslo","celsius":-3}' }));
    const { object } = await generateObject({
      model: openai().responses('gpt-6-sol'),
      schema: z.object({ city: z.string(), celsius: z.number() }),
      prompt: 'cold city',
      maxRetries: 0,
    });
    expect(object).toEqual({ city: 'Oslo', celsius: -3 });
    expect(sent().text).toMatchObject({ format: { type: 'json_schema' } });
  });

  it('@ai-sdk/openai-compatible: tools over chat completions, and reasoning_content as reasoning', async () => {
    const compatible = createOpenAICompatible({ name: 'serve', baseURL: served.url, apiKey: 'unused' });
    fake.responses.push(answer({ functionCalls: [{ name: 'weather', arguments: { city: 'Rome' }, call_id: 'call_c' }] }));
    fake.responses.push(answer({ text: 'Sunny in Rome.' }));
    const result = await generateText({ model: compatible('gpt-6-sol'), prompt: 'weather in Rome?', tools: { weather }, stopWhen: stepCountIs(3), maxRetries: 0 });
    expect(result.text).toBe('Sunny in Rome.');
    expect(sent().input.find((item) => item.type === 'function_call_output')).toMatchObject({
      call_id: 'call_c',
      output: [{ type: 'input_text', text: 'sunny in Rome' }],
    });

    fake.responses.push(answer({ text: 'Yes.', reasoning: ['Checking.'] }));
    const reasoned = await generateText({
      model: compatible('gpt-6-sol'),
      prompt: 'think?',
      providerOptions: { serve: { include_reasoning: true } },
      maxRetries: 0,
    });
    expect(reasoned.reasoningText).toBe('Checking.');
    expect(reasoned.text).toBe('Yes.');
  });
});

describe('the OpenAI Agents SDK', () => {
  it('previousResponseId continues the conversation kept by serve', async () => {
    // The Agents SDK resolves openai as CommonJS types; the same class at run time.
    const model = new OpenAIResponsesModel(client as unknown as ConstructorParameters<typeof OpenAIResponsesModel>[0], 'gpt-6-sol');
    const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model });
    const first = await run(agent, 'remember the word kiwi');
    expect(first.finalOutput).toBe('You said: remember the word kiwi');
    const second = await run(agent, 'which word?', { previousResponseId: first.lastResponseId! });
    expect(second.finalOutput).toBe('You said: which word?');
    expect(userTexts(sent())).toEqual(['remember the word kiwi', 'which word?']);
    expect(sent().instructions).toBe('Be brief.');

    // Streamed: its result comes from response.completed, whose output serve fills from the stream's items.
    const streamed = await run(agent, 'and streamed?', { previousResponseId: second.lastResponseId!, stream: true });
    for await (const _ of streamed.toTextStream()) {
      // drained
    }
    await streamed.completed;
    expect(streamed.finalOutput).toBe('You said: and streamed?');
    expect(userTexts(sent())).toEqual(['remember the word kiwi', 'which word?', 'and streamed?']);
  });
});

describe("OpenAI's codex exec through serve (custom provider, wire_api=responses)", () => {
  const bin = officialCodexBin();
  const exec = (home: string, args: string[], model = 'gpt-6.1-sol') =>
    execa(
      bin!,
      [
        ...args.slice(0, 1),
        '--json',
        '--skip-git-repo-check',
        '-c',
        'model_provider=serve',
        '-c',
        `model_providers.serve={name="serve",base_url="${served.url}",wire_api="responses",env_key="SERVE_KEY"}`,
        '-m',
        model,
        ...args.slice(1),
      ],
      { env: { CODEX_HOME: home, SERVE_KEY: 'unused', PATH: process.env.PATH }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 90_000, cwd: home },
    );
  const messages = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string; item?: { type: string; text?: string } })
      .filter((event) => event.type === 'item.completed' && event.item?.type === 'agent_message')
      .map((event) => event.item!.text);

  it.skipIf(!bin)(
    'a plain turn, then exec resume --last, on a lite model',
    async () => {
      const home = tempDir('codex-home-');
      const plain = await exec(home, ['exec', 'hello serve']);
      expect(plain.exitCode, plain.stderr).toBe(0);
      expect(messages(plain.stdout)).toEqual(['You said: hello serve']);
      expect(backendRequests().at(-1)!.headers['x-openai-internal-codex-responses-lite']).toBe('true');
      expect(sent().input[0]).toMatchObject({ type: 'additional_tools', role: 'developer' });

      const resumed = await exec(home, ['exec', 'resume', '--last', 'and again']);
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      expect(messages(resumed.stdout)).toEqual(['You said: and again']);
      const texts = userTexts(sent());
      expect(texts.slice(-1)).toEqual(['and again']);
      expect(texts).toContain('hello serve');
      expect(sent().input.some((item) => item.role === 'assistant' && textOf(item) === 'You said: hello serve')).toBe(true);
    },
    120_000,
  );

  it.skipIf(!bin)(
    'a tool turn: its custom exec tool is called, and the output goes back',
    async () => {
      const home = tempDir('codex-home-');
      fake.responses.push(
        itemsAnswer([{ item: { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_x', name: 'exec', input: 'text("from the tool")', status: 'completed' } }]),
      );
      const result = await exec(home, ['exec', 'use the tool']);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(messages(result.stdout)).toEqual(['You said: use the tool']);
      const output = sent().input.find((item) => item.type === 'custom_tool_call_output');
      expect(output).toMatchObject({ call_id: 'call_x' });
      expect(JSON.stringify(output)).toContain('from the tool');
    },
    120_000,
  );

  it.skipIf(!bin)(
    'a classic-layout model (gpt-5.5) with its custom tools',
    async () => {
      const home = tempDir('codex-home-');
      const result = await exec(home, ['exec', 'classic please'], 'gpt-5.5');
      expect(result.exitCode, result.stderr).toBe(0);
      expect(messages(result.stdout)).toEqual(['You said: classic please']);
      expect((sent().tools as { type: string }[]).some((entry) => entry.type !== 'function')).toBe(true);
    },
    120_000,
  );
});
