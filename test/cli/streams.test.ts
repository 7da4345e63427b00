/**
 * Real-world stream shapes (protocol §10, issue 12): commentary, overloads, in-stream limits, refusals, stray
 * items, changing ids, reasoning across tool turns, and the small ones. Each stream is built in the fake.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer, errorEventStream, failedStream, frame, itemEvents, itemsAnswer, raw } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';
import { CITY_PARAMETERS, writeTool } from '../support/tools.js';

const fake = useFake();

const loggedIn = () => configDirWith(fake.issueTokens());

const scratch = () => tempDir('codex-streams-');

const ask = (args: string[], dir: string) => runInProcess(['ask', ...args, 'q'], { fake, configDir: dir });
const joined = (events: Record<string, unknown>[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => e.delta)
    .join('');
const responsesSeen = () => fake.requestsTo('/backend-api/codex/responses').length;

/** A tool file whose command prints its arguments. */
const echoTool = (name: string) => writeTool(name, { script: 'echo "got $(cat)"', parameters: CITY_PARAMETERS }).file;

const preambleThenAnswer = () => itemsAnswer([{ message: "I'll look that up.", phase: 'commentary' }, { message: 'It is sunny.' }]);

describe('commentary is not the answer', () => {
  it('text mode: stdout, -o and the result carry the final answer only; commentary is not shown', async () => {
    const dir = loggedIn();
    const out = join(scratch(), 'answer.txt');
    fake.responses.push(preambleThenAnswer());
    const run = await ask(['-o', out], dir);
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'It is sunny.\n', '']);
    expect(readFileSync(out, 'utf8')).toBe('It is sunny.\n');
  });

  it('--reasoning: reasoning and commentary on stderr, labelled; stdout the answer alone', async () => {
    const dir = loggedIn();
    fake.responses.push(itemsAnswer([{ reasoning: ['Need the weather.'] }, { message: "I'll look that up.", phase: 'commentary' }, { message: 'It is sunny.' }]));
    const run = await ask(['--reasoning'], dir);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('It is sunny.\n');
    expect(run.stderr).toBe("reasoning: Need the weather.\ncommentary: I'll look that up.\n");
  });

  it('--json: commentary.delta events; text.delta and result.text are the answer', async () => {
    const dir = loggedIn();
    fake.responses.push(preambleThenAnswer());
    const run = await ask(['--json'], dir);
    expect(run.exitCode).toBe(0);
    const events = jsonLines(run.stdout);
    expect(joined(events, 'commentary.delta')).toBe("I'll look that up.");
    expect(joined(events, 'text.delta')).toBe('It is sunny.');
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'It is sunny.' });
  });

  it('--schema: a preamble does not break the JSON document', async () => {
    const dir = loggedIn();
    fake.responses.push(itemsAnswer([{ message: 'Let me format that.', phase: 'commentary' }, { message: '{"sky":"clear"}' }]));
    const run = await ask(['--schema', '{"type":"object"}'], dir);
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, '{"sky":"clear"}\n', '']);
  });

  it('two answer messages (with a phase or without) are set apart by a blank line, never glued', async () => {
    const dir = loggedIn();
    fake.responses.push(itemsAnswer([{ message: 'First.' }, { message: 'Second.', phase: null }]));
    const text = await ask([], dir);
    expect(text.stdout).toBe('First.\n\nSecond.\n');
    fake.responses.push(itemsAnswer([{ message: 'First.\n' }, { message: 'Second.' }]));
    const json = await ask(['--json'], dir);
    const events = jsonLines(json.stdout);
    expect(joined(events, 'text.delta')).toBe('First.\n\nSecond.');
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'First.\n\nSecond.' });
  });
});

