// schema/events.schema.json (generated from the zod definitions) validates real `codex ask --json` output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/shared/errors.js';
import { answer, itemsAnswer, RATE_LIMITS_EVENT, status, usageLimit } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import { jsonLines, runCli } from '../support/cli.js';
import { ROOT } from '../support/docs.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/events.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
const eventTypes = (schema.oneOf as { properties: { type: { const: string } } }[]).map((branch) => branch.properties.type.const);

type Events = Record<string, unknown>[];

const fake = useFake();
withSearchingModel(fake);
/** The JSON-lines output of each scenario, all run once before the tests (so no test depends on another). */
const runs: Record<'answer' | 'commentary' | 'customLimits' | 'tools' | 'search' | 'images' | 'retry' | 'usageLimit' | 'notSignedIn', Events> = {
  answer: [],
  search: [],
  images: [],
  commentary: [],
  customLimits: [],
  tools: [],
  retry: [],
  usageLimit: [],
  notSignedIn: [],
};

async function events(args: string[], options: { signedIn?: boolean } = {}): Promise<Events> {
  const configDir = options.signedIn === false ? tempDir() : configDirWith(fake.issueTokens());
  const run = await runCli(['ask', '--json', ...args], { fake, configDir });
  return jsonLines(run.stdout);
}

const toolFile = () => join(ROOT, 'examples/weather.json');

beforeAll(async () => {
  fake.responses.push(answer({ text: 'Paris.', reasoning: ['Thinking.'] }));
  runs.answer = await events(['capital of France?']);
  fake.responses.push(itemsAnswer([{ message: 'Let me think.', phase: 'commentary' }, { message: 'Berlin.' }]));
  runs.commentary = await events(['capital of Germany?']);

  fake.responses.push(
    answer({
      text: 'Rome.',
      headers: {
        'x-codex-primary-used-percent': '87.5',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': '1764000000',
        // Another quota bucket, as the backend names it (protocol §11).
        'x-codex-bengalfox-primary-used-percent': '12',
        'x-codex-bengalfox-primary-window-minutes': '300',
        'x-codex-bengalfox-primary-reset-at': '1764000600',
        'x-codex-bengalfox-limit-name': 'GPT-5.3-Codex-Spark',
      },
    }),
  );
  runs.customLimits = await events(['capital of Italy?']);

  fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, call_id: 'call_1' }] }));
  fake.responses.push(answer({ text: 'Sunny.' }));
  runs.tools = await events(['--tool', toolFile(), 'weather in Paris?']);
  // The fake's model searches with web.run when it is offered (test/fake/search.ts).
  runs.search = await events(['--search', 'Berlin news']);

  fake.responses.push(itemsAnswer([{ call: { name: 'imagegen', namespace: 'image_gen', call_id: 'call_img', arguments: { prompt: 'a fox' } } }]));
  fake.responses.push(answer({ text: 'A fox.' }));
  runs.images = await events(['--image-out', tempDir(), 'draw a fox']);

  fake.responses.push(status(503, { detail: 'busy' }, { 'retry-after-ms': '1' }));
  fake.responses.push(answer({ text: 'after a retry' }));
  runs.retry = await events(['hello']);

  fake.responses.push(usageLimit());
  runs.usageLimit = await events(['hello']);
  runs.notSignedIn = await events(['hello'], { signedIn: false });
}, 60_000);

