// `codex serve` run in-process (as a program embedding the CLI's main would): stopped by a signal, it leaves no
// listener behind on the signal source it was given.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith } from '../support/temp.js';

const fake = useFake();

/** A signal source that sends `signal` as soon as serve listens for it (serve listens once it is up). */
function signalsSendingOnceListened(signal: 'SIGINT' | 'SIGTERM'): EventEmitter {
  const signals = new EventEmitter();
  signals.on('newListener', (name: string) => {
    if (name === signal) setImmediate(() => signals.emit(signal));
  });
  return signals;
}

describe('codex serve in-process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops on %s and removes its signal listeners', async (signal) => {
    const signals = signalsSendingOnceListened(signal);
    const run = await runInProcess(['serve', '--port', '0'], {
      fake,
      configDir: configDirWith(fake.issueTokens()),
      env: { CODEX_SERVE_API_KEY: 'test-key' },
      signals,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(
        `^codex serve: listening on http://127\\.0\\.0\\.1:\\d+/v1 \\(API key required\\)\\ncodex serve: ${signal}: stopping \\(open requests may finish\\)\\ncodex serve: stopped\\n$`,
      ),
    );
    expect({ SIGINT: signals.listenerCount('SIGINT'), SIGTERM: signals.listenerCount('SIGTERM') }).toEqual({ SIGINT: 0, SIGTERM: 0 });
  });
});