describe('overload and server errors in the stream', () => {
  const overloaded = () => failedStream({ code: 'server_is_overloaded', message: 'Selected model is at capacity. Please try a different model.' });

  it('are retried like a 503 while nothing was shown', async () => {
    const dir = loggedIn();
    fake.responses.push(overloaded(), errorEventStream({ error: { type: 'server_error', code: null, message: 'An error occurred.' } }));
    fake.responses.push(answer({ text: 'made it' }));
    const run = await ask(['--json'], dir);
    expect(run.exitCode).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.filter((e) => e.type === 'retry')).toMatchObject([
      { attempt: 1, reason: 'server_error' },
      { attempt: 2, reason: 'server_error' },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'made it' });
    expect(responsesSeen()).toBe(3);
  });

  it('after the retries: exit 5, code server_error, the backend’s words on one line', async () => {
    const dir = loggedIn();
    fake.responses.push(overloaded(), overloaded());
    const run = await ask(['--max-retries', '1'], dir);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toBe('codex: the backend could not answer now: Selected model is at capacity. Please try a different model. (server_is_overloaded)\n');
    expect(responsesSeen()).toBe(2);
    fake.responses.push(overloaded(), overloaded());
    const json = await ask(['--json', '--max-retries', '1'], dir);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ type: 'error', code: 'server_error', exit_code: 5 });
  });

  it('once output was shown, are not retried (the answer would be doubled)', async () => {
    const dir = loggedIn();
    fake.responses.push(errorEventStream({ code: 'server_error', message: 'boom' }, [{ message: 'half' }]));
    const run = await ask([], dir);
    expect([run.exitCode, run.stdout]).toEqual([5, 'half']);
    expect(responsesSeen()).toBe(1);
  });
});

describe('a usage limit inside the stream', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('is the same as the HTTP 429: exit 4 naming the plan and the reset, no retry', async () => {
    const dir = loggedIn();
    const inS = 2 * 3600 + 13 * 60 + 20;
    fake.responses.push(
      errorEventStream({
        error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', plan_type: 'pro', resets_at: now() + inS, resets_in_seconds: inS },
      }),
    );
    const run = await ask(['--json'], dir);
    expect(run.exitCode).toBe(4);
    expect(run.stderr).toMatch(/^codex: you have reached the usage limit of your ChatGPT pro plan; it resets at .+ \(in 2h 13m\)\n$/);
    const last = jsonLines(run.stdout).at(-1)!;
    expect(last).toMatchObject({ type: 'error', code: 'usage_limit_reached', exit_code: 4 });
    expect(Math.abs((last.resets_at as number) - (now() + inS))).toBeLessThanOrEqual(5);
    expect(responsesSeen()).toBe(1);
  });

  it('resets_in_seconds wins over a resets_at that disagrees; a past reset says so instead of "in 0s"', async () => {
    const dir = loggedIn();
    fake.responses.push(errorEventStream({ error: { type: 'usage_limit_reached', plan_type: 'plus', resets_at: now() - 600, resets_in_seconds: 3600 } }));
    const relative = await ask([], dir);
    expect(relative.stderr).toMatch(/\(in 1h\)\n$/);
    fake.responses.push(errorEventStream({ error: { type: 'usage_limit_reached', plan_type: 'plus', resets_at: now() - 600 } }));
    const past = await ask([], dir);
    expect(past.exitCode).toBe(4);
    expect(past.stderr).toMatch(/it resets at .+ \(already past\)\n$/);
    expect(past.stderr).not.toContain('in 0s');
  });
});

describe('a refusal', () => {
  it('is printed on stderr and exits 6 with code refused; --json has it in the error event', async () => {
    const dir = loggedIn();
    fake.responses.push(itemsAnswer([{ refusal: "I can't help with that." }]));
    const run = await ask([], dir);
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([6, '', "codex: the model refused to answer: I can't help with that.\n"]);
    fake.responses.push(itemsAnswer([{ refusal: "I can't help with that." }]));
    const json = await ask(['--json'], dir);
    expect(jsonLines(json.stdout).at(-1)).toEqual({ type: 'error', code: 'refused', message: "the model refused to answer: I can't help with that.", exit_code: 6 });
    expect(responsesSeen()).toBe(2);
  });

  it('as a refusal content part alone (no refusal events) is a refusal too', async () => {
    const dir = loggedIn();
    const events = itemEvents([{ refusal: 'No.' }]).filter((e) => !e.type.startsWith('response.refusal.'));
    fake.responses.push(raw(events.map((e) => frame(e)).join('')));
    const run = await ask([], dir);
    expect([run.exitCode, run.stderr]).toEqual([6, 'codex: the model refused to answer: No.\n']);
  });
});

