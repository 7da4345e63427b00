// Issue 15 item 6: `codex config`, warnings for unknown keys in config.json, model aliases.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { jsonLines, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, fileMode, tempDir } from '../support/temp.js';

const fake = useFake();
const scratch = () => tempDir('codex-config-');

const readJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;

describe('codex config', () => {
  it('set creates the dir 0700 and config.json 0600; get, list, list --json, unset, path', async () => {
    const dir = join(scratch(), 'fresh');
    const env = { CODEX_CONFIG_DIR: dir };
    for (const [key, value] of [
      ['model', 'gpt-6-luna'],
      ['effort', 'high'],
      ['alias.fast', 'gpt-6-sol'],
      ['responses_layout', 'lite'],
    ]) {
      const run = await runInProcess(['config', 'set', key!, value!], { env });
      // Not signed in, so no model list to check against: accepted with a warning.
      const warning =
        key === 'model'
          ? `codex: config set model: could not check ${value} against the model list (not logged in; run \`codex login\` (or set CODEX_AUTH_JSON)); accepted as it is\n`
          : '';
      expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, '', warning]);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(
      '{\n  "model": "gpt-6-luna",\n  "effort": "high",\n  "aliases": {\n    "fast": "gpt-6-sol"\n  },\n  "responses_layout": "lite"\n}\n',
    );
    expect((await runInProcess(['config', 'get', 'effort'], { env })).stdout).toBe('high\n');
    expect((await runInProcess(['config', 'get', 'alias.fast'], { env })).stdout).toBe('gpt-6-sol\n');
    const unsetKey = await runInProcess(['config', 'get', 'system'], { env });
    expect([unsetKey.exitCode, unsetKey.stdout, unsetKey.stderr]).toEqual([0, '', '']);
    const list = await runInProcess(['config', 'list'], { env });
    expect([list.exitCode, list.stdout, list.stderr]).toEqual([0, 'model=gpt-6-luna\neffort=high\nalias.fast=gpt-6-sol\nresponses_layout=lite\n', '']);
    const json = await runInProcess(['config', 'list', '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual({ model: 'gpt-6-luna', effort: 'high', aliases: { fast: 'gpt-6-sol' }, responses_layout: 'lite' });
    for (const key of ['effort', 'alias.fast', 'system']) expect((await runInProcess(['config', 'unset', key], { env })).exitCode).toBe(0);
    expect(readJson(dir)).toEqual({ model: 'gpt-6-luna', responses_layout: 'lite' });
    expect(fileMode(join(dir, 'config.json'))).toBe(0o600);
    const path = await runInProcess(['config', 'path'], { env });
    expect([path.exitCode, path.stdout, path.stderr]).toEqual([0, `${join(dir, 'config.json')}\n`, '']);
  });

  it('refuses an unknown key with a suggestion and a bad value as its reader would: exit 2, file untouched', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, 'config.json'), '{"model":"gpt-6-sol"}', { mode: 0o600 });
    const env = { CODEX_CONFIG_DIR: dir };
    const cases: [string[], string][] = [
      [
        ['set', 'modle', 'x'],
        'codex: unknown key "modle" (did you mean "model"?); keys: model, effort, verbosity, system, base_url, issuer, client_version, responses_layout, default_profile, log, credential_store, fast, alias.NAME\n',
      ],
      [['set', 'effort', 'huge'], 'codex: effort must be one of none, minimal, low, medium, high, xhigh, max, ultra, not "huge"\n'],
      [['set', 'verbosity', 'loud'], 'codex: verbosity must be one of low, medium, high, not "loud"\n'],
      [['set', 'responses_layout', 'new'], 'codex: responses_layout must be one of auto, classic, lite, not "new"\n'],
      [['set', 'client_version', '1.2'], 'codex: client_version must be a version like 0.171.0, not "1.2"\n'],
      [['set', 'base_url', 'http://example.com/codex'], 'codex: base_url must be an https URL (http only on loopback), not "http://example.com/codex"\n'],
      [['set', 'issuer', 'not a url'], 'codex: issuer must be a URL, not "not a url"\n'],
      [['set', 'model', 'two words'], 'codex: model must be a model slug or alias, not "two words"\n'],
      [
        ['set', 'default_profile', '../x'],
        `codex: default_profile must be a profile name of 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, not "../x"\n`,
      ],
      [
        ['get', 'efort'],
        'codex: unknown key "efort" (did you mean "effort"?); keys: model, effort, verbosity, system, base_url, issuer, client_version, responses_layout, default_profile, log, credential_store, fast, alias.NAME\n',
      ],
      [['set', 'model'], 'codex: usage: codex config set KEY VALUE\n'],
      [['get', 'model', '--json'], 'codex: --json goes with `codex config list` only\n'],
    ];
    for (const [args, stderr] of cases) {
      const run = await runInProcess(['config', ...args], { env });
      expect([run.exitCode, run.stdout, run.stderr], args.join(' ')).toEqual([2, '', stderr]);
    }
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"model":"gpt-6-sol"}');
    for (const url of ['https://proxy.example/codex', 'http://127.0.0.1:8080/codex', 'http://localhost:1/x']) {
      expect((await runInProcess(['config', 'set', 'base_url', url], { env })).exitCode).toBe(0);
    }
  });

  it('keeps the ownership and mode checks: a config.json others can write is refused (exit 3), not rewritten', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, 'config.json'), '{}');
    chmodSync(join(dir, 'config.json'), 0o666);
    const run = await runInProcess(['config', 'set', 'model', 'gpt-6-sol'], { env: { CODEX_CONFIG_DIR: dir } });
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toBe(
      `codex: ${join(dir, 'config.json')} is writable by others (mode 0666); codex will not use it until you run \`chmod 600 ${join(dir, 'config.json')}\`\n`,
    );
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{}');
  });

  it('a config.json that is not JSON: set refuses (exit 2) and leaves it alone', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, 'config.json'), '{"model":', { mode: 0o600 });
    const run = await runInProcess(['config', 'set', 'model', 'gpt-6-sol'], { env: { CODEX_CONFIG_DIR: dir } });
    expect([run.exitCode, run.stderr]).toEqual([2, `codex: ${join(dir, 'config.json')} is not valid JSON; fix or remove it by hand\n`]);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"model":');
  });
});

