/**
 * Files in the conversation log that are not regular files (issue 28, item 4). Before: a FIFO named like a
 * conversation hung `codex log list` and `codex ask -c` (a blocking open, then a read that never ends), and a turn
 * was appended through a symlink planted in place of a conversation's file, into whatever it pointed at.
 *
 * What must hold: log files are opened without following a link or blocking and checked by their descriptor. A
 * FIFO or symlink among the others is passed over by `log list` and `-c`; named directly, it is refused (exit 3,
 * one line naming it), and nothing is written through a link.
 */

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

const fake = useFake();
const RESPONSES = '/backend-api/codex/responses';
/** A conversation id nobody made: the shape codex gives its files. */
const PLANTED = 'c_0123456789abcdef0123';

async function withConversation(): Promise<{ dir: string; logDir: string; id: string }> {
  const dir = configDirWith(fake.issueTokens());
  const first = await runInProcess(['ask', 'first'], { fake, configDir: dir });
  expect(first.exitCode, first.stderr).toBe(0);
  const logDir = join(dir, 'data', 'conversations');
  const [file] = readdirSync(logDir).filter((name) => name.endsWith('.jsonl'));
  return { dir, logDir, id: file!.replace(/\.jsonl$/, '') };
}

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', ['-m', '600', path]);
  expect(made.status, String(made.stderr)).toBe(0);
}

// Runs that meet a FIFO are processes of their own: a regression would block on it, in-process every test with it.
describe('a FIFO in the conversation log', () => {
  it('`log list` lists the real conversation and does not block on the FIFO', async () => {
    const { dir, logDir, id } = await withConversation();
    mkfifo(join(logDir, `${PLANTED}.jsonl`));
    const run = await runCli(['log', 'list', '--json'], { fake, configDir: dir, timeoutMs: 15_000 });
    expect(run.exitCode, `${run.stderr}${run.timedOut ? ' (timed out: blocked on the FIFO)' : ''}`).toBe(0);
    expect((JSON.parse(run.stdout) as { id: string }[]).map((entry) => entry.id)).toEqual([id]);
  });

  it('`ask -c` continues the real conversation', async () => {
    const { dir, logDir, id } = await withConversation();
    mkfifo(join(logDir, `${PLANTED}.jsonl`));
    const run = await runCli(['ask', '-c', 'again'], { fake, configDir: dir, timeoutMs: 15_000 });
    expect(run.exitCode, `${run.stderr}${run.timedOut ? ' (timed out: blocked on the FIFO)' : ''}`).toBe(0);
    expect(
      readFileSync(join(logDir, `${id}.jsonl`), 'utf8')
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(3);
  });

  it('named directly (`log show ID`, `ask --cid ID`): exit 3, one line naming it, nothing sent', async () => {
    const { dir, logDir } = await withConversation();
    const fifo = join(logDir, `${PLANTED}.jsonl`);
    mkfifo(fifo);
    const sent = fake.requestsTo(RESPONSES).length;
    for (const args of [
      ['log', 'show', PLANTED],
      ['ask', '--cid', PLANTED, 'q'],
    ]) {
      const run = await runCli(args, { fake, configDir: dir, timeoutMs: 15_000 });
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(3);
      expectCleanStderr(
        run.stderr,
        { error: new RegExp(`^${fifo} is a FIFO, not a regular file; codex will not read or write it \\(remove it or move it away\\)$`) },
        false,
      );
    }
    expect(fake.requestsTo(RESPONSES)).toHaveLength(sent);
  });
});

describe('a symlink in place of a conversation file', () => {
  it('`ask --cid ID` refuses it (exit 3) and writes nothing through it; `log list` passes over it', async () => {
    const { dir, logDir, id } = await withConversation();
    const file = join(logDir, `${id}.jsonl`);
    const victim = join(tempDir('codex-victim-'), 'victim.jsonl');
    writeFileSync(victim, readFileSync(file));
    const before = readFileSync(victim, 'utf8');
    rmSync(file);
    symlinkSync(victim, file);
    const sent = fake.requestsTo(RESPONSES).length;
    const run = await runInProcess(['ask', '--cid', id, 'more'], { fake, configDir: dir, timeoutMs: 15_000 });
    expect(run.exitCode, run.stderr).toBe(3);
    expectCleanStderr(run.stderr, { error: new RegExp(`^${file} is a symbolic link, not a regular file; codex will not read or write it`) }, false);
    expect(readFileSync(victim, 'utf8')).toBe(before);
    expect(fake.requestsTo(RESPONSES)).toHaveLength(sent);
    const list = await runInProcess(['log', 'list', '--json'], { fake, configDir: dir });
    expect(list.exitCode, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
