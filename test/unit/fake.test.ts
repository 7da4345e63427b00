// The loopback fake must refuse what the real backend refuses (protocol §2, §3, §5), or the e2e tests could pass
// against a client the real service would reject.
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { LITE_REMOTE_IMAGE } from '../fake/request-rules.js';
import { CLIENT_ID, FakeCodex, UNSUPPORTED_PARAMETERS } from '../fake/server.js';
import { useFake } from '../support/fake.js';

const fake = useFake();

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}

function responses(extra: Record<string, unknown>, input: unknown[] = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]) {
  const tokens = fake.issueTokens();
  return post(
    '/backend-api/codex/responses',
    { model: 'gpt-5.5', instructions: 'Be brief.', input, store: false, stream: true, ...extra },
    {
      authorization: `Bearer ${tokens.access_token}`,
      'chatgpt-account-id': tokens.account_id,
      version: '0.171.0',
    },
  );
}

describe('the fake backend', () => {
  it.each(UNSUPPORTED_PARAMETERS)('rejects %s with 400 Unsupported parameter', async (parameter) => {
    expect(await responses({ [parameter]: 1 })).toEqual({ status: 400, json: { detail: `Unsupported parameter: ${parameter}` } });
  });

  it('takes service_tier "priority" where the catalog lists it; refuses a tier the model does not list, in the backend\'s words', async () => {
    expect((await responses({ service_tier: 'priority' })).status).toBe(200);
    expect(await responses({ service_tier: 'flex' })).toEqual({
      status: 400,
      json: { error: { message: 'Unsupported service_tier: flex', type: 'invalid_request_error', param: 'service_tier', code: null } },
    });
    const tokens = fake.issueTokens();
    const hidden = await post(
      '/backend-api/codex/responses',
      { model: 'gpt-daybreak-blue-latest', input: [], store: false, stream: true, service_tier: 'priority' },
      { authorization: `Bearer ${tokens.access_token}`, 'chatgpt-account-id': tokens.account_id, version: '0.171.0' },
    );
    expect(hidden).toMatchObject({ status: 400, json: { error: { message: 'Unsupported service_tier: priority' } } });
  });

  it('reset credits: listed with the available count; consume spends one, and the same redeem id again spends nothing more', async () => {
    const tokens = fake.issueTokens();
    const headers = { authorization: `Bearer ${tokens.access_token}`, 'chatgpt-account-id': tokens.account_id };
    fake.quota.reset_credits = [
      { id: 'c1', reset_type: 'codex_rate_limits', status: 'available', granted_at: '2026-11-01T00:00:00Z', expires_at: null },
      { id: 'c2', reset_type: 'codex_rate_limits', status: 'available', granted_at: '2026-11-02T00:00:00Z', expires_at: null },
    ];
    const list = await fetch(`${fake.url}/backend-api/wham/rate-limit-reset-credits`, { headers });
    expect(await list.json()).toMatchObject({ available_count: 2, credits: [{ id: 'c1' }, { id: 'c2' }] });
    const consume = (body: unknown) => post('/backend-api/wham/rate-limit-reset-credits/consume', body, headers);
    expect(await consume({ redeem_request_id: 'r1', credit_id: 'c1' })).toEqual({ status: 200, json: { code: 'reset', credit: { id: 'c1' }, windows_reset: 2 } });
    expect(await consume({ redeem_request_id: 'r1', credit_id: 'c1' })).toEqual({ status: 200, json: { code: 'reset', credit: { id: 'c1' }, windows_reset: 2 } });
    expect(fake.quota.reset_credits.map((credit) => credit.status)).toEqual(['redeemed', 'available']);
    expect(await consume({ redeem_request_id: 'r2', credit_id: 'c1' })).toEqual({ status: 200, json: { code: 'already_redeemed', windows_reset: 0 } });
    expect(await consume({ redeem_request_id: 'r3' })).toEqual({ status: 200, json: { code: 'nothing_to_reset', windows_reset: 0 } });
    expect((await consume({ credit_id: 'c2' })).status).toBe(422);
    const usage = await fetch(`${fake.url}/backend-api/wham/usage`, { headers });
    expect(await usage.json()).toMatchObject({ rate_limit_reset_credits: { available_count: 1 } });
  });

  it('rejects input items with role system; accepts developer', async () => {
    const system = await responses({}, [{ type: 'message', role: 'system', content: [{ type: 'input_text', text: 'x' }] }]);
    expect(system.status).toBe(400);
    const developer = await responses({}, [
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'x' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    ]);
    expect(developer.status).toBe(200);
  });

  it('accepts items sent back with ids, as the recorded backend did for the official client (store=false)', async () => {
    const user = { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }], id: 'msg_01a230b3' };
    const tools = { type: 'additional_tools', id: 'at_01a230b1-da20-78a0-8887-ebc43fc36cb2', role: 'developer', tools: [] };
    const reasoning = { type: 'reasoning', summary: [], encrypted_content: 'gAAAAAx', id: 'rs_resp_2439ac42' };
    expect((await responses({}, [tools, user, reasoning, { ...user, id: 'msg_01a230b4' }])).status).toBe(200);
  });

  it("accepts the official client's items and tools: custom tools, namespaces, tool_search, hosted tools, custom tool outputs", async () => {
    const user = { type: 'message', role: 'user', content: 'hi' };
    const tools = [{ type: 'custom', name: 'exec', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } }, { type: 'web_search' }];
    const extra = {
      type: 'additional_tools',
      role: 'developer',
      tools: [
        { type: 'namespace', name: 'clock', tools: [] },
        { type: 'tool_search', execution: 'client' },
      ],
    };
    const call = { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_1', name: 'exec', input: 'text(1)' };
    const output = { type: 'custom_tool_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: '1' }] };
    expect((await responses({ tools }, [extra, user, call, output])).status).toBe(200);
    expect(await responses({ tools }, [user, call])).toEqual({ status: 400, json: { detail: 'No tool output found for custom tool call call_1.' } });
  });

  it('refuses item_reference items (nothing is kept under store=false) and a named tool_choice that is not a top-level function tool', async () => {
    const reference = await responses({}, [{ type: 'item_reference', id: 'rs_1' }]);
    expect(reference.status).toBe(400);
    expect((reference.json as { detail: string }).detail).toMatch(/^Item with id 'rs_1' not found\. Items are not persisted when `store` is set to false/);
    const choice = { type: 'function', name: 'f' };
    expect(await responses({ tool_choice: choice })).toEqual({ status: 400, json: { detail: "Tool choice 'f' not found in 'tools' parameter." } });
    expect((await responses({ tool_choice: choice, tools: [{ type: 'function', name: 'f', parameters: {} }] })).status).toBe(200);
  });

  it('sends encrypted reasoning only when include asks for it', async () => {
    const reasoningOf = async (include: string[]) => {
      fake.responses.push(answer({ text: 'ok', reasoning: ['why'] }));
      const { json } = await responses({ include });
      const done = String(json)
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { type: string; item?: { type: string } })
        .find((event) => event.type === 'response.output_item.done' && event.item?.type === 'reasoning');
      return done!.item;
    };
    expect(await reasoningOf([])).not.toHaveProperty('encrypted_content');
    expect(await reasoningOf(['reasoning.encrypted_content'])).toHaveProperty('encrypted_content');
  });

  it('requires the client id on a refresh (401 invalid_client), and rotates with it', async () => {
    const tokens = fake.issueTokens();
    const without = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(without).toEqual({ status: 401, json: { error: 'invalid_client', error_description: 'Unknown client' } });
    const withId = await post('/oauth/token', { client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(withId.status).toBe(200);
  });

  it('answers device polls alternately 403 and 404 while pending, and records when each request arrived', async () => {
    fake.deviceAuth = { enabled: true, pendingPolls: 3, interval: '1' };
    const started = Date.now();
    const device = (await post('/api/accounts/deviceauth/usercode', { client_id: CLIENT_ID })).json as { device_auth_id: string; user_code: string };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/api/accounts/deviceauth/token', device)).status);
    expect(statuses).toEqual([403, 404, 403, 200]);
    const polls = fake.requestsTo('/api/accounts/deviceauth/token');
    for (const poll of polls) expect(poll.receivedAt).toBeGreaterThanOrEqual(started);
    expect(polls.map((poll) => poll.receivedAt)).toEqual([...polls.map((poll) => poll.receivedAt)].sort((a, b) => a - b));
  });

  describe('the rules of December 2026 (protocol §10)', () => {
    const user = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }];
    async function send(body: Record<string, unknown>, headers: Record<string, string> = { version: '0.171.0' }) {
      const tokens = fake.issueTokens();
      return post(
        '/backend-api/codex/responses',
        { input: user, store: false, stream: true, ...body },
        {
          authorization: `Bearer ${tokens.access_token}`,
          'chatgpt-account-id': tokens.account_id,
          ...headers,
        },
      );
    }

    it.each(['gpt-5.4', 'gpt-5.3-codex', 'gpt-4.1', 'no-such-model'])('refuses the retired or unknown slug %s with the real detail', async (model) => {
      expect(await send({ model })).toEqual({
        status: 400,
        json: { detail: `The '${model}' model is not supported when using Codex with a ChatGPT account.` },
      });
    });

    it('refuses a model above the client version, or with no version header', async () => {
      const detail = "The 'gpt-6.2-sol' model requires a newer version of Codex. Please upgrade to the latest app or CLI and try again.";
      expect(await send({ model: 'gpt-6.2-sol' }, {})).toEqual({ status: 400, json: { detail } });
      expect(await send({ model: 'gpt-6.2-sol' }, { version: '0.165.9' })).toEqual({ status: 400, json: { detail } });
      expect((await send({ model: 'gpt-6.2-sol' }, { version: '0.166.0' })).status).toBe(200);
    });

    it('requires stream: true', async () => {
      expect(await send({ model: 'gpt-5.5', stream: false })).toEqual({ status: 400, json: { detail: 'Stream must be set to true' } });
    });

    it('with the lite header, refuses the classic layout; accepts the lite one', async () => {
      const lite = { 'x-openai-internal-codex-responses-lite': 'true', version: '0.171.0' };
      const classic = await send({ model: 'gpt-6.1-sol', tools: [], parallel_tool_calls: true }, lite);
      expect(classic.status).toBe(400);
      expect((classic.json as { detail: string }).detail).toMatch(/^Unsupported parameter: tools/);
      expect((await send({ model: 'gpt-6.1-sol', parallel_tool_calls: true }, lite)).status).toBe(400);
      const ok = await send(
        {
          model: 'gpt-6.1-sol',
          parallel_tool_calls: false,
          input: [
            { type: 'additional_tools', role: 'developer', tools: [{ type: 'namespace', name: 'functions', description: '', tools: [] }] },
            ...user,
            { type: 'configuration_update', reasoning: { effort: 'low' } },
          ],
        },
        lite,
      );
      expect(ok.status).toBe(200);
    });

    it("Responses Lite refuses image detail (the backend's words), remote images and a top-level instructions", async () => {
      const lite = { 'x-openai-internal-codex-responses-lite': 'true', version: '0.171.0' };
      const image = (part: Record<string, unknown>) => [{ type: 'message', role: 'user', content: [{ type: 'input_image', ...part }] }];
      const png = 'data:image/png;base64,iVBORw0KGgo=';
      const body = (extra: Record<string, unknown>) => ({ model: 'gpt-6-sol', parallel_tool_calls: false, ...extra });
      expect(await send(body({ input: image({ image_url: png, detail: 'high' }) }), lite)).toEqual({
        status: 400,
        json: { detail: 'Responses Lite does not support image detail' },
      });
      expect(await send(body({ input: image({ image_url: 'https://example.com/a.png' }) }), lite)).toEqual({ status: 400, json: { detail: LITE_REMOTE_IMAGE } });
      expect(await send(body({ instructions: 'Be brief.' }), lite)).toEqual({ status: 400, json: { detail: 'Unsupported parameter: instructions' } });
      // What the official client sends instead passes.
      const developer = { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] };
      expect((await send(body({ input: [developer, ...image({ image_url: png })] }), lite)).status).toBe(200);
    });

    it('a classic model without instructions is served, as the official client sends it (0.169 recorded, 0.171)', async () => {
      expect((await send({ model: 'gpt-5.5' })).status).toBe(200);
    });

    it('serves the catalog filtered by client_version', async () => {
      const tokens = fake.issueTokens();
      const slugs = async (version: string) => {
        const response = await fetch(`${fake.url}/backend-api/codex/models?client_version=${version}`, {
          headers: { authorization: `Bearer ${tokens.access_token}`, 'chatgpt-account-id': tokens.account_id },
        });
        return ((await response.json()) as { models: { slug: string }[] }).models.map((model) => model.slug);
      };
      expect(await slugs('0.171.0')).toContain('gpt-6.2-sol');
      expect(await slugs('0.165.0')).not.toContain('gpt-6.2-sol');
      expect(await slugs('0.165.0')).toContain('gpt-6.1-sol');
      expect(await slugs('0.154.0')).not.toContain('gpt-6-sol');
    });

    it('answers wham/accounts/check with the switchable routing, and sends x-codex-turn-state when set', async () => {
      const tokens = fake.issueTokens();
      const headers = { authorization: `Bearer ${tokens.access_token}`, 'chatgpt-account-id': tokens.account_id };
      fake.routing = { override: 'us', origin: 'https://us.example' };
      const check = await (await fetch(`${fake.url}/backend-api/wham/accounts/check`, { headers })).json();
      expect(check).toMatchObject({
        accounts: [{ id: tokens.account_id, account_routing_override: 'us', workspace_backend_origin: 'https://us.example' }],
        default_account_id: tokens.account_id,
      });
      fake.routing = {};
      fake.turnState = 'ts_fake_1';
      const response = await fetch(`${fake.url}/backend-api/codex/responses`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', version: '0.171.0' },
        body: JSON.stringify({ model: 'gpt-5.5', instructions: 'Be brief.', input: user, store: false, stream: true }),
      });
      expect(response.headers.get('x-codex-turn-state')).toBe('ts_fake_1-1');
      await response.text();
      fake.turnState = undefined;
    });
  });
});

