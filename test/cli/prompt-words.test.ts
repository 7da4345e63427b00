// Options are read anywhere (`codex ask "hi" -m x`), but prompt words never silently turn into options: an option
// that takes a value among the words of an unquoted prompt is refused before anything is sent, and `--` ends the
// options explicitly.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, runInProcess } from '../support/cli.js';
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

const ask = (words: string[]) => runInProcess(['ask', ...words], { fake, configDir: dir, cwd });
const sent = () => fake.requestsTo('/backend-api/codex/responses').map((request) => ({ instructions: systemPromptOf(request.body) }));

describe('prompt words are never options', () => {
  it.each([
    ['what does -v do', 'what does -v do'],
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

  it.each([
    [['how', 'do', 'I', 'save', 'with', 'curl', '-o', 'notes.txt'], '-o', '"how do I save with curl -o notes.txt"', '"how do I save with curl" -o notes.txt'],
    [['explain', 'the', '-o', 'flag', 'of', 'tar'], '-o', '"explain the -o flag of tar"', '"explain the of tar" -o flag'],
    [['explain', 'du', '-s', 'here'], '-s', '"explain du -s here"', '"explain du" -s here'],
    [['what', 'is', 'tcp', '--model=x'], '--model', '"what is tcp --model=x"', '"what is tcp" --model=x'],
  ])('a value option among unquoted prompt words is refused before anything is sent: ask %j', async (words, option, quoted, asOption) => {
    const run = await ask(words);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `codex: ${option} stands among the words of an unquoted prompt; to send it as text, quote the prompt: codex ask ${quoted}; ` +
        `to use it as an option, quote the prompt without it: codex ask ${asOption}\n`,
    );
    expect(fake.requests).toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('in JSON mode the refusal is the terminal error event', async () => {
    const run = await ask(['--json', 'explain', 'the', '-o', 'flag']);
    expect(run.exitCode).toBe(2);
    expect(jsonLines(run.stdout).map((event) => [event.type, event.code])).toEqual([
      ['start', undefined],
      ['error', 'usage'],
    ]);
    expect(fake.requests).toEqual([]);
  });

  it('after a quoted prompt, options are options: -m, --cid, -u, -f, -o', async () => {
    const file = `${cwd}/notes.txt`;
    writeFileSync(file, 'the notes\n');
    const run = await ask(['summarise', '-m', 'gpt-5.5', '--cid', 'after', '-u', '-f', file, '-o', 'out.md']);
    expect(run.exitCode, run.stderr).toBe(0);
    const body = fake.requestsTo('/backend-api/codex/responses')[0]!.body as { model: string; prompt_cache_key: string };
    expect(body.model).toBe('gpt-5.5');
    expect(run.stdout).toMatch(/^You said: summarise\n\nFile: .*notes\.txt\n```\nthe notes\n```\n$/);
    expect(readFileSync(`${cwd}/out.md`, 'utf8')).toBe(run.stdout);
    expect(run.stderr).toMatch(/^codex: tokens: /m);
    const list = await runInProcess(['log', 'list'], { fake, configDir: dir });
    expect(list.stdout).toMatch(/\tafter\tgpt-5\.5\t1\t/);
  });

  it('an unknown option after a quoted prompt is exit 2 with a suggestion, and nothing is sent', async () => {
    for (const words of [
      ['hi', '--jsno'],
      ['what is tcp', '--jsno'],
      ['what', 'is', 'tcp', '--jsno'],
    ]) {
      const run = await ask(words);
      expect(run.exitCode, words.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^codex: unknown option '--jsno' \(Did you mean --json\?\)/);
    }
    expect(fake.requests).toEqual([]);
  });
});
