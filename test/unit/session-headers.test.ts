// The session's headers (session-id, thread-id, x-client-request-id: the same id) go on every /responses request,
// whichever way it is made (a turn, a stream, a retried attempt, a search's turns, serve's relay), and on no other
// backend request (the catalog, the routing check, /alpha/search), as the official client 0.171 sends them.
import { describe, expect, it } from 'vitest';
import { Codex } from '../../src/index.js';
import { status } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import { useFake } from '../support/fake.js';

const fake = useFake();
withSearchingModel(fake);

const SESSION = ['session-id', 'thread-id', 'x-client-request-id'] as const;
const sessionHeaders = (headers: Record<string, unknown>) => SESSION.map((name) => headers[name]);

describe('the session headers', () => {
  it('on each /responses request of a turn, a stream, a retry, a search and a relay; on nothing else', async () => {
    const tokens = fake.issueTokens();
    const codex = new Codex({
      apiKey: tokens.access_token,
      accountId: tokens.account_id,
      baseUrl: fake.baseUrl,
      sessionId: 'sess-1',
      retryBaseDelayMs: 1,
      env: {},
    });
    fake.responses.push(status(503));
    expect((await codex.complete({ prompt: 'hi', model: 'gpt-5.5' })).text).not.toBe('');
    for await (const _ of codex.stream({ prompt: 'hi again', model: 'gpt-6-sol' }));
    await codex.turn({ prompt: 'Berlin news', model: 'gpt-6-sol', search: true });
    await codex.relay({ model: 'gpt-5.5', input: [{ role: 'user', content: 'relayed' }], store: false, stream: true }, { onFrames: () => undefined });

    const responses = fake.requests.filter((request) => request.path === '/backend-api/codex/responses');
    const others = fake.requests.filter((request) => request.path !== '/backend-api/codex/responses');
    // complete (503, then the answer), stream, the search's two turns, relay.
    expect(responses).toHaveLength(6);
    for (const request of responses) expect(sessionHeaders(request.headers)).toEqual(['sess-1', 'sess-1', 'sess-1']);
    expect(others.map((request) => request.path)).toContain('/backend-api/codex/alpha/search');
    for (const request of others) expect(sessionHeaders(request.headers), request.path).toEqual([undefined, undefined, undefined]);
  });
});
