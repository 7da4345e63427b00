// Things that must never happen whatever the timing: a login lost to an interrupted refresh, a token handed to a
// tool, a stale lock stolen from a live refresh.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { jsonLines, runCli, waitFor } from '../support/cli.js';
import { testFake, useFake } from '../support/fake.js';
import { configDirWith, readAuth, tempDir } from '../support/temp.js';
import { writeTool } from '../support/tools.js';

const fake = useFake();

// Each run waits out a slow refresh (1.5 s): the three run side by side, each against a fake of its own.
describe('an interrupted refresh', () => {
  it.concurrent.for([
    ['--timeout', ['--timeout', '0.3'], undefined, 124],
    ['Ctrl-C', [], 'SIGINT', 130],
    ['SIGTERM', [], 'SIGTERM', 143],
  ] as const)('%s while the issuer is rotating the token: the new token is still saved', async ([, flags, signal, exitCode], ctx) => {
    const fake = await testFake(ctx);
    const tokens = fake.issueTokens(-60);
    const dir = configDirWith(tokens);
    fake.refreshDelayMs = 1500;
    const child = runCli(['ask', '--json', '--verbose', ...flags, 'q'], { fake, configDir: dir });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => fake.refreshRequests.length === 1, 10_000, 'the refresh request');
    if (signal) child.kill(signal);
    const run = await child;
    expect(run.exitCode).toBe(exitCode);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ type: 'error', exit_code: exitCode });
    const saved = readAuth(dir);
    expect(saved.refresh_token).not.toBe(tokens.refresh_token);
    expect(existsSync(join(dir, 'auth.json.lock'))).toBe(false);
    // The saved refresh token is the live one: the next run needs no refresh and succeeds.
    fake.refreshDelayMs = 0;
    const next = await runCli(['ask', 'again'], { fake, configDir: dir });
    expect(next.exitCode).toBe(0);
    expect(fake.refreshRequests).toHaveLength(1);
    expect(stderr).not.toContain(tokens.refresh_token);
  });
});

describe('tools and credentials', () => {
  it('a tool does not see CODEX_AUTH_JSON, so it cannot print the tokens', async () => {
    const tokens = fake.issueTokens();
    const { file } = writeTool('show_env', { script: 'cat >/dev/null\nenv', parameters: undefined });
    fake.responses.push(answer({ functionCalls: [{ name: 'show_env', arguments: {} }] }), answer({ text: 'done' }));
    const run = await runCli(['ask', '--json', '--tool', file, 'q'], {
      fake,
      configDir: tempDir(),
      env: { CODEX_AUTH_JSON: JSON.stringify(tokens) },
    });
    expect(run.exitCode).toBe(0);
    const output = String(jsonLines(run.stdout).find((e) => e.type === 'tool_result')!.output);
    expect(output).toContain('CODEX_TOOL_NAME=show_env');
    expect(output).not.toContain('CODEX_AUTH_JSON');
    for (const secret of [tokens.access_token, tokens.refresh_token]) expect(run.stdout).not.toContain(secret);
  });
});
