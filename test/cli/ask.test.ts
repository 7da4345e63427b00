import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer, hangUp, status, usageLimit } from '../fake/replies.js';
import type { IssuedTokens } from '../fake/server.js';
import { expectNoSecrets, jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { lastUserText, systemPromptOf } from '../support/requests.js';
import { configDirWith, fileMode, readAuth, tempDir } from '../support/temp.js';

const fake = useFake();
const handedOut: string[] = [];

function login(expiresInS?: number): { dir: string; tokens: IssuedTokens } {
  const tokens = fake.issueTokens(expiresInS);
  handedOut.push(tokens.access_token, tokens.refresh_token, tokens.id_token);
  return { dir: configDirWith(tokens), tokens };
}

describe('codex ask: output', () => {
  it('streams the answer byte-exact, multi-byte characters split across TCP writes, ending with one newline', async () => {
    const { dir } = login();
    const text = 'Grüße — 日本語 ✓ 🚀\nline two';
    fake.responses.push(answer({ text, chunk: 3, splitBytes: 1 }));
    const run = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`${text}\n`);
  });

  it('sends the request the backend expects (protocol §5)', async () => {
    const { dir, tokens } = login();
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '-e', 'high', '-s', 'Be terse.', 'hello'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    const [request] = fake.requestsTo('/backend-api/codex/responses');
    expect(request!.headers.authorization).toBe(`Bearer ${tokens.access_token}`);
    expect(request!.headers['chatgpt-account-id']).toBe(tokens.account_id);
    expect(request!.headers.accept).toBe('text/event-stream');
    expect(request!.headers.originator).toBe('codex_cli_rs');
    // As the official client 0.171 sends them: one id as session, thread and client request id; no underscore twin.
    expect(request!.headers['session-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(request!.headers.session_id).toBeUndefined();
    expect(request!.headers['thread-id']).toBe(request!.headers['session-id']);
    expect(request!.headers['x-client-request-id']).toBe(request!.headers['session-id']);
    expect(request!.headers['x-codex-routing-hint']).toBe('model=gpt-5.5');
    // No fetch fingerprint: the official client sends neither.
    expect(request!.headers['sec-fetch-mode']).toBeUndefined();
    expect(request!.headers['accept-language']).toBeUndefined();
    expect(request!.headers.version).toBe('0.171.0');
    expect(request!.headers['user-agent']).toMatch(/^codex_cli_rs\/0\.171\.0 \([^;()]+; [^;()]+\) \S+ \(codex-oauth; \S+\)$/);
    expect(request!.headers['x-openai-internal-codex-responses-lite']).toBeUndefined();
    expect(request!.body).toMatchObject({
      model: 'gpt-5.5',
      instructions: 'Be terse.',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
      tools: [],
      parallel_tool_calls: true,
      // No summary: text mode without --reasoning does not show one, and the catalog's default is none.
      reasoning: { effort: 'high' },
      text: { verbosity: 'low' },
      include: ['reasoning.encrypted_content'],
      store: false,
      stream: true,
      prompt_cache_key: request!.headers['session-id'],
    });
  });

  it('a lite model gets the official Lite body: no instructions, the system prompt as the first developer message', async () => {
    const { dir } = login();
    const run = await runInProcess(['ask', '-m', 'gpt-6-sol', '-s', 'Be terse.', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const [request] = fake.requestsTo('/backend-api/codex/responses');
    expect(request!.headers['x-openai-internal-codex-responses-lite']).toBe('true');
    expect(Object.keys(request!.body as object).sort()).toEqual([
      'include',
      'input',
      'model',
      'parallel_tool_calls',
      'prompt_cache_key',
      'reasoning',
      'store',
      'stream',
      'text',
      'tool_choice',
    ]);
    expect((request!.body as { input: unknown[] }).input).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'Be terse.' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
    ]);
    // Without -s, the built-in system prompt takes the same place.
    fake.requests.length = 0;
    const plain = await runInProcess(['ask', '-m', 'gpt-6-sol', 'hi'], { fake, configDir: dir });
    expect(plain.exitCode, plain.stderr).toBe(0);
    const body = fake.requestsTo('/backend-api/codex/responses')[0]!.body as { instructions?: string; input: { role?: string; content?: { text: string }[] }[] };
    expect(body.instructions).toBeUndefined();
    expect(body.input[0]).toMatchObject({ type: 'message', role: 'developer' });
    expect(body.input[0]!.content![0]!.text).toMatch(/\S/);
  });

  it('-m with a slug the account does not have → exit 2 naming close matches, no answer requested', async () => {
    const { dir } = login();
    const run = await runInProcess(['ask', '-m', 'gpt-6.2-soll', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^codex: -m: unknown model gpt-6\.2-soll; did you mean gpt-6\.2-sol/);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });

  it('an effort the chosen model does not take, or an unknown model in config.json → exit 2, nothing asked', async () => {
    const { dir } = login();
    const effort = await runInProcess(['ask', '-m', 'gpt-6-luna', '-e', 'ultra', 'q'], { fake, configDir: dir });
    expect(effort.exitCode).toBe(2);
    expect(effort.stderr).toBe('codex: -e: gpt-6-luna takes reasoning effort low, medium, high, xhigh, max; not ultra\n');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model: 'gpt-6.2-soll' }));
    const configured = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(configured.exitCode).toBe(2);
    expect(configured.stderr).toMatch(/^codex: "model" in .*\/config\.json: unknown model gpt-6\.2-soll; did you mean gpt-6\.2-sol/);
    const fromEnv = await runInProcess(['ask', 'q'], { fake, configDir: dir, env: { CODEX_MODEL: 'gpt-6.2-sool' } });
    expect([fromEnv.exitCode, fromEnv.stderr]).toEqual([2, expect.stringMatching(/^codex: CODEX_MODEL: unknown model gpt-6\.2-sool; did you mean gpt-6\.2-sol/)]);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });

  it('--json: start first, deltas, exactly one result with usage last', async () => {
    const { dir } = login();
    fake.responses.push(
      answer({ text: 'Paris is the capital.', reasoning: ['Think.', 'Answer.'], usage: { input_tokens: 10, cached_tokens: 4, output_tokens: 6, reasoning_tokens: 2 } }),
    );
    const run = await runInProcess(['ask', '--json', 'capital of France?'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events[0]).toMatchObject({ type: 'start', schema_version: 1, model: 'gpt-6.2-sol' });
    expect(typeof events[0]!.session_id).toBe('string');
    const text = events
      .filter((e) => e.type === 'text.delta')
      .map((e) => e.delta)
      .join('');
    const reasoning = events
      .filter((e) => e.type === 'reasoning.delta')
      .map((e) => e.delta)
      .join('');
    expect(text).toBe('Paris is the capital.');
    expect(reasoning).toBe('Think.\n\nAnswer.');
    expect(events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      text: 'Paris is the capital.',
      usage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 6, reasoning_tokens: 2, total_tokens: 16 },
    });
    expect(String(events.at(-1)!.response_id)).toMatch(/^resp_/);
  });

  it('--reasoning: the summary on stderr, labelled, its paragraphs apart; stdout carries the answer alone', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'Answer.', reasoning: ['First thought.', 'Second thought.'] }));
    const run = await runInProcess(['ask', '--reasoning', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Answer.\n');
    expect(run.stderr).toBe('reasoning: First thought.\n\nSecond thought.\n');
    fake.responses.push(answer({ text: 'Answer.', reasoning: ['Unseen.'] }));
    const quiet = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect([quiet.stdout, quiet.stderr]).toEqual(['Answer.\n', '']);
  });

  it('-o writes the final answer to a file as well', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'saved answer' }));
    const out = join(tempDir(), 'answer.txt');
    const run = await runInProcess(['ask', '-o', out, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('saved answer\n');
  });

  it('--reasoning: the summary is dim (ANSI) when colour is forced, plain otherwise; the answer never', async () => {
    const { dir } = login();
    const reply = () => answer({ text: 'Answer.', reasoning: ['Thinking hard.'] });
    fake.responses.push(reply());
    const forced = await runInProcess(['ask', '--reasoning', 'q'], { fake, configDir: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toBe('Answer.\n');
    expect(forced.stderr).toMatch(/^\x1b\[2m/);
    expect(forced.stderr).toContain('\x1b[22m');
    expect(forced.stderr.replace(/\x1b\[\d+m/g, '')).toBe('reasoning: Thinking hard.\n');

    for (const env of [{ NO_COLOR: '1' }, {}, { NO_COLOR: '1', FORCE_COLOR: '1' }]) {
      fake.responses.push(reply());
      const plain = await runInProcess(['ask', '--reasoning', 'q'], { fake, configDir: dir, env });
      expect(plain.exitCode).toBe(0);
      expect([plain.stdout, plain.stderr], JSON.stringify(env)).toEqual(['Answer.\n', 'reasoning: Thinking hard.\n']);
    }
    fake.responses.push(reply());
    const flag = await runInProcess(['--no-color', 'ask', '--reasoning', 'q'], { fake, configDir: dir, env: { FORCE_COLOR: '1' } });
    expect([flag.stdout, flag.stderr]).toEqual(['Answer.\n', 'reasoning: Thinking hard.\n']);
  });

  it('model: -m beats CODEX_MODEL, which beats config.json', async () => {
    const { dir } = login();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model: 'gpt-6-sol' }));
    const modelOf = async (args: string[], env: Record<string, string> = {}) => {
      fake.requests.length = 0;
      const run = await runInProcess(['ask', '--json', ...args, 'q'], { fake, configDir: dir, env });
      expect(run.exitCode, run.stderr).toBe(0);
      const sent = (fake.requestsTo('/backend-api/codex/responses')[0]!.body as { model: string }).model;
      expect(jsonLines(run.stdout)[0]!.model).toBe(sent);
      return sent;
    };
    expect(await modelOf([])).toBe('gpt-6-sol');
    expect(await modelOf([], { CODEX_MODEL: 'gpt-6-luna' })).toBe('gpt-6-luna');
    expect(await modelOf(['-m', 'gpt-5.5'], { CODEX_MODEL: 'gpt-6-luna' })).toBe('gpt-5.5');
    rmSync(join(dir, 'config.json'));
    expect(await modelOf([])).toBe('gpt-6.2-sol');
  });

  it('--system-file sends the file as the instructions; a missing file → exit 2, nothing sent', async () => {
    const { dir } = login();
    const file = join(tempDir(), 'style.md');
    writeFileSync(file, 'Answer in one sentence.\nNo lists.\n');
    const run = await runInProcess(['ask', '--system-file', file, 'q'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: q\n');
    expect(systemPromptOf(fake.requestsTo('/backend-api/codex/responses')[0]!.body)).toBe('Answer in one sentence.\nNo lists.\n');

    fake.requests.length = 0;
    const missing = await runInProcess(['ask', '--system-file', join(tempDir(), 'nope.md'), 'q'], { fake, configDir: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^codex: --system-file: .*nope\.md[^\n]*\n$/);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });

  it('prints text that only arrives in the done item (no deltas), in text and JSON mode', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'from done', deltas: false }));
    const first = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(first.stdout).toBe('from done\n');
    fake.responses.push(answer({ text: 'from done', deltas: false }));
    const json = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    const events = jsonLines(json.stdout);
    expect(
      events
        .filter((e) => e.type === 'text.delta')
        .map((e) => e.delta)
        .join(''),
    ).toBe('from done');
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'from done' });
    fake.responses.push(answer({ text: 'deltas only', doneWithoutContent: true }));
    const second = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(jsonLines(second.stdout).at(-1)).toMatchObject({ type: 'result', text: 'deltas only' });
  });

  it('--json: a failure after the answer (an unwritable -o) is still the last line', async () => {
    const { dir } = login();
    const run = await runInProcess(['ask', '--json', '-o', join(tempDir(), 'missing-dir', 'x.txt'), 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    const events = jsonLines(run.stdout);
    expect(events.map((e) => e.type).filter((t) => t === 'result' || t === 'error')).toEqual(['error']);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'usage' });
  });

  it('--json: an unreadable config.json still gives start and an error event', async () => {
    const { dir } = login();
    writeFileSync(join(dir, 'config.json'), '{');
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(jsonLines(run.stdout).map((e) => e.type)).toEqual(['start', 'error']);
    expect(run.stderr).toMatch(/config\.json is not valid JSON/);
  });
});

