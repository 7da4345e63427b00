// Completion of names the program itself knows: saved templates, logged conversations (asked of the CLI as the
// shell completes), and the keys of `codex config`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, jsonLines, runCli } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { configDirWith, tempDir } from '../support/temp.js';

const fake = useFake();
const ROOT = resolve(import.meta.dirname, '../..');

describe('bash completion of names', () => {
  it('completes template names, conversation names and ids, and config keys', async () => {
    const dir = configDirWith(fake.issueTokens());
    mkdirSync(join(dir, 'templates'), { mode: 0o700 });
    writeFileSync(join(dir, 'templates', 'reviewer.json'), JSON.stringify({ system: 'Review.' }), { mode: 0o600 });
    writeFileSync(join(dir, 'templates', 'terse.md'), 'Be terse.', { mode: 0o600 });
    const run = await runCli(['ask', '--json', '--cid', 'trip', 'hello'], { fake, configDir: dir });
    const id = jsonLines(run.stdout)[0]!.conversation_id as string;
    // The program on PATH under its own name, as an install puts it.
    const bin = tempDir('codex-bin-');
    symlinkSync(CLI, join(bin, 'codex'));
    const cases: [string[], string][] = [
      [['codex', 'ask', '-t', ''], 'reviewer terse'],
      [['codex', 'ask', '--template', 'r'], 'reviewer'],
      [['codex', 'template', 'show', ''], 'reviewer terse'],
      [['codex', 'template', 'list', ''], ''],
      [['codex', 'ask', '--cid', ''], `${id} trip`],
      [['codex', 'log', 'show', 't'], 'trip'],
      [['codex', 'log', 'rm', 'c_'], id],
      [['codex', 'config', 'get', 'm'], 'model'],
      [['codex', 'config', 'set', 'de'], 'default_profile'],
      [['codex', 'config', 'unset', 'l'], 'log'],
    ];
    const script = [
      `source ${JSON.stringify(join(ROOT, 'completions/codex.bash'))}`,
      ...cases.map(
        ([words]) => `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _codex; echo "\${COMPREPLY[*]}"`,
      ),
    ].join('\n');
    const started = Date.now();
    const shell = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: tempDir(), CODEX_CONFIG_DIR: dir },
    });
    expect(shell.stderr).toBe('');
    expect(shell.stdout.split('\n').slice(0, cases.length)).toEqual(cases.map(([, expected]) => expected));
    // Five calls of the CLI: each a fraction of a second.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