describe('items we never offered', () => {
  it('hosted-tool items with call_id null or object arguments do not break the stream; the real call runs', async () => {
    const dir = loggedIn();
    const tool = echoTool('get_weather');
    fake.responses.push(
      itemsAnswer([
        { item: { type: 'web_search_call', id: 'ws_1', status: 'completed', call_id: null, action: { type: 'search', query: 'weather' } } },
        { item: { type: 'tool_search_call', id: 'ts_1', call_id: null, arguments: { query: 'weather' }, execution: 'server' } },
        { item: { type: 'compaction', id: 'cmp_1', encrypted_content: 'x' } },
        { call: { name: 'get_weather', arguments: { city: 'Oslo' }, call_id: 'call_w' } },
      ]),
    );
    fake.responses.push(answer({ text: 'Snow in Oslo.' }));
    const run = await ask(['--json', '--tool', tool], dir);
    expect(run.exitCode, run.stderr).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ call_id: 'call_w', output: 'got {"city":"Oslo"}\n', is_error: false });
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'Snow in Oslo.' });
    const second = fake.requestsTo('/backend-api/codex/responses')[1]!.body as { input: { type: string }[] };
    // Tools, the system prompt (a developer message), the prompt, the settings; then the call and its output.
    expect(second.input.map((item) => item.type)).toEqual(['additional_tools', 'message', 'message', 'function_call', 'function_call_output']);
  });

  it('a function call whose arguments are an object (not a JSON string) still runs', async () => {
    const dir = loggedIn();
    const tool = echoTool('get_weather');
    fake.responses.push(itemsAnswer([{ item: { type: 'function_call', id: 'fc_1', call_id: 'call_o', name: 'get_weather', arguments: { city: 'Rome' } } }]));
    fake.responses.push(answer({ text: 'Sun.' }));
    const run = await ask(['--json', '--tool', tool], dir);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).find((e) => e.type === 'tool_call')).toEqual({ type: 'tool_call', call_id: 'call_o', name: 'get_weather', arguments: { city: 'Rome' } });
  });

  it('a call to a tool we did not offer (local shell, custom tool) → exit 6 unsupported_tool_call, naming it', async () => {
    const dir = loggedIn();
    fake.responses.push(
      itemsAnswer([{ item: { type: 'local_shell_call', id: 'ls_1', call_id: 'call_s', status: 'completed', action: { type: 'exec', command: ['ls'] } } }]),
    );
    const shell = await ask([], dir);
    expect([shell.exitCode, shell.stdout, shell.stderr]).toEqual([6, '', 'codex: the model called local_shell_call, which codex does not offer\n']);
    fake.responses.push(itemsAnswer([{ item: { type: 'custom_tool_call', id: 'ct_1', call_id: 'call_c', name: 'apply_patch', input: '*** Begin Patch' } }]));
    const custom = await ask(['--json'], dir);
    expect(custom.exitCode).toBe(6);
    expect(jsonLines(custom.stdout).at(-1)).toMatchObject({
      type: 'error',
      code: 'unsupported_tool_call',
      message: 'the model called the tool apply_patch (custom_tool_call), which codex does not offer',
    });
    expect(responsesSeen()).toBe(2);
  });
});

