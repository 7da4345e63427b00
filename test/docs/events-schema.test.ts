// schema/events.schema.json (generated from the zod definitions) validates real `codex ask --json` output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, status, usageLimit } from '../fake/replies.js';
import type { FakeCodex } from '../fake/server.js';
import { configDirWith, jsonLines, runCli, startFake, tempDir } from '../e2e/harness.js';
import { ROOT } from './tools.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/events.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
const eventTypes = (schema.oneOf as { properties: { type: { const: string } } }[]).map((branch) => branch.properties.type.const);

let fake: FakeCodex;
const seen = new Set<string>();

beforeAll(async () => {
  fake = await startFake();
});
afterAll(async () => {
  await fake.close();
});

async function events(args: string[], options: { signedIn?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const configDir = options.signedIn === false ? tempDir() : configDirWith(fake.issueTokens());
  const run = await runCli(['ask', '--json', ...args], { fake, configDir });
  const lines = jsonLines(run.stdout);
  expect(lines.length).toBeGreaterThan(0);
  for (const event of lines) {
    expect(validate(event), `${JSON.stringify(event)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    seen.add(event.type as string);
  }
  expect(lines[0]!.type === 'start' || lines.length === 1).toBe(true);
  expect(['result', 'error']).toContain(lines.at(-1)!.type);
  return lines;
}

function toolFile(): string {
  return join(ROOT, 'examples/weather.json');
}

describe('schema/events.schema.json', () => {
  it('is a JSON Schema of one event per line, one branch per event type', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(eventTypes.sort()).toEqual(['error', 'rate_limits', 'reasoning.delta', 'result', 'retry', 'start', 'text.delta', 'tool_call', 'tool_result']);
  });

  it('validates an answer with reasoning and rate limits', async () => {
    fake.responses.push(answer({
      text: 'Paris.',
      reasoning: ['Thinking.'],
      headers: { 'x-codex-primary-used-percent': '12.5', 'x-codex-primary-window-minutes': '300', 'x-codex-primary-reset-at': '1764000000' },
    }));
    const lines = await events(['capital of France?']);
    expect(lines.map((event) => event.type)).toEqual(expect.arrayContaining(['start', 'reasoning.delta', 'text.delta', 'result']));
  });

  it('validates tool calls and their results', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, call_id: 'call_1' }] }));
    fake.responses.push(answer({ text: 'Sunny.' }));
    const lines = await events(['--tool', toolFile(), 'weather in Paris?']);
    expect(lines.map((event) => event.type)).toEqual(expect.arrayContaining(['tool_call', 'tool_result', 'result']));
  });

  it('validates retries', async () => {
    fake.responses.push(status(503, { detail: 'busy' }, { 'retry-after-ms': '1' }));
    fake.responses.push(answer({ text: 'after a retry' }));
    const lines = await events(['hello']);
    expect(lines.map((event) => event.type)).toContain('retry');
  });

  it('validates errors: a usage limit, and not being signed in', async () => {
    fake.responses.push(usageLimit());
    expect((await events(['hello'])).at(-1)).toMatchObject({ type: 'error', code: 'usage_limit_reached', exit_code: 4 });
    expect((await events(['hello'], { signedIn: false })).at(-1)).toMatchObject({ type: 'error', code: 'not_logged_in', exit_code: 3 });
  });

  it('rejects what is not an event (the schema is strict)', () => {
    expect(validate({ type: 'text.delta' })).toBe(false);
    expect(validate({ type: 'nope', delta: 'x' })).toBe(false);
    expect(validate({ type: 'text.delta', delta: 'x', extra: 1 })).toBe(false);
  });

  it('every event type was seen in a real run above', () => {
    expect([...seen].sort()).toEqual([...eventTypes].sort());
  });
});
