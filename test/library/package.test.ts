// The package as a user gets it: what `import 'codex-oauth-cli'` loads, what `npm pack` ships, and the example.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { resolveRecorder } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { tempDir } from '../support/temp.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI_ONLY = ['commander', 'chalk', 'open'];

function requireBuilt(path: string): string {
  const full = join(ROOT, path);
  if (!existsSync(full)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return full;
}

/** Every module specifier in an esbuild ESM output: static imports, re-exports and dynamic import(). */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g, /\brequire\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[1]!);
  return [...found];
}

const packageName = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

/** The files and packages a dist entry loads when imported: static imports only (dynamic ones load on demand). */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    const found = [...code.matchAll(/\bfrom\s*["']([^"']+)["']/g), ...code.matchAll(/\bimport\s*["']([^"']+)["']/g)].map((match) => match[1]!);
    for (const specifier of found) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith('node:')) packages.add(packageName(specifier));
    }
  };
  visit(entry);
  return { files, packages };
}

describe('import "codex-oauth-cli"', () => {
  it('dist/index.js and every chunk it reaches import no CLI-only dependency (structural)', () => {
    const entry = requireBuilt('dist/index.js');
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
        else if (!specifier.startsWith('node:')) packages.add(packageName(specifier));
      }
    };
    visit(entry);
    for (const name of CLI_ONLY) expect([...packages]).not.toContain(name);
    // What it does load: zod, the SSE parser, and conf (lazily, for the file store).
    expect([...packages].sort()).toEqual(expect.arrayContaining(['eventsource-parser', 'zod']));
  });

  it('dist/index.js loads neither hono, the serve handlers nor the AI SDK until createOpenAIFetch is called (static imports)', () => {
    const { packages, files } = staticGraph(requireBuilt('dist/index.js'));
    for (const name of ['hono', '@hono/node-server', 'ai', '@ai-sdk/provider', '@ai-sdk/provider-utils']) expect([...packages]).not.toContain(name);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain('// src/server/app.ts');
  });

  it('at run time, importing the package and making a transport resolves no CLI-only module', async () => {
    const { register, resolved: resolvedUrls } = resolveRecorder();
    const script = `
const lib = await import('codex-oauth-cli');
const t = new lib.Codex({ apiKey: 'a.b.c', accountId: 'acct', refreshToken: 'rt', expiresAt: 4102444800 });
const openAIFetch = lib.createOpenAIFetch({ codex: t });
console.log(typeof t.stream, typeof lib.defineTool, lib.CodexTransport === lib.Codex, typeof openAIFetch);
`;
    const run = await execa(process.execPath, [`--import=${register}`, '--input-type=module', '-e', script], { cwd: ROOT, reject: false });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('function function true function');
    const resolved = resolvedUrls();
    expect(resolved).toContain(`file://${ROOT}/dist/index.js`);
    for (const name of [...CLI_ONLY, 'hono', 'ai', '@ai-sdk']) expect(resolved.filter((url) => url.includes(`/node_modules/${name}/`))).toEqual([]);
  });

  it('ships type declarations where the exports map points', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }>; type: string };
    expect(pkg.type).toBe('module');
    const main = pkg.exports['.']!;
    expect(Object.keys(main)).toEqual(['types', 'import']); // types first, ESM only
    const types = readFileSync(requireBuilt(main.types), 'utf8');
    expect(types).toMatch(/export \{ Codex,/);
    expect(types).toMatch(/Codex as CodexTransport/);
    expect(types).toMatch(/defineTool/);
    expect(existsSync(join(ROOT, 'dist/types/cli'))).toBe(false);
  });
});

describe('import "codex-oauth-cli/ai-sdk"', () => {
  it('is in the exports map (types first), with declarations, and loads @ai-sdk/provider but never `ai`', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      dependencies: Record<string, string>;
    };
    const entry = pkg.exports['./ai-sdk']!;
    expect(entry).toEqual({ types: './dist/types/ai-sdk/index.d.ts', import: './dist/ai-sdk.js' });
    expect(readFileSync(requireBuilt(entry.types), 'utf8')).toMatch(/createCodex/);
    const { packages } = staticGraph(requireBuilt(entry.import));
    expect([...packages].sort()).toEqual(expect.arrayContaining(['@ai-sdk/provider', 'zod']));
    for (const name of ['ai', 'hono', ...CLI_ONLY]) expect([...packages]).not.toContain(name);
    // Optional peers: the CLI and `import 'codex-oauth-cli'` work without them.
    for (const name of ['ai', '@ai-sdk/provider']) {
      expect(pkg.peerDependencies[name]).toBeDefined();
      expect(pkg.peerDependenciesMeta[name]?.optional).toBe(true);
      expect(pkg.dependencies[name]).toBeUndefined();
    }
  });

  it("at run time it shares the package root's classes (one Codex, one CodexError)", async () => {
    const script = `
const lib = await import('codex-oauth-cli');
const { createCodex } = await import('codex-oauth-cli/ai-sdk');
const codex = new lib.Codex({ apiKey: 'a.b.c', accountId: 'acct', refreshToken: 'rt', expiresAt: 4102444800 });
const model = createCodex({ codex })('gpt-6-sol');
const failure = await model.doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], providerOptions: { codex: { effort: 'huge' } } }).catch((e) => e);
console.log(model.specificationVersion, failure.name, failure.cause instanceof lib.CodexError, failure.cause.code);
`;
    const run = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, reject: false });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('v4 AI_InvalidArgumentError true usage');
  });
});