describe('ids and turns', () => {
  it('item ids that change between added, delta and done events do not double the text', async () => {
    const dir = loggedIn();
    fake.responses.push(itemsAnswer([{ message: 'Hi', chunk: 1 }], { changingIds: true }));
    const run = await ask([], dir);
    expect(run.stdout).toBe('Hi\n');
    // Without output_index either, the open message is the one the events belong to.
    fake.responses.push(
      itemsAnswer(
        [
          { message: "I'll check.", phase: 'commentary' },
          { message: 'Hi', chunk: 1 },
        ],
        { changingIds: true, noOutputIndex: true },
      ),
    );
    const json = await ask(['--json'], dir);
    const events = jsonLines(json.stdout);
    expect([joined(events, 'commentary.delta'), joined(events, 'text.delta')]).toEqual(["I'll check.", 'Hi']);
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'Hi' });
  });

  it('reasoning of consecutive tool turns gets a paragraph break between turns', async () => {
    const dir = loggedIn();
    const tool = echoTool('get_weather');
    const turns = () => [
      itemsAnswer([{ reasoning: ['Plan the call.'] }, { call: { name: 'get_weather', arguments: { city: 'Oslo' } } }]),
      itemsAnswer([{ reasoning: ['Read the result.'] }, { message: 'Snow.' }]),
    ];
    fake.responses.push(...turns());
    const json = await ask(['--json', '--tool', tool], dir);
    expect(joined(jsonLines(json.stdout), 'reasoning.delta')).toBe('Plan the call.\n\nRead the result.');
    fake.responses.push(...turns());
    const text = await ask(['--reasoning', '--tool', tool], dir);
    expect([text.exitCode, text.stdout, text.stderr]).toEqual([0, 'Snow.\n', 'reasoning: Plan the call.\n\nRead the result.\n']);
  });
});

describe('an overload after only commentary', () => {
  const overloaded = () =>
    itemsAnswer([{ message: 'Let me check.', phase: 'commentary' }], {
      terminal: { type: 'response.failed', response: { status: 'failed', error: { code: 'server_is_overloaded', message: 'Selected model is at capacity' } } },
    });

  it('text mode shows no commentary, so the request is sent again and the answer arrives', async () => {
    const dir = loggedIn();
    fake.responses.push(overloaded(), answer({ text: 'Here it is.' }));
    const run = await ask([], dir);
    expect([run.exitCode, run.stdout]).toEqual([0, 'Here it is.\n']);
    expect(responsesSeen()).toBe(2);
  });

  it('--json has already shown the commentary: no retry, exit 5 server_error', async () => {
    const dir = loggedIn();
    fake.responses.push(overloaded(), answer({ text: 'Here it is.' }));
    const run = await ask(['--json'], dir);
    expect(run.exitCode).toBe(5);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'server_error' });
    expect(responsesSeen()).toBe(1);
  });
});

describe('the small ones', () => {
  it('an empty rate-limit header means "not given", not 1970', async () => {
    const dir = loggedIn();
    fake.responses.push(
      answer({ text: 'ok', headers: { 'x-codex-secondary-reset-at': '', 'x-codex-secondary-reset-after-seconds': '', 'x-codex-primary-used-percent': ' ' } }),
    );
    const run = await ask(['--json'], dir);
    const limits = jsonLines(run.stdout).find((e) => e.type === 'rate_limits')!;
    expect(limits.primary).toBeUndefined();
    expect(limits.secondary).toEqual({ used_percent: 34.5, window_minutes: 10080 });
  });

  it('a backend message with newlines is still a one-line error', async () => {
    const dir = loggedIn();
    fake.responses.push(failedStream({ code: 'invalid_prompt', message: 'Your prompt was flagged.\n\nSee the policy\nfor details.' }));
    const run = await ask([], dir);
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toBe('codex: the backend failed the response: Your prompt was flagged. See the policy for details. (invalid_prompt)\n');
  });

  it('a whole final event whose closing blank line never comes is the end of a complete answer', async () => {
    const dir = loggedIn();
    const text = itemEvents([{ message: 'All of it.' }])
      .map((e) => frame(e))
      .join('');
    fake.responses.push(raw(text.slice(0, -2)));
    const run = await ask([], dir);
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'All of it.\n', '']);
    // Half a final event is still a broken stream.
    fake.responses.push(raw(text.slice(0, -40)), raw(text.slice(0, -40)));
    const torn = await ask(['--max-retries', '1'], dir);
    expect([torn.exitCode, torn.stderr]).toEqual([5, 'codex: the stream closed before response.completed\n']);
  });

  it('codex.rate_limits frames in the stream become rate_limits events', async () => {
    const dir = loggedIn();
    const resetAt = Math.floor(Date.now() / 1000) + 3600;
    fake.responses.push(
      answer({
        text: 'ok',
        extra: [{ type: 'codex.rate_limits', rate_limits: { primary: { used_percent: 81, window_minutes: 300, reset_at: resetAt }, secondary: null } }],
      }),
    );
    const run = await ask(['--json'], dir);
    const limits = jsonLines(run.stdout).filter((e) => e.type === 'rate_limits');
    expect(limits).toHaveLength(2);
    expect(limits[1]).toEqual({ type: 'rate_limits', primary: { used_percent: 81, window_minutes: 300, resets_at: resetAt } });
  });

  it('when the done text differs from what was streamed, the streamed text wins: stdout, -o and result.text agree', async () => {
    const dir = loggedIn();
    const events = itemEvents([{ message: 'Streamed.' }]).map((e) =>
      e.type === 'response.output_item.done' ? { ...e, item: { ...(e.item as object), content: [{ type: 'output_text', text: 'Rewritten.' }] } } : e,
    );
    const out = join(scratch(), 'a.txt');
    fake.responses.push(raw(events.map((e) => frame(e)).join('')));
    const run = await ask(['--json', '-o', out], dir);
    const result = jsonLines(run.stdout).at(-1)!;
    expect([joined(jsonLines(run.stdout), 'text.delta'), result.text, readFileSync(out, 'utf8')]).toEqual(['Streamed.', 'Streamed.', 'Streamed.\n']);
  });

  it('text mode, which keeps no copy of the answer, checks the done text too: a rewrite adds nothing to stdout', async () => {
    const dir = loggedIn();
    const events = itemEvents([{ message: 'Streamed.' }]).map((e) =>
      e.type === 'response.output_item.done' ? { ...e, item: { ...(e.item as object), content: [{ type: 'output_text', text: 'Rewritten.' }] } } : e,
    );
    fake.responses.push(raw(events.map((e) => frame(e)).join('')));
    const run = await ask([], dir);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('Streamed.\n');
  });
});

