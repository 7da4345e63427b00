// Prompt words never turn into options: options end at the first prompt word (a trailing run of long flags
// without a value excepted), and `--` ends them explicitly.
import { existsSync, readdirSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { systemPromptOf } from '../support/requests.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();
let dir: string;
let cwd: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
  cwd = tempDir('codex-cwd-');
});

const ask = (words: string[]) => runCli(['ask', ...words], { fake, configDir: dir, execa: { cwd } });
const sent = () => fake.requestsTo('/backend-api/codex/responses').map((request) => ({ instructions: systemPromptOf(request.body) }));

describe('prompt words are never options', () => {
  it.each([
    ['how do I save with curl -o notes.txt', 'how do I save with curl -o notes.txt'],
    ['how do I pass options to ssh -o do', 'how do I pass options to ssh -o do'],
    ['what does -v do', 'what does -v do'],
    ['explain du -s here', 'explain du -s here'],
    ['what does ls -la show', 'what does ls -la show'],
    ['explain the --json flag of gh', 'explain the --json flag of gh'],
  ])('ask %s', async (line, prompt) => {
    const run = await ask(line.split(' '));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe(`You said: ${prompt}\n`);
    expect(run.stderr).toBe(''); // no verbose diagnostics from -v
    expect(readdirSync(cwd)).toEqual([]); // neither notes.txt nor ./do
    expect(sent()[0]!.instructions).not.toBe('here'); // -s did not become the system prompt
  });

  it('options before the prompt still work, in any order', async () => {
    const run = await ask(['-m', 'gpt-5.5', '--json', '-e', 'high', 'what', 'is', 'TCP']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'result', model: 'gpt-5.5', text: 'You said: what is TCP' });
  });

  it('a trailing run of long flags without a value stays an option: ask "question" --json --reasoning', async () => {
    const run = await ask(['what is UDP', '--json', '--reasoning']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'result', text: 'You said: what is UDP' });
  });

  it('-- ends the options: everything after it is the prompt', async () => {
    const run = await ask(['--', 'what is UDP', '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('You said: what is UDP --json\n');
  });

  it('a value option after the prompt is a word, so -o never writes a file', async () => {
    const run = await ask(['summarise', '-o', 'out.md']);
    expect(run.stdout).toBe('You said: summarise -o out.md\n');
    expect(existsSync(`${cwd}/out.md`)).toBe(false);
  });
});
