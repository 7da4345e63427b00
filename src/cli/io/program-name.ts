import { basename } from 'node:path';

/** The names this program is installed under (package.json `bin`). */
const NAMES = ['codex', 'codex-oauth'] as const;
export type ProgramName = (typeof NAMES)[number];

/**
 * The name the program was run as: `codex-oauth` when installed beside OpenAI's `codex` and run by that name, else
 * `codex` (also when run as `node dist/cli.js`). Every message, hint and usage line uses it.
 */
export function invokedName(argv1: string | undefined): ProgramName {
  const name = basename(argv1 ?? '').replace(/\.(c|m)?js$/, '');
  return (NAMES as readonly string[]).includes(name) ? (name as ProgramName) : 'codex';
}

/** Our commands, as hints name them ("run `codex login`"). */
const COMMAND_WORDS = 'ask|chat|log|login|logout|models|status|usage|refresh|doctor|serve|config|template|completion|help';

/**
 * `text` with this program's own name in its hints: "codex login" → "codex-oauth login", a leading "codex:" →
 * "codex-oauth:". Paths such as ~/.codex and OpenAI's "Codex" are left alone.
 */
export function renamed(text: string, name: string): string {
  if (name === 'codex') return text;
  return text
    .replace(new RegExp(`(^|[\\s\`'"(])codex(?= (?:${COMMAND_WORDS})\\b)`, 'g'), `$1${name}`)
    .replace(/(^|\n|\r\x1b\[K)codex( chat)?:/g, `$1${name}$2:`)
    .replace(/^Usage: codex(?![\w-])/gm, `Usage: ${name}`);
}
