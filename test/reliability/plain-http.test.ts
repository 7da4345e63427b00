/**
 * Plain http off loopback (issue 28, item 3). Before: a `base_url` or `issuer` of `http://` to another machine was
 * accepted from config.json, env or a flag (only `codex config set` refused it), and the bearer token, the
 * prompts and the refresh token went out in cleartext without a word.
 *
 * What must hold: wherever the value comes from, a URL that would receive a token is https, or http on loopback
 * only; otherwise exit 2 before any request, one line naming where the value came from. The attack is real here:
 * the fake listens on this machine's non-loopback address, so a request that went out would be recorded.
 */

import { writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCodex } from '../fake/server.js';
import { runInProcess } from '../support/cli.js';
import { configDirWith } from '../support/temp.js';
import { expectCleanStderr } from '../support/world.js';

/** This machine's first non-loopback IPv4 address: reached over the network stack, not loopback. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

const fake = new FakeCodex();
beforeAll(async () => {
  await fake.start(0, external ?? '127.0.0.1');
});
afterAll(async () => {
  await fake.close();
});

const MUST = (source: string, url: string) =>
  new RegExp(`^${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} must be an https URL \\(http only on loopback\\), not "${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"$`);

describe.runIf(external !== undefined)('a token-carrying URL over plain http to another machine', () => {
  const base = () => fake.baseUrl;
  const issuer = () => `${fake.issuer}/`;
  const inFile = (key: string, url: () => string) => (dir: string) => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ [key]: url() }), { mode: 0o600 });
    return {};
  };
  // Every way a value arrives, for commands that would send a token there.
  const rows: {
    name: string;
    key: 'base_url' | 'issuer';
    args: string[];
    place: (dir: string) => { args?: string[]; env?: Record<string, string> };
    source: (dir: string) => string;
  }[] = [
    { name: '--base-url, ask', key: 'base_url', args: ['ask', 'q'], place: () => ({ args: ['--base-url', base()] }), source: () => '--base-url' },
    { name: 'CODEX_BASE_URL, ask', key: 'base_url', args: ['ask', 'q'], place: () => ({ env: { CODEX_BASE_URL: base() } }), source: () => 'CODEX_BASE_URL' },
    {
      name: 'config.json base_url, models',
      key: 'base_url',
      args: ['models'],
      place: inFile('base_url', base),
      source: (dir) => `"base_url" in ${join(dir, 'config.json')}`,
    },
    { name: '--issuer, refresh', key: 'issuer', args: ['refresh'], place: () => ({ args: ['--issuer', issuer()] }), source: () => '--issuer' },
    {
      name: 'CODEX_ISSUER, ask with an expired token',
      key: 'issuer',
      args: ['ask', 'q'],
      place: () => ({ env: { CODEX_ISSUER: issuer() } }),
      source: () => 'CODEX_ISSUER',
    },
    {
      name: 'config.json issuer, logout (a way out of a bad state, and still refused)',
      key: 'issuer',
      args: ['logout'],
      place: inFile('issuer', issuer),
      source: (dir) => `"issuer" in ${join(dir, 'config.json')}`,
    },
    {
      name: 'CODEX_ISSUER, login --device',
      key: 'issuer',
      args: ['login', '--device'],
      place: () => ({ env: { CODEX_ISSUER: issuer() } }),
      source: () => 'CODEX_ISSUER',
    },
  ];
  for (const row of rows) {
    it(`${row.name}: exit 2, the source named, nothing sent`, async () => {
      fake.reset();
      const dir = configDirWith(fake.issueTokens(-60));
      const placed = row.place(dir);
      // The other endpoint is a loopback one, so only the value under test is off loopback.
      const other = row.key === 'base_url' ? { CODEX_ISSUER: 'http://127.0.0.1:9' } : { CODEX_BASE_URL: 'http://127.0.0.1:9/backend-api/codex' };
      const run = await runInProcess([...(placed.args ?? []), ...row.args], { configDir: dir, env: { ...other, ...placed.env } });
      expect(run.exitCode, run.stderr).toBe(2);
      expectCleanStderr(run.stderr, { error: MUST(row.source(dir), row.key === 'base_url' ? base() : issuer()) }, false);
      expect(fake.requests).toHaveLength(0);
    });
  }

  it('the library: Codex({ baseUrl }) and Codex({ issuer }) refuse it before any call', async () => {
    const { Codex } = await import('../../src/index.js');
    const apiKey = fake.issueTokens().access_token;
    expect(() => new Codex({ apiKey, baseUrl: base() })).toThrow(MUST('Codex: baseUrl', base()));
    expect(() => new Codex({ apiKey, issuer: issuer() })).toThrow(MUST('Codex: issuer', issuer()));
    expect(fake.requests).toHaveLength(0);
  });

  it('https, and http on loopback (127.0.0.1, localhost, [::1]), are accepted', async () => {
    const { Codex } = await import('../../src/index.js');
    const apiKey = fake.issueTokens().access_token;
    for (const baseUrl of ['https://chatgpt.example/backend-api/codex', 'http://127.0.0.1:1/x', 'http://localhost:1/x', 'http://[::1]:1/x']) {
      expect(new Codex({ apiKey, baseUrl }).baseUrl).toBe(baseUrl);
    }
  });
});
