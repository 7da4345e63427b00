/**
 * Signals: Ctrl-C (SIGINT → 130, `cancelled`) and SIGTERM (→ 143, `terminated`) at every stage of a run, and a
 * reader that goes away. Each row waits for its stage (observed on the fake, stdout or the file system, never a
 * sleep), sends the signal, and expects a prompt exit: terminal event in --json, one stderr line, tool processes
 * gone, credentials untouched.
 *
 * Already covered elsewhere (not repeated here):
 * - SIGINT during streaming → 130 + terminal event ........................ test/e2e/ask.test.ts "Ctrl-C aborts the request"
 * - stdout closed early in text mode (| head -c 10) → quiet exit 0 ......... test/e2e/ask.test.ts "stdout closed early"
 * - Ctrl-C while `login` waits → 130, nothing written ...................... test/e2e/login.test.ts "Ctrl-C while waiting"
 */

import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { answer, type Reply } from '../fake/replies.js';
import { CLI, cliEnv, expectNoSecrets, waitFor } from '../support/cli.js';
import { type ToolFixture, toolWithGrandchild } from '../support/tools.js';
import { authNow, checkOutcome, expectCleanStderr, LOCK_WAIT_LINE, MODES, processAlive, secretsOf, terminalEvent, type World, world } from '../support/world.js';

/** Accepts the request and never answers (no headers). */
const silent: Reply = ({ closed }) => closed;

interface Stage {
  name: string;
  /** Token lifetime for the world (negative: the run must refresh first). */
  expiresInS?: number;
  arrange(w: World): { args?: string[]; tool?: ToolFixture; stdin?: 'pipe' };
  /** True once the run is at the stage where the signal should land. */
  reached(w: World, out: { stdout: string; stderr: string }, tool?: ToolFixture): boolean;
}

const stages: Stage[] = [
  // The request is sent; the backend has not answered (no headers yet).
  {
    name: 'during the request',
    arrange: (w) => {
      w.fake.responses.push(silent);
      return {};
    },
    reached: (w) => w.fake.requestsTo('/backend-api/codex/responses').length === 1,
  },
  // Deltas are arriving; the stream then stalls.
  {
    name: 'during streaming',
    arrange: (w) => {
      w.fake.responses.push(answer({ text: 'never finishes', after: { events: 8, then: 'stall' } }));
      return {};
    },
    reached: (_w, out) => out.stdout.includes('text.delta'),
  },
  // A tool (and a child it started) is running.
  {
    name: 'during a tool run',
    arrange: (w) => {
      const tool = toolWithGrandchild('slow', 'sleep 300');
      w.fake.responses.push(answer({ functionCalls: [{ name: 'slow', arguments: {} }] }));
      return { args: ['--tool', tool.file], tool };
    },
    reached: (_w, out, tool) => out.stdout.includes('"tool_call"') && tool!.started(),
  },
  // The token needs a refresh, and another process holds the credential lock: we are waiting for it.
  {
    name: 'while waiting for the credential lock',
    expiresInS: -60,
    arrange: (w) => {
      writeFileSync(join(w.dir, 'auth.json.lock'), JSON.stringify({ pid: process.pid, host: hostname(), created: Date.now(), nonce: 'held-by-test' }), { mode: 0o600 });
      return {};
    },
    reached: (_w, out) => out.stderr.includes(LOCK_WAIT_LINE),
  },
  // Words were given and stdin is an open pipe that says nothing.
  { name: 'while waiting for stdin', arrange: () => ({ stdin: 'pipe' }), reached: (_w, out) => out.stderr.includes('waiting for stdin') },
];

const SIGNALS = [
  { signal: 'SIGINT', exit: 130, code: 'cancelled', message: /^cancelled$/ },
  { signal: 'SIGTERM', exit: 143, code: 'terminated', message: /^terminated$/ },
] as const;

const rows = stages.flatMap((stage) => SIGNALS.map((sig) => ({ ...sig, stage, name: `${sig.signal} ${stage.name}` })));

/** Stages that synchronise on a diagnostic line need --verbose in both modes: their plain run would be the verbose one again. */
const needsVerbose = (stage: Stage) => stage.name.includes('lock');

describe.each(MODES)('signals ($mode)', ({ verbose }) => {
  it.concurrent.each(rows.filter((row) => verbose || !needsVerbose(row.stage)))('$name', async ({ stage, signal, exit, code, message }) => {
    const w = await world(stage.expiresInS);
    try {
      const arranged = stage.arrange(w);
      const args = [...(verbose ? ['--verbose'] : []), 'ask', '--json', ...(arranged.args ?? []), 'q'];
      const child = execa(process.execPath, [CLI, ...args], {
        env: cliEnv({ fake: w.fake, configDir: w.dir }),
        extendEnv: false,
        reject: false,
        stripFinalNewline: false,
        // 20 s + the SIGKILL grace stay inside the 30 s test timeout. execa also SIGKILLs a process that has not
        // exited this long after our SIGTERM, so the grace is the bound on a slow exit (loaded CI machine).
        timeout: 20_000,
        forceKillAfterDelay: 8_000,
        ...(arranged.stdin === 'pipe' ? { stdin: 'pipe' } : { stdin: 'ignore' }),
      });
      const out = { stdout: '', stderr: '' };
      child.stdout!.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
      await waitFor(() => stage.reached(w, out, arranged.tool), 15_000, `the stage "${stage.name}"`);
      // A prompt exit is bounded by execa's timeout: a run that ignores the signal fails as a timeout.
      child.kill(signal);
      const run = await child;
      expect(run.timedOut, 'exits after the signal, well before the run timeout').toBe(false);
      expect(run.signal, 'exits by itself, not force-killed').toBeUndefined();
      expect(run.exitCode, run.stderr).toBe(exit);
      expect(terminalEvent(run.stdout)).toMatchObject({ type: 'error', code, exit_code: exit });
      if (verbose) checkOutcome(run, { exit, error: message }, true);
      else expectCleanStderr(run.stderr, { error: message, warnings: stage.name.includes('stdin') ? [/waiting for stdin/] : [] }, false);
      if (arranged.tool) {
        const pids = arranged.tool.pids();
        await waitFor(() => pids.every((pid) => !processAlive(pid)), 5_000, 'the tool and its child to be gone');
      }
      expect(authNow(w)).toBe(w.authBefore);
      expectNoSecrets(run.stdout + run.stderr, secretsOf(w));
    } finally {
      await w.close();
    }
  });
});

describe('stdout closed early', () => {
  // --json piped into `head -n 1`: the reader goes away after the start line; quiet exit 0, nothing on stderr.
  it.each(MODES)('--json | head -n 1 ($mode)', async ({ verbose }) => {
    const w = await world();
    try {
      w.fake.responses.push(answer({ text: 'z'.repeat(300_000), chunk: 30 }));
      const flags = verbose ? '--verbose ' : '';
      const run = await execa('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" ${flags}ask --json q | head -n 1`], {
        env: cliEnv({ fake: w.fake, configDir: w.dir }),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: 20_000,
      });
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ type: 'start' });
      if (!verbose) expect(run.stderr).toBe('');
      else expect(run.stderr).not.toMatch(/EPIPE|^\s+at /m);
      expect(authNow(w)).toBe(w.authBefore);
      expectNoSecrets(run.stdout + run.stderr, secretsOf(w));
    } finally {
      await w.close();
    }
  });
});
