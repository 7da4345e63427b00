// A name of its own beside OpenAI's `codex`: two bins, --version says which program this is, and completions
// that never take over the other program's `codex` when run as `codex-oauth`.
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

/** The built CLI behind a symlink called `codex-oauth`, as npm installs the second bin. */
function codexOauthBin(): string {
  const bin = join(tempDir('codex-bin-'), 'codex-oauth');
  symlinkSync(CLI, bin);
  return bin;
}

describe('names', () => {
  it('--version and -V print the name and the version (the fast path and the full program alike)', async () => {
    for (const args of [['--version'], ['-V'], ['--verbose', '--version']]) {
      const run = await runCli(args);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(`codex-oauth ${pkg.version}\n`);
      expect(run.stderr).toBe('');
    }
    const viaLink = await execa(process.execPath, [codexOauthBin(), '--version'], { reject: false });
    expect(viaLink.stdout).toBe(`codex-oauth ${pkg.version}`);
  });

  it('completion: as codex both names are registered; as codex-oauth only codex-oauth', async () => {
    const asCodex = await runCli(['completion', 'bash']);
    expect(asCodex.stdout.trimEnd().split('\n').at(-1)).toBe('complete -F _codex codex codex-oauth');
    const link = codexOauthBin();
    const bash = await execa(process.execPath, [link, 'completion', 'bash'], { reject: false });
    expect(bash.stdout.trimEnd().split('\n').at(-1)).toBe('complete -F _codex codex-oauth');
    const zsh = await execa(process.execPath, [link, 'completion', 'zsh'], { reject: false });
    expect(zsh.stdout.split('\n')[0]).toBe('#compdef codex-oauth');
    expect(zsh.stdout).toMatch(/compdef _codex codex-oauth$/m);
    const fish = await execa(process.execPath, [link, 'completion', 'fish'], { reject: false });
    expect(fish.stdout).not.toMatch(/^complete -c codex /m);
    expect(fish.stdout).toMatch(/^complete -c codex-oauth -n /m);

    // And it completes under that name.
    const script = `source <(${JSON.stringify(process.execPath)} ${JSON.stringify(link)} completion bash)
COMP_WORDS=(codex-oauth lo); COMP_CWORD=1; COMPREPLY=(); _codex; echo "\${COMPREPLY[*]}"
complete -p codex 2>/dev/null || echo "codex: not ours"`;
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: tempDir() } });
    expect(run.stdout).toBe('login logout log\ncodex: not ours\n');
  });

  it('run as codex-oauth, every message, hint and usage line says codex-oauth', async () => {
    const link = codexOauthBin();
    const env = { PATH: process.env.PATH!, HOME: tempDir(), CODEX_CONFIG_DIR: tempDir() };
    const run = (args: string[]) => execa(process.execPath, [link, ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });
    const status = await run(['status']);
    expect([status.exitCode, status.stderr]).toEqual([3, 'codex-oauth: not logged in; run `codex-oauth login` (or set CODEX_AUTH_JSON)']);
    const help = await run(['ask', '--help']);
    expect(help.stdout.split('\n')[0]).toBe('Usage: codex-oauth ask [options] [prompt...]');
    expect(help.stdout).toMatch(/^ {2}codex-oauth ask -c "shorter, please"/m);
    expect(help.stdout).not.toMatch(/(^|\s)codex (ask|models|template)\b/);
    const bad = await run(['ask', 'hi', '--jsno']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, "codex-oauth: unknown option '--jsno' (Did you mean --json?)"]);
    const question = await run(['explain', 'tcp']);
    expect(question.stderr).toBe(`codex-oauth: 'explain' is not a command; to ask it, run: codex-oauth ask "explain tcp"`);
  });
});
