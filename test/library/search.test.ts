// Issue 27 item 1: the library's `search` request option and the result's citations.
import { describe, expect, it } from 'vitest';
import { Codex, CodexError } from '../../src/index.js';
import { answer, status } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import { useFake } from '../support/fake.js';

const fake = useFake();
withSearchingModel(fake);

function codexFor(): Codex {
  const tokens = fake.issueTokens();
  return new Codex({ apiKey: tokens.access_token, refreshToken: tokens.refresh_token, accountId: tokens.account_id, baseUrl: fake.baseUrl, issuer: fake.issuer });
}

describe('complete({ search })', () => {
  it('search: true on a lite model: web.run served through /alpha/search; the citations come back', async () => {
    const result = await codexFor().complete({ prompt: 'Berlin news', model: 'gpt-6-sol', search: true });
    expect(result.text).toBe('From the search: see [example.com](https://example.com/berlin-news-1) and [example.com](https://example.com/berlin-news-2).');
    expect(result.citations).toEqual([
      { url: 'https://example.com/berlin-news-1', title: 'example.com' },
      { url: 'https://example.com/berlin-news-2', title: 'example.com' },
    ]);
    expect(fake.requestsTo('/backend-api/codex/alpha/search').map((request) => (request.body as { model: string }).model)).toEqual(['gpt-6-sol']);
  });

  it('turn({ search, keepText: false }): the text is kept anyway, since the sources are read from it', async () => {
    const outcome = await codexFor().turn({ prompt: 'Berlin news', model: 'gpt-6-sol', search: true }, undefined, { keepText: false });
    expect(outcome.text).toBe('From the search: see [example.com](https://example.com/berlin-news-1) and [example.com](https://example.com/berlin-news-2).');
    expect(outcome.citations).toHaveLength(2);
  });

  it('search: { domains } on a classic model: the hosted tool with its filter; annotations as citations', async () => {
    const result = await codexFor().complete({ prompt: 'Node 24', model: 'gpt-5.5', search: { domains: ['nodejs.org'] } });
    const body = fake.requestsTo('/backend-api/codex/responses')[0]!.body as { tools: unknown[] };
    expect(body.tools).toEqual([{ type: 'web_search', external_web_access: true, filters: { allowed_domains: ['nodejs.org'] } }]);
    expect(result.citations).toEqual([{ url: 'https://nodejs.org/node-24', title: 'About Node 24', start_index: 36, end_index: 78 }]);
  });

  it('stream(): a search event before the answer', async () => {
    const types: string[] = [];
    for await (const event of codexFor().stream({ prompt: 'Berlin news', model: 'gpt-6-sol', search: true })) types.push(event.type);
    expect(types.indexOf('search')).toBeGreaterThan(0);
    expect(types.indexOf('search')).toBeLessThan(types.indexOf('text.delta'));
    expect(types).not.toContain('tool_call');
  });

  it("turn(): a web.run call beside the caller's own is taken out (neither answerable nor replayable without its namespace)", async () => {
    fake.responses.push(
      answer({
        functionCalls: [
          { name: 'run', namespace: 'web', call_id: 'call_search', arguments: { search_query: [{ q: 'Paris weather' }] } },
          { name: 'weather', call_id: 'call_weather', arguments: { city: 'Paris' } },
        ],
      }),
    );
    const weather = { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, run: async () => 'sunny' };
    const outcome = await codexFor().turn({ prompt: 'weather in Paris?', model: 'gpt-6-sol', search: true, tools: [weather] });
    expect(outcome.functionCalls.map((call) => call.call_id)).toEqual(['call_weather']);
    expect(outcome.replayItems.filter((item) => item.type === 'function_call').map((item) => item.call_id)).toEqual(['call_weather']);
    expect(fake.requestsTo('/backend-api/codex/alpha/search')).toHaveLength(0);
  });

  it('a refused search is a CodexError search_unavailable; a bad domain a usage error before any request', async () => {
    fake.searchReplies.push(status(403, { detail: 'Forbidden' }));
    const refused = await codexFor()
      .complete({ prompt: 'Berlin news', model: 'gpt-6-sol', search: true })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(CodexError);
    expect((refused as CodexError).code).toBe('search_unavailable');
    fake.reset();
    const bad = await codexFor()
      .complete({ prompt: 'hi', search: { domains: ['not a domain'] } })
      .catch((caught: unknown) => caught);
    expect((bad as CodexError).code).toBe('usage');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });
});
