// createOpenAIFetch(): the openai SDK talking to serve's /v1 handlers in this process (no port), against the fake.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { Codex, createOpenAIFetch } from '../../src/index.js';
import { answer } from '../fake/replies.js';
import { waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const responseRequests = () => fake.requestsTo('/backend-api/codex/responses');

function clientFor(log: string[] = []): OpenAI {
  const tokens = fake.issueTokens();
  const codex = new Codex({
    apiKey: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: tokens.expires_at,
    accountId: tokens.account_id,
    baseUrl: fake.baseUrl,
    issuer: fake.issuer,
    retryBaseDelayMs: 1,
  });
  return new OpenAI({ apiKey: 'unused', baseURL: 'http://codex.invalid/v1', fetch: createOpenAIFetch({ codex, accessLog: (line) => log.push(line) }), maxRetries: 0 });
}

describe('createOpenAIFetch with the openai SDK', () => {
  it('chat.completions.create, plain and streamed, with the access log of serve', async () => {
    fake.responses.push(answer({ text: 'Hello from chat' }));
    fake.responses.push(answer({ text: 'streamed chat answer', chunk: 5 }));
    const log: string[] = [];
    const client = clientFor(log);

    const chat = await client.chat.completions.create({
      model: 'gpt-6-sol',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
    expect(chat.choices[0]!.message.content).toBe('Hello from chat');
    expect(chat.usage?.prompt_tokens).toBe(42);

    const stream = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'Stream it' }], stream: true });
    const deltas: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) deltas.push(chunk.choices[0].delta.content);
    expect(deltas.join('')).toBe('streamed chat answer');
    expect(deltas.length).toBeGreaterThan(1);

    const sent = responseRequests().map((request) => request.body as { model: string; input: unknown[] });
    expect(sent.map((body) => body.model)).toEqual(['gpt-6-sol', 'gpt-6-sol']);
    expect(JSON.stringify(sent[0])).toContain('Be brief.');
    // A streamed request is logged once serve has closed its body, which may come just after the client read the end.
    await waitFor(() => log.length >= 2, 5_000, 'the access log line of the streamed request');
    expect(log).toEqual([
      expect.stringMatching(/^POST \/v1\/chat\/completions model=gpt-6-sol status=200 ms=\d+ tokens=\d+$/),
      expect.stringMatching(/^POST \/v1\/chat\/completions model=gpt-6-sol status=200 ms=\d+ tokens=\d+$/),
    ]);
  });

  it('responses.create, plain and streamed, and models.list', async () => {
    fake.responses.push(answer({ text: 'Hi there' }));
    fake.responses.push(answer({ text: 'one two three', chunk: 4 }));
    const client = clientFor();

    const response = await client.responses.create({ model: 'gpt-6-luna', input: 'Say hi' });
    expect(response.output_text).toBe('Hi there');

    const stream = await client.responses.create({ model: 'gpt-6-luna', input: 'Count', stream: true });
    let text = '';
    let completed = false;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = true;
    }
    expect(text).toBe('one two three');
    expect(completed).toBe(true);

    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-6-sol');
  });

  it('errors come back as the openai SDK errors serve answers with: an unknown model is 404', async () => {
    const client = clientFor();
    const failure = await client.chat.completions.create({ model: 'gpt-0-nope', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect((failure as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect(responseRequests()).toEqual([]);
  });

  it('without a facade it uses the CLI login of the config dir given (Codex.fromStore), on the first call', async () => {
    fake.responses.push(answer({ text: 'from the store' }));
    const configDir = configDirWith(fake.issueTokens());
    const fetch = createOpenAIFetch({ configDir, baseUrl: fake.baseUrl, issuer: fake.issuer });
    const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://codex.invalid/v1', fetch, maxRetries: 0 });
    const chat = await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.choices[0]!.message.content).toBe('from the store');
  });
});
