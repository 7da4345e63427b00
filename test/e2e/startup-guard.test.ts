// Structural guards for start-up cost (timings live in `npm run bench`, never here): the `ask` path must not
// load commander, the browser opener, the login flow, conf or undici; `--version` loads nothing but the bin.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types, shared with .ci/run.
import { node24Bin } from '../../scripts/node24.mjs';
import { buildProgram, commandNameIn } from '../../src/cli/program.js';
import { answer } from '../fake/replies.js';
import { CLI, cliEnv, resolveRecorder, runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { redisAvailable, startRedis } from '../support/redis.js';
import { configDirWith, tempDir } from '../support/temp.js';

/** esbuild keeps a `// path` comment before each bundled module: these name what must stay off the path. */
const FORBIDDEN = [
  // A plain ask is read without commander (src/cli/ask/fast-path.ts); help and usage errors load it.
  '// node_modules/commander/',
  '// src/cli/program.ts',
  '// src/cli/program-main.ts',
  // Loaded only by `codex serve`.
  '// node_modules/hono/',
  '// node_modules/@hono/node-server/',
  '// src/server/',
  '// node_modules/open/',
  '// src/auth/login/',
  '// src/cli/commands/login.ts',
  // Loaded only by `codex config` (conf and its Ajv cost ~150 ms): ask reads config.json through zod alone.
  '// node_modules/conf/',
  '// src/config/conf-file.ts',
  '// node_modules/undici/',
  // The AI SDK provider (`codex-oauth-cli/ai-sdk`) and the AI SDK: never part of the CLI.
  '// src/ai-sdk/',
  '// node_modules/ai/',
  '// node_modules/@ai-sdk/',
  // Loaded only with --schema.
  '// node_modules/ajv/',
  // Loaded only with --min-remaining / --wait-for-reset.
  '// src/cli/ask/quota-gate.ts',
  // The Redis client: only when the credential store is Redis.
  '// node_modules/@redis/',
  // Loaded only by `codex image` and `codex usage --redeem`.
  '// src/cli/commands/image.ts',
  '// src/client/image-generation.ts',
  '// src/cli/usage/redeem.ts',
  '// src/client/reset-credits.ts',
  // zod's error messages in 40-odd languages (issue 31): an import() of zod's or zod/v4/core's whole namespace pulls them in.
  '// node_modules/zod/v4/locales/',
  // zod's JSON Schema code (≈42 KB): only the library's tool definitions use it (scripts/build.mjs, zodJsonSchemaPlugin);
  // config.json's JSON Schema is generated (src/config/config-file.schema.json).
  '// node_modules/zod/v4/core/to-json-schema.js',
  '// node_modules/zod/v4/core/json-schema-processors.js',
];

const fake = useFake();

/** The dist files a real run loads, recorded by a module resolve hook (`everything` gets every URL resolved). */
async function loadedFiles(args: string[], options: Parameters<typeof runCli>[1], everything: string[] = []): Promise<string[]> {
  const { register, resolved } = resolveRecorder();
  const run = await runCli(args, { ...options, env: { ...options?.env, NODE_OPTIONS: `--import=${register}` } });
  expect(run.exitCode, run.stderr).toBe(0);
  const dist = pathToFileURL(resolve(CLI, '..')).href;
  everything.push(...resolved());
  return resolved()
    .filter((url) => url.startsWith(dist))
    .map((url) => new URL(url).pathname);
}

describe('start-up guard', () => {
  it('`codex ask` loads neither open, the login flow, conf, undici, the quota gate, the AI SDK nor its provider', async () => {
    const resolved: string[] = [];
    const files = await loadedFiles(['ask', 'hi'], { fake, configDir: configDirWith(fake.issueTokens()) }, resolved);
    // Nor is anything outside dist/: `ai` and `@ai-sdk/*` are optional peers the CLI never imports.
    expect(resolved.filter((url) => /\/node_modules\/(ai|ai7|@ai-sdk\/[^/]+)\//.test(url))).toEqual([]);
    // node:zlib is loaded for a compressed answer only; the fake's answers are not compressed.
    expect(resolved).not.toContain('node:zlib');
    // node:child_process is for --tool (shell-tools.ts) only.
    expect(resolved).not.toContain('node:child_process');
    // node:v8 only once a long answer caps the young generation (young-generation.ts) or undici is used (exit-tail.ts).
    expect(resolved).not.toContain('node:v8');
    expect(files.some((file) => file.endsWith('/dist/cli.js'))).toBe(true);
    expect(files.some((file) => /\/main-[\w-]+\.js$/.test(file))).toBe(true);
    // The ask path is one chunk (scripts/build.mjs, ask-core), not ≈50 files: each costs ≈0.5 ms of CPU to load.
    // Nor are the command and its conversation log import()ed: each import() target is a file of its own.
    expect(files.filter((file) => /\/(ask|session-log)-[\w-]+\.js$/.test(file))).toEqual([]);
    expect(files.length, files.join('\n')).toBeLessThanOrEqual(12);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const marker of FORBIDDEN) expect(text.includes(marker), `${file} contains ${marker}`).toBe(false);
      // ASCII only (scripts/build.mjs escapes the rest): one other character makes Node decode the file into a two-byte string.
      expect(/[^\x00-\x7f]/.test(text), `${file} has a character beyond ASCII`).toBe(false);
    }
  });

  // On Node 24 as well when it is installed (CI installs it): there the ES module view of node:http alone loads it.
  const nodes = [process.execPath, node24Bin() as string | undefined].filter((bin) => bin !== undefined);
  it.each(nodes)("`codex ask` never loads Node's bundled undici (fetch, Headers, Response: ≈30 ms of start-up), on %s", async (node) => {
    fake.responses.push(answer({ text: 'Hello from the fake, in pieces.', chunk: 5 }));
    const dir = tempDir();
    const probe = join(dir, 'probe.mjs');
    const list = join(dir, 'builtins.txt');
    writeFileSync(
      probe,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const env = cliEnv({ fake, configDir: configDirWith(fake.issueTokens()), env: { NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` } });
    const run = await execa(node, [CLI, 'ask', 'hi'], { reject: false, extendEnv: false, stripFinalNewline: false, env, stdin: 'ignore', timeout: 20_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('Hello from the fake, in pieces.\n');
    const builtins = readFileSync(list, 'utf8').split('\n');
    // The list is the real one: the request went through node:http.
    expect(builtins).toContain('NativeModule _http_client');
    expect(builtins.filter((name) => name.includes('undici'))).toEqual([]);
  });

  it('conf (with Ajv) is loaded by `codex config set`', async () => {
    const dir = tempDir();
    const files = await loadedFiles(['config', 'set', 'effort', 'high'], { configDir: dir });
    const loaded = (marker: string) => files.some((file) => readFileSync(file, 'utf8').includes(marker));
    expect(loaded('// node_modules/conf/')).toBe(true);
    expect(loaded('// node_modules/ajv/')).toBe(true);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{\n  "effort": "high"\n}\n');
  });

  it('the JSON Schema validator (Ajv) is loaded only for --schema', async () => {
    fake.responses.push(answer({ text: '{}' }));
    const files = await loadedFiles(['ask', '--schema', '{"type":"object"}', 'hi'], { fake, configDir: configDirWith(fake.issueTokens()) });
    expect(files.some((file) => readFileSync(file, 'utf8').includes('// node_modules/ajv/'))).toBe(true);
  });

  it.skipIf(!redisAvailable())('the Redis client is loaded when, and only when, the credential store is Redis', async () => {
    const redis = await startRedis();
    try {
      await redis.command(['HSET', 'codex-oauth:auth:default', 'auth', JSON.stringify(fake.issueTokens()), 'version', '1']);
      const files = await loadedFiles(['ask', 'hi'], { fake, configDir: tempDir(), env: { CODEX_CREDENTIAL_STORE: redis.url() } });
      expect(files.some((file) => readFileSync(file, 'utf8').includes('// node_modules/@redis/client/'))).toBe(true);
    } finally {
      await redis.stop();
    }
  });

  it('`codex --version` loads the bin file and nothing else, not even a builtin', async () => {
    const resolved: string[] = [];
    const files = await loadedFiles(['--version'], {}, resolved);
    expect(files).toEqual([CLI]);
    expect(resolved).toEqual([pathToFileURL(CLI).href]);
  });

  it('`codex ask --help` and a usage error still go through commander', async () => {
    const help = await runCli(['ask', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: codex ask \[options\] \[prompt\.\.\.\]\n/);
    const bad = await runCli(['ask', '--bogus', 'hi']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe("codex: unknown option '--bogus'\n");
  });

  it('running `ask` defines only the ask command; help and unknown words get them all', () => {
    const names = (argv: string[]) => buildProgram(async () => undefined, commandNameIn(argv)).commands.map((c) => c.name());
    expect(names(['ask', 'hi'])).toEqual(['ask']);
    expect(names(['--config-dir', 'ask', 'ask', '--json'])).toEqual(['ask']);
    expect(names(['--help'])).toEqual(expect.arrayContaining(['ask', 'login', 'models', 'status', 'refresh', 'logout']));
    expect(names(['asj'])).toContain('login');
  });
});