describe('codex config list keeps a store password out', () => {
  it('list and list --json show credential_store with the password as ***; get prints it whole', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credential_store: 'rediss://ci:hunter2pw@redis.example:6380/0' }), { mode: 0o600 });
    const env = { CODEX_CONFIG_DIR: dir };
    const list = await runInProcess(['config', 'list'], { env });
    expect([list.exitCode, list.stderr, list.stdout]).toEqual([0, '', 'credential_store=rediss://ci:***@redis.example:6380/0\n']);
    const json = await runInProcess(['config', 'list', '--json'], { env });
    expect(JSON.parse(json.stdout)).toEqual({ credential_store: 'rediss://ci:***@redis.example:6380/0' });
    const get = await runInProcess(['config', 'get', 'credential_store'], { env });
    expect(get.stdout).toBe('rediss://ci:hunter2pw@redis.example:6380/0\n');
  });
});

describe('codex config list --show-origin', () => {
  it('prints each setting with a value after where it came from: flag, env, config.json or the default', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ model: 'gpt-6-luna', effort: 'high', base_url: 'https://proxy.example/codex', aliases: { fast: 'gpt-6-sol' }, colour: true }), {
      mode: 0o600,
    });
    const env = { CODEX_CONFIG_DIR: dir, CODEX_MODEL: 'gpt-6-sol', CODEX_PROFILE: 'work', CODEX_CREDENTIAL_STORE: 'redis://u:secret@cache.example:6379/0' };
    const run = await runInProcess(['--issuer', 'https://issuer.example', 'config', 'list', '--show-origin'], { env });
    expect([run.exitCode, run.stderr]).toEqual([0, 'codex: config.json: unknown key "colour"\n']);
    expect(run.stdout).toBe(
      [
        'env:CODEX_MODEL\tmodel=gpt-6-sol',
        `file:${path}\teffort=high`,
        `file:${path}\tbase_url=https://proxy.example/codex`,
        'flag:--issuer\tissuer=https://issuer.example',
        'default\tclient_version=0.171.0',
        'default\tresponses_layout=auto',
        'env:CODEX_PROFILE\tdefault_profile=work',
        'default\tlog=true',
        'env:CODEX_CREDENTIAL_STORE\tcredential_store=redis://u:***@cache.example:6379/0',
        'default\tfast=false',
        `file:${path}\talias.fast=gpt-6-sol`,
        `file:${path}\tcolour=true`,
        '',
      ].join('\n'),
    );
    const none = await runInProcess(['config', 'list', '--show-origin'], { env: { CODEX_CONFIG_DIR: join(dir, 'absent') } });
    expect([none.exitCode, none.stderr]).toEqual([0, '']);
    expect(none.stdout.split('\n').filter(Boolean)).toEqual([
      'default\tbase_url=https://chatgpt.com/backend-api/codex',
      'default\tissuer=https://auth.openai.com',
      'default\tclient_version=0.171.0',
      'default\tresponses_layout=auto',
      'default\tdefault_profile=default',
      'default\tlog=true',
      'default\tcredential_store=file',
      'default\tfast=false',
    ]);
    expect(existsSync(join(dir, 'absent'))).toBe(false);
    for (const [args, stderr] of [
      [['get', 'model', '--show-origin'], 'codex: --show-origin goes with `codex config list` only\n'],
      [['list', '--show-origin', '--json'], 'codex: --show-origin and --json: choose one\n'],
    ] as const) {
      const bad = await runInProcess(['config', ...args], { env });
      expect([bad.exitCode, bad.stdout, bad.stderr]).toEqual([2, '', stderr]);
    }
  });
});

