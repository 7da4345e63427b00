import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/shared/version.js';
import { archName, osFromRelease, terminalName, userAgent } from '../../src/transport/user-agent.js';

describe('the User-Agent in the official format (protocol §10)', () => {
  it.each([
    ['ID=debian\nVERSION_ID="12"\n', 'Debian 12.0.0'],
    ['NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="22.04"\n', 'Ubuntu 22.4.0'],
    ['ID=arch\n', 'Arch'],
    ['NAME=nothing\n', undefined],
  ])('os-release %j → %s', (text, expected) => {
    expect(osFromRelease(text)).toBe(expected);
  });

  it.each([
    ['x64', 'linux', 'x86_64'],
    ['arm64', 'linux', 'aarch64'],
    ['arm64', 'darwin', 'arm64'],
    ['riscv64', 'linux', 'riscv64'],
  ])('arch %s on %s → %s', (arch, platform, expected) => {
    expect(archName(arch, platform)).toBe(expected);
  });

  it.each<[Record<string, string>, string]>([
    [{ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.5.0' }, 'iTerm.app/3.5.0'],
    [{ TERM_PROGRAM: 'WezTerm', TERM: 'xterm-256color' }, 'WezTerm'],
    [{ TERM: 'xterm-256color' }, 'xterm-256color'],
    [{ TERM: 'weird term;(x)' }, 'weird_term__x_'],
    [{}, 'unknown'],
  ])('terminal from %j → %s', (env, expected) => {
    expect(terminalName(env)).toBe(expected);
  });

  it('puts our name and version in the suffix slot, the client version after the originator', () => {
    const agent = userAgent('0.171.0', { TERM: 'xterm' });
    expect(agent).toMatch(new RegExp(`^codex_cli_rs/0\\.171\\.0 \\([^;()]+; [^;()]+\\) xterm \\(codex-oauth; ${VERSION.replace(/\./g, '\\.')}\\)$`));
    expect(userAgent('0.175.0', { TERM: 'xterm' })).toMatch(/^codex_cli_rs\/0\.175\.0 /);
  });
});
