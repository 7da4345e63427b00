// The AI SDK provider (`codex-oauth-cli/ai-sdk`) driven by the AI SDK itself against the loopback fake: `ai` 6 with
// spec-v3 models on every Node, and `ai` 7 (spec v4, which needs Node ≥ 22) where it can run. The fake records what
// the backend would receive.
import { APICallError, InvalidArgumentError, LoadAPIKeyError, NoSuchModelError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createCodex } from '../../src/ai-sdk/index.js';
import { Codex } from '../../src/index.js';
import { answer, PRIMARY_RESET_AT, type Reply, usageLimit } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import { useFake } from '../support/fake.js';
import { tempDir } from '../support/temp.js';

const fake = useFake();
withSearchingModel(fake);
// The warnings are asserted on the results; the AI SDK would also print them.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const responseRequests = () => fake.requestsTo('/backend-api/codex/responses');
type Body = { instructions?: string; input: Record<string, unknown>[]; reasoning?: Record<string, unknown>; text?: Record<string, unknown>; tools?: unknown[] };
const bodyOf = (index: number) => responseRequests()[index]!.body as Body;

// A 1×1 PNG.
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));

function codexOptions() {
  const tokens = fake.issueTokens();
  return {
    apiKey: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expires_at,
    accountId: tokens.account_id,
    baseUrl: fake.baseUrl,
    issuer: fake.issuer,
    retryBaseDelayMs: 1,
    maxRetries: 0,
  };
}

function codexFor(): Codex {
  const tokens = fake.issueTokens();
  return new Codex({
    apiKey: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expires_at,
    accountId: tokens.account_id,
    baseUrl: fake.baseUrl,
    issuer: fake.issuer,
    retryBaseDelayMs: 1,
    maxRetries: 0,
    // The classic layout: tools and reasoning settings where these assertions look for them.
    responsesLayout: 'classic',
  });
}

const SDKS = [
  { name: 'ai 6 (spec v3)', load: () => import('ai'), spec: 'v3' as const, runs: true },
  // Typed as ai 6's API: the calls used here have the same shape in ai 7.
  { name: 'ai 7 (spec v4)', load: () => import('ai7') as unknown as Promise<typeof import('ai')>, spec: 'v4' as const, runs: NODE_MAJOR >= 22 },
];

