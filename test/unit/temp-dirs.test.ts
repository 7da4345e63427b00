// The test support's temp dirs: one made in a test is gone when the next test starts, one made at file level
// lasts for the whole file (and is removed by its afterAll; the global teardown fails the run on anything left).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configDirWith, tempDir } from '../support/temp.js';

const fileLevel = tempDir('codex-file-level-');
const made: string[] = [];

describe('tempDir', () => {
  it('makes a dir that exists while its test runs', () => {
    made.push(tempDir(), configDirWith({ access_token: 'x' }));
    for (const dir of made) expect(existsSync(dir)).toBe(true);
  });

  it('has removed the previous test’s dirs, and keeps the file-level one', () => {
    expect(made).toHaveLength(2);
    for (const dir of made) expect(existsSync(dir), dir).toBe(false);
    expect(existsSync(fileLevel)).toBe(true);
  });

  it.concurrent('a dir made in a concurrent test lasts until the file is done', () => {
    made.push(tempDir());
    expect(existsSync(made.at(-1)!)).toBe(true);
  });

  it('still holds the concurrent test’s dir', () => {
    expect(existsSync(made.at(-1)!)).toBe(true);
  });
});
