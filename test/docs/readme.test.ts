// Runs the README's ```sh runnable blocks in bash against the loopback fake, each in a fresh folder and a fresh
// signed-in config dir, with the files the recipes name (notes.md, prompt.txt, a git change …). `codex` is a shell
// function that runs each call in this process (test/support/in-process-shell.ts) with the shell's own stdin, stdout
// and stderr; the built binary stays on PATH for anything that is not bash.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeProgram } from '../../scripts/docgen.js';
import { answer } from '../fake/replies.js';
import { searchingModel } from '../fake/search.js';
import { echoText } from '../fake/server.js';
import { CLI } from '../support/cli.js';
import { has, longOptions, ROOT } from '../support/docs.js';
import { useFake } from '../support/fake.js';
import { type InProcessShell, inProcessShell } from '../support/in-process-shell.js';
import { configDirWith, tempDir } from '../support/temp.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```sh runnable\n([\s\S]*?)^```$/gm)].map((match, index) => {
  const line = readme.slice(0, match.index).split('\n').length;
  return { name: `block ${index + 1} (README.md:${line})`, code: match[1]! };
});

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** A value that follows a (simple) JSON Schema, for answering --schema requests. */
function example(schema: Record<string, unknown>): unknown {
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>).map(([key, value]) => [key, example(value)]));
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return 37;
    case 'boolean':
      return true;
    default:
      return 'Tokyo';
  }
}

type Body = {
  input: { type?: string; output?: string; tools?: { name?: string; tools: { name: string }[] }[] }[];
  tools?: { name: string }[];
  text?: { format?: { type?: string; schema?: Record<string, unknown> } };
};

const fake = useFake();
let bin: string;
let shell: InProcessShell;

afterAll(async () => {
  await shell?.close();
});

beforeAll(async () => {
  fake.deviceAuth = { enabled: true, pendingPolls: 0, interval: '1' };
  // Plays the model the recipes need: a tool call when tools are offered, a document for --schema, else an echo.
  fake.defaultReply = (raw) => {
    // --search: the fake's searching model (web.run on lite models, the hosted tool on classic ones).
    const searching = searchingModel(raw);
    if (searching) return searching;
    const body = raw as Body;
    const format = body.text?.format;
    if (format?.type === 'json_schema' && format.schema) return answer({ text: JSON.stringify(example(format.schema)) });
    const outputs = body.input.filter((item) => item.type === 'function_call_output');
    // --image-out on a lite model: the image function (namespace image_gen) is called once, then the echo.
    const namespaces = body.input.find((item) => item.type === 'additional_tools')?.tools ?? [];
    if (namespaces.some((namespace) => namespace.name === 'image_gen')) {
      if (outputs.length === 0) return answer({ functionCalls: [{ name: 'imagegen', namespace: 'image_gen', arguments: { prompt: 'a picture' } }] });
      return answer({ text: echoText(body) });
    }
    // Classic layout: top-level tools; lite layout: the additional_tools input item (protocol §10).
    const tools = body.tools ?? body.input.find((item) => item.type === 'additional_tools')?.tools?.[0]?.tools;
    if (tools?.length && outputs.length === 0) return answer({ functionCalls: [{ name: tools[0]!.name, arguments: { city: 'Paris' } }] });
    if (outputs.length > 0) return answer({ text: `The tool said: ${outputs.at(-1)!.output}` });
    return answer({ text: echoText(body), reasoning: ['Reading the prompt.'] });
  };
  bin = tempDir('codex-bin-');
  writeFileSync(join(bin, 'codex'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(join(bin, 'codex'), 0o755);
  if (!has('git')) {
    writeFileSync(join(bin, 'git'), '#!/bin/sh\nprintf -- "--- a/app.js\\n+++ b/app.js\\n@@ -1 +1 @@\\n-old\\n+new\\n"\n');
    chmodSync(join(bin, 'git'), 0o755);
  }
  shell = await inProcessShell();
});

/** A working folder with the files the README's recipes use. */
function workspace(): { cwd: string; env: Record<string, string | undefined> } {
  const cwd = tempDir('codex-readme-');
  cpSync(join(ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });
  writeFileSync(join(cwd, 'notes.md'), '# Notes\n\nThe meeting moved to Tuesday.\n');
  writeFileSync(join(cwd, 'prompt.txt'), 'What is a pipe?\n');
  writeFileSync(join(cwd, 'style.md'), 'Answer in one sentence.\n');
  writeFileSync(join(cwd, 'photo.png'), PNG);
  writeFileSync(join(cwd, 'app.js'), 'console.log("old");\n');
  if (has('git')) {
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'ignore' });
    git('init', '-q');
    git('add', 'app.js');
    git('commit', '-q', '-m', 'start');
    writeFileSync(join(cwd, 'app.js'), 'console.log("new");\n');
  }
  const tokens = fake.issueTokens();
  const codexHome = join(cwd, 'official');
  mkdirSync(codexHome);
  const official = {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
    last_refresh: '2026-11-01T00:00:00Z',
  };
  writeFileSync(join(codexHome, 'auth.json'), JSON.stringify(official), { mode: 0o600 });
  return {
    cwd,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: cwd,
      LANG: 'C.UTF-8',
      CODEX_BASE_URL: fake.baseUrl,
      CODEX_ISSUER: fake.issuer,
      CODEX_CONFIG_DIR: configDirWith(fake.issueTokens()),
      CODEX_HOME: codexHome,
    },
  };
}

