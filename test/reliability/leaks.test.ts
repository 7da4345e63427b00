import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { status } from '../fake/replies.js';
import { MODES, runScenario, world } from '../support/world.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = b64({ alg: 'RS256', typ: 'JWT' });
const payload = b64({ email: 'victim@example.com', 'https://api.openai.com/auth': { chatgpt_account_id: 'acc-victim-123', chatgpt_plan_type: 'pro' } });
const jwt = `${header}.${payload}.${'s'.repeat(40)}`;
/** Sized so that the 300-character cut of the error detail falls inside the payload. */
const detail = `${'x'.repeat(300 - header.length - 20)} token ${jwt}`;

const closedPort = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  });
});

describe.each(MODES)('partial token leaks ($mode)', ({ verbose }) => {
  it('a JWT cut by the error-detail limit: neither its header nor its payload is shown', async () => {
    const w = await world();
    try {
      w.fake.responses.push(status(400, { detail }));
      const run = await runScenario(w, ['ask', 'q'], { exit: 6, error: /\[redacted-jwt\]/ }, verbose);
      const output = run.stdout + run.stderr;
      expect(output).not.toContain('eyJ');
      expect(output).not.toContain(payload.slice(0, 12));
      expect(output).not.toMatch(/victim|acc-victim/);
    } finally {
      await w.close();
    }
  });

  it('a proxy URL with user and password: the error names the proxy without them', async () => {
    const w = await world();
    try {
      const run = await runScenario(
        w,
        ['ask', '--max-retries', '0', 'q'],
        { exit: 5, error: new RegExp(`ECONNREFUSED \\(through the proxy http://127\\.0\\.0\\.1:${closedPort}\\)$`) },
        verbose,
        {
          env: { HTTP_PROXY: `http://alice:hunter2@127.0.0.1:${closedPort}`, NO_PROXY: '' },
          // undici's proxy agent reads the proxy from process.env and becomes the process-wide dispatcher: in-process
          // it would go direct (exit 0). A process of its own.
          spawn: true,
        },
      );
      expect(run.stderr).not.toMatch(/alice|hunter2/);
    } finally {
      await w.close();
    }
  });
});
