import { beforeEach, describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { jsonLines, runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { useNpmRegistry } from '../support/npm-registry.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

const RESPONSES = '/backend-api/codex/responses';

describe('refusals, before sending and from the backend', () => {
  it('a model above the client version → exit 6 client_outdated, saying how to raise it', async () => {
    // The catalog cannot be had, so the built-in one lets gpt-6.2-sol through; the backend decides.
    fake.modelsReplies.push(status(500), status(500));
    const run = await runCli(['ask', '--json', 'hi'], { fake, configDir: dir, env: { CODEX_CLIENT_VERSION: '0.150.0' } });
    expect(run.exitCode).toBe(6);
    expect(fake.requestsTo(RESPONSES)[0]!.headers.version).toBe('0.150.0');
    expect(run.stderr).toBe(
      'codex: model gpt-6.2-sol needs a newer Codex client version than 0.150.0; set CODEX_CLIENT_VERSION or "client_version" in config.json to the newest official Codex CLI release\n',
    );
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'client_outdated', exit_code: 6 });
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
    return runCli(['ask', '-m', 'gpt-6-sol', 'hi'], { fake, configDir: dir, env: { CODEX_NPM_REGISTRY: registry.url, ...env } });
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
});