/**
 * What a block's stdout must show, from its command lines: a `codex`/`jq` line whose stdout is not redirected
 * prints something; a plain-text `codex ask "WORDS"` prints the fake's echo of WORDS; a text-mode `--tool` ask
 * prints the tool's answer; `--search` the fake's answer from its search results, with the sources on stderr;
 * `--reasoning` prints the fake's reasoning summary.
 */
function expectedOutput(code: string): { prints: boolean; contains: string[]; stderrContains: string[] } {
  const lines = code
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '');
  let prints = false;
  const contains: string[] = [];
  const stderrContains: string[] = [];
  for (const line of lines) {
    const bare = line.replace(/'[^']*'|"[^"]*"/g, '""');
    if (/(^|[^0-9&])>\s*(?!&)/.test(bare) || /^(if|mkdir)\b/.test(bare) || /\bcodex (login|logout|completion)\b/.test(bare)) continue;
    if (!/\b(codex|jq)\b/.test(bare)) continue;
    prints = true;
    if (!/\bcodex ask\b/.test(bare) || /--json|--schema/.test(bare)) continue;
    if (/--tool/.test(bare)) contains.push('The tool said: ');
    else if (/--search|--web\b/.test(bare)) {
      // The fake's searching model answers with links to its results; the sources follow on stderr.
      contains.push('From the search: see ');
      stderrContains.push('sources:\n[1] ');
    } else {
      const words = [...line.matchAll(/"([^"]*)"/g)].at(-1)?.[1];
      contains.push(`You said: ${words ?? ''}`);
    }
    // The reasoning summary goes to stderr, labelled; stdout carries the answer alone.
    if (/--reasoning/.test(bare)) stderrContains.push('reasoning: Reading the prompt.');
  }
  return { prints, contains, stderrContains };
}

describe('README', () => {
  it('has runnable blocks', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it('names no option that no command defines', () => {
    const spec = describeProgram();
    const defined = new Set([...spec.globals, ...spec.commands.flatMap((command) => command.options)].map((option) => option.long));
    for (const option of longOptions(readme)) expect(defined.has(option), `README.md mentions ${option}, which no command defines`).toBe(true);
  });

  const jq = has('jq');
  it.for(blocks)('$name runs against the fake', async ({ code }, ctx) => {
    if (!jq && /\bjq\b/.test(code)) {
      console.warn('test/docs: SKIPPED a README block that needs jq (jq is not installed)');
      ctx.skip('jq is not installed');
    }
    const { cwd, env } = workspace();
    const calls = shell.calls;
    const run = await execa('bash', ['-euo', 'pipefail', '-c', `${shell.prelude}${code}`], {
      cwd,
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 60_000,
    });
    const context = `${code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    expect(shell.errors).toEqual([]);
    expect(run.exitCode, context).toBe(0);
    expect(shell.calls - calls, 'each codex line ran through the function').toBeGreaterThanOrEqual(code.match(/^(git diff \| )?codex /gm)?.length ?? 0);
    expect(run.stderr).not.toMatch(/command not found|No such file/);
    const expected = expectedOutput(code);
    if (expected.prints) expect(run.stdout.trim(), `a block that prints must print something\n${context}`).not.toBe('');
    for (const text of expected.contains) expect(run.stdout, context).toContain(text);
    for (const text of expected.stderrContains) expect(run.stderr, context).toContain(text);
    if (expected.stderrContains.some((text) => text.startsWith('reasoning:'))) expect(run.stdout, context).not.toContain('Reading the prompt.');
  });
});
