// `codex serve` as a process of its own, stopped by a real SIGTERM while a stream is open. The rest of serve's
// behaviour with real clients runs in-process: test/cli/serve-sdk.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { waitFor } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { type Served, startServe } from '../support/serve.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

describe('codex serve: a signal to its process', () => {
  const started: Served[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((served) => served.stop()));
  });

  it('SIGTERM lets an open stream finish, then exits 0', async () => {
    const served = await startServe([], { fake, configDir: configDirWith(fake.issueTokens()) });
    started.push(served);
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    fake.responses.push(answer({ text: 'finishing after the signal', pauseAt: { events: 6, until } }));
    const response = await fetch(`${served.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer unused' },
      body: JSON.stringify({ model: 'gpt-6-sol', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    let seen = '';
    while (!seen.includes('"content":')) seen += new TextDecoder().decode((await reader.read()).value);
    served.child.kill('SIGTERM');
    await waitFor(() => served.stderr().includes('SIGTERM: stopping'), 10_000, 'the stop notice');
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain('data: [DONE]');
    const { exitCode, stderr } = await served.stop();
    expect(exitCode).toBe(0);
    expect(stderr).toContain('codex serve: stopped');
  });
});
