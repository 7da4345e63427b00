// OpenAI's own `codex` 0.171 in ChatGPT mode finishes its turns against our fake (protocol §11): if it cannot, the
// fake is not the backend, and a green suite proves only that our client agrees with the fake. Each scenario checks
// what the official client printed and what the fake received; none of it may leave loopback.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer, itemsAnswer } from '../fake/replies.js';
import { FakeCodex, type RecordedRequest } from '../fake/server.js';
import { officialCodexBin } from '../support/official-client.js';
import { officialSession, TINY_PNG, useTrap } from '../support/official-run.js';

const bin = officialCodexBin();
const RESPONSES = '/backend-api/codex/responses';
const fake = new FakeCodex();
const trap = useTrap();

beforeAll(async () => {
  await fake.start(0, '127.0.0.1', { https: true });
});
beforeEach(() => fake.reset());
afterEach(() => {
  expect(trap.attempts, 'the official client tried to reach a host beyond loopback').toEqual([]);
});
afterAll(async () => {
  await fake.close();
});

type Item = { type: string; role?: string; content?: { type: string; text?: string; image_url?: string; [key: string]: unknown }[]; [key: string]: unknown };
const posts = () => fake.requestsTo(RESPONSES).filter((request) => request.method === 'POST');
const inputOf = (request: RecordedRequest) => (request.body as { input: Item[] }).input;
const lastUser = (request: RecordedRequest) =>
  inputOf(request)
    .filter((item) => item.type === 'message' && item.role === 'user')
    .at(-1)!;
const agentMessages = (events: Record<string, unknown>[]) =>
  events
    .filter((event) => event.type === 'item.completed' && (event.item as { type: string }).type === 'agent_message')
    .map((event) => (event.item as { text: string }).text);

