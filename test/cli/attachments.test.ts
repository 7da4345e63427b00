// Text attachments: `-f PATH|-`, each file under its name, fenced; binary files refused; a request over the
// backend's budget refused before sending, naming its largest parts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();
let dir: string;
let folder: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
  folder = tempDir('codex-files-');
});

const sentText = () =>
  fake.requestsTo('/backend-api/codex/responses').map((request) => {
    const input = (request.body as { input: { role?: string; content?: { type: string; text?: string }[] }[] }).input;
    return input
      .find((item) => item.role === 'user')!
      .content!.filter((part) => part.type === 'input_text')
      .map((part) => part.text)
      .join('');
  });

describe('--file', () => {
  it('puts each file under its name, fenced so its own backticks cannot close the fence', async () => {
    writeFileSync(join(folder, 'a.py'), 'print("hi")\n');
    writeFileSync(join(folder, 'notes.md'), 'Use ```sh blocks.');
    const run = await runInProcess(['ask', '-f', 'a.py', '--file', 'notes.md', 'review', 'these'], { fake, configDir: dir, cwd: folder });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(sentText()).toEqual(['review these\n\nFile: a.py\n```\nprint("hi")\n```\n\nFile: notes.md\n````\nUse ```sh blocks.\n````']);
  });

  it('-f - takes stdin as a file (not appended as well); files alone make a prompt', async () => {
    const run = await runInProcess(['ask', '-f', '-', 'what changed?'], { fake, configDir: dir, input: 'diff --git a b\n' });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(sentText()).toEqual(['what changed?\n\nFile: stdin\n```\ndiff --git a b\n```']);
    writeFileSync(join(folder, 'only.txt'), 'just this');
    expect((await runInProcess(['ask', '-f', join(folder, 'only.txt')], { fake, configDir: dir })).exitCode).toBe(0);
    expect(sentText()[1]).toBe(`File: ${join(folder, 'only.txt')}\n\`\`\`\njust this\n\`\`\``);
  });

  it.each([
    [
      'a binary file',
      () => {
        writeFileSync(join(folder, 'x.bin'), Buffer.from([0x7f, 0x45, 0x00, 0x01]));
        return 'x.bin';
      },
      /^codex: --file: x\.bin is not text \(binary\); attach images with -i\n$/,
    ],
    [
      'invalid UTF-8',
      () => {
        writeFileSync(join(folder, 'l1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        return 'l1.txt';
      },
      /^codex: --file: l1\.txt is not UTF-8 text/,
    ],
    ['a missing file', () => 'nope.txt', /^codex: --file: cannot read nope\.txt \(ENOENT\)\n$/],
    ['a directory', () => '.', /^codex: --file: cannot read \. \(a directory\)\n$/],
  ])('%s → exit 2, nothing sent', async (_what, make, message) => {
    const run = await runInProcess(['ask', '-f', make(), 'q'], { fake, configDir: dir, cwd: folder });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });

  it('over the request budget → exit 2 naming the largest parts, before anything is sent', async () => {
    writeFileSync(join(folder, 'big.log'), 'x'.repeat(900_000));
    writeFileSync(join(folder, 'mid.log'), 'y'.repeat(300_000));
    const run = await runInProcess(['ask', '-f', 'big.log', '-f', 'mid.log', 'summarise'], { fake, configDir: dir, cwd: folder });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^codex: the request would be 1,200,\d{3} bytes, over the limit of 1,100,000 \(1\.1 MB; the backend drops larger bodies without an answer\); largest parts: big\.log 900 KB, mid\.log 300 KB, the prompt 9 bytes\n$/,
    );
    expect(fake.requests.filter((request) => request.path.endsWith('/responses'))).toHaveLength(0);
  });
});
