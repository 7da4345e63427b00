import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { authNow, runScenario, world } from '../support/world.js';

/** A loopback HTTP server that records every request (the place a redirect points at). */
async function elsewhere(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const redirectTo =
  (status: number, location: string): Reply =>
  ({ res }) => {
    res.writeHead(status, { location, 'content-length': '0' });
    res.end();
  };

describe('redirects are refused', () => {
  it.concurrent.each([307, 308])('/responses answers %i to another origin: exit 5, not retried, nothing sent there', async (status) => {
    const w = await world();
    const other = await elsewhere();
    try {
      w.fake.responses.push(redirectTo(status, `${other.url}/steal`), redirectTo(status, `${other.url}/steal`));
      await runScenario(w, ['ask', 'q'], { exit: 5, error: /^cannot reach 127\.0\.0\.1:\d+: it answered with a redirect, which codex never follows$/ }, false);
      expect(other.hits).toEqual([]);
      expect(w.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(1);
    } finally {
      await Promise.all([w.close(), other.close()]);
    }
  });

  it.concurrent.each([307, 308])('/oauth/token answers %i to a refresh: exit 3, the refresh token goes nowhere else, auth.json kept', async (status) => {
    const w = await world(-60);
    const other = await elsewhere();
    try {
      w.fake.tokenReplies.push(redirectTo(status, `${other.url}/oauth/token`), redirectTo(status, `${other.url}/oauth/token`));
      await runScenario(w, ['refresh'], { exit: 3, error: /to refresh the sign-in: it answered with a redirect, which codex never follows$/ }, false);
      expect(other.hits).toEqual([]);
      expect(w.fake.refreshRequests).toHaveLength(1);
      expect(authNow(w)).toBe(w.authBefore);
    } finally {
      await Promise.all([w.close(), other.close()]);
    }
  });

  it('/oauth/revoke answers 307: logout still signs out, and the refresh token goes nowhere else', async () => {
    const w = await world();
    const other = await elsewhere();
    const issuer = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${other.url}${req.url}`, 'content-length': '0' });
      res.end();
    });
    await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
      const run = await runInProcess(['--issuer', url, 'logout'], { fake: w.fake, configDir: w.dir });
      expect(run.exitCode).toBe(0);
      expect(run.stderr).toBe(`codex: could not revoke the sign-in at the issuer; removing the local credentials anyway\nLogged out; removed ${w.dir}/auth.json\n`);
      expect(other.hits).toEqual([]);
      expect(authNow(w)).toBeUndefined();
    } finally {
      await Promise.all([w.close(), other.close(), new Promise((resolve) => issuer.close(resolve))]);
    }
  });
});