describe.skipIf(!bin)(`OpenAI's codex exec (the official client) against the fake`, { timeout: 180_000 }, () => {
  it('a plain answer: the catalog, the workspace check, a 426 to its WebSocket, then one zstd /responses in the lite layout', async () => {
    const session = officialSession(bin!, fake, trap);
    const run = await session.run(['exec', '--json', '--skip-git-repo-check', 'say hi']);
    expect(run.timedOut).toBe(false);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.events.map((event) => event.type)).toEqual(['thread.started', 'turn.started', 'item.completed', 'turn.completed']);
    expect(agentMessages(run.events)).toEqual(['You said: say hi']);

    const paths = fake.requests.map((request) => `${request.method} ${request.path}`);
    expect(paths).toContain('GET /backend-api/codex/models');
    expect(paths).toContain('GET /backend-api/wham/accounts/check');
    const upgrade = fake.requestsTo(RESPONSES).find((request) => request.method === 'GET');
    expect(upgrade?.headers.upgrade).toBe('websocket');
    expect(posts()).toHaveLength(1);
    const [request] = posts();
    expect(request!.headers).toMatchObject({ 'content-encoding': 'zstd', version: '0.171.0', 'x-openai-internal-codex-responses-lite': 'true' });
    expect(request!.body).toMatchObject({ model: 'gpt-6.2-sol', stream: true, store: false, parallel_tool_calls: false });
    expect(request!.body).not.toHaveProperty('instructions');
    expect(request!.body).not.toHaveProperty('tools');
    expect(inputOf(request!)[0]).toMatchObject({ type: 'additional_tools', role: 'developer' });
    // It took the fake's catalog (its cache holds our texts), not the one bundled in its binary.
    expect(readFileSync(join(session.codexHome, 'models_cache.json'), 'utf8')).toContain('The newest frontier agentic coding model. (fake)');
  });

  it('a tool turn: it runs exec_command for the model and sends the output back in the same turn', async () => {
    fake.turnState = 'ts_conf';
    fake.responses.push(
      itemsAnswer([
        { message: 'Running the check.', phase: 'commentary' },
        {
          item: {
            type: 'custom_tool_call',
            id: 'ctc_conf_1',
            status: 'completed',
            call_id: 'call_conf_1',
            name: 'exec',
            input: 'const result = await tools.exec_command({ cmd: "echo conformance-$((6*7))" });\ntext(result);',
          },
        },
      ]),
      answer({ text: 'The check printed conformance-42.' }),
    );
    const run = await officialSession(bin!, fake, trap).run(['exec', '--json', '--skip-git-repo-check', 'run the check']);
    expect(run.exitCode, run.stderr).toBe(0);
    const command = run.events.find((event) => event.type === 'item.completed' && (event.item as { type: string }).type === 'command_execution');
    expect(command?.item).toMatchObject({ aggregated_output: 'conformance-42\n', exit_code: 0, status: 'completed' });
    expect(agentMessages(run.events)).toEqual(['Running the check.', 'The check printed conformance-42.']);

    const [first, second] = posts();
    expect(posts()).toHaveLength(2);
    const replayed = inputOf(second!).slice(inputOf(first!).length);
    expect(replayed.map((item) => item.type)).toEqual(['message', 'custom_tool_call', 'custom_tool_call_output']);
    expect(replayed[0]).toMatchObject({ role: 'assistant', phase: 'commentary' });
    expect(replayed[2]).toMatchObject({ call_id: 'call_conf_1' });
    expect(JSON.stringify(replayed[2]!.output)).toContain('conformance-42');
    expect([first!.headers['x-codex-turn-state'], second!.headers['x-codex-turn-state']]).toEqual([undefined, 'ts_conf-1']);
  });

  it('web search: its web.run call goes to /alpha/search, which the fake accepts, and the output goes back with the namespace', async () => {
    // The model calls web.run as the recorded lite tool list offers it (protocol §11); 0.171 serves the call.
    fake.responses.push(
      answer({ functionCalls: [{ name: 'run', namespace: 'web', call_id: 'call_web_1', arguments: { search_query: [{ q: 'Berlin news' }] } }] }),
      answer({ text: 'Searched.' }),
    );
    const run = await officialSession(bin!, fake, trap).run(['exec', '--json', '--skip-git-repo-check', '-c', 'web_search="live"', 'Berlin news']);
    expect(run.exitCode, run.stderr).toBe(0);
    const searches = fake.requestsTo('/backend-api/codex/alpha/search');
    expect(searches).toHaveLength(1);
    // What our client sends too, but for `input` (the recent conversation), which it leaves out.
    expect(searches[0]!.body).toMatchObject({
      id: expect.any(String),
      model: 'gpt-6.2-sol',
      commands: { search_query: [{ q: 'Berlin news' }] },
      settings: { allowed_callers: ['direct'], external_web_access: true },
      max_output_tokens: 10000,
    });
    const replayed = inputOf(posts()[1]!);
    expect(replayed.find((item) => item.type === 'function_call')).toMatchObject({ name: 'run', namespace: 'web', call_id: 'call_web_1' });
    expect(JSON.stringify(replayed.find((item) => item.type === 'function_call_output'))).toContain('berlin-news-1');
    expect(agentMessages(run.events)).toEqual(['Searched.']);
  });

  it('--output-schema: the schema goes as text.format json_schema, the answer is the JSON the model wrote', async () => {
    const session = officialSession(bin!, fake, trap);
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const schemaFile = join(session.work, 'schema.json');
    writeFileSync(schemaFile, JSON.stringify(schema));
    fake.responses.push(answer({ text: '{"city":"Lyon"}' }));
    const run = await session.run(['exec', '--json', '--skip-git-repo-check', '--output-schema', schemaFile, 'where?']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(agentMessages(run.events)).toEqual(['{"city":"Lyon"}']);
    const format = (posts()[0]!.body as { text: { format: Record<string, unknown> } }).text.format;
    expect(format).toMatchObject({ type: 'json_schema', strict: true, schema, name: expect.any(String) });
  });

  it('-i image: an inline data: URL without detail, framed by <image> texts, before the prompt', async () => {
    const session = officialSession(bin!, fake, trap);
    writeFileSync(join(session.work, 'dot.png'), TINY_PNG);
    // -i takes several files, so the prompt goes first.
    const run = await session.run(['exec', '--json', '--skip-git-repo-check', 'what is this?', '-i', 'dot.png']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(agentMessages(run.events)).toEqual(['You said: what is this?']);
    const parts = inputOf(posts()[0]!).flatMap((item) => (item.type === 'message' && item.role === 'user' ? (item.content ?? []) : []));
    const image = parts.find((part) => part.type === 'input_image')!;
    expect(Object.keys(image).sort()).toEqual(['image_url', 'type']);
    expect(image.image_url).toMatch(/^data:image\/png;base64,/);
    const imageAt = parts.indexOf(image);
    expect(parts[imageAt - 1]).toMatchObject({ type: 'input_text', text: expect.stringMatching(/^<image\b/) });
    expect(parts[imageAt + 1]).toMatchObject({ type: 'input_text', text: '</image>' });
  });

  it('exec resume --last: the same thread, the earlier turn sent again before the new prompt', async () => {
    const session = officialSession(bin!, fake, trap);
    const first = await session.run(['exec', '--json', '--skip-git-repo-check', 'remember lyon']);
    expect(first.exitCode, first.stderr).toBe(0);
    const thread = first.events.find((event) => event.type === 'thread.started')?.thread_id;
    expect(thread).toEqual(expect.any(String));
    const again = await session.run(['exec', 'resume', '--last', '--json', '--skip-git-repo-check', 'and now?']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.events.find((event) => event.type === 'thread.started')?.thread_id).toBe(thread);
    expect(agentMessages(again.events)).toEqual(['You said: and now?']);
    const [, resumed] = posts();
    const texts = inputOf(resumed!).flatMap((item) => (item.content ?? []).map((part) => `${item.role}:${part.text ?? part.type}`));
    expect(texts).toEqual(expect.arrayContaining(['user:remember lyon', 'assistant:You said: remember lyon']));
    expect(texts.indexOf('assistant:You said: remember lyon')).toBeLessThan(texts.indexOf('user:and now?'));
    expect(lastUser(resumed!).content).toEqual([{ type: 'input_text', text: 'and now?' }]);
  });
});
