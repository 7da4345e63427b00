/**
 * Two `codex config set` of different keys at the same moment: conf writes config.json atomically, but its
 * read-modify-write is not, so without a lock each process could write back the file it read and one key was lost.
 * `config set` now reads and writes under `<config-dir>/config.json.lock` (withFileLock, as auth.json's lock).
 *
 * What must hold: in every round, two real processes started together and awaited together both exit 0, and
 * config.json holds both keys; no lock file is left behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const ROUNDS = 25;

describe('concurrent codex config set', () => {
  it(`two processes setting different keys at once: both keys survive, ${ROUNDS} rounds`, { timeout: 240_000 }, async () => {
    const lost: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dir = tempDir();
      const [effort, verbosity] = await Promise.all([
        runCli(['config', 'set', 'effort', 'high'], { configDir: dir, timeoutMs: 60_000 }),
        runCli(['config', 'set', 'verbosity', 'low'], { configDir: dir, timeoutMs: 60_000 }),
      ]);
      expect([effort.exitCode, effort.stderr, verbosity.exitCode, verbosity.stderr]).toEqual([0, '', 0, '']);
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      if (config.effort !== 'high' || config.verbosity !== 'low') lost.push(`round ${round}: ${JSON.stringify(config)}`);
      expect(readdirSync(dir).sort()).toEqual(['config.json']);
    }
    expect(lost).toEqual([]);
  });
});
