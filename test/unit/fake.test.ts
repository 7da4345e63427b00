// The loopback fake must refuse what the real backend refuses (protocol §2, §3, §5), or the e2e tests could pass
// against a client the real service would reject.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, FakeCodex } from '../fake/server.js';

let fake: FakeCodex;
beforeAll(async () => {
  fake = await new FakeCodex().start();
});
afterAll(async () => {
  await fake.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}

function responses(extra: Record<string, unknown>, input: unknown[] = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }]) {
  const tokens = fake.issueTokens();
  return post('/backend-api/codex/responses', { model: 'gpt-5.4', input, store: false, stream: true, ...extra }, {
    authorization: `Bearer ${tokens.access_token}`,
    'chatgpt-account-id': tokens.account_id,
  });
}

describe('the fake backend', () => {
  it.each(['max_output_tokens', 'temperature', 'top_p'])('rejects %s with 400 Unsupported parameter', async (parameter) => {
    expect(await responses({ [parameter]: 1 })).toEqual({ status: 400, json: { detail: `Unsupported parameter: ${parameter}` } });
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
});
