// The README's in-process examples run as users run them: compiled next to the package root (so that
// `codex-oauth-cli` resolves to this package), signed in through a config dir, against the fake.
// (examples/library.ts is run by test/library/package.test.ts; all of examples/ is type-checked there too.)
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types, shared with .ci/run.
import { NODE24_VERSION, node24Bin } from '../../scripts/node24.mjs';
import { answer, usageLimit } from '../fake/replies.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const ROOT = resolve(import.meta.dirname, '../..');
const fake = useFake();
const outDir = join(ROOT, `dist.examples-${process.pid}`);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The example as JavaScript; `ai` is ai 7 (the devDependency `ai` is ai 6, ai 7 is installed as `ai7`). */
async function compiled(name: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, `examples/${name}.ts`)],
    outfile,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: true,
    packages: 'external',
    alias: { ai: 'ai7' },
    logLevel: 'error',
  });
  return outfile;
}

function envFor(configDir: string) {
  return { CODEX_CONFIG_DIR: configDir, CODEX_BASE_URL: fake.baseUrl, CODEX_ISSUER: fake.issuer, CODEX_MODEL: 'gpt-6-luna', AI_SDK_LOG_WARNINGS: 'false' };
}

describe('examples/openai-fetch.ts', () => {
  it('answers a chat completion and a streamed response in-process, with the CLI sign-in', async () => {
    fake.responses.push(answer({ text: 'SSE is a one-way stream.' }), answer({ text: 'Server pushes events, simply.', chunk: 3 }));
    const run = await execa(process.execPath, [await compiled('openai-fetch'), 'What is SSE?'], {
      cwd: ROOT,
      reject: false,
      env: envFor(configDirWith(fake.issueTokens())),
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('SSE is a one-way stream.\nServer pushes events, simply.');
    expect(run.exitCode).toBe(0);
    const sent = fake.requestsTo('/backend-api/codex/responses').map((request) => JSON.stringify(request.body));
    expect(sent[0]).toContain('What is SSE?');
    expect(sent[1]).toContain('Now say it in five words.');
  });
});

// `ai` 7 needs Node ≥ 22: this Node when it is that new, else the Node 24 that .ci/run installs.
const NODE_FOR_AI7: string | undefined = Number(process.versions.node.split('.')[0]) >= 22 ? process.execPath : (node24Bin() as string | undefined);
if (!NODE_FOR_AI7)
  process.stderr.write(`examples/ai-sdk.ts is not run: it needs Node ≥ 22 (node scripts/node24.mjs --install puts Node ${NODE24_VERSION} in a cache folder)\n`);

describe.runIf(NODE_FOR_AI7)('examples/ai-sdk.ts', () => {
  it('streams the answer after the AI SDK has run the tool', async () => {
    fake.responses.push(answer({ functionCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, call_id: 'call_w' }] }), answer({ text: 'Take an umbrella.' }));
    const run = await execa(NODE_FOR_AI7!, [await compiled('ai-sdk'), 'Umbrella in Paris?'], {
      cwd: ROOT,
      reject: false,
      env: envFor(configDirWith(fake.issueTokens())),
      timeout: 30_000,
    });
    expect(run.stdout).toBe('Take an umbrella.');
    expect(run.stderr).toMatch(/^\[get_weather \{"city":"Paris"\}\]\n\[\d+ tokens in, \d+ out\]$/);
    expect(run.exitCode).toBe(0);
    const second = fake.requestsTo('/backend-api/codex/responses')[1]!.body as { input: { type: string; output?: unknown }[] };
    expect(second.input.find((item) => item.type === 'function_call_output')?.output).toEqual([
      { type: 'input_text', text: '{"city":"Paris","sky":"light rain","celsius":14}' },
    ]);
  });

  it('reports a usage limit with its code and exits 1', async () => {
    fake.responses.push(usageLimit('plus', 3600));
    const run = await execa(NODE_FOR_AI7!, [await compiled('ai-sdk'), 'hi'], {
      cwd: ROOT,
      reject: false,
      env: envFor(configDirWith(fake.issueTokens())),
      timeout: 30_000,
    });
    expect(run.stderr).toMatch(/^codex: .+ \(usage_limit_reached\)$/);
    expect(run.exitCode).toBe(1);
  });
});