describe('config.json that breaks the schema (conf validates it)', () => {
  it('every action refuses it in one line (exit 2) and the file is never cleared or rewritten', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    const path = join(dir, 'config.json');
    const text = '{"log": "yes", "model": "gpt-6-sol"}';
    writeFileSync(path, text, { mode: 0o600 });
    for (const args of [['get', 'model'], ['list'], ['set', 'effort', 'high'], ['unset', 'log'], ['unset', 'model']]) {
      const run = await runInProcess(['config', ...args], { env: { CODEX_CONFIG_DIR: dir } });
      expect([run.exitCode, run.stdout, run.stderr], args.join(' ')).toEqual([
        2,
        '',
        `codex: ${path} does not look like a codex-oauth config file (\`log\` must be boolean); fix or remove it by hand\n`,
      ]);
    }
    const ask = await runInProcess(['ask', 'q'], { env: { CODEX_CONFIG_DIR: dir } });
    expect([ask.exitCode, ask.stderr]).toEqual([2, `codex: ${path} does not look like a codex-oauth config file\n`]);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(fileMode(path)).toBe(0o600);
  });

  it('a config.json that cannot be read (a directory there) is one line and exit 2 for config and ask alike', async () => {
    const dir = scratch();
    chmodSync(dir, 0o700);
    mkdirSync(join(dir, 'config.json'));
    for (const args of [
      ['config', 'get', 'model'],
      ['config', 'set', 'effort', 'high'],
      ['ask', 'q'],
    ]) {
      const run = await runInProcess(args, { env: { CODEX_CONFIG_DIR: dir } });
      expect([run.exitCode, run.stdout], args.join(' ')).toEqual([2, '']);
      expect(run.stderr, args.join(' ')).toMatch(new RegExp(`^codex: [^\n]*${join(dir, 'config.json')}[^\n]*\n$`));
    }
    expect(statSync(join(dir, 'config.json')).isDirectory()).toBe(true);
  });
});

