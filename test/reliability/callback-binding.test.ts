/**
 * The sign-in callback's binding (issue 13, item 9). Browsers resolve `localhost` (the redirect's host) to ::1
 * first, so another program listening on [::1]:PORT used to get the callback while codex waited on 127.0.0.1.
 * Now codex listens on both loopbacks, and a port whose ::1 side is taken counts as busy. Both servers here
 * listen on loopback only.
 */

import { type AddressInfo, createServer, type Server } from 'node:net';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv, runInProcess, waitFor } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

const listenOn = (host: string) =>
  new Promise<Server>((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, host, () => resolve(server));
  });

describe('the sign-in callback binding', () => {
  it('a port another program holds on [::1] is busy: exit 3 at once, not a callback server it could hijack', async () => {
    const squatter = await listenOn('::1');
    const dir = tempDir();
    try {
      const port = (squatter.address() as AddressInfo).port;
      const run = await runInProcess(['login', '--no-browser', '--port', String(port), '--timeout', '20'], {
        configDir: dir,
        env: { CODEX_ISSUER: 'http://127.0.0.1:9' },
      });
      expect(run.exitCode).toBe(3);
      expectCleanStderr(run.stderr, { error: new RegExp(`^cannot start the sign-in callback server: 127\\.0\\.0\\.1:${port} is in use`) }, false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('codex answers the callback on [::1] too (a wrong state is refused there with its page)', async () => {
    const dir = tempDir();
    const child = execa(process.execPath, [CLI, 'login', '--no-browser', '--port', '0', '--timeout', '30'], {
      env: cliEnv({ configDir: dir, env: { CODEX_ISSUER: 'http://127.0.0.1:9' } }),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 30_000,
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor(() => /redirect_uri=http%3A%2F%2Flocalhost%3A(\d+)/.test(stderr), 15_000, 'the authorize URL');
      const port = /redirect_uri=http%3A%2F%2Flocalhost%3A(\d+)/.exec(stderr)![1];
      const response = await fetch(`http://[::1]:${port}/auth/callback?code=x&state=wrong`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Sign-in link not accepted');
    } finally {
      child.kill('SIGTERM');
      const run = await child;
      expect(run.exitCode).toBe(143);
    }
  });
});