for (const sdk of SDKS) {
  describe.runIf(sdk.runs)(`createCodex() with ${sdk.name}`, () => {
    const ai = () => sdk.load();
    const provider = (codex = codexFor()) => (sdk.spec === 'v3' ? createCodex({ codex, specificationVersion: 'v3' }) : createCodex({ codex }));
    // biome-ignore lint/suspicious/noExplicitAny: the model is passed to either major's functions
    const model = (id = 'gpt-6-sol', codex?: Codex): any => provider(codex)(id);

    it('generateText: the answer, its reasoning, usage with cached and reasoning tokens, the rate limits, and warnings', async () => {
      fake.responses.push(
        answer({ text: 'Hello from codex', reasoning: ['Think first.'], usage: { input_tokens: 50, cached_tokens: 20, output_tokens: 30, reasoning_tokens: 12 } }),
      );
      const { generateText } = await ai();
      const result = await generateText({
        model: model(),
        system: 'Be brief.',
        prompt: 'Say hello',
        temperature: 0.3,
        maxOutputTokens: 100,
        providerOptions: { codex: { effort: 'low', verbosity: 'low' } },
      });
      expect(result.text).toBe('Hello from codex');
      expect(result.reasoningText).toBe('Think first.');
      expect(result.finishReason).toBe('stop');
      expect(result.usage).toMatchObject({ inputTokens: 50, outputTokens: 30, totalTokens: 80 });
      expect(result.usage.inputTokenDetails).toMatchObject({ cacheReadTokens: 20, noCacheTokens: 30 });
      expect(result.usage.outputTokenDetails).toMatchObject({ reasoningTokens: 12, textTokens: 18 });
      const meta = result.providerMetadata?.codex as { rateLimits?: { primary?: { resets_at?: number } }; responseId?: string };
      expect(meta.rateLimits?.primary?.resets_at).toBe(PRIMARY_RESET_AT);
      expect(meta.responseId).toBe(result.response.id);
      expect(result.warnings?.map((warning) => (warning as { feature?: string }).feature).sort()).toEqual(['maxOutputTokens', 'temperature']);

      expect(bodyOf(0)).toMatchObject({
        model: 'gpt-6-sol',
        instructions: 'Be brief.',
        reasoning: { effort: 'low', summary: 'auto' },
        text: { verbosity: 'low' },
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello' }] }],
      });
      expect(JSON.stringify(bodyOf(0))).not.toMatch(/temperature|max_output_tokens/);
    });

    it.runIf(sdk.spec === 'v4')("spec v4's reasoning option is the effort; provider-default leaves the model's own", async () => {
      fake.responses.push(answer({ text: 'deep' }), answer({ text: 'default' }));
      const { generateText } = await ai();
      const high = await generateText({ model: model(), prompt: 'Think', reasoning: 'high' } as Parameters<typeof generateText>[0]);
      expect(high.warnings).toEqual([]);
      expect(bodyOf(0).reasoning).toMatchObject({ effort: 'high' });
      const own = await generateText({ model: model(), prompt: 'Think', reasoning: 'provider-default' } as Parameters<typeof generateText>[0]);
      expect(own.warnings).toEqual([]);
      expect(bodyOf(1).reasoning).toMatchObject({ effort: 'medium' }); // gpt-6-sol's default_reasoning_level
    });

    it('streamText: text and reasoning arrive as deltas, then the usage', async () => {
      fake.responses.push(answer({ text: 'one two three four', reasoning: ['Plan.'], chunk: 4 }));
      const { streamText } = await ai();
      const result = streamText({ model: model(), prompt: 'Count' });
      const types: string[] = [];
      const texts: string[] = [];
      for await (const part of result.fullStream) {
        types.push(part.type);
        if (part.type === 'text-delta') texts.push(part.text);
      }
      expect(texts).toEqual(['one ', 'two ', 'thre', 'e fo', 'ur']);
      expect(await result.text).toBe('one two three four');
      expect(await result.reasoningText).toBe('Plan.');
      expect(types.indexOf('reasoning-delta')).toBeLessThan(types.indexOf('text-delta'));
      expect(types.at(-1)).toBe('finish');
      expect((await result.usage).inputTokens).toBe(42);
    });

    it('a two-step tool loop: the AI SDK runs the tool, and the reasoning item goes back with the call and its result', async () => {
      fake.responses.push(answer({ reasoning: ['Need the weather.'], functionCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, call_id: 'call_1' }] }));
      fake.responses.push(answer({ text: 'Take an umbrella.' }));
      const { generateText, tool, stepCountIs } = await ai();
      const calls: unknown[] = [];
      const result = await generateText({
        model: model(),
        prompt: 'Umbrella in Paris?',
        tools: {
          get_weather: tool({
            description: 'The weather in a city',
            inputSchema: z.object({ city: z.string() }),
            execute: async (input) => {
              calls.push(input);
              return { sky: 'rain' };
            },
          }),
        },
        stopWhen: stepCountIs(3),
      });
      expect(calls).toEqual([{ city: 'Paris' }]);
      expect(result.text).toBe('Take an umbrella.');
      expect(result.steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);

      const first = bodyOf(0);
      expect(first.tools).toEqual([
        expect.objectContaining({ type: 'function', name: 'get_weather', description: 'The weather in a city', parameters: expect.objectContaining({ type: 'object' }) }),
      ]);
      const reasoning = result.steps[0]!.content.find((part) => part.type === 'reasoning');
      expect(reasoning?.providerMetadata?.codex).toBeDefined();
      const item = (reasoning!.providerMetadata!.codex as { item: { encrypted_content: string } }).item;
      expect(item.encrypted_content).toMatch(/^gAAAAA/);
      const replayed = bodyOf(1).input.filter((entry) => entry.type !== 'message' || entry.role !== 'user');
      expect(replayed).toEqual([
        expect.objectContaining({ type: 'reasoning', encrypted_content: item.encrypted_content }),
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"sky":"rain"}' },
      ]);
    });

    it('streamText with tools: the call streams as tool input, then the second step answers', async () => {
      fake.responses.push(answer({ functionCalls: [{ name: 'add', arguments: { a: 2, b: 3 }, call_id: 'call_add' }] }));
      fake.responses.push(answer({ text: '5' }));
      const { streamText, tool, stepCountIs } = await ai();
      const result = streamText({
        model: model(),
        prompt: '2+3?',
        tools: { add: tool({ inputSchema: z.object({ a: z.number(), b: z.number() }), execute: async ({ a, b }) => a + b }) },
        stopWhen: stepCountIs(2),
      });
      const types: string[] = [];
      for await (const part of result.fullStream) types.push(part.type);
      expect(types).toEqual(expect.arrayContaining(['tool-input-start', 'tool-input-delta', 'tool-call', 'tool-result', 'text-delta']));
      expect(await result.text).toBe('5');
      expect(bodyOf(1).input.at(-1)).toEqual({ type: 'function_call_output', call_id: 'call_add', output: '5' });
    });

    it('generateObject: the schema goes as json_schema and the answer is parsed', async () => {
      fake.responses.push(answer({ text: '{"name":"Ada","age":36}' }));
      const { generateObject } = await ai();
      const { object } = await generateObject({ model: model(), schema: z.object({ name: z.string(), age: z.number() }), prompt: 'Who?' });
      expect(object).toEqual({ name: 'Ada', age: 36 });
      const format = bodyOf(0).text?.format as { type: string; schema: Record<string, unknown> };
      expect(format.type).toBe('json_schema');
      expect(format.schema).toMatchObject({ type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name', 'age'] });
      expect(format.schema).not.toHaveProperty('$schema');
    });

    it('streamObject: partial objects while the JSON streams, then the whole one', async () => {
      fake.responses.push(answer({ text: '{"city":"Paris","days":[1,2,3]}', chunk: 6 }));
      const { streamObject } = await ai();
      const result = streamObject({ model: model(), schema: z.object({ city: z.string(), days: z.array(z.number()) }), prompt: 'Plan' });
      const partials: unknown[] = [];
      for await (const partial of result.partialObjectStream) partials.push(partial);
      expect(partials.length).toBeGreaterThan(1);
      expect(await result.object).toEqual({ city: 'Paris', days: [1, 2, 3] });
      expect(bodyOf(0).text).toMatchObject({ format: { type: 'json_schema' } });
    });

    it('image input: bytes become a data: URL, an https URL is passed as is', async () => {
      fake.responses.push(answer({ text: 'A dot.' }));
      const { generateText } = await ai();
      await generateText({
        model: model(),
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image: PNG, mediaType: 'image/png' },
              { type: 'image', image: new URL('https://example.com/cat.jpg') },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      });
      expect(bodyOf(0).input).toEqual([
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_image', image_url: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}` },
            { type: 'input_image', image_url: 'https://example.com/cat.jpg' },
            { type: 'input_text', text: 'What is this?' },
          ],
        },
      ]);
    });

    it('an abort signal ends the call with an AbortError and closes the backend request', async () => {
      let closed: Promise<void> | undefined;
      const reply: Reply = (ctx) => {
        closed = ctx.closed;
        return answer({ text: 'one two three four five six', pauseAt: { events: 8, until: new Promise(() => undefined) } })(ctx);
      };
      fake.responses.push(reply);
      const { streamText } = await ai();
      const controller = new AbortController();
      const result = streamText({ model: model(), prompt: 'Count', abortSignal: controller.signal });
      const seen: string[] = [];
      for await (const part of result.fullStream) {
        seen.push(part.type);
        if (part.type === 'text-delta') controller.abort();
      }
      expect(seen).toContain('abort');
      await closed;

      fake.responses.push(reply);
      const { generateText } = await ai();
      const early = new AbortController();
      const pending = generateText({ model: model(), prompt: 'Count', abortSignal: early.signal, maxRetries: 0 });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (responseRequests().length === 2) resolve(clearInterval(poll));
        }, 5);
      });
      early.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    });

    it('errors are the AI SDK classes with our code kept: a usage limit, and no sign-in', async () => {
      fake.responses.push(usageLimit('plus', 3600));
      const { generateText } = await ai();
      const failure = await generateText({ model: model(), prompt: 'hi', maxRetries: 0 }).catch((error: unknown) => error);
      expect(APICallError.isInstance(failure)).toBe(true);
      const apiError = failure as APICallError;
      expect(apiError.statusCode).toBe(429);
      expect(apiError.isRetryable).toBe(false);
      expect(apiError.data).toMatchObject({ code: 'usage_limit_reached', plan: 'plus', resetsAt: expect.any(Number) });
      expect((apiError.cause as { code?: string }).code).toBe('usage_limit_reached');

      const unknown = await generateText({ model: model('gpt-0-nope'), prompt: 'hi', maxRetries: 0 }).catch((error: unknown) => error);
      expect(InvalidArgumentError.isInstance(unknown)).toBe(true);
      expect((unknown as Error).message).toMatch(/unknown model gpt-0-nope/);
      expect((unknown as Error).cause).toMatchObject({ code: 'usage' });

      fake.retired.push('gpt-6-luna');
      const refused = await generateText({ model: model('gpt-6-luna'), prompt: 'hi', maxRetries: 0 }).catch((error: unknown) => error);
      expect(NoSuchModelError.isInstance(refused)).toBe(true);
      expect(refused).toMatchObject({ modelId: 'gpt-6-luna', cause: { code: 'model_unavailable' } });

      const empty = tempDir();
      const signedOut = sdk.spec === 'v3' ? createCodex({ configDir: empty, specificationVersion: 'v3' }) : createCodex({ configDir: empty });
      const notLoggedIn = await generateText({ model: signedOut('gpt-6-sol') as never, prompt: 'hi', maxRetries: 0 }).catch((error: unknown) => error);
      expect(LoadAPIKeyError.isInstance(notLoggedIn)).toBe(true);
      expect((notLoggedIn as Error).cause).toMatchObject({ code: 'not_logged_in' });
    });
  });
}

