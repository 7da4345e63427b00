// Inputs that are not plain files: a FIFO nobody writes never hangs a run (it reads as empty), an image must be a
// file, and a schema nested 200,000 levels deep is a usage error, not a crash.
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();
let dir: string;
let fifo: string;

beforeEach(() => {
  dir = configDirWith(fake.issueTokens());
  fifo = join(tempDir('codex-fifo-'), 'pipe');
  execSync(`mkfifo ${JSON.stringify(fifo)}`);
});

describe('odd inputs', () => {
  it.each([
    ['--schema', /^codex: --schema: .*pipe is not valid JSON\n$/],
    ['--tool', /^codex: --tool: .*pipe is not valid JSON\n$/],
    ['--system-file', null],
    ['-i', /^codex: --image: cannot read .*pipe \(a FIFO; an image must be a file or a URL\)\n$/],
  ])('%s FIFO that nobody writes: no hang, at once', async (flag, message) => {
    // A process of its own: a regression would block on the FIFO, and in-process every test with it.
    const run = await runCli(['ask', flag, fifo, '--timeout', '30', 'q'], { fake, configDir: dir, timeoutMs: 15_000 });
    if (message) {
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
    } else {
      // An empty system prompt: the default one is sent.
      expect(run.exitCode, run.stderr).toBe(0);
    }
  });

  it('a schema 200,000 levels deep → exit 2, nothing sent', async () => {
    const deep = join(tempDir('codex-deep-'), 'deep.json');
    writeFileSync(deep, `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`);
    const run = await runInProcess(['ask', '--schema', deep, 'q'], { fake, configDir: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: --schema: nested deeper than 128 levels\n');
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });
});
