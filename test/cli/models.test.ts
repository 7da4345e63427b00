import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MODELS_CACHE_FILE } from '../../src/client/models/cache.js';
import type { ModelInfo } from '../../src/client/models/model-info.js';
import { BUILTIN_MODELS } from '../../src/client/models/registry.js';
import { DEFAULT_MODEL, DEFAULT_CLIENT_VERSION as MODELS_CLIENT_VERSION } from '../../src/config/resolve.js';
import { hangUp, status } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { startFake, useFake } from '../support/fake.js';
import { configDirWith, fileMode, tempDir } from '../support/temp.js';

const MODELS_PATH = '/backend-api/codex/models';
/** The fake catalog (0.171.0's) as client version 0.171.0 sees it; codex-auto-review and the two daybreak models are hidden. */
const VISIBLE_BY_PRIORITY = [
  'gpt-6.2-sol',
  'gpt-6.2-astra',
  'gpt-6.1-terra',
  'gpt-6.1-sol',
  'gpt-6-astra',
  'gpt-6-sol',
  'gpt-6-luna',
  'gpt-5.6-sol',
  'gpt-5.6-terra',
  'gpt-5.6-luna',
  'gpt-5.5',
];
const BUILTIN_VISIBLE = BUILTIN_MODELS.filter((model) => !model.hidden).map((model) => model.id);

const parse = (stdout: string) => JSON.parse(stdout) as ModelInfo[];
const lines = (stdout: string) => stdout.split('\n').filter((line) => line !== '');

const fake = useFake({ fresh: true });
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

function cacheFile(): string {
  return join(dir, MODELS_CACHE_FILE);
}

function readCache(): { fetched_at_ms: number; base_url: string; models: { slug: string }[] } {
  return JSON.parse(readFileSync(cacheFile(), 'utf8')) as never;
}

