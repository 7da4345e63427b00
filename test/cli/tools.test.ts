import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer, itemsAnswer } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';
import { CITY_PARAMETERS, writeTool } from '../support/tools.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

/** A tool taking a city, described as "<name> tool", whose command is `script`; returns the tool file's path. */
const tool = (name: string, script: string, extra: Record<string, unknown> = {}) =>
  writeTool(name, { script, description: `${name} tool`, parameters: CITY_PARAMETERS, ...extra }).file;

const responsesBodies = () => fake.requestsTo('/backend-api/codex/responses').map((r) => r.body as { input: Record<string, unknown>[]; tools: unknown[] });

describe('--tool', () => {
  it('runs the calls of one turn concurrently and sends both outputs back with the turn’s items', async () => {
    const log = join(tempDir(), 'times.log');
    const file = tool(
      'slow',
      `args=$(cat); echo "start $CODEX_TOOL_CALL_ID $(date +%s%N)" >> ${log}; sleep 1; echo "end $CODEX_TOOL_CALL_ID $(date +%s%N)" >> ${log}; echo "$CODEX_TOOL_NAME got $args"`,
    );
    fake.responses.push(
      answer({
        reasoning: ['Need weather.'],
        functionCalls: [
          { name: 'slow', arguments: { city: 'Paris' }, call_id: 'call_a' },
          { name: 'slow', arguments: { city: 'Rome' }, call_id: 'call_b' },
        ],
      }),
    );
    fake.responses.push(answer({ text: 'Paris and Rome are fine.' }));
    const run = await runInProcess(['ask', '--json', '--tool', file, 'weather?'], { fake, configDir: dir });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);

    const times = Object.fromEntries(
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const [what, id, ns] = line.split(' ');
          return [`${what} ${id}`, BigInt(ns!)];
        }),
    );
    // Both started before either ended: they overlapped.
    expect(times['start call_a']! < times['end call_b']! && times['start call_b']! < times['end call_a']!).toBe(true);

    const events = jsonLines(run.stdout);
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', call_id: 'call_a', name: 'slow', arguments: { city: 'Paris' } },
      { type: 'tool_call', call_id: 'call_b', name: 'slow', arguments: { city: 'Rome' } },
    ]);
    expect(events.filter((e) => e.type === 'tool_result')).toEqual([
      { type: 'tool_result', call_id: 'call_a', output: 'slow got {"city":"Paris"}\n', is_error: false },
      { type: 'tool_result', call_id: 'call_b', output: 'slow got {"city":"Rome"}\n', is_error: false },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'result', text: 'Paris and Rome are fine.' });

    // The default model takes the "responses lite" layout (protocol §10): the tools travel in an input item.
    const [first, second] = responsesBodies();
    const spec = { type: 'function', name: 'slow', description: 'slow tool', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } };
    expect(first).not.toHaveProperty('tools');
    expect(first).toMatchObject({ parallel_tool_calls: false, reasoning: { effort: 'low', summary: 'auto', context: 'all_turns' } });
    // The system prompt is a developer message right after the tools (Lite takes no top-level instructions).
    expect(first!.input).toEqual([
      { type: 'additional_tools', role: 'developer', tools: [{ type: 'namespace', name: 'functions', description: '', tools: [spec] }] },
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: expect.stringMatching(/\S/) }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'weather?' }] },
    ]);
    // The follow-up keeps the same prefix and appends the turn's items.
    expect(second!.input.slice(0, 3)).toEqual(first!.input);
    expect(second!.input.slice(3).map((item) => item.type)).toEqual(['reasoning', 'function_call', 'function_call', 'function_call_output', 'function_call_output']);
    expect(second!.input[3]).toMatchObject({ type: 'reasoning', encrypted_content: expect.stringMatching(/^gAAAAA/) });
    expect(second!.input[3]).not.toHaveProperty('id');
    expect(second!.input[4]).toEqual({ type: 'function_call', call_id: 'call_a', name: 'slow', arguments: '{"city":"Paris"}' });
    expect(second!.input.slice(6)).toEqual([
      { type: 'function_call_output', call_id: 'call_a', output: [{ type: 'input_text', text: 'slow got {"city":"Paris"}\n' }] },
      { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'slow got {"city":"Rome"}\n' }] },
    ]);
  });

  it('the follow-up replays the commentary the model wrote before its call, in order, as the official client does', async () => {
    const file = tool('lookup', 'echo sunny');
    fake.responses.push(
      itemsAnswer(
        [
          { reasoning: ['Plan.'] },
          { message: 'Let me look that up.', phase: 'commentary' },
          { call: { name: 'lookup', arguments: { city: 'Oslo' }, call_id: 'call_c' } },
        ],
        // chatgpt.com's Cloudflare cookie: kept for the process and sent back, as the official client does.
        { headers: { 'set-cookie': '__cf_bm=bm-1; path=/; expires=Fri, 31 Dec 2100 23:59:59 GMT; domain=.chatgpt.com; HttpOnly; Secure; SameSite=None' } },
      ),
      itemsAnswer([{ message: 'Sunny in Oslo.', phase: 'final_answer' }]),
    );
    const run = await runInProcess(['ask', '-m', 'gpt-6-sol', '--tool', file, 'weather in Oslo?'], { fake, configDir: dir });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'Sunny in Oslo.\n', '']);
    const follow = responsesBodies()[1]!.input;
    const start = follow.findIndex((item) => item.type === 'reasoning');
    expect(follow.slice(start).map((item) => (item.type === 'message' ? `message:${String(item.role)}` : item.type))).toEqual([
      'reasoning',
      'message:assistant',
      'function_call',
      'function_call_output',
    ]);
    expect(follow[start + 1]).toMatchObject({
      type: 'message',
      role: 'assistant',
      phase: 'commentary',
      content: [{ type: 'output_text', text: 'Let me look that up.' }],
    });
    expect(follow[start + 1]).not.toHaveProperty('id');
    const cookies = fake.requestsTo('/backend-api/codex/responses').map((request) => request.headers.cookie);
    expect(cookies).toEqual([undefined, '__cf_bm=bm-1']);
    // Kept in memory only: the next process starts without it.
    fake.requests.length = 0;
    expect((await runInProcess(['ask', 'q'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(fake.requestsTo('/backend-api/codex/responses')[0]!.headers.cookie).toBeUndefined();
  });

  it('a function call when no tool was offered → exit 6 unsupported_tool_call naming it, after one turn', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'read_file', arguments: { path: '/etc/passwd' } }] }));
    const run = await runInProcess(['ask', '--json', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toBe('codex: the model called the tool read_file (function_call), which codex does not offer\n');
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'unsupported_tool_call', exit_code: 6 });
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
  });

  it('a failing tool reaches the model as an error output with its stderr', async () => {
    const file = tool('broken', 'echo "disk on fire" >&2; exit 3');
    fake.responses.push(answer({ functionCalls: [{ name: 'broken', arguments: {}, call_id: 'call_x' }] }));
    fake.responses.push(answer({ text: 'The tool failed.' }));
    const run = await runInProcess(['ask', '--json', '--tool', file, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    const result = jsonLines(run.stdout).find((e) => e.type === 'tool_result');
    expect(result).toMatchObject({ call_id: 'call_x', is_error: true });
    expect(String(result!.output)).toMatch(/exited with status 3\ndisk on fire/);
    expect(responsesBodies()[1]!.input.at(-1)).toMatchObject({
      type: 'function_call_output',
      call_id: 'call_x',
      output: [{ type: 'input_text', text: expect.stringContaining('disk on fire') }],
    });
  });

  it('a tool that hangs is killed at its timeout', async () => {
    const file = tool('hang', 'sleep 30', { timeout_s: 0.5 });
    fake.responses.push(answer({ functionCalls: [{ name: 'hang', arguments: {} }] }));
    fake.responses.push(answer({ text: 'gave up' }));
    const run = await runInProcess(['ask', '--json', '--tool', file, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(jsonLines(run.stdout).find((e) => e.type === 'tool_result')).toMatchObject({ is_error: true, output: expect.stringContaining('timed out after 0.5 s') });
  });

  it('--max-turns stops a model that keeps calling tools: exit 6, max_turns', async () => {
    const file = tool('loop', 'echo again');
    for (let i = 0; i < 3; i++) fake.responses.push(answer({ functionCalls: [{ name: 'loop', arguments: {} }] }));
    const run = await runInProcess(['ask', '--json', '--max-turns', '2', '--tool', file, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(6);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'max_turns', exit_code: 6 });
    expect(responsesBodies()).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['no command', JSON.stringify({ name: 'x', parameters: {} }), /command/],
    ['empty command', JSON.stringify({ name: 'x', command: [] }), /command/],
    ['bad name', JSON.stringify({ name: 'no spaces allowed', command: ['true'] }), /name/],
  ])('a tool file that is %s → exit 2 before any request', async (_what, content, message) => {
    const file = join(tempDir(), 'tool.json');
    writeFileSync(file, content);
    const run = await runInProcess(['ask', '--tool', file, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(responsesBodies()).toHaveLength(0);
  });

  it('the example tool in examples/ works', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' }, call_id: 'call_ex' }] }));
    fake.responses.push(answer({ text: 'ok' }));
    const run = await runInProcess(['ask', '--json', '--tool', resolve('examples/weather.json'), 'weather in Oslo?'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(jsonLines(run.stdout).find((e) => e.type === 'tool_result')).toMatchObject({ output: 'It is 21°C and sunny in Oslo (tool call call_ex).\n', is_error: false });
  });
});

describe('--schema', () => {
  const schema = { type: 'object', properties: { capital: { type: 'string' } }, required: ['capital'], additionalProperties: false };

  it('asks for json_schema output and prints exactly one JSON document', async () => {
    const file = join(tempDir(), 'schema.json');
    writeFileSync(file, JSON.stringify(schema));
    fake.responses.push(answer({ text: '{"capital":"Paris"}', reasoning: ['thinking'] }));
    const run = await runInProcess(['ask', '--schema', file, 'capital of France?'], { fake, configDir: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('{"capital":"Paris"}\n');
    expect(JSON.parse(run.stdout)).toEqual({ capital: 'Paris' });
    expect((responsesBodies()[0] as unknown as { text: unknown }).text).toEqual({
      verbosity: 'low',
      format: { type: 'json_schema', name: 'output', schema, strict: true },
    });
  });

  it('takes the schema inline too; an answer that is not JSON → exit 6 schema_mismatch', async () => {
    fake.responses.push(answer({ text: 'Paris, of course.' }));
    const run = await runInProcess(['ask', '--schema', JSON.stringify(schema), 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(6);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^codex: the answer is not the JSON document --schema asked for/);
    fake.responses.push(answer({ text: 'nope' }));
    const json = await runInProcess(['ask', '--json', '--schema', JSON.stringify(schema), 'q'], { fake, configDir: dir });
    const events = jsonLines(json.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'schema_mismatch', exit_code: 6 });
    expect(events.some((e) => e.type === 'result')).toBe(false);
  });

  it('a schema that is not JSON → exit 2', async () => {
    const run = await runInProcess(['ask', '--schema', '{broken', 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: --schema: the inline schema is not valid JSON\n');
    expect(run.stdout).toBe('');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });
});

describe('--image', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
  const gif = Buffer.from('GIF89a and the rest');
  /** A loopback web server for `-i URL`: a GIF served as text/plain, a 404, a redirect to ftp:, text, a huge length. */
  const images = { url: '', paths: [] as string[], server: undefined as Server | undefined };
  beforeAll(async () => {
    images.server = createServer((req, res) => {
      images.paths.push(req.url ?? '');
      if (req.url === '/cat') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(gif);
      if (req.url === '/to-ftp') return void res.writeHead(302, { location: 'ftp://example.com/cat.gif' }).end();
      if (req.url === '/text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      if (req.url === '/huge') return void res.writeHead(200, { 'content-length': String(20 * 1024 * 1024 + 1) }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((done) => images.server!.listen(0, '127.0.0.1', done));
    images.url = `http://127.0.0.1:${(images.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    images.server?.closeAllConnections();
    await new Promise((done) => images.server?.close(done));
  });
  beforeEach(() => {
    images.paths.length = 0;
  });

  it('lite: files as data URLs of the type their bytes say, framed as the official client frames them, no detail; a URL is fetched and inlined', async () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'shot.png'), png);
    writeFileSync(join(folder, 'misnamed.jpg'), gif);
    const run = await runInProcess(
      ['ask', '-m', 'gpt-6-sol', '-i', join(folder, 'shot.png'), '--image', join(folder, 'misnamed.jpg'), '-i', `${images.url}/cat`, 'describe'],
      {
        fake,
        configDir: dir,
      },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const content = (responsesBodies()[0]!.input.find((item) => item.role === 'user') as { content: unknown[] }).content;
    // The served type (text/plain) is ignored: the bytes are a GIF.
    expect(content).toEqual([
      { type: 'input_text', text: '<image name=[Image #1]>' },
      { type: 'input_image', image_url: `data:image/png;base64,${png.toString('base64')}` },
      { type: 'input_text', text: '</image>' },
      { type: 'input_text', text: '<image name=[Image #2]>' },
      { type: 'input_image', image_url: `data:image/gif;base64,${gif.toString('base64')}` },
      { type: 'input_text', text: '</image>' },
      { type: 'input_text', text: '<image name=[Image #3]>' },
      { type: 'input_image', image_url: `data:image/gif;base64,${gif.toString('base64')}` },
      { type: 'input_text', text: '</image>' },
      { type: 'input_text', text: 'describe' },
    ]);
    expect(images.paths).toEqual(['/cat']);
  });

  it('classic (gpt-5.5): images with full detail, a URL sent as it is', async () => {
    const folder = tempDir();
    writeFileSync(join(folder, 'shot.png'), png);
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '-i', join(folder, 'shot.png'), '-i', 'https://example.com/cat.webp', 'describe'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const content = (responsesBodies()[0]!.input[0] as { content: unknown[] }).content;
    expect(content).toEqual([
      { type: 'input_text', text: '<image name=[Image #1]>' },
      { type: 'input_image', image_url: `data:image/png;base64,${png.toString('base64')}`, detail: 'high' },
      { type: 'input_text', text: '</image>' },
      { type: 'input_text', text: '<image name=[Image #2]>' },
      { type: 'input_image', image_url: 'https://example.com/cat.webp', detail: 'high' },
      { type: 'input_text', text: '</image>' },
      { type: 'input_text', text: 'describe' },
    ]);
  });

  it.each([
    ['a 404', '/missing', 'HTTP 404'],
    ['a redirect to another scheme', '/to-ftp', 'it redirects to ftp:, which codex does not follow'],
    ['not an image', '/text', 'not a PNG, JPEG, GIF or WebP image (text/plain)'],
    ['over 20 MB by its length', '/huge', '20.0 MB; the limit is 20 MB'],
  ])('lite: a URL that is %s → exit 2 with one line, nothing sent', async (_what, path, why) => {
    const run = await runInProcess(['ask', '-m', 'gpt-6-sol', '-i', `${images.url}${path}`, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`codex: --image: cannot use ${images.url}${path}: ${why}\n`);
    expect(responsesBodies()).toHaveLength(0);
  });

  it.each([
    ['missing', () => join(tempDir(), 'nope.png'), /cannot read/],
    ['a URL of another scheme', () => 'ftp://example.com/cat.png', /only https:\/\/, http:\/\/ and data:image\/ URLs, or a file/],
    [
      'not an image',
      () => {
        const f = join(tempDir(), 'a.png');
        writeFileSync(f, 'hello');
        return f;
      },
      /not a PNG, JPEG, GIF or WebP/,
    ],
    [
      'over 20 MB',
      () => {
        const f = join(tempDir(), 'big.png');
        writeFileSync(f, Buffer.concat([png, Buffer.alloc(20 * 1024 * 1024)]));
        return f;
      },
      /limit is 20 MB/,
    ],
  ])('%s → exit 2, nothing sent', async (_what, make, message) => {
    const run = await runInProcess(['ask', '-i', make(), 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(responsesBodies()).toHaveLength(0);
  });
});
