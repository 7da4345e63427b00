import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { answer, bulkAnswer } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, fileMode, tempDir } from '../support/temp.js';

const fake = useFake();
let dir: string;
let logDir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
  logDir = join(dir, 'data', 'conversations');
});

type Item = Record<string, unknown>;
const bodies = () => fake.requestsTo('/backend-api/codex/responses').map((r) => r.body as { input: Item[]; prompt_cache_key: string; text?: unknown });
// The conversation's own items: not the tools, the reasoning settings or the system prompt (a developer message on Lite).
const conversational = (input: Item[]) => input.filter((item) => item.type !== 'additional_tools' && item.type !== 'configuration_update' && item.role !== 'developer');
const user = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
// Answers are sent back labelled as the official client labels them (protocol §11).
const assistant = (text: string) => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }], phase: 'final_answer' });
const logFiles = () => readdirSync(logDir).filter((name) => name.endsWith('.jsonl'));
const fileLines = (id: string) =>
  readFileSync(join(logDir, `${id}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Item);

function tool(name: string, script: string): string {
  const folder = tempDir('codex-tool-');
  writeFileSync(join(folder, 'run.sh'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(folder, 'run.sh'), 0o755);
  const file = join(folder, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, description: `${name} tool`, parameters: { type: 'object', properties: { city: { type: 'string' } } }, command: ['./run.sh'] }),
  );
  return file;
}

describe('ask --cid: continuing a conversation', () => {
  it('sends the first turn’s items back in order and without ids, under the same prompt_cache_key; events carry conversation_id', async () => {
    const weather = tool('weather', 'echo "sunny in $(cat)"');
    fake.responses.push(answer({ reasoning: ['Need the weather.'], functionCalls: [{ name: 'weather', arguments: { city: 'Paris' }, call_id: 'call_1' }] }));
    fake.responses.push(answer({ reasoning: ['Got it.'], text: 'Sunny in Paris.' }));
    const first = await runInProcess(['ask', '--json', '--cid', 'trip', '--tool', weather, 'weather in Paris?'], { fake, configDir: dir });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const events = jsonLines(first.stdout);
    const id = events[0]!.conversation_id as string;
    expect(id).toMatch(/^c_[0-9a-f]{20}$/);
    expect(events[0]).toMatchObject({ type: 'start', conversation_id: id });
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'Sunny in Paris.', conversation_id: id });
    expect(events.filter((e) => e.type === 'start')).toHaveLength(1);

    fake.responses.push(answer({ text: 'Take a hat.' }));
    const second = await runInProcess(['ask', '--json', '--cid', 'trip', 'and tomorrow?'], { fake, configDir: dir });
    expect(second.stderr).toBe('');
    expect(second.exitCode).toBe(0);
    expect(jsonLines(second.stdout).at(-1)).toMatchObject({ type: 'result', text: 'Take a hat.', conversation_id: id });

    const [tool1, tool2, next] = bodies();
    const replayed = conversational(next!.input);
    expect(replayed.map((item) => [item.type, item.role])).toEqual([
      ['message', 'user'],
      ['reasoning', undefined],
      ['function_call', undefined],
      ['function_call_output', undefined],
      ['reasoning', undefined],
      ['message', 'assistant'],
      ['message', 'user'],
    ]);
    expect(replayed[0]).toEqual(user('weather in Paris?'));
    expect(replayed[1]).toMatchObject({ encrypted_content: expect.stringMatching(/^gAAAAA/), summary: [{ type: 'summary_text', text: 'Need the weather.' }] });
    expect(replayed[2]).toEqual({ type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' });
    expect(replayed[3]).toEqual({ type: 'function_call_output', call_id: 'call_1', output: [{ type: 'input_text', text: 'sunny in {"city":"Paris"}\n' }] });
    expect(replayed[4]).toMatchObject({ encrypted_content: expect.stringMatching(/^gAAAAA/), summary: [{ type: 'summary_text', text: 'Got it.' }] });
    expect(replayed.slice(5)).toEqual([assistant('Sunny in Paris.'), user('and tomorrow?')]);
    // The reasoning items are the ones the backend sent, byte for byte apart from their ids.
    expect(replayed[1]!.encrypted_content).toBe(conversational(tool2!.input)[1]!.encrypted_content);
    for (const item of replayed) expect(item).not.toHaveProperty('id');
    expect(new Set([tool1!.prompt_cache_key, tool2!.prompt_cache_key, next!.prompt_cache_key])).toEqual(new Set([id]));

    // The log: a header and two whole turns, with what each turn asked, answered and called.
    const lines = fileLines(id);
    expect(lines[0]).toMatchObject({ type: 'conversation', id, name: 'trip', cache_key: id });
    expect(lines.slice(1).map((turn) => [turn.prompt, turn.answer])).toEqual([
      ['weather in Paris?', 'Sunny in Paris.'],
      ['and tomorrow?', 'Take a hat.'],
    ]);
    expect(lines[1]).toMatchObject({
      model: 'gpt-6.2-sol',
      effort: 'low',
      tools: [{ call_id: 'call_1', name: 'weather', arguments: { city: 'Paris' }, output: 'sunny in {"city":"Paris"}\n', is_error: false }],
      usage: { input_tokens: expect.any(Number) },
    });
    expect(fileMode(logDir)).toBe(0o700);
    expect(fileMode(join(dir, 'data'))).toBe(0o700);
    expect(fileMode(join(logDir, `${id}.jsonl`))).toBe(0o600);
  });

  it('keeps --schema and images working on a continued turn', async () => {
    const png = join(tempDir(), 'dot.png');
    writeFileSync(png, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
    fake.responses.push(answer({ text: 'A dot.' }));
    expect((await runInProcess(['ask', '--cid', 'pic', '-i', png, 'what is this?'], { fake, configDir: dir })).exitCode).toBe(0);
    fake.responses.push(answer({ text: '{"colour":"black"}' }));
    const schema = '{"type":"object","properties":{"colour":{"type":"string"}},"required":["colour"],"additionalProperties":false}';
    const run = await runInProcess(['ask', '--cid', 'pic', '--schema', schema, 'which colour?'], { fake, configDir: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('{"colour":"black"}\n');
    const next = bodies()[1]!;
    expect(next.text).toMatchObject({ format: { type: 'json_schema', schema: JSON.parse(schema) } });
    const replayed = conversational(next.input);
    expect(replayed[0]).toMatchObject({
      role: 'user',
      content: [
        { type: 'input_text', text: '<image name=[Image #1]>' },
        { type: 'input_image', image_url: expect.stringMatching(/^data:image\/png;base64,/) },
        { type: 'input_text', text: '</image>' },
        { type: 'input_text', text: 'what is this?' },
      ],
    });
    expect(replayed.slice(1)).toEqual([assistant('A dot.'), user('which colour?')]);
  });

  it('-c continues the most recent conversation, which a plain ask starts (its session id is the cache key)', async () => {
    const plain = await runInProcess(['ask', '--json', 'first question'], { fake, configDir: dir });
    const sessionId = jsonLines(plain.stdout)[0]!.session_id;
    const more = await runInProcess(['ask', '--json', '-c', 'second question'], { fake, configDir: dir });
    expect(more.exitCode).toBe(0);
    const [id] = logFiles().map((name) => name.slice(0, -'.jsonl'.length));
    // A plain ask is logged, and its start and result name the conversation it made.
    expect(jsonLines(plain.stdout)[0]!.conversation_id).toBe(id);
    expect(jsonLines(plain.stdout).at(-1)!.conversation_id).toBe(id);
    expect(jsonLines(more.stdout)[0]!.conversation_id).toBe(id);
    const [one, two] = bodies();
    expect(one!.prompt_cache_key).toBe(sessionId);
    expect(two!.prompt_cache_key).toBe(sessionId);
    expect(conversational(two!.input).filter((item) => item.type === 'message')).toEqual([
      user('first question'),
      assistant('You said: first question'),
      user('second question'),
    ]);
    expect(logFiles()).toHaveLength(1);
  });

  it('a plain ask in text mode logs the answer it printed (gathered from the deltas), and -c sends it back', async () => {
    const plain = await runInProcess(['ask', 'first question'], { fake, configDir: dir });
    expect(plain.exitCode).toBe(0);
    const [file] = logFiles();
    const turn = fileLines(file!.slice(0, -'.jsonl'.length)).find((line) => line.type === 'turn')!;
    expect(`${turn.answer}\n`).toBe(plain.stdout);
    const more = await runInProcess(['ask', '-c', 'second question'], { fake, configDir: dir });
    expect(more.exitCode).toBe(0);
    expect(conversational(bodies()[1]!.input).filter((item) => item.type === 'message')).toEqual([
      user('first question'),
      assistant('You said: first question'),
      user('second question'),
    ]);
  });

  it('an answer larger than a request could send back is answered but not logged, with a warning', async () => {
    fake.responses.push(bulkAnswer(1_200_000));
    const run = await runInProcess(['ask', 'a long one'], { fake, configDir: dir, timeoutMs: 60_000 });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.length).toBeGreaterThanOrEqual(1_200_000);
    expect(run.stderr).toBe('codex: this answer is not logged: at 1.1 M characters it is larger than a request could send back\n');
    expect(existsSync(logDir) ? logFiles() : []).toEqual([]);
  });

  it('--no-log and config "log": false leave no file, not even the data dir', async () => {
    const run = await runInProcess(['ask', '--no-log', 'secret plans'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect((await runInProcess(['config', 'set', 'log', 'false'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ log: false });
    const again = await runInProcess(['ask', '--cid', 'x', 'more secret plans'], { fake, configDir: dir });
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('10 parallel asks of the same new conversation leave one conversation with 10 whole turns', async () => {
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => runInProcess(['ask', '--cid', 'same', `question ${i}`], { fake, configDir: dir, timeoutMs: 60_000 })),
    );
    for (const run of runs) expect([run.exitCode, run.stdout]).toEqual([0, expect.stringMatching(/^You said: question \d\n$/)]);
    expect(logFiles()).toHaveLength(1);
    const [header, ...turns] = fileLines(logFiles()[0]!.slice(0, -'.jsonl'.length));
    expect(header).toMatchObject({ type: 'conversation', name: 'same' });
    expect(turns.map((turn) => turn.prompt).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `question ${i}`));
    // One at a time: each turn was sent every turn logged before it.
    const sent = bodies()
      .map((body) => conversational(body.input).filter((item) => item.role === 'user').length)
      .sort((a, b) => a - b);
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const shown = await runInProcess(['log', 'show', 'same', '--json'], { fake, configDir: dir });
    expect((JSON.parse(shown.stdout) as { turns: unknown[] }).turns).toHaveLength(10);
  });

  it('a torn last line is skipped with a warning; the next turn is appended on a line of its own', async () => {
    expect((await runInProcess(['ask', '--cid', 'torn', 'one'], { fake, configDir: dir })).exitCode).toBe(0);
    const [name] = logFiles();
    appendFileSync(join(logDir, name!), '{"type":"turn","at":"2026');
    const run = await runInProcess(['ask', '--cid', 'torn', 'two'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^codex: .*line 3 is torn \(an interrupted write\); skipped\n$/);
    expect(conversational(bodies()[1]!.input).filter((item) => item.role === 'user')).toEqual([user('one'), user('two')]);
    const shown = await runInProcess(['log', 'show', 'torn', '--json'], { fake, configDir: dir });
    expect((JSON.parse(shown.stdout) as { turns: { prompt: string }[] }).turns.map((turn) => turn.prompt)).toEqual(['one', 'two']);
    expect(shown.stderr).toMatch(/line 3 is not a readable turn; skipped/);
  });

  it('a log that cannot be written: a plain ask answers with a warning; a continued one fails before sending (exit 3)', async () => {
    writeFileSync(join(dir, 'data'), 'not a directory');
    const plain = await runInProcess(['ask', 'hello'], { fake, configDir: dir });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toBe('You said: hello\n');
    expect(plain.stderr).toBe(`codex: cannot write the conversation log ${logDir}: ENOTDIR (--no-log records nothing); this answer is not logged\n`);
    const continued = await runInProcess(['ask', '--cid', 'x', 'hello'], { fake, configDir: dir });
    expect(continued.exitCode).toBe(3);
    expect(continued.stderr).toBe(`codex: cannot write the conversation log ${logDir}: ENOTDIR (--no-log records nothing)\n`);
    expect(bodies()).toHaveLength(1);
  });

  it('refuses a --cid that is not a safe file name (exit 2), before any request', async () => {
    for (const bad of ['../x', '.hidden', 'a/b', 'x'.repeat(65), '']) {
      const run = await runInProcess(['ask', '--cid', bad, 'hi'], { fake, configDir: dir });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/^codex: --cid: a conversation name is 1 to 64 letters, digits, '\.', '_' or '-', not starting with '\.'; not .*\n$/);
    }
    expect(bodies()).toHaveLength(0);
  });
});

describe('history that does not fit', () => {
  /** A logged conversation of `count` turns of about `bytes` each, written as codex writes it. */
  function seed(name: string, count: number, bytes: number): void {
    const id = 'c_0123456789abcdef0123';
    const header = { type: 'conversation', id, name, created_at: '2026-11-30T10:00:00.000Z', cache_key: id };
    const turns = Array.from({ length: count }, (_, i) => ({
      type: 'turn',
      at: `2026-11-30T10:0${i}:00.000Z`,
      duration_ms: 5,
      model: 'gpt-6.2-sol',
      session_id: 's',
      response_id: `resp_${i}`,
      prompt: `p${i}`,
      answer: 'a',
      usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1, reasoning_tokens: 0, total_tokens: 2 },
      tools: [],
      items: [user(`p${i} ${'x'.repeat(bytes)}`), assistant('a')],
    }));
    const folder = join(dir, 'data', 'conversations');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(join(folder, `${id}.jsonl`), [header, ...turns].map((line) => `${JSON.stringify(line)}\n`).join(''), { mode: 0o600 });
  }

  it('drops the oldest whole turns to stay within the request byte budget, and says so', async () => {
    seed('big', 4, 400_000);
    const run = await runInProcess(['ask', '--cid', 'big', 'next'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("codex: left out the 2 oldest of 4 turns of this conversation: they do not fit gpt-6.2-sol's context window or the request size limit\n");
    const [body] = fake.requestsTo('/backend-api/codex/responses');
    expect(body!.bodyText.length).toBeLessThan(1_100_000);
    expect(
      conversational((body!.body as { input: Item[] }).input)
        .filter((item) => item.role === 'user')
        .map((item) => String((item.content as { text: string }[])[0]!.text).split(' ')[0]),
    ).toEqual(['p2', 'p3', 'next']);
  });

  it('drops turns to fit a small context window; a prompt that alone does not fit is exit 2 with a hint', async () => {
    fake.models = fake.models.map((model) => ((model as { slug: string }).slug === 'gpt-6.2-sol' ? { ...(model as object), context_window: 2000 } : model));
    seed('small', 3, 4000);
    const run = await runInProcess(['ask', '--cid', 'small', 'next'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/^codex: left out the 2 oldest of 3 turns/);
    const huge = await runInProcess(['ask', '--cid', 'small', 'y'.repeat(10_000)], { fake, configDir: dir });
    expect(huge.exitCode).toBe(2);
    expect(huge.stderr).toBe(
      'codex: the prompt alone is about 2500 tokens, more than gpt-6.2-sol takes (a 2000-token context window); send less, or a model with a larger window (`codex models`)\n',
    );
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
  });
});

describe('codex log', () => {
  async function twoConversations(): Promise<{ review: string; other: string }> {
    fake.responses.push(answer({ text: 'Looks fine.' }));
    const review = jsonLines((await runInProcess(['ask', '--json', '--cid', 'review', 'review this diff'], { fake, configDir: dir })).stdout)[0]!
      .conversation_id as string;
    fake.responses.push(answer({ text: 'Use set -euo pipefail.' }));
    const plain = await runInProcess(['ask', 'how to make bash strict?'], { fake, configDir: dir });
    expect(plain.exitCode).toBe(0);
    const other = logFiles()
      .map((name) => name.slice(0, -'.jsonl'.length))
      .find((id) => id !== review)!;
    return { review, other };
  }

  it('list: tab-separated on a pipe, the most recent first; --json', async () => {
    const { review, other } = await twoConversations();
    const run = await runInProcess(['log', 'list'], { fake, configDir: dir });
    expect(run.stderr).toBe('');
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(rows.map((row) => row.slice(0, 4))).toEqual([
      [other, '-', 'gpt-6.2-sol', '1'],
      [review, 'review', 'gpt-6.2-sol', '1'],
    ]);
    expect(rows[0]![4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rows.map((row) => row[5])).toEqual(['how to make bash strict?', 'review this diff']);
    const json = JSON.parse((await runInProcess(['log', 'list', '--json', '-n', '1'], { fake, configDir: dir })).stdout) as Item[];
    expect(json).toEqual([
      { id: other, created_at: expect.any(String), updated_at: expect.any(String), turns: 1, model: rows[0]![2], prompt: 'how to make bash strict?' },
    ]);
  });

  it('show: a transcript by name or id; --json', async () => {
    const { review } = await twoConversations();
    const byName = await runInProcess(['log', 'show', 'review'], { fake, configDir: dir });
    // The default model, whichever the catalog names.
    expect(byName.stdout).toMatch(
      /^conversation c_[0-9a-f]{20} \(review\)\nmodel (\S+) · effort low · verbosity the model.s own\nsystem: the built-in one\n\n--- turn 1 · \S+ · \1 \(low\)\n\n> review this diff\n\nLooks fine\.\n$/,
    );
    expect((await runInProcess(['log', 'show', review], { fake, configDir: dir })).stdout).toBe(byName.stdout);
    const json = JSON.parse((await runInProcess(['log', 'show', 'review', '--json'], { fake, configDir: dir })).stdout) as { id: string; name: string; turns: Item[] };
    expect(json).toMatchObject({ id: review, name: 'review', turns: [{ prompt: 'review this diff', answer: 'Looks fine.' }] });
    const missing = await runInProcess(['log', 'show', 'nope'], { fake, configDir: dir });
    expect([missing.exitCode, missing.stderr]).toEqual([2, 'codex: no conversation "nope" (see `codex log list`)\n']);
  });

  it('search finds turns by prompt or answer text', async () => {
    const { review, other } = await twoConversations();
    const run = await runInProcess(['log', 'search', 'PIPEFAIL'], { fake, configDir: dir });
    expect(run.stdout).toBe(
      `${other}\t-\t1\t${JSON.parse((await runInProcess(['log', 'show', other, '--json'], { fake, configDir: dir })).stdout).turns[0].at}\tUse set -euo pipefail.\n`,
    );
    const json = JSON.parse((await runInProcess(['log', 'search', '--json', 'diff'], { fake, configDir: dir })).stdout) as Item[];
    expect(json).toMatchObject([{ id: review, name: 'review', turn: 1, prompt: 'review this diff' }]);
    expect((await runInProcess(['log', 'search', 'nothing-like-this'], { fake, configDir: dir })).stdout).toBe('');
  });

  it('path, rm and rm --purge', async () => {
    const { review, other } = await twoConversations();
    expect((await runInProcess(['log', 'path'], { fake, configDir: dir })).stdout).toBe(`${logDir}\n`);
    expect((await runInProcess(['log', 'path', 'review'], { fake, configDir: dir })).stdout).toBe(`${join(logDir, `${review}.jsonl`)}\n`);
    const rm = await runInProcess(['log', 'rm', 'review'], { fake, configDir: dir });
    expect([rm.exitCode, rm.stdout, rm.stderr]).toEqual([0, '', '']);
    expect(logFiles()).toEqual([`${other}.jsonl`]);
    const bare = await runInProcess(['log', 'rm'], { fake, configDir: dir });
    expect([bare.exitCode, bare.stderr]).toEqual([2, 'codex: usage: codex log rm ID|NAME, or log rm --purge [--yes]\n']);
    const refused = await runInProcess(['log', 'rm', '--purge'], { fake, configDir: dir });
    expect([refused.exitCode, refused.stderr]).toEqual([2, 'codex: log rm --purge removes all 1 conversation; add --yes to do so when not on a terminal\n']);
    expect(logFiles()).toEqual([`${other}.jsonl`]);
    const purge = await runInProcess(['log', 'rm', '--purge', '--yes'], { fake, configDir: dir });
    expect([purge.exitCode, purge.stderr]).toEqual([0, `codex: removed 1 conversation (${logDir})\n`]);
    expect(existsSync(logDir)).toBe(false);
    expect((await runInProcess(['log', 'list'], { fake, configDir: dir })).stdout).toBe('');
  });

  it('an id may be shortened to a unique start; an id-like --cid that names nothing is exit 2 before anything is sent', async () => {
    const { review } = await twoConversations();
    const prefix = review.slice(0, 8);
    const byPrefix = await runInProcess(['log', 'show', prefix, '--json'], { fake, configDir: dir });
    expect([byPrefix.exitCode, (JSON.parse(byPrefix.stdout) as { id: string }).id]).toEqual([0, review]);
    const requests = fake.requests.length;
    const cont = await runInProcess(['ask', '--json', '--cid', prefix, 'more'], { fake, configDir: dir });
    expect(cont.exitCode, cont.stderr).toBe(0);
    expect(jsonLines(cont.stdout)[0]!.conversation_id).toBe(review);
    fake.requests.length = 0;
    const missing = await runInProcess(['ask', '--cid', 'c_0000000000', 'hello'], { fake, configDir: dir });
    expect([missing.exitCode, missing.stdout, missing.stderr]).toEqual([
      2,
      '',
      'codex: --cid: no conversation c_0000000000 (`codex log list` lists them); a new conversation needs a name that does not look like an id\n',
    ]);
    expect(fake.requestsTo('/backend-api/codex/responses')).toEqual([]);
    expect(requests).toBeGreaterThan(0);
    expect(logFiles()).toHaveLength(2);
  });
});
