import { VERBOSITIES } from '../../config/settings.js';
import { EFFORTS } from '../../shared/efforts.js';
import { EXIT_CODES } from '../../shared/errors.js';
import { COLOR_WHEN } from '../io/color-choice.js';

/**
 * One option as commander defines it (`flags` in commander's syntax), kept as plain data so that `ask`'s fast path
 * (src/cli/ask/fast-path.ts) reads the command line without loading commander; program.ts registers the same
 * records on commander, so help and the fast path cannot drift apart.
 */
export interface OptionSpec {
  flags: string;
  description: string;
  /** Repeatable: every value is kept, in order. */
  repeatable?: boolean;
  choices?: readonly string[];
  /** The attribute name of an option this one may not be given with. */
  conflicts?: string;
}

/** The program's own options (every command inherits them), in help order; `-V, --version` is added by commander. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--config-dir <dir>', description: 'where auth.json and config.json live (env CODEX_CONFIG_DIR)' },
  { flags: '--base-url <url>', description: 'Codex backend base URL (env CODEX_BASE_URL)' },
  { flags: '--issuer <url>', description: 'OAuth issuer (env CODEX_ISSUER)' },
  { flags: '--profile <name>', description: 'the account to use: <config-dir>/profiles/<name>/auth.json (env CODEX_PROFILE; default: auth.json)' },
  { flags: '-v, --verbose', description: 'request, retry and refresh diagnostics on stderr (tokens redacted)' },
  { flags: '--color <when>', description: 'colour: always, never or auto (on a terminal; the default); --color alone: always', choices: COLOR_WHEN },
  { flags: '--no-color', description: 'never colour (as --color never)' },
];

/** `codex ask`'s options, in help order. */
export const ASK_OPTIONS: readonly OptionSpec[] = [
  { flags: '-m, --model <slug>', description: "model to use (env CODEX_MODEL; default: the catalog's top model, see `codex models`)" },
  { flags: '-t, --template <name>', description: 'a saved prompt: its system prompt, model and effort (`codex template`); flags given here win' },
  { flags: '-s, --system <text>', description: 'system prompt', conflicts: 'systemFile' },
  { flags: '--system-file <file>', description: 'read the system prompt from a file' },
  { flags: '-e, --effort <level>', description: "reasoning effort, within the model's levels (`codex models`; default: the model's own)", choices: EFFORTS },
  { flags: '--verbosity <level>', description: "how long the answer is (default: the model's own)", choices: VERBOSITIES },
  {
    flags: '--fast',
    description: `the model's "Fast" service tier: quicker answers for more of the quota (config.json "fast"; exit ${EXIT_CODES.usage} for a model without one)`,
  },
  { flags: '--no-fast', description: 'the default tier, whatever config.json or the template says' },
  { flags: '--reasoning', description: 'show the reasoning summary and commentary on stderr, labelled (text mode)' },
  { flags: '--json', description: 'JSON-lines events on stdout' },
  { flags: '--raw', description: "on a terminal, print the answer's control characters too (escape sequences are dropped by default)" },
  {
    flags: '-o, --output <file>',
    description: 'also write the final answer to a file (atomically; a symlink is written through, a FIFO or device written into)',
  },
  { flags: '--timeout <seconds>', description: `give up after this long in all (exit ${EXIT_CODES.timeout})` },
  {
    flags: '--idle-timeout <seconds>',
    description: `give up when no event arrives for this long; keep-alive comments do not count (default 300, exit ${EXIT_CODES.idle_timeout})`,
  },
  { flags: '--max-retries <n>', description: 'retries for network errors, 5xx and rate limits (default 4)' },
  { flags: '-n, --no-stdin', description: 'never read stdin (as ssh -n; for `while read` loops)' },
  { flags: '-i, --image <path|url>', description: 'attach an image file or URL (PNG, JPEG, GIF, WebP, up to 20 MB; repeatable)', repeatable: true },
  { flags: '-f, --file <path|->', description: 'attach a text file to the prompt, under its name, fenced (- is stdin; repeatable)', repeatable: true },
  { flags: '--schema <file|json>', description: 'structured output: the answer is one JSON document following this JSON Schema' },
  { flags: '--tool <file>', description: 'a tool the model may call: a JSON file naming a command (repeatable)', repeatable: true },
  {
    flags: '--max-turns <n>',
    description: `stop a model that keeps calling tools after this many turns (default 10, exit ${EXIT_CODES.max_turns})`,
  },
  { flags: '--search', description: 'let the model search the web; its sources follow the answer on stderr (--json: `search` events, result.citations)' },
  { flags: '--web', description: 'the same as --search' },
  {
    flags: '--search-domain <domain>',
    description: 'search and open only pages of this domain and its subdomains (repeatable; implies --search)',
    repeatable: true,
  },
  {
    flags: '--image-out <dir>',
    description: 'let the model make images, each saved as a new file in this directory (made 0700 if missing; files 0600)',
  },
  { flags: '-u, --usage', description: 'after the answer, print token usage and the quota windows on stderr' },
  {
    flags: '--min-remaining <[bucket=]pct>',
    description: `exit ${EXIT_CODES.quota_low} (quota_low) before sending when less than this percent of a quota window is left (bucket=: a per-feature bucket of \`codex usage\`)`,
  },
  { flags: '--wait-for-reset', description: 'when the usage limit is reached, wait for the reset and send once more (bounded by --timeout)' },
  { flags: '-c, --continue', description: 'continue the most recent conversation (`codex log list`), with its settings' },
  { flags: '--cid <name|id>', description: 'continue this conversation (an id may be shortened), or start one under this name' },
  { flags: '--no-log', description: 'record nothing in the conversation log (config.json: "log": false)' },
];

/** What a command-line reader needs of an option: its names, what it sets, and whether it takes a value. */
export interface OptionShape {
  short?: string;
  long: string;
  /** commander's attribute name: `--system-file` → systemFile, `--no-stdin` → stdin. */
  attribute: string;
  takesValue: boolean;
  negate: boolean;
  spec: OptionSpec;
}

/** The shape of `flags` as commander reads it (`-m, --model <slug>`, `--no-fast`). */
export function optionShape(spec: OptionSpec): OptionShape {
  const match = /^(?:(-\w), )?(--[\w-]+)(?: [<[].*)?$/.exec(spec.flags);
  if (!match) throw new Error(`option flags not understood: ${spec.flags}`);
  const long = match[2]!;
  const negate = long.startsWith('--no-');
  const attribute = (negate ? long.slice(5) : long.slice(2)).replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  return { ...(match[1] ? { short: match[1] } : {}), long, attribute, takesValue: spec.flags.includes(' <'), negate, spec };
}

/** Every option a command line running `ask` may carry: ask's, the program's, and commander's `-V, --version`. */
export function askOptionShapes(): OptionShape[] {
  return [...ASK_OPTIONS, ...GLOBAL_OPTIONS, { flags: '-V, --version', description: 'print the name and version' }].map(optionShape);
}
