// The pure parts of web search (src/client/web-search.ts): domains, citations from annotations and links, the
// search event of a hosted web_search_call item, and the search option's checks.
import { describe, expect, it } from 'vitest';
import { answerCitations, hostedSearchEvent, linkCitations, searchOptions, withinDomains } from '../../src/client/web-search.js';

describe('web search helpers', () => {
  it('withinDomains: the domain and its subdomains, case and a trailing dot aside; not a longer name that ends alike', () => {
    expect(withinDomains('nodejs.org', ['nodejs.org'])).toBe(true);
    expect(withinDomains('Docs.NodeJS.org.', ['nodejs.org'])).toBe(true);
    expect(withinDomains('evilnodejs.org', ['nodejs.org'])).toBe(false);
    expect(withinDomains('nodejs.org.evil.example', ['nodejs.org'])).toBe(false);
  });

  it('linkCitations: Markdown links titled by their text, then bare URLs not inside a link, trailing punctuation dropped', () => {
    expect(linkCitations('See [the docs](https://a.example/x) and https://b.example/y. Also (https://c.example/z).')).toEqual([
      { url: 'https://a.example/x', title: 'the docs' },
      { url: 'https://b.example/y' },
      { url: 'https://c.example/z' },
    ]);
  });

  it('answerCitations: annotations win over links; one per URL, the first place kept, a later title filling a missing one', () => {
    const text = () => 'ignored [x](https://x.example)';
    expect(
      answerCitations(
        [
          { url: 'https://a.example', start_index: 1, end_index: 2 },
          { url: 'https://a.example', title: 'A', start_index: 5, end_index: 9 },
        ],
        text,
      ),
    ).toEqual([{ url: 'https://a.example', title: 'A', start_index: 1, end_index: 2 }]);
    expect(answerCitations([], text)).toEqual([{ url: 'https://x.example', title: 'x' }]);
  });

  it('hostedSearchEvent: search, open_page and find_in_page actions; odd items do not break it', () => {
    expect(
      hostedSearchEvent({
        id: 'ws_1',
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', query: 'q', sources: [{ type: 'url', url: 'https://a.example' }, null] },
      }),
    ).toEqual({
      type: 'search',
      id: 'ws_1',
      action: 'search',
      queries: ['q'],
      urls: ['https://a.example'],
      status: 'completed',
    });
    expect(hostedSearchEvent({ type: 'web_search_call', action: { type: 'open_page', url: 'https://b.example' } })).toMatchObject({
      id: '',
      action: 'open',
      urls: ['https://b.example'],
    });
    expect(hostedSearchEvent({ type: 'web_search_call', status: 'failed', action: { type: 'find_in_page', url: 'https://c.example', pattern: 'p' } })).toMatchObject({
      action: 'open',
      status: 'failed',
    });
    expect(hostedSearchEvent({ type: 'web_search_call', action: null })).toMatchObject({ action: 'other', queries: [], urls: [] });
  });

  it('searchOptions: true, domains lower-cased and deduplicated; a URL or a word with a space is refused', () => {
    expect(searchOptions(true)).toEqual({});
    expect(searchOptions(false)).toBeUndefined();
    expect(searchOptions({ domains: ['NodeJS.org', 'nodejs.org', '*.python.org'] })).toEqual({ domains: ['nodejs.org', '*.python.org'] });
    expect(() => searchOptions({ domains: ['https://nodejs.org'] })).toThrow(/is not a domain/);
    expect(() => searchOptions({ domains: ['two words'] })).toThrow(/is not a domain/);
  });
});