describe('codex models: the live list', () => {
  it('prints visible slugs in priority order, one per line, and sends client_version with the auth headers', async () => {
    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(VISIBLE_BY_PRIORITY.map((slug) => `${slug}\n`).join(''));

    const [request, ...more] = fake.requestsTo(MODELS_PATH);
    expect(more).toHaveLength(0);
    expect(request!.method).toBe('GET');
    expect(request!.query.get('client_version')).toBe(MODELS_CLIENT_VERSION);
    expect(MODELS_CLIENT_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(request!.headers.authorization).toMatch(/^Bearer ey/);
    expect(request!.headers['chatgpt-account-id']).toBe(fake.account.accountId);
    expect(request!.headers.originator).toBe('codex_cli_rs');
    // The same client version as a header (protocol §10), and the official User-Agent format with our suffix.
    expect(request!.headers.version).toBe(MODELS_CLIENT_VERSION);
    expect(request!.headers['user-agent']).toMatch(/^codex_cli_rs\/0\.171\.0 \([^;()]+; [^;()]+\) \S+ \(codex-oauth; \d+\.\d+\.\d+[^)]*\)$/);
  });

  it('the client version decides what is listed: CODEX_CLIENT_VERSION and config.json client_version', async () => {
    const older = await runInProcess(['models'], { fake, configDir: dir, env: { CODEX_CLIENT_VERSION: '0.150.0' } });
    expect(older.exitCode).toBe(0);
    expect(lines(older.stdout)).toEqual(['gpt-5.6-sol', 'gpt-5.6-terra', 'gpt-5.6-luna', 'gpt-5.5']);
    expect(fake.requestsTo(MODELS_PATH).at(-1)!.query.get('client_version')).toBe('0.150.0');
    expect(fake.requestsTo(MODELS_PATH).at(-1)!.headers.version).toBe('0.150.0');

    // A cache fetched as another client version is not used; a version below the 6.2 models' minimum sees another default.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ client_version: '0.165.0' }));
    const before62 = parse((await runInProcess(['models', '--json'], { fake, configDir: dir })).stdout);
    expect(before62[0]).toMatchObject({ id: 'gpt-6.1-terra', default: true });
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(2);

    const bad = await runInProcess(['models'], { fake, configDir: dir, env: { CODEX_CLIENT_VERSION: 'latest' } });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('codex: CODEX_CLIENT_VERSION must be a version like 0.171.0, not "latest"\n');
  });

  it("the default is the catalog's top listed model, whatever the catalog says today", async () => {
    fake.models = (fake.models as { slug: string; priority: number }[]).map((model) => (model.slug === 'gpt-6-luna' ? { ...model, priority: -1 } : model));
    const models = parse((await runInProcess(['models', '--json'], { fake, configDir: dir })).stdout);
    expect(models[0]!.id).toBe('gpt-6-luna');
    expect(models.filter((model) => model.default).map((model) => model.id)).toEqual(['gpt-6-luna']);
  });

  it('--json gives the contract fields from the live list, default marked', async () => {
    const result = await runInProcess(['models', '--json'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    const models = parse(result.stdout);
    expect(models.map((model) => model.id)).toEqual(VISIBLE_BY_PRIORITY);
    for (const model of models) {
      expect(Object.keys(model).sort()).toEqual(['context_window', 'default', 'display_name', 'id', 'input_modalities', 'reasoning_levels', 'source'].sort());
      expect(model.source).toBe('live');
    }
    expect(models[0]).toEqual({
      id: 'gpt-6.2-sol',
      display_name: 'GPT-6.2-Sol',
      context_window: 500000,
      reasoning_levels: ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'],
      input_modalities: ['text', 'image'],
      default: true,
      source: 'live',
    });
    expect(models.find((model) => model.id === 'gpt-6-luna')!.reasoning_levels).toEqual(['low', 'medium', 'high', 'xhigh', 'max']);
    expect(models.filter((model) => model.default).map((model) => model.id)).toEqual(['gpt-6.2-sol']);
  });

  it('hidden models appear only with --all, in priority order', async () => {
    const plain = await runInProcess(['models'], { fake, configDir: dir, env: { CODEX_MODEL: 'gpt-6-sol' } });
    expect(lines(plain.stdout)).toEqual(VISIBLE_BY_PRIORITY);
    const all = await runInProcess(['models', '--all'], { fake, configDir: dir });
    expect(all.exitCode).toBe(0);
    const everything = [...VISIBLE_BY_PRIORITY.slice(0, -1), 'gpt-daybreak-blue-latest', 'gpt-daybreak-red-latest', 'gpt-5.5', 'codex-auto-review'];
    expect(lines(all.stdout)).toEqual(everything);
    const json = parse((await runInProcess(['models', '--all', '--json'], { fake, configDir: dir })).stdout);
    expect(json.map((model) => model.id)).toEqual(everything);
  });

  it('marks the default from CODEX_MODEL, else config.json `model`', async () => {
    const fromEnv = parse((await runInProcess(['models', '--json'], { fake, configDir: dir, env: { CODEX_MODEL: 'gpt-5.5' } })).stdout);
    expect(fromEnv.filter((model) => model.default).map((model) => model.id)).toEqual(['gpt-5.5']);

    writeFileSync(join(dir, 'config.json'), JSON.stringify({ model: 'gpt-6-luna' }));
    const fromFile = parse((await runInProcess(['models', '--json'], { fake, configDir: dir })).stdout);
    expect(fromFile.filter((model) => model.default).map((model) => model.id)).toEqual(['gpt-6-luna']);
  });

  it('refreshes an expired access token first, like every other call', async () => {
    const expiredDir = configDirWith(fake.issueTokens(-60));
    const result = await runInProcess(['models'], { fake, configDir: expiredDir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines(result.stdout)).toEqual(VISIBLE_BY_PRIORITY);
    expect(fake.refreshRequests).toHaveLength(1);
  });
});

describe('codex models: fallback to the built-in list', () => {
  it('on repeated 500s: built-in list, one-line note on stderr, exit 0', async () => {
    fake.modelsReplies.push(status(500), status(500), status(500));
    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual(BUILTIN_VISIBLE);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^codex: showing the built-in model list; .*500/);
    // One retry at most, so the fallback is quick.
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(2);
  });

  it('--json marks built-in entries and the default', async () => {
    fake.modelsReplies.push(status(503), status(503));
    const result = await runInProcess(['models', '--json'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    const models = parse(result.stdout);
    expect(models.map((model) => model.id)).toEqual(BUILTIN_VISIBLE);
    expect(new Set(models.map((model) => model.source))).toEqual(new Set(['builtin']));
    expect(models.filter((model) => model.default).map((model) => model.id)).toEqual([DEFAULT_MODEL]);
    expect(models.find((model) => model.id === 'gpt-6.1-terra')).toMatchObject({ context_window: 500000 });
    expect(lines(result.stderr)).toHaveLength(1);
  });

  it('--all adds the hidden built-in entries (retired slugs are not listed)', async () => {
    fake.modelsReplies.push(hangUp(), hangUp());
    const result = await runInProcess(['models', '--all'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual([...BUILTIN_VISIBLE, 'codex-auto-review']);
  });

  it('when the backend cannot be reached (connection refused)', async () => {
    const gone = await startFake();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const result = await runInProcess(['models'], { configDir: dir, env: { CODEX_BASE_URL: baseUrl, CODEX_ISSUER: fake.issuer } });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual(BUILTIN_VISIBLE);
    expect(result.stderr).toMatch(/^codex: showing the built-in model list; the live one could not be fetched: cannot reach /);
    expect(lines(result.stderr)).toHaveLength(1);
  });

  it('when not logged in: built-in list with a note naming `codex login`, exit 0, no request', async () => {
    const empty = tempDir();
    const result = await runInProcess(['models'], { fake, configDir: empty });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual(BUILTIN_VISIBLE);
    expect(result.stderr).toMatch(/not logged in; run `codex login`/);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(0);
  });

  it('when the answer is not a model list', async () => {
    fake.models = [{ no_slug: true }];
    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual(BUILTIN_VISIBLE);
    expect(result.stderr).toBe('codex: showing the built-in model list; the live one could not be fetched: the backend sent an empty model list\n');
  });
});

describe('codex models: the cache', () => {
  it('is written atomically (0600) and used within the hour: the second run asks nobody', async () => {
    const first = await runInProcess(['models'], { fake, configDir: dir });
    expect(first.exitCode).toBe(0);
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(1);
    const cache = readCache();
    expect(cache.base_url).toBe(fake.baseUrl);
    expect(cache.models.map((model) => model.slug)).toContain('codex-auto-review');
    expect(fileMode(cacheFile())).toBe(0o600);

    fake.requests.length = 0;
    const second = await runInProcess(['models', '--json'], { fake, configDir: dir });
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toBe('');
    expect(fake.requests).toHaveLength(0);
    const models = parse(second.stdout);
    expect(models.map((model) => model.id)).toEqual(VISIBLE_BY_PRIORITY);
    expect(models[0]!.source).toBe('live');
  });

  it('is refreshed when older than an hour', async () => {
    await runInProcess(['models'], { fake, configDir: dir });
    const cache = readCache();
    const old = Date.now() - 61 * 60 * 1000;
    writeFileSync(cacheFile(), JSON.stringify({ ...cache, fetched_at_ms: old, models: [{ slug: 'stale-model', visibility: 'list', priority: 1 }] }));
    fake.requests.length = 0;

    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual(VISIBLE_BY_PRIORITY);
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(1);
    const rewritten = readCache();
    expect(rewritten.fetched_at_ms).toBeGreaterThan(old);
    expect(rewritten.models.map((model) => model.slug)).not.toContain('stale-model');
  });

  it('a stale cache is the fallback when the fetch fails, with a note', async () => {
    writeFileSync(
      cacheFile(),
      JSON.stringify({
        version: 1,
        fetched_at_ms: Date.now() - 3 * 3600 * 1000,
        base_url: fake.baseUrl,
        models: [
          { slug: 'cached-b', visibility: 'list', priority: 2 },
          { slug: 'cached-a', visibility: 'list', priority: 1 },
        ],
      }),
    );
    fake.modelsReplies.push(status(502), status(502));
    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(lines(result.stdout)).toEqual(['cached-a', 'cached-b']);
    expect(result.stderr).toMatch(/^codex: showing the model list fetched 3 h ago; a fresh one could not be fetched: .*502/);
    expect(lines(result.stderr)).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['the wrong shape', JSON.stringify({ version: 1, fetched_at_ms: 'yesterday', models: 'many' })],
    ['an empty file', ''],
  ])('a corrupt cache (%s) is ignored and replaced', async (_what, text) => {
    writeFileSync(cacheFile(), text);
    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines(result.stdout)).toEqual(VISIBLE_BY_PRIORITY);
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(1);
    expect(readCache().models.length).toBeGreaterThan(0);
  });

  it('a cache written for another backend is not used', async () => {
    writeFileSync(
      cacheFile(),
      JSON.stringify({ version: 1, fetched_at_ms: Date.now(), base_url: 'https://elsewhere.example/backend-api/codex', models: [{ slug: 'elsewhere' }] }),
    );
    const result = await runInProcess(['models'], { fake, configDir: dir });
    expect(lines(result.stdout)).toEqual(VISIBLE_BY_PRIORITY);
    expect(fake.requestsTo(MODELS_PATH)).toHaveLength(1);
  });
});

describe('ask and the catalog cache', () => {
  const paths = () => fake.requests.map((request) => `${request.method} ${request.path}`);

  it('a fresh cache costs ask no request: /responses is the first and only one', async () => {
    expect((await runInProcess(['ask', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    fake.requests.length = 0;
    const second = await runInProcess(['ask', 'hi'], { fake, configDir: dir });
    expect(second.stdout).toBe('You said: hi\n');
    expect(paths()).toEqual(['POST /backend-api/codex/responses']);
    expect((fake.requests[0]!.body as { model?: string }).model).toBe('gpt-6.2-sol');
  });

  it('a stale cache is fetched once before /responses, the same with -m as without', async () => {
    for (const args of [
      ['ask', 'hi'],
      ['ask', '-m', 'gpt-6-sol', 'hi'],
    ]) {
      expect((await runInProcess(['ask', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
      writeFileSync(cacheFile(), JSON.stringify({ ...readCache(), fetched_at_ms: Date.now() - 61 * 60 * 1000 }));
      fake.requests.length = 0;
      expect((await runInProcess(args, { fake, configDir: dir })).exitCode).toBe(0);
      expect(paths(), args.join(' ')).toEqual(['GET /backend-api/codex/models', 'POST /backend-api/codex/responses']);
    }
  });
});

describe('codex models --help', () => {
  it('shows the options and examples', async () => {
    const result = await runInProcess(['models', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('--json');
    expect(result.stdout).toContain('--all');
    expect(result.stdout).toContain('Examples:');
    const top = await runInProcess(['--help']);
    expect(top.stdout).toMatch(/models\s.*list the models/);
  });
});
