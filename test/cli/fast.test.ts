// Issue 27 item 3: `--fast` asks for the catalog's "Fast" service tier (`service_tier: "priority"`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const signedIn = () => configDirWith(fake.issueTokens());
const sentTier = () => {
  const requests = fake.requestsTo('/backend-api/codex/responses');
  expect(requests).toHaveLength(1);
  const body = requests[0]!.body as Record<string, unknown>;
  return 'service_tier' in body ? body.service_tier : 'absent';
};
/** Every listed model of the fake's catalog has the fast tier; the hidden Daybreak models have none. */
const FAST_MODELS = 'gpt-6.2-sol, gpt-6.2-astra, gpt-6.1-terra, gpt-6.1-sol, gpt-6-astra, gpt-6-sol, gpt-6-luna, gpt-5.6-sol, gpt-5.6-terra, gpt-5.6-luna, gpt-5.5';

describe('codex ask --fast', () => {
  it('sends service_tier "priority" for a model whose catalog entry lists it (lite and classic layouts)', async () => {
    const dir = signedIn();
    const lite = await runInProcess(['ask', '--fast', 'hi'], { fake, configDir: dir });
    expect([lite.exitCode, lite.stderr]).toEqual([0, '']);
    expect(sentTier()).toBe('priority');
    fake.reset();
    const classic = await runInProcess(['ask', '-m', 'gpt-5.5', 'hi', '--fast'], { fake, configDir: dir });
    expect([classic.exitCode, classic.stderr]).toEqual([0, '']);
    expect(sentTier()).toBe('priority');
  });

  it('without it, no service_tier at all (the backend default)', async () => {
    const run = await runInProcess(['ask', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(0);
    expect(sentTier()).toBe('absent');
  });

  it('a model without the tier → exit 2 naming the models that have it, nothing sent', async () => {
    const run = await runInProcess(['ask', '--fast', '-m', 'gpt-daybreak-blue-latest', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`codex: --fast: gpt-daybreak-blue-latest has no fast tier; models that do: ${FAST_MODELS}\n`);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });

  it('follows the live catalog: a model that stops listing the tier is refused', async () => {
    fake.models = (fake.models as { slug: string }[]).map((model) => (model.slug === 'gpt-6-luna' ? { ...model, service_tiers: [] } : model));
    const run = await runInProcess(['ask', '--fast', '-m', 'gpt-6-luna', 'hi'], { fake, configDir: signedIn() });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^codex: --fast: gpt-6-luna has no fast tier; models that do: gpt-6\.2-sol, .*gpt-6-sol, gpt-5\.6-sol.*\n$/);
    expect(run.stderr).not.toMatch(/do: .*gpt-6-luna/);
  });

  it('config.json "fast": true (set with codex config) asks for it; --no-fast overrides; the error names config.json', async () => {
    const dir = signedIn();
    const set = await runInProcess(['config', 'set', 'fast', 'true'], { configDir: dir });
    expect([set.exitCode, set.stderr]).toEqual([0, '']);
    expect((await runInProcess(['config', 'get', 'fast'], { configDir: dir })).stdout).toBe('true\n');
    expect((await runInProcess(['ask', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(sentTier()).toBe('priority');
    fake.reset();
    expect((await runInProcess(['ask', '--no-fast', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(sentTier()).toBe('absent');
    fake.reset();
    const refused = await runInProcess(['ask', '-m', 'gpt-daybreak-red-latest', 'hi'], { fake, configDir: dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe(`codex: "fast" in ${dir}/config.json: gpt-daybreak-red-latest has no fast tier; models that do: ${FAST_MODELS}\n`);
    const bad = await runInProcess(['config', 'set', 'fast', 'yes'], { configDir: dir });
    expect([bad.exitCode, bad.stderr]).toEqual([2, 'codex: fast must be one of true, false, not "yes"\n']);
  });

  it('a template with "fast": true asks for it (template set --fast writes it); -m of a model without the tier names the template', async () => {
    const dir = signedIn();
    const set = await runInProcess(['template', 'set', 'quick', '--system', 'Be brief.', '--fast'], { configDir: dir });
    expect([set.exitCode, set.stderr]).toEqual([0, '']);
    const show = await runInProcess(['template', 'show', 'quick'], { configDir: dir });
    expect(JSON.parse(show.stdout)).toEqual({ system: 'Be brief.', fast: true });
    expect((await runInProcess(['ask', '-t', 'quick', 'hi'], { fake, configDir: dir })).exitCode).toBe(0);
    expect(sentTier()).toBe('priority');
    fake.reset();
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'templates', 'red.json'), JSON.stringify({ system: 'x', model: 'gpt-daybreak-red-latest', fast: true }), { mode: 0o600 });
    const refused = await runInProcess(['ask', '-t', 'red', 'hi'], { fake, configDir: dir });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/^codex: "fast" in template red: gpt-daybreak-red-latest has no fast tier; models that do: /);
  });
});