describe('npm pack', () => {
  it('ships dist, man, completions, schema and the README, and no tests, fixtures or build output', async () => {
    requireBuilt('dist/index.js');
    const run = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const [info] = JSON.parse(run.stdout) as { files: { path: string }[] }[];
    const files = info!.files.map((file) => file.path);

    for (const file of files) {
      expect(file, file).toMatch(/^(dist\/|man\/|completions\/|schema\/|examples\/|README\.md$|package\.json$|LICENSE)/);
      expect(file, file).not.toMatch(/(^|\/)(test|tests|fixtures|__fixtures__|build)\/|\.test\.[jt]s$|\.tsbuildinfo$|\.map$/);
    }
    for (const file of [
      'package.json',
      'README.md',
      'dist/cli.js',
      'dist/index.js',
      'dist/ai-sdk.js',
      'dist/types/index.d.ts',
      'dist/types/library/codex.d.ts',
      'dist/types/ai-sdk/index.d.ts',
      'examples/ai-sdk.ts',
      'examples/openai-fetch.ts',
    ]) {
      expect(files).toContain(file);
    }
    // Whatever of these exists in the repository is shipped.
    for (const folder of ['man', 'completions', 'schema']) {
      if (existsSync(join(ROOT, folder)))
        expect(
          files.some((file) => file.startsWith(`${folder}/`)),
          folder,
        ).toBe(true);
    }
  });
});

describe('examples/library.ts', () => {
  const fake = useFake();

  it('type-checks against the built declarations, imported as `codex-oauth-cli`', async () => {
    requireBuilt('dist/types/index.d.ts');
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const run = await execa(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.examples.json'], { cwd: ROOT, reject: false });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    // A whole tsc run over examples/ (ai 7's declarations included): over 30 s on a loaded machine.
  }, 120_000);

  it('runs: streams the answer, calls its tool, and writes the refreshed tokens with onAuthRefresh', async () => {
    requireBuilt('dist/index.js');
    // Compiled next to the package root so that `codex-oauth-cli` resolves to this package (self-reference).
    const outDir = join(ROOT, `dist.example-${process.pid}`);
    mkdirSync(outDir, { recursive: true });
    try {
      const outfile = join(outDir, 'library.mjs');
      await build({ entryPoints: [join(ROOT, 'examples/library.ts')], outfile, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
      const dir = tempDir('codex-example-');
      const tokensFile = join(dir, 'codex-tokens.json');
      const initial = fake.issueTokens(-60);
      writeFileSync(tokensFile, JSON.stringify(initial), { mode: 0o600 });
      fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, call_id: 'call_w' }] }), answer({ text: 'Take an umbrella.' }));
      const run = await execa(process.execPath, [outfile, 'Umbrella in Paris?'], {
        cwd: dir,
        reject: false,
        stripFinalNewline: false,
        env: { CODEX_TOKENS_FILE: tokensFile, CODEX_BASE_URL: fake.baseUrl, CODEX_ISSUER: fake.issuer },
        timeout: 20_000,
      });
      expect(run.stdout).toBe('Take an umbrella.\n');
      expect(run.stderr).toContain('[get_weather {"city":"Paris"}]');
      expect(run.exitCode).toBe(0);
      const saved = JSON.parse(readFileSync(tokensFile, 'utf8')) as { access_token: string; refresh_token: string };
      expect(saved.refresh_token).not.toBe(initial.refresh_token);
      expect(fake.refreshRequests).toHaveLength(1);
      const second = fake.requestsTo('/backend-api/codex/responses')[1]!;
      expect(second.headers.authorization).toBe(`Bearer ${saved.access_token}`);
      expect(
        JSON.stringify((second.body as { input: { type: string; output?: unknown }[] }).input.find((item) => item.type === 'function_call_output')?.output),
      ).toContain('light rain');
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