describe('unknown keys in config.json', () => {
  it('every reader warns once on stderr with a suggestion and goes on; unset removes the key', async () => {
    const dir = configDirWith(fake.issueTokens());
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ modle: 'gpt-6-luna', colour: true }), { mode: 0o600 });
    const warning = 'codex: config.json: unknown key "modle" (did you mean "model"?)\ncodex: config.json: unknown key "colour"\n';
    fake.responses.push(answer({ text: 'Answer.' }));
    const ask = await runInProcess(['ask', 'q'], { fake, configDir: dir });
    expect([ask.exitCode, ask.stdout, ask.stderr]).toEqual([0, 'Answer.\n', warning]);
    const models = await runInProcess(['models'], { fake, configDir: dir });
    expect([models.exitCode, models.stderr]).toEqual([0, warning]);
    const list = await runInProcess(['config', 'list'], { configDir: dir });
    expect([list.exitCode, list.stdout, list.stderr]).toEqual([0, 'modle=gpt-6-luna\ncolour=true\n', warning]);
    const unset = await runInProcess(['config', 'unset', 'modle'], { configDir: dir });
    expect([unset.exitCode, unset.stdout, unset.stderr]).toEqual([0, '', '']);
    expect(readJson(dir)).toEqual({ colour: true });
  });
});

describe('config set model checks the catalog', () => {
  it('an unknown model is exit 2 with a suggestion and nothing is written; a known one or an alias of one is saved', async () => {
    const dir = configDirWith(fake.issueTokens());
    const bad = await runInProcess(['config', 'set', 'model', 'gpt-6-lunna'], { fake, configDir: dir });
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringMatching(/^codex: unknown model gpt-6-lunna; did you mean gpt-6-luna/)]);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    const good = await runInProcess(['config', 'set', 'model', 'gpt-6-luna'], { fake, configDir: dir });
    expect([good.exitCode, good.stderr]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ model: 'gpt-6-luna' });
  });
});

describe('model aliases', () => {
  it('-m, CODEX_MODEL and config.json model may name an alias; the slug is sent and checked', async () => {
    const dir = configDirWith(fake.issueTokens());
    const env = { CODEX_CONFIG_DIR: dir, CODEX_BASE_URL: fake.baseUrl, CODEX_ISSUER: fake.issuer };
    expect((await runInProcess(['config', 'set', 'alias.fast', 'gpt-6-luna'], { env })).exitCode).toBe(0);
    expect((await runInProcess(['config', 'set', 'alias.old', 'gpt-6-nope'], { env })).exitCode).toBe(0);
    const modelOf = async (args: string[], extra: Record<string, string> = {}) => {
      fake.requests.length = 0;
      const run = await runInProcess(['ask', '--json', ...args, 'q'], { fake, configDir: dir, env: extra });
      expect(run.exitCode, run.stderr).toBe(0);
      const sent = (fake.requestsTo('/backend-api/codex/responses')[0]!.body as { model: string }).model;
      expect(jsonLines(run.stdout)[0]!.model).toBe(sent);
      return sent;
    };
    expect(await modelOf(['-m', 'fast'])).toBe('gpt-6-luna');
    expect(await modelOf([], { CODEX_MODEL: 'fast' })).toBe('gpt-6-luna');
    expect((await runInProcess(['config', 'set', 'model', 'fast'], { env })).exitCode).toBe(0);
    expect(await modelOf([])).toBe('gpt-6-luna');
    expect(await modelOf(['-m', 'gpt-6-sol'])).toBe('gpt-6-sol');
    // An alias of a slug the catalog does not know fails as that slug would.
    fake.requests.length = 0;
    const bad = await runInProcess(['ask', '-m', 'old', 'q'], { fake, configDir: dir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^codex: -m \(alias "old"\): unknown model gpt-6-nope/);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });
});