describe('--schema validates the answer against the schema', () => {
  const schema = JSON.stringify({ type: 'object', properties: { capital: { type: 'string' } }, required: ['capital'], additionalProperties: false });

  it('a document that does not follow it → exit 6 schema_mismatch naming the first violation, nothing on stdout', async () => {
    const dir = loggedIn();
    const cases: [string, string][] = [
      ['{"capital":42}', 'at /capital: must be string'],
      ['{}', "at the top level: must have required property 'capital'"],
      ['{"capital":"Paris","mayor":"x"}', 'at the top level: must NOT have additional properties ("mayor")'],
    ];
    for (const [text, violation] of cases) {
      fake.responses.push(answer({ text }));
      const run = await ask(['--schema', schema], dir);
      expect([run.exitCode, run.stdout, run.stderr], text).toEqual([6, '', `codex: the answer does not match the JSON Schema of --schema ${violation}\n`]);
    }
    fake.responses.push(answer({ text: '{"capital":42}' }));
    const json = await ask(['--json', '--schema', schema], dir);
    const events = jsonLines(json.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'schema_mismatch', exit_code: 6, message: expect.stringContaining('at /capital') });
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });

  it('a matching document passes, 2020-12 schemas included', async () => {
    const dir = loggedIn();
    fake.responses.push(answer({ text: '{"capital":"Paris"}' }));
    expect((await ask(['--schema', schema], dir)).stdout).toBe('{"capital":"Paris"}\n');
    const tuple = JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'string' }, { type: 'number' }],
      items: false,
    });
    fake.responses.push(answer({ text: '["Paris",2.1]' }), answer({ text: '["Paris",2.1,"extra"]' }));
    expect((await ask(['--schema', tuple], dir)).exitCode).toBe(0);
    const extra = await ask(['--schema', tuple], dir);
    expect([extra.exitCode, extra.stderr]).toEqual([
      6,
      'codex: the answer does not match the JSON Schema of --schema at the top level: must NOT have more than 2 items\n',
    ]);
  });

  it('a schema the validator cannot use → exit 2 before any request', async () => {
    const dir = loggedIn();
    const run = await ask(['--schema', '{"type":"nonsense"}'], dir);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^codex: --schema: not a usable JSON Schema \([^\n]+\)\n$/);
    expect(responsesSeen()).toBe(0);
  });
});
