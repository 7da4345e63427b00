import { readFileSync } from 'node:fs';
import { release, type } from 'node:os';
import { ORIGINATOR } from '../config/resolve.js';
import { VERSION } from '../shared/version.js';

type Env = Record<string, string | undefined>;

/** Header-safe: visible ASCII without the characters that delimit the User-Agent's own parts. */
const safe = (text: string) =>
  text
    .replace(/[^\x21-\x7e ]/g, '')
    .replace(/[();]/g, '')
    .trim();

/** "12" → "12.0.0", "22.04" → "22.4.0": the three-part form the official client reports. */
function threePart(version: string): string {
  const parts = version
    .split('.')
    .filter((part) => /^\d+$/.test(part))
    .map((part) => String(Number(part)));
  while (parts.length < 3) parts.push('0');
  return parts.slice(0, 3).join('.');
}

/** `Debian 12.0.0` from an os-release file's ID and VERSION_ID; undefined when it names no ID. */
export function osFromRelease(text: string): string | undefined {
  const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
  const id = field('ID');
  const version = field('VERSION_ID');
  return id ? `${id.charAt(0).toUpperCase()}${id.slice(1)}${version ? ` ${threePart(version)}` : ''}` : undefined;
}

function osDescription(): string {
  if (process.platform === 'linux') {
    try {
      const named = osFromRelease(readFileSync('/etc/os-release', 'utf8'));
      if (named) return named;
    } catch {
      // No os-release: fall through to the kernel's name.
    }
    return `Linux ${threePart(release())}`;
  }
  if (process.platform === 'darwin') return `Mac OS ${threePart(release())}`;
  return `${type()} ${release()}`;
}

/** The official client's names: x86_64, aarch64 (arm64 on macOS). */
export function archName(arch: string = process.arch, platform: string = process.platform): string {
  if (arch === 'x64') return 'x86_64';
  if (arch === 'arm64') return platform === 'darwin' ? 'arm64' : 'aarch64';
  return arch;
}

/** TERM_PROGRAM[/TERM_PROGRAM_VERSION], else TERM, else `unknown`; other characters than `A-Za-z0-9-_./` become `_`. */
export function terminalName(env: Env): string {
  const program = env.TERM_PROGRAM;
  const name = program ? (env.TERM_PROGRAM_VERSION ? `${program}/${env.TERM_PROGRAM_VERSION}` : program) : (env.TERM ?? '');
  return name.trim().replace(/[^A-Za-z0-9._/-]/g, '_') || 'unknown';
}

let cached: { key: string; value: string } | undefined;

/**
 * The User-Agent in the official client's format (protocol §10), with our name in the suffix slot that the
 * official client reserves for embedding clients: `codex_cli_rs/0.171.0 (Debian 12.0.0; x86_64) xterm (codex-oauth; 0.2.0)`.
 */
export function userAgent(clientVersion: string, env: Env): string {
  const key = `${clientVersion}\0${env.TERM_PROGRAM ?? ''}\0${env.TERM_PROGRAM_VERSION ?? ''}\0${env.TERM ?? ''}`;
  if (cached?.key !== key) {
    cached = { key, value: `${ORIGINATOR}/${clientVersion} (${safe(osDescription())}; ${archName()}) ${terminalName(env)} (codex-oauth; ${VERSION})` };
  }
  return cached.value;
}
