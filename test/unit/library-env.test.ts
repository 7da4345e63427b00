// The library reads the environment it is given (`env`), not the process's: the client version, the terminal the
// User-Agent names and, with fromStore, where the CLI's sign-in is. Without the option it reads process.env, as before.
import { afterEach, describe, expect, it } from 'vitest';
import { Codex } from '../../src/index.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

const sent = () => fake.requestsTo('/backend-api/codex/responses').map((request) => ({ version: request.headers.version, agent: request.headers['user-agent'] }));

describe('the env option', () => {
  const saved = { CODEX_CLIENT_VERSION: process.env.CODEX_CLIENT_VERSION, TERM_PROGRAM: process.env.TERM_PROGRAM };
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("new Codex({ env }): CODEX_CLIENT_VERSION and the terminal come from it, not from the process's environment", async () => {
    process.env.CODEX_CLIENT_VERSION = '0.171.0';
    process.env.TERM_PROGRAM = 'process-terminal';
    const tokens = fake.issueTokens();
    const codex = new Codex({
      apiKey: tokens.access_token,
      accountId: tokens.account_id,
      baseUrl: fake.baseUrl,
      env: { CODEX_CLIENT_VERSION: '0.172.0', TERM_PROGRAM: 'given-terminal' },
    });
    expect((await codex.complete({ prompt: 'hi', model: 'gpt-5.5' })).text).not.toBe('');
    expect(codex.clientVersion).toBe('0.172.0');
    const [request] = sent();
    expect(request?.version).toBe('0.172.0');
    expect(request?.agent).toMatch(/^codex_cli_rs\/0\.172\.0 \(.*\) given-terminal \(codex-oauth; /);
  });

  it('without env: the process environment, as before', async () => {
    process.env.CODEX_CLIENT_VERSION = '0.173.0';
    process.env.TERM_PROGRAM = 'process-terminal';
    const tokens = fake.issueTokens();
    const codex = new Codex({ apiKey: tokens.access_token, accountId: tokens.account_id, baseUrl: fake.baseUrl });
    await codex.complete({ prompt: 'hi', model: 'gpt-5.5' });
    expect(sent()[0]?.agent).toMatch(/^codex_cli_rs\/0\.173\.0 \(.*\) process-terminal \(codex-oauth; /);
  });

  it('Codex.fromStore({ env }): the config dir (CODEX_CONFIG_DIR) and model (CODEX_MODEL) of that environment', async () => {
    const dir = configDirWith(fake.issueTokens());
    const codex = Codex.fromStore({ baseUrl: fake.baseUrl, issuer: fake.issuer, env: { CODEX_CONFIG_DIR: dir, CODEX_MODEL: 'gpt-5.5' } });
    await codex.complete({ prompt: 'hi' });
    expect(fake.requestsTo('/backend-api/codex/responses').map((request) => (request.body as { model: string }).model)).toEqual(['gpt-5.5']);
  });
});
