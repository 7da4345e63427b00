import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { CLI, cliEnv, jsonLines, runCli, waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { lastUserText } from '../support/requests.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
const login = () => ({ dir: configDirWith(fake.issueTokens()) });

describe('codex ask: output', () => {
  it('text mode writes each delta as it arrives, before the stream ends', async () => {
    const { dir } = login();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // created, in_progress, item added, part added, then deltas of 4 characters: pause after three of them.
    fake.responses.push(answer({ text: 'Hello world, and the rest.', chunk: 4, pauseAt: { events: 7, until: gate } }));
    const child = runCli(['ask', 'q'], { fake, configDir: dir });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor(() => stdout === 'Hello world,', 10_000, `the first three deltas on stdout; got ${JSON.stringify(stdout)}`);
      // The backend has not finished the answer: the process is still running.
      expect(child.exitCode).toBeNull();
    } finally {
      release();
    }
    const run = await child;
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('Hello world, and the rest.\n');
  });
});

describe('codex ask: the prompt', () => {
  it('hints on stderr when words are given and stdin stays silent', async () => {
    const { dir } = login();
    const child = execa(process.execPath, [CLI, 'ask', 'words'], {
      env: cliEnv({ fake, configDir: dir }),
      extendEnv: false,
      reject: false,
      stdin: 'pipe',
      timeout: 20_000,
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => stderr.includes('waiting for stdin'), 10_000, 'the stdin hint');
    child.stdin!.end('late');
    const run = await child;
    expect(run.exitCode).toBe(0);
    expect(lastUserText(fake.requests.at(-1)!.body)).toBe('words\n\nlate');
  });
});

describe('codex ask: retries and failures', () => {
  it('on a terminal, an error after part of a line starts on a line of its own', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'partial answer that breaks', after: { events: 6, then: 'drop-mid-frame' } }));
    // `script` gives the CLI a pseudo-terminal for stdout and stderr alike, as a person at a terminal has.
    const command = [process.execPath, CLI, 'ask', 'q'].map((word) => `'${word}'`).join(' ');
    const run = await execa('script', ['-qec', command, '/dev/null'], { env: cliEnv({ fake, configDir: dir }), extendEnv: false, reject: false, stdin: 'ignore' });
    const screen = run.stdout.replace(/\r/g, '');
    expect(screen).toMatch(/part[^\n]*\ncodex: the stream broke/);
    expect(screen).not.toMatch(/[^\n]codex: /);
  });

  it('Ctrl-C aborts the request: exit 130 and a terminal error event', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'never finishes', after: { events: 8, then: 'stall' } }));
    const child = runCli(['ask', '--json', 'q'], { fake, configDir: dir });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor(() => stdout.includes('text.delta'), 10_000, 'the first delta');
    child.kill('SIGINT');
    const run = await child;
    expect(run.exitCode).toBe(130);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', code: 'cancelled', exit_code: 130 });
  });

  it('stdout closed early (| head -c 10): quiet exit, no stack trace', async () => {
    const { dir } = login();
    fake.responses.push(answer({ text: 'x'.repeat(200_000), chunk: 50 }));
    const run = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" ask q | head -c 10`], {
      env: cliEnv({ fake, configDir: dir }),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 20_000,
    });
    expect(run.stdout).toBe('x'.repeat(10));
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
  });
});
