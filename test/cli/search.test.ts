// Issue 27 item 1: `codex ask --search` — web search in the form the model's layout takes (protocol §11): the
// client-side `web.run` served by `{base}/alpha/search` on Responses Lite models, the hosted `web_search` tool on
// classic ones; searches as `search` events, the sources as `result.citations` and a list on stderr.
import { describe, expect, it } from 'vitest';
import { answer, status } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
withSearchingModel(fake);
const signedIn = () => configDirWith(fake.issueTokens());
const bodies = (path: string) => fake.requestsTo(path).map((request) => request.body as Record<string, unknown>);
const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('codex ask --search on a Responses Lite model (web.run served by /alpha/search)', () => {
  it('offers web.run, serves its call through /alpha/search, sends the output back with the namespace, lists the sources', async () => {
    const run = await runInProcess(['ask', '--search', 'Berlin news'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('From the search: see [example.com](https://example.com/berlin-news-1) and [example.com](https://example.com/berlin-news-2).\n');
    expect(run.stderr).toBe('sources:\n[1] example.com <https://example.com/berlin-news-1>\n[2] example.com <https://example.com/berlin-news-2>\n');

    const [first, second] = bodies('/backend-api/codex/responses');
    const offered = (first!.input as { type: string; tools?: { type: string; name: string; tools: { name: string }[] }[] }[]).find(
      (item) => item.type === 'additional_tools',
    );
    expect(offered?.tools?.map((tool) => [tool.type, tool.name, tool.tools.map((fn) => fn.name)])).toEqual([['namespace', 'web', ['run']]]);
    expect(first).not.toHaveProperty('tools');

    const [search] = bodies('/backend-api/codex/alpha/search');
    expect(fake.requestsTo('/backend-api/codex/alpha/search')).toHaveLength(1);
    expect(search).toEqual({
      id: expect.any(String),
      model: 'gpt-6.2-sol',
      // The recent conversation goes with the commands, as the official 0.171 client sends it.
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Berlin news' }] }],
      commands: { search_query: [{ q: 'Berlin news' }] },
      settings: { allowed_callers: ['direct'], external_web_access: true },
      max_output_tokens: 10000,
    });
    const searchHeaders = fake.requestsTo('/backend-api/codex/alpha/search')[0]!.headers;
    expect(searchHeaders['chatgpt-account-id']).toBeDefined();
    // The session headers go on /responses only (the official client sends none of them here).
    expect([searchHeaders['session-id'], searchHeaders['thread-id'], searchHeaders['x-client-request-id']]).toEqual([undefined, undefined, undefined]);

    const input = second!.input as { type: string; name?: string; namespace?: string; call_id?: string; output?: unknown }[];
    const call = input.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'run', namespace: 'web' });
    const output = input.find((item) => item.type === 'function_call_output');
    expect(output?.call_id).toBe(call?.call_id);
    expect(output?.output).toEqual([{ type: 'input_text', text: expect.stringContaining('https://example.com/berlin-news-1') }]);
  });

  it('--json: a search event, no tool_call events, result.citations from the answer links', async () => {
    const run = await runInProcess(['ask', '--json', '--web', 'Berlin news'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const lines = events(run.stdout);
    expect(lines.filter((event) => event.type === 'tool_call' || event.type === 'tool_result')).toEqual([]);
    expect(lines.filter((event) => event.type === 'search')).toEqual([
      {
        type: 'search',
        id: expect.stringMatching(/^call_/),
        action: 'search',
        queries: ['Berlin news'],
        urls: ['https://example.com/berlin-news-1', 'https://example.com/berlin-news-2'],
        status: 'completed',
      },
    ]);
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      citations: [
        { url: 'https://example.com/berlin-news-1', title: 'example.com' },
        { url: 'https://example.com/berlin-news-2', title: 'example.com' },
      ],
    });
  });

  it('an answer without links: the pages the searches reported are its citations', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'run', namespace: 'web', call_id: 'call_s', arguments: { search_query: [{ q: 'Berlin news' }] } }] }));
    fake.responses.push(answer({ text: 'Berlin is busy today.' }));
    const run = await runInProcess(['ask', '--json', '--search', 'Berlin news'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const lines = events(run.stdout);
    expect(lines.at(-1)).toMatchObject({ type: 'result', text: 'Berlin is busy today.' });
    expect((lines.at(-1) as { citations: unknown }).citations).toEqual([{ url: 'https://example.com/berlin-news-1' }, { url: 'https://example.com/berlin-news-2' }]);
  });

  it('--search-domain limits the search (settings.filters and each query) and the pages opened', async () => {
    const run = await runInProcess(['ask', '--json', '--search-domain', 'nodejs.org', '--search-domain', 'Docs.Python.org', 'release dates'], {
      fake,
      configDir: signedIn(),
    });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const [search] = bodies('/backend-api/codex/alpha/search');
    expect(search).toMatchObject({
      commands: { search_query: [{ q: 'release dates', domains: ['nodejs.org', 'docs.python.org'] }] },
      settings: { allowed_callers: ['direct'], external_web_access: true, filters: { allowed_domains: ['nodejs.org', 'docs.python.org'] } },
    });
    expect(events(run.stdout).at(-1)).toMatchObject({ citations: [{ url: 'https://nodejs.org/release-dates-1' }, { url: 'https://nodejs.org/release-dates-2' }] });
  });

  it('a search the backend refuses (403) → one line, exit 7 (search_unavailable); --json ends with the error event', async () => {
    fake.searchReplies.push(status(403, { detail: 'Web search is not enabled for this workspace.' }));
    const run = await runInProcess(['ask', '--search', 'Berlin news'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(7);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^codex: web search is not available to this account \(HTTP 403\): .*Web search is not enabled for this workspace\.\n$/);
    expect(run.stderr.split('\n')).toHaveLength(2);

    fake.searchReplies.push(status(404, { detail: 'Not Found' }));
    const json = await runInProcess(['ask', '--json', '--search', 'Berlin news'], { fake, configDir: signedIn() });
    expect(json.exitCode).toBe(7);
    const lines = events(json.stdout);
    expect(lines.filter((event) => event.type === 'search')).toMatchObject([{ status: 'failed', queries: ['Berlin news'] }]);
    expect(lines.at(-1)).toMatchObject({ type: 'error', code: 'search_unavailable', exit_code: 7, status: 404 });
  });

  it('a bad --search-domain is refused before anything is sent (exit 2)', async () => {
    const run = await runInProcess(['ask', '--search-domain', 'https://nodejs.org/en', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: --search-domain: "https://nodejs.org/en" is not a domain (give a host name such as example.com, without https:// or a path)\n');
    expect(fake.requests.filter((request) => request.path.startsWith('/backend-api/codex/'))).toEqual([]);
  });
});

describe('codex ask --search on a classic model (the hosted web_search tool)', () => {
  it('sends the hosted tool with the domains; web_search_call items become search events; url_citation annotations the citations', async () => {
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--json', '--search-domain', 'nodejs.org', 'Node 24'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stderr]).toEqual([0, '']);
    const [body] = bodies('/backend-api/codex/responses');
    expect(body!.tools).toEqual([{ type: 'web_search', external_web_access: true, filters: { allowed_domains: ['nodejs.org'] } }]);
    expect(fake.requestsTo('/backend-api/codex/alpha/search')).toHaveLength(0);
    const lines = events(run.stdout);
    expect(lines.filter((event) => event.type === 'search')).toEqual([
      {
        type: 'search',
        id: expect.stringMatching(/^ws_/),
        action: 'search',
        queries: ['Node 24'],
        urls: ['https://nodejs.org/node-24', 'https://nodejs.org/more'],
        status: 'completed',
      },
    ]);
    const result = lines.at(-1) as { text: string; citations: { url: string; title: string; start_index: number; end_index: number }[] };
    expect(result.citations).toEqual([{ url: 'https://nodejs.org/node-24', title: 'About Node 24', start_index: 36, end_index: 78 }]);
    expect(result.text.slice(36, 78)).toBe('([nodejs.org](https://nodejs.org/node-24))');
  });

  it('text mode: the answer on stdout, the numbered sources on stderr', async () => {
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--search', 'Node 24'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Here is what I found about Node 24. ([example.com](https://example.com/node-24))\n');
    expect(run.stderr).toBe('sources:\n[1] About Node 24 <https://example.com/node-24>\n');
  });

  it('without --search: no tool, no citations', async () => {
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '--json', 'Node 24'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(bodies('/backend-api/codex/responses')[0]!.tools).toEqual([]);
    expect(events(run.stdout).at(-1)).not.toHaveProperty('citations');
  });
});

describe('web.run calls the client answers itself', () => {
  it('a page outside --search-domain is not opened: the model is told why, nothing goes to /alpha/search', async () => {
    fake.responses.push(
      answer({ functionCalls: [{ name: 'run', namespace: 'web', call_id: 'call_open', arguments: { open: [{ ref_id: 'https://evil.example/x' }] } }] }),
    );
    fake.responses.push(answer({ text: 'I could not open it.' }));
    const run = await runInProcess(['ask', '--search-domain', 'nodejs.org', 'open evil.example'], { fake, configDir: signedIn() });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'I could not open it.\n', '']);
    expect(fake.requestsTo('/backend-api/codex/alpha/search')).toHaveLength(0);
    const input = bodies('/backend-api/codex/responses')[1]!.input as { type: string; call_id?: string; output?: unknown }[];
    expect(input.find((item) => item.type === 'function_call_output')).toEqual({
      type: 'function_call_output',
      call_id: 'call_open',
      output: [{ type: 'input_text', text: 'only pages of nodejs.org may be opened, not https://evil.example/x' }],
    });
  });
});

describe('a conversation with a search in it', () => {
  it('-c sends the search call back with its namespace and its output (no --search needed to continue)', async () => {
    const dir = signedIn();
    expect((await runInProcess(['ask', '--search', 'Berlin news'], { fake, configDir: dir })).exitCode).toBe(0);
    fake.reset();
    const next = await runInProcess(['ask', '-c', 'and Paris?'], { fake, configDir: dir });
    expect([next.exitCode, next.stdout, next.stderr]).toEqual([0, 'You said: and Paris?\n', '']);
    const input = bodies('/backend-api/codex/responses')[0]!.input as { type: string; name?: string; namespace?: string }[];
    expect(input.filter((item) => item.type === 'function_call')).toMatchObject([{ name: 'run', namespace: 'web' }]);
    expect(input.filter((item) => item.type === 'function_call_output')).toHaveLength(1);
  });
});