describe('codex ask: the prompt', () => {
  it('appends piped stdin after a blank line', async () => {
    const { dir } = login();
    const run = await runInProcess(['ask', 'review', 'this'], { fake, configDir: dir, input: 'diff --git a b\n+x\n' });
    expect(run.exitCode).toBe(0);
    expect(lastUserText(fake.requests.at(-1)!.body)).toBe('review this\n\ndiff --git a b\n+x\n');
  });

  it('uses stdin alone when no words (or `-`) are given', async () => {
    const { dir } = login();
    await runInProcess(['ask'], { fake, configDir: dir, input: 'only stdin' });
    expect(lastUserText(fake.requests.at(-1)!.body)).toBe('only stdin');
    await runInProcess(['ask', '-'], { fake, configDir: dir, input: 'dash' });
    expect(lastUserText(fake.requests.at(-1)!.body)).toBe('dash');
  });

  it('--no-stdin ignores stdin', async () => {
    const { dir } = login();
    await runInProcess(['ask', '--no-stdin', 'words'], { fake, configDir: dir, input: 'ignored' });
    expect(lastUserText(fake.requests.at(-1)!.body)).toBe('words');
  });

  it('empty prompt → exit 2, nothing sent', async () => {
    const { dir } = login();
    const run = await runInProcess(['ask'], { fake, configDir: dir, input: '  \n' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^codex: .*prompt.*\n$/);
    expect(fake.requests).toHaveLength(0);
    const json = await runInProcess(['ask', '--json'], { fake, configDir: dir, input: '' });
    expect(json.exitCode).toBe(2);
    expect(jsonLines(json.stdout).map((e) => e.type)).toEqual(['start', 'error']);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ code: 'usage', exit_code: 2 });
  });

  it('bad flags → exit 2 with a one-line error', async () => {
    const { dir } = login();
    const cases: [string[], RegExp][] = [
      [['ask', '--nope', 'q'], /unknown option '--nope'/],
      [['ask', '--effort', 'huge', 'q'], /Allowed choices are none, minimal, low, medium, high, xhigh, max, ultra/],
      [['ask', '--verbosity', 'chatty', 'q'], /Allowed choices are low, medium, high/],
      [['ask', '--timeout', '0', 'q'], /--timeout takes a number of seconds greater than 0/],
      // Node's timers cannot wait longer than ~24.8 days: a larger value is refused, not turned into 1 ms.
      [['ask', '--timeout', '2200000', 'q'], /--timeout takes at most 2147483 seconds/],
      [['ask', '--idle-timeout', '1e9', 'q'], /--idle-timeout takes at most/],
      [['ask', '--max-retries', '-1', 'q'], /--max-retries takes a whole number/],
      // -o is checked before anything is asked: an unwritable path must not cost an answer.
      [['ask', '-o', tempDir(), 'q'], /--output: .* is a directory/],
      [['ask', '-o', join(tempDir(), 'no', 'such', 'dir.txt'), 'q'], /--output: cannot write .*ENOENT/],
      [['ask', '-', 'more', 'words'], /`-` means "the prompt is stdin only"/],
      [['ask', '-s', 'a', '--system-file', 'b', 'q'], /cannot be used with option '--system-file/],
      [['ask', '--schema', '[1, 2]', 'q'], /--schema: a JSON Schema object is needed/],
    ];
    for (const [args, message] of cases) {
      const run = await runInProcess(args, { fake, configDir: dir });
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^codex: [^\n]+\n$/);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('codex ask: retries and failures', () => {
  it('503 → 429 with Retry-After → 200 succeeds once, with no duplicated output', async () => {
    const { dir } = login();
    fake.responses.push(status(503, { detail: 'server_is_overloaded' }));
    fake.responses.push(status(429, { detail: 'slow down' }, { 'retry-after': '1' }));
    fake.responses.push(answer({ text: 'third time lucky' }));
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    // Retry notices are for a person at a terminal: none on a non-TTY stderr.
    expect(run.stderr).toBe('');
    const events = jsonLines(run.stdout);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([
      { attempt: 1, max_retries: 4, reason: 'http_503' },
      { attempt: 2, max_retries: 4, reason: 'http_429', delay_ms: 1000 },
    ]);
    expect(
      events
        .filter((e) => e.type === 'text.delta')
        .map((e) => e.delta)
        .join(''),
    ).toBe('third time lucky');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(3);
  });

  it('gives up after --max-retries with exit 5', async () => {
    const { dir } = login();
    for (let i = 0; i < 3; i++) fake.responses.push(status(502, '<html>Bad gateway</html>'));
    const run = await runInProcess(['ask', '--max-retries', '2', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toMatch(/^codex: server error \(HTTP 502\)/);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(3);
  });

  it('usage limit → exit 4 after one request, naming the plan and the reset time', async () => {
    const { dir } = login();
    fake.responses.push(usageLimit('plus', 2 * 3600 + 13 * 60 + 20));
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(4);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
    expect(run.stderr).toMatch(/usage limit of your ChatGPT plus plan; it resets at .+ \(in 2h 13m\)/);
    const last = jsonLines(run.stdout).at(-1)!;
    expect(last).toMatchObject({ type: 'error', code: 'usage_limit_reached', exit_code: 4, status: 429 });
    expect(last.resets_at).toBeGreaterThan(Date.now() / 1000);
  });

  it('429 usage_not_included → exit 4 after one request: the plan does not include Codex', async () => {
    const { dir } = login();
    fake.responses.push(status(429, { error: { type: 'usage_not_included', message: 'Your plan does not include Codex.', plan_type: 'free' } }));
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(4);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
    expect(run.stderr).toMatch(/^codex: your ChatGPT plan does not include Codex[^\n]*\n$/);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', exit_code: 4, status: 429 });
  });

  it('a stream that drops after output → exit 5, output not repeated', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'partial answer that breaks', after: { events: 6, then: 'drop-mid-frame' } }));
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(5);
    const events = jsonLines(run.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'stream_closed', exit_code: 5 });
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
  });

  it('a stream that drops before any output is retried', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'x', after: { events: 2, then: 'drop' } }));
    fake.responses.push(hangUp());
    fake.responses.push(answer({ text: 'recovered' }));
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('recovered\n');
  });

  it('a stream that ends without response.completed → exit 5', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'cut short', after: { events: 8, then: 'end' } }));
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toBe('codex: the stream closed before response.completed\n');
  });

  it('an idle stream → exit 5 after --idle-timeout', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'stalls here', after: { events: 7, then: 'stall' } }));
    const run = await runInProcess(['ask', '--idle-timeout', '1', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(5);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'idle_timeout' });
  });

  it('--timeout → exit 124', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'slow', after: { events: 3, then: 'stall' } }));
    const run = await runInProcess(['ask', '--timeout', '0.5', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(124);
    expect(run.stderr).toMatch(/^codex: timed out/);
  });

  it('a response.failed event → exit 6 with the backend’s message', async () => {
    const { dir } = login();
    fake.responses.push(
      answer({
        text: '',
        terminal: {
          type: 'response.failed',
          response: { id: 'resp_x', status: 'failed', error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' } },
        },
      }),
    );
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toMatch(/context window/);
  });
});

