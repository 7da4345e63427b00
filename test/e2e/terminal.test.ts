// Terminal polish: the spinner counts seconds, TERM=dumb gets no escape codes, -n is --no-stdin, and
// `codex "question"` without `ask` says how to ask it.
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { describeExpiry } from '../../src/cli/io/expiry.js';
import { Spinner } from '../../src/cli/render/spinner.js';
import { formatDuration } from '../../src/shared/duration.js';
import { answer, status } from '../fake/replies.js';
import { CLI, cliEnv, runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

/** Runs the CLI with a pseudo-terminal (stdout and stderr), as a person at a terminal does. */
function onTerminal(args: string[], env: Record<string, string>) {
  const command = [process.execPath, CLI, ...args].map((word) => `'${word}'`).join(' ');
  return execa('script', ['-qec', command, '/dev/null'], {
    env: { ...env, TERM: env.TERM ?? 'xterm' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
}

describe('terminal polish', () => {
  it('the spinner shows the seconds waited once there is one, and the model once the catalog names it', () => {
    let now = 1_000;
    const spinner = new Spinner(new PassThrough() as unknown as NodeJS.WriteStream, 'waiting for the answer…', () => now).start();
    expect(spinner.line()).toBe('⠋ waiting for the answer…');
    now += 3_400;
    spinner.relabel('waiting for gpt-6.1-sol…');
    expect(spinner.line()).toBe('⠋ waiting for gpt-6.1-sol… 3s');
    spinner.stop();
  });

  it('a terminal gets the spinner; TERM=dumb gets no escape code at all', async () => {
    const dir = configDirWith(fake.issueTokens());
    fake.responses.push(answer({ text: 'slow', delayMs: 100 }), answer({ text: 'slow', delayMs: 100 }));
    const env = cliEnv({ fake, configDir: dir }) as Record<string, string>;
    const xterm = await onTerminal(['ask', 'hi'], env);
    expect(xterm.stdout).toContain('\x1b[K');
    const dumb = await onTerminal(['ask', 'hi'], { ...env, TERM: 'dumb' });
    expect(dumb.exitCode).toBe(0);
    expect(dumb.stdout.replace(/\r/g, '')).toBe('slow\n');
  });

  it('-n is --no-stdin: a while-read loop keeps its input', async () => {
    const dir = configDirWith(fake.issueTokens());
    const script = `printf 'one\\ntwo\\n' | while read -r word; do ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} ask -n "say $word"; done`;
    const run = await execa('bash', ['-c', script], { env: cliEnv({ fake, configDir: dir }), extendEnv: false, reject: false });
    expect(run.stdout).toBe('You said: say one\nYou said: say two');
  });

  it('codex "question" without ask: exit 2 with the command to run; a mistyped command still gets a suggestion', async () => {
    const question = await runCli(['what is tcp?']);
    expect(question.exitCode).toBe(2);
    expect(question.stderr).toBe('codex: \'what is tcp?\' is not a command; to ask it, run: codex ask "what is tcp?"\n');
    const words = await runCli(['explain', 'tcp']);
    expect(words.stderr).toBe('codex: \'explain\' is not a command; to ask it, run: codex ask "explain tcp"\n');
    const typo = await runCli(['modles']);
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toBe("codex: unknown command 'modles' (Did you mean models?)\n");
  });

  it('on a terminal the model cannot drive it: no OSC 52 or CSI from the answer or a server message; --raw lets them through', async () => {
    const dir = configDirWith(fake.issueTokens());
    const env = cliEnv({ fake, configDir: dir }) as Record<string, string>;
    const hostile = 'copied\x1b]52;c;aGFjaw==\x07 and cleared\x1b[2J\x9b31m done';
    fake.responses.push(answer({ text: hostile }), answer({ text: hostile }), status(400, { detail: 'bad \x1b[31mred\x1b[0m request' }));
    const safe = await onTerminal(['ask', 'hi'], env);
    expect(safe.stdout).not.toMatch(/\x1b\]52|\x1b\[2J|\x9b/);
    expect(safe.stdout).toContain('copied]52;c;aGFjaw== and cleared[2J31m done');
    const raw = await onTerminal(['ask', '--raw', 'hi'], env);
    expect(raw.stdout).toContain('\x1b]52;c;aGFjaw==');
    const error = await onTerminal(['ask', 'hi'], env);
    expect(error.stdout).toContain('bad [31mred[0m request');
    expect(error.stdout).not.toContain('\x1b[31m');
  });

  it('values no clock reaches are said as such, never NaN, Invalid Date or 1e+300d', () => {
    expect([formatDuration(1e300), formatDuration(Number.NaN), formatDuration(-5), formatDuration(7980)]).toEqual([
      'more than 100 years',
      'an unknown time',
      '0s',
      '2h 13m',
    ]);
    expect(describeExpiry(1e300)).toBe('never, as far as the token says (in more than 100 years)');
  });
});
