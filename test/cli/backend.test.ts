// The backend's rules of December 2026 (protocol §10), as the fake enforces them: what `ask` sends and how it
// answers each refusal.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MODELS_CACHE_FILE } from '../../src/client/models/cache.js';
import { answer, status } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { useNpmRegistry } from '../support/npm-registry.js';
import { configDirWith } from '../support/temp.js';
import { writeTool } from '../support/tools.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

const RESPONSES = '/backend-api/codex/responses';
const MODELS = '/backend-api/codex/models';
const CHECK = '/backend-api/wham/accounts/check';
const UA = /^codex_cli_rs\/0\.171\.0 \([^;()]+; [^;()]+\) \S+ \(codex-oauth; \S+\)$/;
type Body = Record<string, unknown> & { input: Record<string, unknown>[] };
const bodies = () => fake.requestsTo(RESPONSES).map((request) => request.body as Body);

describe('the catalog decides the model and its settings', () => {
  it('no -m: the catalog top model, in the lite layout, with its default effort and verbosity; one catalog fetch an hour', async () => {
    const run = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: hi\n');
    const [request] = fake.requestsTo(RESPONSES);
    expect(request!.headers.version).toBe('0.171.0');
    expect(request!.headers['user-agent']).toMatch(UA);
    expect(request!.headers['x-openai-internal-codex-responses-lite']).toBe('true');
    expect(request!.body).toEqual({
      model: 'gpt-6.2-sol',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: expect.stringMatching(/\S/) }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'low', context: 'all_turns' },
      include: ['reasoning.encrypted_content'],
      store: false,
      stream: true,
      prompt_cache_key: request!.headers['session-id'],
      text: { verbosity: 'low' },
    });
    // The catalog and the workspace check carry the same version; the second run uses both caches.
    expect(fake.requestsTo(MODELS).map((r) => [r.query.get('client_version'), r.headers.version])).toEqual([['0.171.0', '0.171.0']]);
    expect(fake.requestsTo(CHECK)).toHaveLength(1);
    fake.requests.length = 0;
    expect((await runInProcess(['ask', 'again'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(fake.requests.map((r) => r.path)).toEqual([RESPONSES]);
  });

  it('follows the catalog when its top model changes, and names it in start and result', async () => {
    fake.models = (fake.models as { slug: string }[]).map((model) => (model.slug === 'gpt-6-sol' ? { ...model, priority: -5 } : model));
    const run = await runInProcess(['ask', '--json', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events[0]).toMatchObject({ type: 'start', model: 'gpt-6-sol' });
    expect(events.at(-1)).toMatchObject({ type: 'result', model: 'gpt-6-sol' });
    // gpt-6-sol's own default effort; --json shows the reasoning, so a summary is asked for.
    expect(bodies()[0]).toMatchObject({ model: 'gpt-6-sol', reasoning: { effort: 'medium', summary: 'auto', context: 'all_turns' } });
  });

  it('a classic model (no use_responses_lite) gets the classic layout; -e and --verbosity are sent as chosen', async () => {
    const run = await runInProcess(['ask', '-m', 'gpt-5.5', '-e', 'xhigh', '--verbosity', 'high', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const [request] = fake.requestsTo(RESPONSES);
    expect(request!.headers['x-openai-internal-codex-responses-lite']).toBeUndefined();
    expect(request!.body).toMatchObject({ tools: [], parallel_tool_calls: true, reasoning: { effort: 'xhigh' }, text: { verbosity: 'high' } });
    expect((request!.body as Body).input.map((item) => item.type)).toEqual(['message']);
  });

  it('max and ultra are levels like any other where the model offers them', async () => {
    expect((await runInProcess(['ask', '-e', 'ultra', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(bodies()[0]).toMatchObject({ model: 'gpt-6.2-sol', reasoning: { effort: 'ultra' } });
  });

  it('config.json responses_layout forces a layout; an unknown value is refused', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ responses_layout: 'classic' }));
    expect((await runInProcess(['ask', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    const [request] = fake.requestsTo(RESPONSES);
    expect(request!.headers['x-openai-internal-codex-responses-lite']).toBeUndefined();
    expect(request!.body).toMatchObject({ model: 'gpt-6.2-sol', tools: [], parallel_tool_calls: true, reasoning: { effort: 'low' } });

    writeFileSync(join(dir, 'config.json'), JSON.stringify({ responses_layout: 'newest' }));
    const bad = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(`codex: "responses_layout" in ${join(dir, 'config.json')} must be one of auto, classic, lite, not "newest"\n`);
  });

  it('--reasoning asks for a summary; plain text mode does not', async () => {
    await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    await runInProcess(['ask', '--reasoning', 'hi'], { fake, configDir: dir });
    const [plain, shown] = bodies();
    expect(plain!.reasoning).toEqual({ effort: 'low', context: 'all_turns' });
    expect(shown!.reasoning).toEqual({ effort: 'low', summary: 'auto', context: 'all_turns' });
  });
});

describe('refusals, before sending and from the backend', () => {
  it.each([
    [
      'gpt-5.4',
      /^codex: -m: model gpt-5\.4 was retired on 2026-08-31; current models: gpt-6\.2-sol, gpt-6\.2-astra, gpt-6\.1-terra, gpt-6\.1-sol, … \(`codex models` lists them all\)\n$/,
    ],
    ['gpt-4.1', /^codex: -m: model gpt-4\.1 is an API model that the Codex backend does not serve to ChatGPT accounts; current models: gpt-6\.2-sol/],
  ])('-m %s (retired) → exit 2 before anything is sent', async (slug, message) => {
    const run = await runInProcess(['ask', '-m', slug, 'hi'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(fake.requestsTo(RESPONSES)).toHaveLength(0);
  });

  it('a model the backend no longer serves → exit 6 model_unavailable naming the current default; the stale list is replaced', async () => {
    expect((await runInProcess(['models'], { fake, configDir: dir })).exitCode).toBe(0);
    const cache = join(dir, MODELS_CACHE_FILE);
    expect(readFileSync(cache, 'utf8')).toContain('"gpt-6.2-sol"');
    // The backend retires today's default: the cached list still offers it, /responses refuses it.
    fake.retired.push('gpt-6.2-sol');
    fake.models = (fake.models as { slug: string }[]).filter((model) => model.slug !== 'gpt-6.2-sol');
    const run = await runInProcess(['ask', '--json', 'hi'], { fake, configDir: dir });
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toBe(
      'codex: the backend does not serve model gpt-6.2-sol to ChatGPT accounts (HTTP 400); `codex models` lists the current ones; the current default is gpt-6.2-astra\n',
    );
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'model_unavailable', exit_code: 6, status: 400 });
    expect(readFileSync(cache, 'utf8')).not.toContain('"gpt-6.2-sol"');
    expect(fake.requestsTo(RESPONSES)).toHaveLength(1);
    // The next run uses the new default at once.
    expect((await runInProcess(['ask', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    expect((fake.requestsTo(RESPONSES)[1]!.body as Body).model).toBe('gpt-6.2-astra');
  });

  it('a model above the client version → exit 6 client_outdated, saying how to raise it', async () => {
    // The catalog cannot be had, so the built-in one lets gpt-6.2-sol through; the backend decides.
    fake.modelsReplies.push(status(500), status(500));
    const run = await runInProcess(['ask', '--json', 'hi'], { fake, configDir: dir, env: { CODEX_CLIENT_VERSION: '0.150.0' } });
    expect(run.exitCode).toBe(6);
    expect(fake.requestsTo(RESPONSES)[0]!.headers.version).toBe('0.150.0');
    expect(run.stderr).toBe(
      'codex: model gpt-6.2-sol needs a newer Codex client version than 0.150.0; set CODEX_CLIENT_VERSION or "client_version" in config.json to the newest official Codex CLI release\n',
    );
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'client_outdated', exit_code: 6 });
  });

  it('the other refusal shape, 404 "Model not found", is model_unavailable too', async () => {
    fake.responses.push(status(404, { detail: 'Model not found' }));
    const run = await runInProcess(['ask', '-m', 'gpt-6-sol', 'hi'], { fake, configDir: dir });
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toMatch(/^codex: the backend does not serve this model to ChatGPT accounts \(HTTP 404\); `codex models` lists the current ones/);
  });
});

describe('the client version keeps up with the newest official release', () => {
  const registry = useNpmRegistry();
  beforeEach(() => {
    // gpt-6-sol now needs 0.180.0; the catalog cannot be had, so the built-in list lets it through to the backend.
    fake.models = (fake.models as { slug: string }[]).map((model) => (model.slug === 'gpt-6-sol' ? { ...model, minimal_client_version: '0.180.0' } : model));
  });
  const ask = (env: Record<string, string> = {}) => {
    fake.modelsReplies.push(status(500), status(500));
    return runInProcess(['ask', '-m', 'gpt-6-sol', 'hi'], { fake, configDir: dir, env: { CODEX_NPM_REGISTRY: registry.url, ...env } });
  };
  const versions = () => fake.requestsTo(RESPONSES).map((request) => request.headers.version);

  it('"requires a newer version" → the newest @openai/codex from npm, one retry, said on stderr; the answer cached a day', async () => {
    const run = await ask();
    expect([run.exitCode, run.stdout]).toEqual([0, 'You said: hi\n']);
    expect(run.stderr).toBe(
      'codex: the backend wants a newer Codex client than 0.171.0; retrying as 0.180.0, the newest @openai/codex on npm (set "client_version" in config.json to choose one)\n',
    );
    expect(versions()).toEqual(['0.171.0', '0.180.0']);
    expect(fake.requestsTo(RESPONSES)[1]!.headers['user-agent']).toMatch(/^codex_cli_rs\/0\.180\.0 /);
    expect(registry.hits).toBe(1);
    // The next run uses the cached answer: no second look-up.
    fake.requests.length = 0;
    const again = await ask();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(versions()).toEqual(['0.171.0', '0.180.0']);
    expect(registry.hits).toBe(1);
  });

  it('offline, or npm has nothing newer → the error stays as today', async () => {
    const offline = await ask({ CODEX_NPM_REGISTRY: 'http://127.0.0.1:9' });
    expect(offline.exitCode).toBe(6);
    expect(offline.stderr).toBe(
      'codex: model gpt-6-sol needs a newer Codex client version than 0.171.0; set CODEX_CLIENT_VERSION or "client_version" in config.json to the newest official Codex CLI release\n',
    );
    registry.latest = '0.171.0';
    try {
      const same = await ask();
      expect([same.exitCode, registry.hits]).toEqual([6, 1]);
    } finally {
      registry.latest = '0.180.0';
    }
    expect(versions()).toEqual(['0.171.0', '0.171.0']);
  });

  it('a version someone chose stays: CODEX_CLIENT_VERSION or client_version → the error as before, npm never asked', async () => {
    const run = await ask({ CODEX_CLIENT_VERSION: '0.171.0' });
    expect(run.exitCode).toBe(6);
    expect(run.stderr).toMatch(/^codex: model gpt-6-sol needs a newer Codex client version than 0\.171\.0; set CODEX_CLIENT_VERSION/);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ client_version: '0.171.0' }));
    expect((await ask()).exitCode).toBe(6);
    expect(registry.hits).toBe(0);
    expect(versions()).toEqual(['0.171.0', '0.171.0']);
  });
});

describe('turn state and workspace routing', () => {
  it('echoes the first x-codex-turn-state of an ask on its follow-up requests, not on the first, and not into the next ask', async () => {
    const { file } = writeTool('noop', { description: 'does nothing', command: ['true'] });
    fake.turnState = 'ts_abc'; // the fake sends ts_abc-1, ts_abc-2, … on its answers
    fake.responses.push(
      answer({ functionCalls: [{ name: 'noop', arguments: {} }] }),
      answer({ functionCalls: [{ name: 'noop', arguments: {} }] }),
      answer({ text: 'done' }),
    );
    const run = await runInProcess(['ask', '--tool', file, 'go'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('done\n');
    expect(fake.requestsTo(RESPONSES).map((request) => request.headers['x-codex-turn-state'])).toEqual([undefined, 'ts_abc-1', 'ts_abc-1']);
    expect((await runInProcess(['ask', 'next'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(fake.requestsTo(RESPONSES)[3]!.headers['x-codex-turn-state']).toBeUndefined();
  });

  it('a failed workspace check is not asked again on the next run, and a 401 from it spends no refresh token', async () => {
    fake.accountsCheckReplies.push(status(401, { detail: 'Unauthorized' }));
    expect((await runInProcess(['ask', 'one'], { fake, configDir: dir })).exitCode).toBe(0);
    expect((await runInProcess(['ask', 'two'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(fake.requestsTo(CHECK)).toHaveLength(1);
    expect(fake.refreshRequests).toHaveLength(0);
    for (const request of fake.requestsTo(RESPONSES)) expect(request.headers['x-openai-account-routing-override']).toBeUndefined();
  });

  it('a us workspace: the routing header on every /responses request, sent to its backend origin', async () => {
    const port = new URL(fake.url).port;
    fake.routing = { override: 'us', origin: `http://localhost:${port}` };
    const run = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const [request] = fake.requestsTo(RESPONSES);
    expect(request!.headers['x-openai-account-routing-override']).toBe('us');
    expect(request!.headers.host).toBe(`localhost:${port}`);
    // The catalog itself still comes from the configured base URL.
    expect(fake.requestsTo(MODELS)[0]!.headers.host).toBe(`127.0.0.1:${port}`);
  });

  it('an origin that is not https (and not loopback) is never used; the header still is', async () => {
    fake.routing = { override: 'us_cr', origin: 'http://attacker.example' };
    const run = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    const [request] = fake.requestsTo(RESPONSES);
    expect(request!.headers['x-openai-account-routing-override']).toBe('us_cr');
    expect(request!.headers.host).toBe(new URL(fake.url).host);
  });

  it.each([
    ['a personal account (no override)', () => undefined],
    [
      'NO_CONSTRAINT',
      () => {
        fake.routing = { override: 'NO_CONSTRAINT', origin: 'https://elsewhere.example' };
      },
    ],
    ['a failed workspace check', () => void fake.accountsCheckReplies.push(status(500), status(500))],
  ])('%s: nothing changes', async (_what, setUp) => {
    setUp();
    const run = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const [request] = fake.requestsTo(RESPONSES);
    expect(request!.headers['x-openai-account-routing-override']).toBeUndefined();
    expect(request!.headers.host).toBe(new URL(fake.url).host);
  });
});

describe('the issuer sees the official originator and User-Agent', () => {
  it('on a refresh', async () => {
    const expired = configDirWith(fake.issueTokens(-60));
    expect((await runInProcess(['ask', 'hi'], { fake, configDir: expired })).exitCode).toBe(0);
    const [refresh] = fake.refreshRequests;
    expect(refresh!.headers.originator).toBe('codex_cli_rs');
    expect(refresh!.headers['user-agent']).toMatch(UA);
  });
});
