// `npm run fake`: the standalone fake with a scratch sign-in, printing the environment to use, and scenarios.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

const FAKE = resolve(import.meta.dirname, '../../build/fake.js');

/** Starts the fake as `npm run fake` does and reads the exports it prints (up to its comment line). */
async function startStandalone(extra: string[]) {
  const child = spawn(process.execPath, [FAKE, '--scratch', '--env', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('#')) break;
    const match = /^export (\w+)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  const stop = async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { env, stop };
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

  it('an unknown scenario is refused with the list', async () => {
    const run = await execa(process.execPath, [FAKE, '--scenario', 'chaos'], { reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('fake: unknown scenario chaos (usage-limit, overloaded, drop, stall, slow, refusal)');
  });
});