describe('createCodex() without the AI SDK in the loop', () => {
  it('makes models of the spec asked for, under the provider name given, and has no embedding or image models', () => {
    const codex = codexFor();
    const v4 = createCodex({ codex, name: 'chatgpt' })('gpt-6-sol');
    expect([v4.specificationVersion, v4.provider, v4.modelId]).toEqual(['v4', 'chatgpt', 'gpt-6-sol']);
    const v3 = createCodex({ codex, specificationVersion: 'v3' }).languageModel('gpt-6-luna');
    expect([v3.specificationVersion, v3.provider, v3.modelId]).toEqual(['v3', 'codex', 'gpt-6-luna']);
    expect(() => createCodex({ codex }).embeddingModel('x')).toThrow(/no embedding models/);
    expect(() => createCodex({ codex }).imageModel('x')).toThrow(/no image models/);
    expect(() => createCodex({ codex, specificationVersion: 'v2' as never })).toThrow(/v4 \(ai 7\) or v3 \(ai 6\)/);
  });

  it('a facade that cannot be made (a bad profile name) fails the call with an InvalidArgumentError', async () => {
    const model = createCodex({ profile: '../elsewhere', configDir: tempDir() })('gpt-6-sol');
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    for (const call of [() => model.doGenerate({ prompt }), () => model.doStream({ prompt })]) {
      const failure = await Promise.resolve(call()).catch((error: unknown) => error);
      expect(InvalidArgumentError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ message: expect.stringMatching(/profile/), cause: { code: 'usage' } });
    }
  });

  it('providerOptions.codex.search: web.run served inside the step on a lite model; the links become source parts', async () => {
    const codex = new Codex({ ...codexOptions(), responsesLayout: 'lite' });
    const model = createCodex({ codex })('gpt-6-sol');
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Berlin news' }] }];
    const result = await model.doGenerate({ prompt, providerOptions: { codex: { search: true } } });
    expect(result.finishReason).toMatchObject({ unified: 'stop' });
    expect(result.content.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', sourceType: 'url', id: 'source-0', url: 'https://example.com/berlin-news-1', title: 'example.com' },
      { type: 'source', sourceType: 'url', id: 'source-1', url: 'https://example.com/berlin-news-2', title: 'example.com' },
    ]);
    expect(result.content.filter((part) => part.type === 'tool-call')).toEqual([]);
    expect(fake.requestsTo('/backend-api/codex/alpha/search')).toHaveLength(1);
    expect(responseRequests()).toHaveLength(2);
  });

  it('providerOptions.codex.search with domains on a classic model: the hosted tool; annotations become source parts (streamed too)', async () => {
    const model = createCodex({ codex: codexFor() })('gpt-5.5');
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Node 24' }] }];
    const { stream } = await model.doStream({ prompt, providerOptions: { codex: { search: { domains: ['nodejs.org'] } } } });
    const parts: { type: string }[] = [];
    for await (const part of stream as unknown as AsyncIterable<{ type: string }>) parts.push(part);
    expect(parts.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', sourceType: 'url', id: 'source-0', url: 'https://nodejs.org/node-24', title: 'About Node 24' },
    ]);
    expect(bodyOf(0).tools).toEqual([{ type: 'web_search', external_web_access: true, filters: { allowed_domains: ['nodejs.org'] } }]);
  });

  it('providerOptions.codex.serviceTier "priority" (or fast: true) sends the Fast tier; "flex" is a warning, nothing sent', async () => {
    const model = createCodex({ codex: codexFor() })('gpt-6-sol');
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    const priority = await model.doGenerate({ prompt, providerOptions: { codex: { serviceTier: 'priority' } } });
    const fast = await model.doGenerate({ prompt, providerOptions: { codex: { fast: true } } });
    const flex = await model.doGenerate({ prompt, providerOptions: { codex: { serviceTier: 'flex' } } });
    expect([priority.warnings, fast.warnings]).toEqual([[], []]);
    expect(flex.warnings).toEqual([{ type: 'unsupported', feature: 'serviceTier', details: 'flex: the Codex backend has no such tier; the default was used' }]);
    expect(responseRequests().map((request) => (request.body as { service_tier?: string }).service_tier)).toEqual(['priority', 'priority', undefined]);
  });

  it('refuses provider options it does not know, and file parts that are not images', async () => {
    const model = createCodex({ codex: codexFor() })('gpt-6-sol');
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    await expect(model.doGenerate({ prompt, providerOptions: { codex: { effort: 'huge' } } })).rejects.toThrow(/providerOptions\.codex: effort/);
    await expect(
      model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'file', mediaType: 'application/pdf', data: { type: 'data', data: PNG } }] }] }),
    ).rejects.toThrow(/application\/pdf/);
    expect(responseRequests()).toEqual([]);
  });
});
