// A continued conversation keeps its settings: the model, effort, verbosity, system prompt and template of its
// last turn are sent again unless a flag gives another (which later turns then keep). `log show` prints them.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Codex } from '../../src/library/codex.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

type Body = { model: string; reasoning?: { effort?: string }; text?: { verbosity?: string }; input: Record<string, unknown>[] };
const bodies = () => fake.requestsTo('/backend-api/codex/responses').map((request) => request.body as Body);
/** What a request asked for, in either request layout (effort at the top level or in a configuration_update item). */
function settingsOf(body: Body) {
  const update = body.input.find((item) => item.type === 'configuration_update') as { reasoning?: { effort?: string } } | undefined;
  return { model: body.model, effort: body.reasoning?.effort ?? update?.reasoning?.effort, verbosity: body.text?.verbosity };
}
/** Whether the request carries this system prompt (as instructions or as a developer message). */
const carries = (body: Body, system: string) => JSON.stringify(body).includes(system);
const ask = (args: string[]) => runInProcess(['ask', ...args], { fake, configDir: dir });

describe('a continued conversation keeps its settings', () => {
  it('--cid: model, effort, verbosity and system prompt are reused; a flag overrides one for later turns too', async () => {
    const first = await ask(['-m', 'gpt-6-luna', '-e', 'high', '--verbosity', 'low', '-s', 'You are a pirate', '--cid', 'spy', 'a']);
    expect(first.exitCode, first.stderr).toBe(0);
    const second = await ask(['--cid', 'spy', 'b']);
    expect(second.exitCode, second.stderr).toBe(0);
    const third = await ask(['--cid', 'spy', '-s', 'You are a cat', '-e', 'low', 'c']);
    expect(third.exitCode, third.stderr).toBe(0);
    const fourth = await ask(['--cid', 'spy', 'd']);
    expect(fourth.exitCode, fourth.stderr).toBe(0);
    const [one, two, three, four] = bodies();
    for (const body of [one!, two!]) {
      expect(settingsOf(body)).toEqual({ model: 'gpt-6-luna', effort: 'high', verbosity: 'low' });
      expect(carries(body, 'You are a pirate')).toBe(true);
    }
    for (const body of [three!, four!]) {
      expect(settingsOf(body)).toEqual({ model: 'gpt-6-luna', effort: 'low', verbosity: 'low' });
      expect(carries(body, 'You are a cat')).toBe(true);
      expect(carries(body, 'You are a pirate')).toBe(false);
    }

    const show = await runInProcess(['log', 'show', 'spy'], { fake, configDir: dir });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout.split('\n').slice(1, 3)).toEqual(['model gpt-6-luna · effort low · verbosity low', 'system: You are a cat']);
    const json = JSON.parse((await runInProcess(['log', 'show', 'spy', '--json'], { fake, configDir: dir })).stdout) as {
      settings: unknown;
      turns: { settings: unknown }[];
    };
    expect(json.settings).toEqual({ model: 'gpt-6-luna', effort: 'low', verbosity: 'low', system: 'You are a cat' });
    expect(json.turns[0]!.settings).toEqual({ model: 'gpt-6-luna', effort: 'high', verbosity: 'low', system: 'You are a pirate' });
  });

  it('-c and a template: the template is recorded and its settings kept; -m anew drops the recorded effort', async () => {
    mkdirSync(join(dir, 'templates'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'templates', 'reviewer.json'), JSON.stringify({ system: 'Review; bugs first.', model: 'gpt-6-luna', effort: 'high' }), { mode: 0o600 });
    expect((await ask(['-t', 'reviewer', 'the diff'])).exitCode).toBe(0);
    expect((await ask(['-c', 'and the tests?'])).exitCode).toBe(0);
    expect((await ask(['-c', '-m', 'gpt-5.5', 'once more'])).exitCode).toBe(0);
    const [one, two, three] = bodies();
    expect(settingsOf(two!)).toEqual(settingsOf(one!));
    expect(settingsOf(two!)).toMatchObject({ model: 'gpt-6-luna', effort: 'high' });
    expect(carries(two!, 'Review; bugs first.')).toBe(true);
    expect(settingsOf(three!).model).toBe('gpt-5.5');
    expect(settingsOf(three!).effort).not.toBe('high');
    expect(carries(three!, 'Review; bugs first.')).toBe(true);
    const show = await runInProcess(['log', 'show'], { fake, configDir: dir });
    expect(show.stdout.split('\n')[1]).toMatch(/^model gpt-5\.5 · effort .* · template reviewer$/);
  });

  it('a log written before settings were kept still continues (with the defaults) and shows', async () => {
    const first = await ask(['--json', '-m', 'gpt-6-luna', '--cid', 'old', 'a']);
    const id = jsonLines(first.stdout)[0]!.conversation_id as string;
    const file = join(dir, 'data', 'conversations', `${id}.jsonl`);
    const [header, turn] = readFileSync(file, 'utf8').trim().split('\n');
    const { settings: _settings, ...oldTurn } = JSON.parse(turn!) as Record<string, unknown>;
    writeFileSync(file, `${header}\n${JSON.stringify(oldTurn)}\n`, { mode: 0o600 });
    const second = await ask(['--cid', 'old', 'b']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(bodies()[1]!.model).not.toBe('gpt-6-luna');
    const show = await runInProcess(['log', 'show', 'old'], { fake, configDir: dir });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/^conversation c_[0-9a-f]{20} \(old\)\n(.*\n)*--- turn 1 · .* · gpt-6-luna \(medium\)\n/);
    expect(readdirSync(join(dir, 'data', 'conversations')).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
  });
  it('the library: a conversation reuses the settings of its last turn, and the CLI continues with them', async () => {
    const codex = Codex.fromStore({ configDir: dir, baseUrl: fake.baseUrl, issuer: fake.issuer });
    const conversation = await codex.conversation('lib');
    await conversation.complete({ prompt: 'a', model: 'gpt-6-luna', effort: 'high', instructions: 'Be brief.' });
    await conversation.complete({ prompt: 'b' });
    expect(await conversation.settings()).toEqual({ model: 'gpt-6-luna', effort: 'high', system: 'Be brief.' });
    expect((await ask(['--cid', 'lib', 'c'])).exitCode).toBe(0);
    const [, two, three] = bodies();
    for (const body of [two!, three!]) {
      expect(settingsOf(body)).toMatchObject({ model: 'gpt-6-luna', effort: 'high' });
      expect(carries(body, 'Be brief.')).toBe(true);
    }
  });
});
