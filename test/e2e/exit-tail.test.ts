// With a proxy variable set, requests go through undici (its llhttp is WebAssembly), and on Node < 22 the CLI sets
// V8's --liftoff-only for it (src/cli/exit-tail.ts). The answer must be the same as on the direct path.
import { describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { jsonLines, runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();
// A proxy that is never used: NO_PROXY exempts the fake, so undici connects to it directly.
const proxyEnv = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1' };
const text = `Grüße ✓ ${'the quick brown fox '.repeat(400)}end`;

describe('codex ask through undici (the exit-tail flag path)', () => {
  it('prints the whole answer, byte-exact, and exits 0', async () => {
    fake.responses.push(answer({ text, chunk: 7 }));
    const run = await runCli(['--verbose', 'ask', 'hi'], { fake, configDir: configDirWith(fake.issueTokens()), env: proxyEnv });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`${text}\n`);
    expect(run.stderr).toContain('using the proxy from HTTPS_PROXY/HTTP_PROXY');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
  });

  it('--json: the deltas add up to the answer, and the run ends with the result', async () => {
    fake.responses.push(answer({ text, chunk: 5 }));
    const run = await runCli(['ask', '--json', 'hi'], { fake, configDir: configDirWith(fake.issueTokens()), env: proxyEnv });
    expect(run.exitCode).toBe(0);
    const events = jsonLines(run.stdout);
    const deltas = events.filter((event) => event.type === 'text.delta').map((event) => event.delta);
    expect(deltas.join('')).toBe(text);
    expect(events.at(-1)).toMatchObject({ type: 'result' });
  });
});