/** A zstd frame holding `data` in one raw (stored) block: what any zstd decoder must read. */
function zstdStoredFrame(data: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUInt32LE(0xfd2fb528, 0); // magic
  header[4] = 0xa0; // single segment, 4-byte content size
  header.writeUInt32LE(data.length, 5);
  const block = (data.length << 3) | 1; // raw block, last
  return Buffer.concat([header, Buffer.from([block & 0xff, (block >> 8) & 0xff, (block >> 16) & 0xff]), data]);
}

describe('what the official client 0.171 needs of the fake (protocol §11)', () => {
  const secure = new FakeCodex();
  beforeAll(async () => {
    await secure.start(0, '127.0.0.1', { https: true });
  });
  afterAll(async () => {
    await secure.close();
  });

  /** One https request trusting only the fake's CA (or nothing extra): status, headers and body. */
  function call(method: string, path: string, headers: Record<string, string>, body?: Buffer, ca = secure.caCertificate) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${secure.url}${path}`, { method, headers, ...(ca ? { ca } : {}) }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  const auth = () => {
    const tokens = secure.issueTokens();
    return { authorization: `Bearer ${tokens.access_token}`, 'chatgpt-account-id': tokens.account_id, version: '0.171.0' };
  };

  it('serves https on loopback with a certificate of its own throwaway CA, and only clients trusting that CA get in', async () => {
    expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(secure.caCertificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect((await call('GET', '/.well-known/openid-configuration', {})).status).toBe(200);
    await expect(call('GET', '/.well-known/openid-configuration', {}, undefined, '')).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  it('answers wham/accounts/check for a personal account with NO_CONSTRAINT and its own https origin', async () => {
    const check = await call('GET', '/backend-api/wham/accounts/check', auth());
    expect(JSON.parse(check.body)).toMatchObject({
      accounts: [{ id: secure.account.accountId, account_routing_override: 'NO_CONSTRAINT', workspace_backend_origin: secure.url }],
      default_account_id: secure.account.accountId,
    });
  });

  it('reads zstd request bodies (content-encoding: zstd), and says so when a body cannot be decoded', async () => {
    const body = { model: 'gpt-6.2-sol', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'zipped' }] }], store: false, stream: true };
    const headers = { ...auth(), 'content-type': 'application/json', 'content-encoding': 'zstd' };
    const ok = await call('POST', '/backend-api/codex/responses', headers, zstdStoredFrame(Buffer.from(JSON.stringify(body))));
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('You said: zipped');
    expect(secure.requestsTo('/backend-api/codex/responses').at(-1)!.body).toEqual(body);
    const garbled = await call('POST', '/backend-api/codex/responses', headers, Buffer.from('{"store": false}'));
    expect(garbled).toEqual({ status: 400, body: JSON.stringify({ detail: 'Could not decode the zstd request body' }) });
  });

  it('answers a WebSocket upgrade of /responses with 426, so the official client falls back to https at once', async () => {
    const upgrade = await call('GET', '/backend-api/codex/responses', {
      ...auth(),
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'openai-beta': 'responses_websockets=2026-02-06',
    });
    expect(upgrade.status).toBe(426);
    expect(secure.requestsTo('/backend-api/codex/responses').at(-1)!.headers.upgrade).toBe('websocket');
  });
});
