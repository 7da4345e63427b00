import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { CLI, cliEnv, runCli, waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
let dir: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
});

/**
 * Runs the command on a pseudo-terminal, with python3's pty module (no native Node module needed): what the test
 * writes to python's stdin is typed on the terminal, and the screen comes back on python's stdout. The exit
 * status goes on python's stderr.
 */
const RELAY = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
sources = [fd, 0]
while True:
    ready, _, _ = select.select(sources, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(fd, data)
        else:
            sources.remove(0)
_, status = os.waitpid(pid, 0)
sys.stderr.write('exit %d\\n' % os.waitstatus_to_exitcode(status))
`;

function onTerminal(args: string[]) {
  const child = execa('python3', ['-c', RELAY, process.execPath, CLI, ...args], {
    // Not TERM=dumb: Node's readline has no history keys on a dumb terminal.
    env: { ...cliEnv({ fake, configDir: dir }), TERM: 'xterm' },
    extendEnv: false,
    reject: false,
    timeout: 60_000,
    stdin: 'pipe',
    buffer: { stdout: false },
  });
  let screen = '';
  child.stdout!.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  return {
    child,
    screen: () => screen,
    type: (text: string) => child.stdin!.write(text),
    /** Waits until the screen shows `text` after position `from`; returns where it ends. */
    async see(text: string, from = 0): Promise<number> {
      await waitFor(
        () => screen.indexOf(text, from) >= 0,
        20_000,
        `${JSON.stringify(text)} on the screen; it shows ${JSON.stringify(screen.slice(from))} after ${JSON.stringify(screen.slice(0, from))}`,
      );
      return screen.indexOf(text, from) + text.length;
    },
  };
}

const userTexts = () =>
  fake.requestsTo('/backend-api/codex/responses').map((request) => {
    const input = (request.body as { input: { role?: string; content?: { text?: string }[] }[] }).input;
    return input.filter((item) => item.role === 'user').map((item) => item.content?.at(-1)?.text);
  });

describe('codex chat', () => {
  it('answers on a terminal; Ctrl-C stops a slow answer but not the chat; Up recalls a line; /model, /effort; Ctrl-D ends with exit 0', async () => {
    const term = onTerminal(['chat', '--cid', 'desk']);
    let at = await term.see('> ');
    term.type('hello\r');
    at = await term.see('You said: hello', at);
    at = await term.see('> ', at);

    // A slow answer: Ctrl-C once its first words are on the screen.
    fake.responses.push(answer({ text: 'one two three four five six seven eight nine ten eleven twelve', chunk: 4, delayMs: 300 }));
    term.type('count slowly\r');
    at = await term.see('one ', at);
    term.type('\x03');
    at = await term.see('codex: cancelled', at);
    at = await term.see('> ', at);
    expect(term.screen()).not.toContain('twelve');

    term.type('/model gpt-5.5\r');
    at = await term.see('model gpt-5.5', at);
    at = await term.see('> ', at);
    term.type('/effort high\r');
    at = await term.see('effort high', at);
    at = await term.see('> ', at);
    // Up four times: "/effort high", "/model gpt-5.5", "count slowly", then "hello".
    term.type('\x1b[A\x1b[A\x1b[A\x1b[A\r');
    at = await term.see('You said: hello', at);
    at = await term.see('> ', at);
    term.type('\x04');
    const done = await term.child;
    expect(done.stderr).toBe('exit 0');

    const bodies = fake
      .requestsTo('/backend-api/codex/responses')
      .map((request) => request.body as { model: string; prompt_cache_key: string; reasoning?: { effort?: string } });
    expect(bodies.map((body) => body.model)).toEqual(['gpt-6.2-sol', 'gpt-6.2-sol', 'gpt-5.5']);
    expect(bodies[2]!.reasoning).toEqual({ effort: 'high' });
    expect(new Set(bodies.map((body) => body.prompt_cache_key)).size).toBe(1);
    // The cancelled answer was not logged, so it is not sent back: the third question follows the first.
    expect(userTexts()).toEqual([['hello'], ['hello', 'count slowly'], ['hello', 'hello']]);
    const folder = join(dir, 'data', 'conversations');
    const [file] = readdirSync(folder).filter((name) => name.endsWith('.jsonl'));
    const lines = readFileSync(join(folder, file!), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.type)).toEqual(['conversation', 'turn', 'turn']);
    expect(lines[0]).toMatchObject({ name: 'desk' });
  });

  it('a pasted block is one message; a line ending in \\ goes on; /help; /model and /effort are checked at once; /model names the model', async () => {
    const term = onTerminal(['chat']);
    let at = await term.see('> ');
    term.type('\x1b[200~first line\nsecond line\r\nthird line\x1b[201~\r');
    at = await term.see('You said: first line\r\nsecond line\r\nthird line', at);
    at = await term.see('> ', at);
    term.type('one\\\r');
    at = await term.see('… ', at);
    term.type('two\r');
    at = await term.see('You said: one\r\ntwo', at);
    at = await term.see('> ', at);
    term.type('/help\r');
    at = await term.see('/effort [LEVEL]', at);
    at = await term.see('> ', at);
    term.type('/model\r');
    const defaultModel = (fake.requestsTo('/backend-api/codex/responses')[0]!.body as { model: string }).model;
    at = await term.see(`codex chat: model ${defaultModel}\r\n`, at);
    term.type('/model gpt-6-lunna\r');
    at = await term.see('codex: unknown model gpt-6-lunna; did you mean gpt-6-luna', at);
    at = await term.see('> ', at);
    term.type('/model gpt-6-luna\r');
    at = await term.see('codex chat: model gpt-6-luna\r\n', at);
    term.type('/effort ultra\r');
    at = await term.see('codex: gpt-6-luna takes reasoning effort low, medium, high, xhigh, max; not ultra', at);
    at = await term.see('> ', at);
    term.type('/effort huge\r');
    at = await term.see('codex: /effort takes one of', at);
    at = await term.see('> ', at);
    term.type('last\r');
    at = await term.see('You said: last', at);
    await term.see('> ', at);
    term.type('\x04');
    expect((await term.child).stderr).toBe('exit 0');
    expect(userTexts().map((texts) => texts.at(-1))).toEqual(['first line\nsecond line\nthird line', 'one\ntwo', 'last']);
    const bodies = fake.requestsTo('/backend-api/codex/responses').map((request) => request.body as { model: string });
    expect(bodies.map((body) => body.model)).toEqual([defaultModel, defaultModel, 'gpt-6-luna']);
  });

  it('chat --cid continues with the conversation’s settings', async () => {
    const first = await runCli(['ask', '-m', 'gpt-6-luna', '-s', 'You are a pirate', '--cid', 'ship', 'ahoy'], { fake, configDir: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const term = onTerminal(['chat', '--cid', 'ship']);
    let at = await term.see('> ');
    term.type('/model\r');
    at = await term.see('codex chat: model gpt-6-luna\r\n', at);
    term.type('and now?\r');
    at = await term.see('You said: and now?', at);
    await term.see('> ', at);
    term.type('\x04');
    expect((await term.child).stderr).toBe('exit 0');
    const second = fake.requestsTo('/backend-api/codex/responses')[1]!.body as { model: string };
    expect(second.model).toBe('gpt-6-luna');
    expect(JSON.stringify(second)).toContain('You are a pirate');
  });

  it('refuses to start when stdin is not a terminal, pointing to ask -c', async () => {
    const run = await runCli(['chat'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: codex chat needs a terminal on stdin; in scripts use `codex ask -c "…"` or `codex ask --cid NAME "…"`\n');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });
});

describe('log rm --purge on a terminal', () => {
  it('asks first: anything but y keeps every conversation, y removes them', async () => {
    expect((await runCli(['ask', 'keep me'], { fake, configDir: dir })).exitCode).toBe(0);
    const folder = join(dir, 'data', 'conversations');
    const no = onTerminal(['log', 'rm', '--purge']);
    await no.see(`remove all 1 conversation in ${folder}? [y/N] `);
    no.type('n\r');
    await no.see('codex: nothing removed');
    expect((await no.child).stderr).toBe('exit 0');
    expect(readdirSync(folder).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
    const yes = onTerminal(['log', 'rm', '--purge']);
    await yes.see('[y/N] ');
    yes.type('y\r');
    await yes.see(`codex: removed 1 conversation (${folder})`);
    expect((await yes.child).stderr).toBe('exit 0');
    expect(existsSync(folder)).toBe(false);
  });
});
