/**
 * Low items of issue 13: `-o` onto things that are not regular files (16), and small exit-code bugs (17).
 */

import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { answerEvents, frame, type Reply } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { readAuth, tempDir } from '../support/temp.js';
import { writeTool } from '../support/tools.js';
import { runScenario, world } from '../support/world.js';

const isRoot = process.getuid?.() === 0;

describe('-o onto what is not a regular file', () => {
  it('a symlink: the answer goes to its target, the link stays a link', async () => {
    const w = await world();
    const out = tempDir('codex-out-');
    try {
      writeFileSync(join(out, 'real.txt'), 'old\n');
      symlinkSync(join(out, 'real.txt'), join(out, 'link.txt'));
      await runScenario(w, ['ask', '-o', join(out, 'link.txt'), 'q'], { exit: 0, stdout: 'You said: q\n' }, false);
      expect(lstatSync(join(out, 'link.txt')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(out, 'link.txt'))).toBe(join(out, 'real.txt'));
      expect(readFileSync(join(out, 'real.txt'), 'utf8')).toBe('You said: q\n');
    } finally {
      await w.close();
    }
  });

  it('a FIFO: the answer is written into it (a reader gets it), the FIFO stays a FIFO', async () => {
    const w = await world();
    const out = tempDir('codex-out-');
    try {
      const fifo = join(out, 'answer.fifo');
      execFileSync('mkfifo', [fifo]);
      const reader = execa('cat', [fifo], { reject: false, timeout: 20_000 });
      // Opening a FIFO waits for its reader: in a process of its own, so that wait never holds this one's threads.
      await runScenario(w, ['ask', '-o', fifo, 'q'], { exit: 0, stdout: 'You said: q\n' }, false, { spawn: true });
      expect((await reader).stdout).toBe('You said: q');
      expect(statSync(fifo).isFIFO()).toBe(true);
    } finally {
      await w.close();
    }
  });

  it.skipIf(!isRoot)('a device node (root; a private copy of /dev/null): written into, not replaced', async () => {
    const w = await world();
    const out = tempDir('codex-out-');
    try {
      const device = join(out, 'null');
      execFileSync('mknod', [device, 'c', '1', '3']);
      await runScenario(w, ['ask', '-o', device, 'q'], { exit: 0, stdout: 'You said: q\n' }, false);
      expect(statSync(device).isCharacterDevice()).toBe(true);
    } finally {
      await w.close();
    }
  });
});

describe('small exit-code bugs', () => {
  it.each(['http://[bad', 'proxy.example:3128', 'ftp://proxy.example'])('HTTPS_PROXY=%s → exit 2 naming the variable, nothing sent', async (value) => {
    const w = await world();
    try {
      await runScenario(w, ['ask', 'q'], { exit: 2, error: /^HTTPS_PROXY is not a proxy URL such as http:\/\/proxy\.example:3128: / }, false, {
        env: { HTTPS_PROXY: value },
      });
      expect(w.fake.requests).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it('two tool files with the same name → exit 2 before any request', async () => {
    const w = await world();
    const a = writeTool('same', { script: 'cat' }).file;
    const b = writeTool('same', { script: 'cat' }).file;
    try {
      await runScenario(w, ['ask', '--tool', a, '--tool', b, 'q'], { exit: 2, error: /^--tool: .* and .* both define a tool named same$/ }, false);
      expect(w.fake.requests).toEqual([]);
    } finally {
      await w.close();
    }
  });

  it('fields of auth.json this version does not know survive a refresh', async () => {
    const w = await world(-60);
    try {
      writeFileSync(join(w.dir, 'auth.json'), JSON.stringify({ ...w.tokens, note: 'kept by the user' }), { mode: 0o600 });
      await runScenario(w, ['refresh'], { exit: 0 }, false);
      expect(readAuth(w.dir)).toMatchObject({ note: 'kept by the user' });
      expect(readAuth(w.dir).refresh_token).not.toBe(w.tokens.refresh_token);
    } finally {
      await w.close();
    }
  });
});

describe('a stream with CR-only line endings', () => {
  it('keeps its last event (the final CR is not held back as half a CRLF)', async () => {
    const w = await world();
    try {
      const reply: Reply = ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          answerEvents({ text: 'carriage returns' })
            .map((event) => frame(event).replace(/\n/g, '\r'))
            .join(''),
        );
      };
      w.fake.responses.push(reply);
      await runScenario(w, ['ask', 'q'], { exit: 0, stdout: 'carriage returns\n' }, false);
    } finally {
      await w.close();
    }
  });
});

describe('the device-code poll interval', () => {
  it('an issuer asking for 10 ms between polls is polled at most once a second', async () => {
    const w = await world();
    try {
      w.fake.deviceAuth = { enabled: true, pendingPolls: 2, interval: '0.01' };
      const run = await runInProcess(['login', '--device'], { fake: w.fake, configDir: w.dir, timeoutMs: 30_000 });
      expect(run.exitCode, run.stderr).toBe(0);
      const polls = w.fake.requestsTo('/api/accounts/deviceauth/token').map((r) => r.receivedAt);
      expect(polls).toHaveLength(3);
      // A lower bound only: a slow machine makes the gaps longer, never shorter.
      for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(950);
    } finally {
      await w.close();
    }
  });
});

describe('a SOCKS proxy', () => {
  it("undici's ExperimentalWarning does not reach stderr: one error line, exit 5, naming the proxy", async () => {
    const w = await world();
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    try {
      await runScenario(
        w,
        ['--base-url', 'https://codex.invalid/backend-api/codex', 'ask', '--max-retries', '0', 'q'],
        { exit: 5, error: /^cannot reach codex\.invalid: ECONNREFUSED \(through the proxy socks5:\/\/127\.0\.0\.1:\d+\)$/ },
        false,
        {
          env: { HTTPS_PROXY: `socks5://127.0.0.1:${port}`, NO_PROXY: '' },
          // A proxy is undici's process-wide dispatcher (and the warning filter is process.emitWarning): a process of its own.
          spawn: true,
        },
      );
    } finally {
      await w.close();
    }
  });
});
