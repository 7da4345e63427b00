import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

describe('names', () => {
  it('ships both bins, pointing at the same program, under a package name of its own', () => {
    expect(pkg.name).toBe('codex-oauth-cli');
    expect(pkg.bin).toEqual({ codex: 'dist/cli.js', 'codex-oauth': 'dist/cli.js' });
  });

  it.each([
    [['exec', 'hello', 'there'], 'codex: this is codex-oauth; `codex ask "hello there"` does that\n'],
    [['e', 'hello'], 'codex: this is codex-oauth; `codex ask "hello"` does that\n'],
    [['exec'], 'codex: this is codex-oauth; `codex ask PROMPT` does that\n'],
  ])('codex %j: this program asks with ask (exit 2, nothing sent)', async (args, message) => {
    const run = await runInProcess(args);
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([2, '', message]);
    // Run as npm's second bin, `codex-oauth` (the e2e names tests run it through a real symlink).
    const named = await runInProcess(args, { programPath: '/usr/local/bin/codex-oauth' });
    expect(named.stderr).toBe(message.replaceAll('codex:', 'codex-oauth:').replaceAll('`codex ask', '`codex-oauth ask'));
  });
});