describe('schema/events.schema.json', () => {
  it('is a JSON Schema of one event per line, one branch per event type', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect([...eventTypes].sort()).toEqual([
      'commentary.delta',
      'error',
      'image',
      'rate_limits',
      'reasoning.delta',
      'result',
      'retry',
      'search',
      'start',
      'text.delta',
      'tool_call',
      'tool_result',
    ]);
  });

  it.each(Object.keys(runs) as (keyof typeof runs)[])('validates every line of the %s run; start first, one terminal event last', (name) => {
    const lines = runs[name];
    expect(lines.length).toBeGreaterThan(0);
    for (const event of lines) expect(validate(event), `${JSON.stringify(event)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(lines[0]!.type).toBe('start');
    expect(lines.filter((event) => event.type === 'result' || event.type === 'error')).toHaveLength(1);
    expect(['result', 'error']).toContain(lines.at(-1)!.type);
  });

  it('an answer: reasoning, text, and both rate-limit windows exactly as the headers said', () => {
    const lines = runs.answer;
    expect(lines.map((event) => event.type)).toEqual(expect.arrayContaining(['start', 'reasoning.delta', 'text.delta', 'result']));
    expect(lines.filter((event) => event.type === 'rate_limits')).toEqual([RATE_LIMITS_EVENT]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', text: 'Paris.' });
  });

  it('commentary: its own events, outside the answer', () => {
    expect(
      runs.commentary
        .filter((event) => event.type === 'commentary.delta')
        .map((event) => event.delta)
        .join(''),
    ).toBe('Let me think.');
    expect(runs.commentary.at(-1)).toMatchObject({ type: 'result', text: 'Berlin.' });
  });

  it('rate limits follow the headers of this response (a fractional percentage, the other window unchanged, other buckets by name)', () => {
    expect(runs.customLimits.filter((event) => event.type === 'rate_limits')).toEqual([
      {
        ...RATE_LIMITS_EVENT,
        primary: { used_percent: 87.5, window_minutes: 300, resets_at: 1764000000 },
        additional_limits: [
          { limit_id: 'codex-bengalfox', limit_name: 'GPT-5.3-Codex-Spark', primary: { used_percent: 12, window_minutes: 300, resets_at: 1764000600 } },
        ],
      },
    ]);
  });

  it('tool calls and their results', () => {
    const lines = runs.tools;
    expect(lines.map((event) => event.type)).toEqual(expect.arrayContaining(['tool_call', 'tool_result', 'result']));
    expect(lines.find((event) => event.type === 'tool_call')).toEqual({ type: 'tool_call', call_id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } });
  });

  it('web search: a search event, the citations in the result', () => {
    expect(runs.search.filter((event) => event.type === 'search')).toMatchObject([{ action: 'search', queries: ['Berlin news'], status: 'completed' }]);
    expect(runs.search.at(-1)).toMatchObject({ type: 'result', citations: [{ url: 'https://example.com/berlin-news-1' }, { url: 'https://example.com/berlin-news-2' }] });
  });

  it('images: an image event with the file, and the same in the result', () => {
    const image = runs.images.find((event) => event.type === 'image');
    expect(image).toMatchObject({ type: 'image', source: 'imagegen', id: 'call_img', format: 'png', path: expect.stringMatching(/codex-image-.*\.png$/) });
    const { type: _type, ...info } = image!;
    expect(runs.images.at(-1)).toMatchObject({ type: 'result', text: 'A fox.', images: [info] });
  });

  it('retries', () => {
    expect(runs.retry.filter((event) => event.type === 'retry')).toMatchObject([{ attempt: 1, reason: 'http_503', delay_ms: 1 }]);
    expect(runs.retry.at(-1)).toMatchObject({ type: 'result', text: 'after a retry' });
  });

  it('errors: a usage limit, and not being signed in', () => {
    expect(runs.usageLimit.at(-1)).toMatchObject({ type: 'error', code: 'usage_limit_reached', exit_code: EXIT_CODES.usage_limit_reached });
    expect(runs.notSignedIn.map((event) => event.type)).toEqual(['start', 'error']);
    expect(runs.notSignedIn.at(-1)).toMatchObject({ type: 'error', code: 'not_logged_in', exit_code: EXIT_CODES.not_logged_in });
  });

  it('rejects what is not an event (the schema is strict)', () => {
    expect(validate({ type: 'text.delta' })).toBe(false);
    expect(validate({ type: 'nope', delta: 'x' })).toBe(false);
    expect(validate({ type: 'text.delta', delta: 'x', extra: 1 })).toBe(false);
  });

  it('every event type appears in the real runs', () => {
    const seen = new Set(Object.values(runs).flatMap((lines) => lines.map((event) => event.type as string)));
    expect([...seen].sort()).toEqual([...eventTypes].sort());
  });
});

describe('schema/image.schema.json', () => {
  const imageSchema = JSON.parse(readFileSync(join(ROOT, 'schema/image.schema.json'), 'utf8')) as Record<string, unknown>;
  const validateImage = new Ajv({ strict: true, allErrors: true }).compile(imageSchema);

  it('validates the one line of codex image --json, and nothing else', async () => {
    const out = join(tempDir(), 'fox.png');
    const run = await runCli(['image', 'a fox', '-o', out, '--json'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(run.exitCode).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toHaveLength(1);
    expect(validateImage(lines[0]), JSON.stringify(validateImage.errors)).toBe(true);
    expect(validateImage({ ...lines[0], extra: 1 })).toBe(false);
    expect(validateImage({ type: 'result', path: out })).toBe(false);
  });
});
