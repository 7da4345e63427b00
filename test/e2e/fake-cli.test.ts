// `npm run fake`: the standalone fake with a scratch sign-in, printing the environment to use, and scenarios.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const FAKE = resolve(import.meta.dirname, '../../build/fake.js');

/** Starts the fake as `npm run fake` does and reads the exports it prints (up to its comment line). */
async function startStandalone(extra: string[]) {
  const child = spawn(process.execPath, [FAKE, '--scratch', '--env', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const env: Record<string, string> = {};
  const printed: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    printed.push(line);
    if (line.startsWith('#')) break;
    const match = /^export (\w+)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  const stop = async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { env, stop, printed };
}

const ask = (env: Record<string, string>, words: string[]) =>
  execa(process.execPath, [CLI, 'ask', ...words], {
    env: { PATH: process.env.PATH!, HOME: env.CODEX_CONFIG_DIR!, ...env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });

describe('the standalone fake', () => {
  it('prints the environment of a scratch sign-in that codex can use at once, and removes it when stopped', async () => {
    const { env, stop } = await startStandalone([]);
    try {
      expect(Object.keys(env).sort()).toEqual(['CODEX_BASE_URL', 'CODEX_CONFIG_DIR', 'CODEX_ISSUER']);
      const run = await ask(env, ['hello']);
      expect([run.exitCode, run.stdout]).toEqual([0, 'You said: hello']);
    } finally {
      await stop();
    }
    expect(existsSync(env.CODEX_CONFIG_DIR!)).toBe(false);
  });

  it('--https: serves https with a throwaway CA, printed for both clients, and removes its certificate when stopped', async () => {
    const { env, stop } = await startStandalone(['--https']);
    try {
      expect(Object.keys(env).sort()).toEqual(['CODEX_BASE_URL', 'CODEX_CA_CERTIFICATE', 'CODEX_CONFIG_DIR', 'CODEX_ISSUER', 'NODE_EXTRA_CA_CERTS']);
      expect(env.CODEX_BASE_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/backend-api\/codex$/);
      expect(env.NODE_EXTRA_CA_CERTS).toBe(env.CODEX_CA_CERTIFICATE);
      const run = await ask(env, ['hello']);
      expect([run.exitCode, run.stdout]).toEqual([0, 'You said: hello']);
      const untrusted = await ask({ ...env, NODE_EXTRA_CA_CERTS: '' }, ['hello']);
      expect([untrusted.exitCode, untrusted.stderr]).toEqual([5, expect.stringMatching(/^codex: cannot reach 127\.0\.0\.1:\d+: UNABLE_TO_VERIFY_LEAF_SIGNATURE/)]);
    } finally {
      await stop();
    }
    expect(existsSync(env.CODEX_CA_CERTIFICATE!)).toBe(false);
  });

  it.each([
    ['refusal', 6, /^codex: the model refused to answer: I can't help with that\.$/],
    ['usage-limit', 4, /^codex: you have reached the usage limit of your ChatGPT plus plan; it resets at .* \(in 2h 13m\)$/],
  ])('--scenario %s', async (scenario, exitCode, message) => {
    const { env, stop } = await startStandalone(['--scenario', scenario]);
    try {
      const run = await ask(env, ['hello']);
      expect(run.exitCode).toBe(exitCode);
      expect(run.stderr).toMatch(message);
    } finally {
      await stop();
    }
  });

  it.each([
    [['--scenario', 'chaos'], 'fake: unknown scenario chaos; the scenarios: usage-limit, overloaded, drop, stall, slow, refusal'],
    [['overload'], 'fake: unknown scenario overload (did you mean overloaded?); the scenarios: usage-limit, overloaded, drop, stall, slow, refusal'],
    [['--scratch', '--env', 'refusl'], 'fake: unknown scenario refusl (did you mean refusal?); the scenarios: usage-limit, overloaded, drop, stall, slow, refusal'],
  ])('an unknown scenario is refused with the list: %j', async (args, message) => {
    const run = await execa(process.execPath, [FAKE, ...args], { reject: false });
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([2, '', message]);
  });

  it('prints an alias line for the CLI of this clone: pasted with the exports, the next command is a first prompt', async () => {
    const { stop, printed } = await startStandalone([]);
    try {
      expect(printed.slice(3)).toEqual([
        `alias codex='node ${CLI}'`,
        expect.stringMatching(/^# the fake runs until Ctrl-C; paste the lines above into another shell, then:$/),
      ]);
      const script = `${printed.slice(0, 4).join('\n')}\ncodex ask "my first question"`;
      const run = await execa('bash', ['-O', 'expand_aliases', '-c', script], {
        reject: false,
        env: { PATH: process.env.PATH!, HOME: tempDir() },
        extendEnv: false,
        stdin: 'ignore',
      });
      expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'You said: my first question', '']);
    } finally {
      await stop();
    }
  });

  it("plays a small scripted model: the README's --tool and --schema recipes work against it", async () => {
    const { env, stop } = await startStandalone([]);
    try {
      const tool = await ask(env, ['--json', '--tool', resolve(import.meta.dirname, '../../examples/weather.json'), "What's the weather in Paris?"]);
      expect(tool.exitCode, tool.stderr).toBe(0);
      const events = tool.stdout.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(events.find((event) => event.type === 'tool_call')).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
      expect(events.at(-1)).toMatchObject({ type: 'result', text: expect.stringMatching(/^The get_weather tool says: .*Paris/) });
      const schema =
        '{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"number"},"tags":{"type":"array","items":{"enum":["big","small"]}}},"required":["city","population","tags"],"additionalProperties":false}';
      const json = await ask(env, ['--schema', schema, 'the largest city of Japan']);
      expect(json.exitCode, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({ city: 'Japan', population: 42, tags: ['big'] });
      const plain = await ask(env, ['--tool', resolve(import.meta.dirname, '../../examples/weather.json'), 'hello']);
      expect([plain.exitCode, plain.stdout]).toEqual([0, 'You said: hello']);
    } finally {
      await stop();
    }
  });

  it('npm run demo: every step exits 0, and output that is not a terminal carries no escape codes', async () => {
    const run = await execa(process.execPath, [resolve(import.meta.dirname, '../../scripts/demo.mjs')], { reject: false, all: true, stdin: 'ignore' });
    expect(run.exitCode).toBe(0);
    expect(run.all).not.toContain('\x1b');
    expect(run.all.match(/^\(exit \d+\)$/gm)).toEqual(Array(7).fill('(exit 0)'));
    expect(run.all).toMatch(/^The get_weather tool says: /m);
    expect(run.all.trimEnd().split('\n').at(-1)).toBe('Your turn: run `npm run fake`, paste the lines it prints into another shell, then `codex ask "…"`.');
    // Seven runs of the CLI one after another: more than the default per-test time on a loaded machine.
  }, 120_000);
});