describe('codex ask: credentials', () => {
  it('not logged in → exit 3, in text and JSON mode', async () => {
    const dir = tempDir();
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toBe('codex: not logged in; run `codex login` (or set CODEX_AUTH_JSON)\n');
    const json = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(jsonLines(json.stdout).map((e) => e.type)).toEqual(['start', 'error']);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ code: 'not_logged_in', exit_code: 3 });
  });

  it('refreshes an expired access token before the request and saves the rotated tokens 0600', async () => {
    const { dir, tokens } = login(-60);
    const run = await runInProcess(['ask', '--verbose', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(fake.refreshRequests).toHaveLength(1);
    expect(fake.refreshRequests[0]!.body).toEqual({
      refresh_reason: 'proactive_expiry',
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    const saved = readAuth(dir);
    expect(saved.refresh_token).not.toBe(tokens.refresh_token);
    expect(saved.access_token).not.toBe(tokens.access_token);
    expect(saved.expires_at).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(fileMode(join(dir, 'auth.json'))).toBe(0o600);
    expect(fileMode(dir)).toBe(0o700);
    expect(run.stderr).toMatch(/refresh/);
    expectNoSecrets(run.stdout + run.stderr, [...handedOut, String(saved.access_token), String(saved.refresh_token)]);
  });

  it('401 → one refresh → success; a second 401 → exit 3 without a loop', async () => {
    const { dir, tokens } = login();
    fake.revokeAccess(tokens.access_token);
    const run = await runInProcess(['ask', '--verbose', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(fake.refreshRequests).toHaveLength(1);
    // The official client's body: a refresh after a 401 says so.
    expect(fake.refreshRequests[0]!.body).toMatchObject({ grant_type: 'refresh_token', refresh_reason: 'unauthorized_recovery' });
    const saved = readAuth(dir);
    expect(saved.refresh_token).not.toBe(tokens.refresh_token);
    expect(fileMode(join(dir, 'auth.json'))).toBe(0o600);
    expectNoSecrets(run.stdout + run.stderr, [...handedOut, String(saved.access_token), String(saved.refresh_token)]);

    fake.requests.length = 0;
    fake.responses.push(status(401, { detail: 'nope' }), status(401, { detail: 'still nope' }));
    const again = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(again.exitCode).toBe(3);
    expect(fake.refreshRequests).toHaveLength(1);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(2);
  });

  it('eight concurrent processes with an expired token → exactly one refresh, all succeed', async () => {
    const { dir, tokens } = login(-60);
    fake.refreshDelayMs = 200;
    try {
      const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => runInProcess(['ask', `q${i}`], { fake, configDir: dir })));
      expect(runs.map((r) => r.exitCode)).toEqual(Array(8).fill(0));
      for (const [i, run] of runs.entries()) expect(run.stdout).toBe(`You said: q${i}\n`);
      expect(fake.refreshRequests).toHaveLength(1);
      expect(existsSync(join(dir, 'auth.json.lock'))).toBe(false);
      // One rotated token on disk, and every process used it.
      const saved = readAuth(dir);
      expect(saved.refresh_token).not.toBe(tokens.refresh_token);
      expect(saved.access_token).not.toBe(tokens.access_token);
      expect(fileMode(join(dir, 'auth.json'))).toBe(0o600);
      const used = new Set(fake.requestsTo('/backend-api/codex/responses').map((r) => r.headers.authorization));
      expect(used).toEqual(new Set([`Bearer ${saved.access_token}`]));
    } finally {
      fake.refreshDelayMs = 0;
    }
  });

  it('a refresh answer with only an access_token keeps the old refresh_token and id_token (0600)', async () => {
    const { dir, tokens } = login(-60);
    const fresh = fake.issueTokens();
    fake.tokenReplies.push(status(200, { access_token: fresh.access_token }));
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: q\n');
    expect(fake.refreshRequests).toHaveLength(1);
    expect(fake.requestsTo('/backend-api/codex/responses')[0]!.headers.authorization).toBe(`Bearer ${fresh.access_token}`);
    const saved = readAuth(dir);
    expect(saved).toMatchObject({
      access_token: fresh.access_token,
      refresh_token: tokens.refresh_token,
      id_token: tokens.id_token,
      account_id: tokens.account_id,
      expires_at: fresh.expires_at,
    });
    expect(fileMode(join(dir, 'auth.json'))).toBe(0o600);
  });

  it('a reused refresh token → exit 3 "sign in again", credentials kept', async () => {
    const { dir, tokens } = login(-60);
    fake.tokenReplies.push(status(401, { error: { code: 'refresh_token_reused', message: 'already used' } }));
    const before = readFileSync(join(dir, 'auth.json'), 'utf8');
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/sign in again/);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ code: 'refresh_token_reused' });
    expect(readFileSync(join(dir, 'auth.json'), 'utf8')).toBe(before);
    expectNoSecrets(run.stdout + run.stderr, [tokens.refresh_token, tokens.access_token]);
  });

  it.each([
    ['not JSON', '{"access_token": '],
    ['empty', ''],
    ['wrong schema', '{"hello":"world"}'],
  ])('corrupt auth.json (%s) → exit 3 naming the path, file unchanged', async (_what, content) => {
    const dir = tempDir();
    const path = join(dir, 'auth.json');
    writeFileSync(path, content, { mode: 0o600 });
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toContain(path);
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('without CODEX_CONFIG_DIR the config dir is $XDG_CONFIG_HOME/codex-oauth, else ~/.config/codex-oauth', async () => {
    const xdg = tempDir();
    const tokens = fake.issueTokens(-60);
    mkdirSync(join(xdg, 'codex-oauth'), { mode: 0o700 });
    writeFileSync(join(xdg, 'codex-oauth', 'auth.json'), JSON.stringify(tokens), { mode: 0o600 });
    const home = tempDir();
    const run = await runInProcess(['ask', 'q'], { fake, env: { HOME: home, XDG_CONFIG_HOME: xdg } });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: q\n');
    // The refresh was saved there, and nothing was created under HOME.
    expect(readAuth(join(xdg, 'codex-oauth')).refresh_token).not.toBe(tokens.refresh_token);
    expect(existsSync(join(home, '.config'))).toBe(false);

    const other = fake.issueTokens();
    mkdirSync(join(home, '.config', 'codex-oauth'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.config', 'codex-oauth', 'auth.json'), JSON.stringify(other), { mode: 0o600 });
    const shown = await runInProcess(['status', '--json'], { fake, env: { HOME: home } });
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ logged_in: true, account_id: other.account_id, expires_at: other.expires_at, source: 'file' });
  });

  it('CODEX_AUTH_JSON (official shape) works, is refreshed in memory and nothing is written', async () => {
    const tokens = fake.issueTokens(-60);
    const dir = tempDir();
    const official = {
      auth_mode: 'chatgpt',
      OPENAI_API_KEY: null,
      tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
      last_refresh: '2026-11-01T00:00:00Z',
    };
    const run = await runInProcess(['ask', 'q'], { fake, configDir: dir, env: { CODEX_AUTH_JSON: JSON.stringify(official) } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('You said: q\n');
    expect(fake.refreshRequests).toHaveLength(1);
    expect(existsSync(join(dir, 'auth.json'))).toBe(false);
  });
});
