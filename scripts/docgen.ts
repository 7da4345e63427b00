// The one source of truth for the documentation: reads the commander program and the zod event schemas and
// produces the generated parts of man/codex.1, README.md and completions/*, schema/events.schema.json and config.json's
// JSON Schema (src/config/config-file.schema.json, which `codex config` hands to conf); the exit
// status tables come from the error table (src/shared/errors.ts), the settings tables from src/config/settings.ts.
// `npm run gen` (scripts/gen.mjs) bundles this file and writes the output; test/docs checks it is up to date.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Argument, Command, Option } from 'commander';
import * as z from 'zod/mini';
import { buildProgram } from '../src/cli/program.js';
import { CodexEventSchema, SCHEMA_VERSION } from '../src/client/events.js';
import { ImageResultEventSchema } from '../src/client/image-events.js';
import { selectModels } from '../src/client/models/model-info.js';
import { builtinModels } from '../src/client/models/registry.js';
import { ConfigFileSchema, SETTABLE_KEYS } from '../src/config/settings.js';
import { settingsMarkdown, settingsRoff } from '../src/config/settings-docs.js';
import { ERROR_CODES, type ErrorCode } from '../src/shared/errors.js';

/** What an option's (or argument's) value is, which decides how shells complete it. */
export type ValueKind =
  | { kind: 'file' }
  | { kind: 'dir' }
  | { kind: 'model' }
  | { kind: 'command' }
  | { kind: 'choice'; values: string[] }
  | { kind: 'text' }
  /** Names the shells ask the CLI for as they complete: `codex template list`, `codex log list`. */
  | { kind: 'template' }
  | { kind: 'conversation' }
  | { kind: 'config-key' };

/** Options whose value is a saved template or a logged conversation. */
const NAMED_VALUES: Record<string, ValueKind> = { '--template': { kind: 'template' }, '--cid': { kind: 'conversation' } };

/**
 * The second argument of these commands, after the action word: which actions take one, and what it names.
 * (`template show NAME`, `log rm REF`, `config set KEY VALUE`.)
 */
export const SECOND_ARGUMENTS: Record<string, { actions: string[]; value: ValueKind }> = {
  template: { actions: ['show', 'set', 'edit', 'rm'], value: { kind: 'template' } },
  log: { actions: ['show', 'rm', 'path'], value: { kind: 'conversation' } },
  config: { actions: ['get', 'set', 'unset'], value: { kind: 'config-key' } },
};

/** The keys `codex config` takes, for completion (`alias.` is the start of an alias key). */
export const CONFIG_KEY_WORDS = [...SETTABLE_KEYS, 'alias.'];

export interface OptionSpec {
  short?: string;
  long: string;
  /** The value's name as the help shows it (`file`, `slug` …); absent for a flag. */
  valueName?: string;
  /** The value may be left out (`--import [path]`). */
  optionalValue: boolean;
  repeatable: boolean;
  description: string;
  value?: ValueKind;
  /** Options that cannot be given together with this one (a negatable pair). */
  exclusive: string[];
}

export interface ArgumentSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  description: string;
  value: ValueKind;
}

export interface CommandSpec {
  name: string;
  summary: string;
  description: string;
  args: ArgumentSpec[];
  options: OptionSpec[];
}

export interface ProgramSpec {
  globals: OptionSpec[];
  commands: CommandSpec[];
}

/** The program as the CLI builds it; the runner is never called here. */
export function loadProgram(): Command {
  return buildProgram(async () => {
    throw new Error('docgen never runs a command');
  });
}

function valueKind(name: string | undefined, choices: readonly string[] | undefined): ValueKind | undefined {
  if (choices && choices.length > 0) return { kind: 'choice', values: [...choices] };
  if (name === undefined) return undefined;
  const parts = name.split('|');
  if (parts.includes('dir')) return { kind: 'dir' };
  if (parts.includes('file') || parts.includes('path')) return { kind: 'file' };
  if (parts.includes('slug')) return { kind: 'model' };
  return { kind: 'text' };
}

function optionSpec(option: Option, all: readonly Option[]): OptionSpec {
  if (!option.long) throw new Error(`option ${option.flags} has no long name`);
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1];
  const bare = option.long.replace(/^--(no-)?/, '');
  const exclusive = all.filter((other) => other !== option && other.long !== undefined && other.long.replace(/^--(no-)?/, '') === bare).map((other) => other.long!);
  return {
    ...(option.short ? { short: option.short } : {}),
    long: option.long,
    ...(valueName !== undefined ? { valueName } : {}),
    optionalValue: option.optional,
    repeatable: Array.isArray(option.defaultValue),
    description: option.description,
    ...(valueName !== undefined || option.argChoices ? { value: NAMED_VALUES[option.long] ?? valueKind(valueName, option.argChoices) } : {}),
    exclusive,
  };
}

function argumentSpec(argument: Argument): ArgumentSpec {
  const choices = argument.argChoices;
  const value: ValueKind = choices ? { kind: 'choice', values: [...choices] } : argument.name() === 'command' ? { kind: 'command' } : { kind: 'text' };
  return { name: argument.name(), required: argument.required, variadic: argument.variadic, description: argument.description, value };
}

/** Commands and options exactly as `--help` shows them (help option and implicit help command included). */
export function describeProgram(program: Command = loadProgram()): ProgramSpec {
  const help = program.createHelp();
  const globalOptions = help.visibleOptions(program);
  const commands = help.visibleCommands(program);
  return {
    globals: globalOptions.map((option) => optionSpec(option, globalOptions)),
    commands: commands.map((command) => {
      const options = help.visibleOptions(command);
      return {
        name: command.name(),
        summary: command.summary() || command.description(),
        description: command.description(),
        args: command.registeredArguments.map((argument) => argumentSpec(argument)),
        options: options.map((option) => optionSpec(option, options)),
      };
    }),
  };
}

/** Model slugs offered when no cached list exists: the visible built-in ones. */
export function builtinSlugs(): string[] {
  return selectModels(builtinModels()).map((model) => model.id);
}

/* ---------- Marker blocks ---------- */

/** Replaces the text between `BEGIN GENERATED name` and `END GENERATED name` lines with `body`. */
export function replaceBlock(text: string, name: string, body: string, file: string): string {
  const lines = text.split('\n');
  const marker = (line: string) => line.replace(/\s*-->\s*$/, '').trimEnd();
  const begin = lines.findIndex((line) => line.includes(`BEGIN GENERATED ${name}`) && marker(line).endsWith(`BEGIN GENERATED ${name}`));
  const end = lines.findIndex((line, index) => index > begin && line.includes(`END GENERATED ${name}`));
  if (begin < 0 || end < 0) throw new Error(`${file}: no "BEGIN GENERATED ${name}" … "END GENERATED ${name}" block`);
  const inner = body === '' ? [] : body.replace(/\n$/, '').split('\n');
  return [...lines.slice(0, begin + 1), ...inner, ...lines.slice(end)].join('\n');
}

/** The names of all generated blocks in a file, so that a stale block (a removed command) is caught. */
export function blockNames(text: string): string[] {
  return [...text.matchAll(/BEGIN GENERATED (\S+)/g)].map((match) => match[1]!);
}

/* ---------- man page (roff) ---------- */

/** Escapes text for roff and sets `code`, option names and placeholders in the usual faces. */
export function roffText(text: string): string {
  const escaped = text.replace(/\\/g, '\\e');
  const styled = escaped
    .replace(/`([^`]+)`/g, (_m, code: string) => `\\fB${code.replace(/-/g, '\\-')}\\fR`)
    .replace(/(^|[\s(])(--?[a-zA-Z][\w-]*)/g, (_m, before: string, flag: string) => `${before}\\fB${flag.replace(/-/g, '\\-')}\\fR`);
  return roffWrap(styled);
}

/** Breaks a text line at spaces so no line is longer than 80 bytes, and keeps lines from starting like requests. */
export function roffWrap(text: string, width = 80): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && Buffer.byteLength(`${line} ${word}`) > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.map((item) => item.replace(/^([.'])/, '\\&$1')).join('\n');
}

function roffOptionTerm(option: OptionSpec): string {
  const names = [option.short, option.long].filter(Boolean).map((name) => `\\fB${name!.replace(/-/g, '\\-')}\\fR`);
  let term = names.join(', ');
  if (option.valueName !== undefined) term += option.optionalValue ? ` [\\fI${option.valueName}\\fR]` : ` \\fI${option.valueName}\\fR`;
  return term;
}

function roffOptions(options: OptionSpec[]): string {
  return options
    .map((option) => {
      let text = option.description;
      if (option.value?.kind === 'choice') text += `; one of ${option.value.values.map((value) => `\`${value}\``).join(', ')}`;
      if (option.repeatable && !/repeatable/.test(text)) text += '; may be given more than once';
      return `.TP\n${roffOptionTerm(option)}\n${roffText(`${text}.`.replace(/\.\.$/, '.'))}`;
    })
    .join('\n');
}

function roffArgs(command: CommandSpec): string {
  return command.args
    .map((argument) => {
      const name = `\\fI${argument.name}\\fR${argument.variadic ? '\\&...' : ''}`;
      return argument.required ? name : `[${name}]`;
    })
    .join(' ');
}

export function manBlocks(spec: ProgramSpec): Record<string, string> {
  const blocks: Record<string, string> = {};
  blocks.synopsis = spec.commands
    .map((command) => {
      const options = command.options.some((option) => option.long !== '--help') ? ' [\\fIoptions\\fR]' : '';
      const args = roffArgs(command);
      return `\\fBcodex\\fR [\\fIglobal-options\\fR] \\fB${command.name}\\fR${options}${args ? ` ${args}` : ''}`;
    })
    .join('\n.br\n');
  blocks.commands = spec.commands.map((command) => `.TP\n.B ${command.name}\n${roffText(command.summary)}.`).join('\n');
  blocks['global-options'] = roffOptions(spec.globals);
  for (const command of spec.commands) {
    const heading = `.SS codex ${command.name}${command.args.length ? ` ${command.args.map((a) => (a.required ? a.name : `[${a.name}${a.variadic ? '...' : ''}]`)).join(' ')}` : ''}`;
    const args = command.args.map((argument) => {
      let text = argument.description || (argument.value.kind === 'command' ? 'a command name' : argument.name);
      if (argument.value.kind === 'choice') text += `; one of ${argument.value.values.map((value) => `\`${value}\``).join(', ')}`;
      return `.TP\n\\fI${argument.name}\\fR\n${roffText(`${text}.`)}`;
    });
    blocks[`command-${command.name}`] = [heading, roffText(command.description), ...args, roffOptions(command.options)].join('\n');
  }
  return blocks;
}

/* ---------- exit status (from the error table) ---------- */

/** What each exit status means to a user; which codes end in it comes from ERROR_CODES. */
const EXIT_STATUS_MEANINGS: Record<number, { meaning: string; manNote?: string }> = {
  0: { meaning: 'success' },
  1: { meaning: 'internal error, a bug: please report it' },
  2: { meaning: 'usage: bad option or value, empty prompt, unreadable file, no such conversation' },
  3: {
    meaning:
      'authentication: not logged in, sign-in refused or timed out, refresh failed, an expired CODEX_AUTH_JSON token a check will not refresh, 401 after refresh, unreadable or unwritable credentials, a config dir or file others could have changed, a conversation log or an `--image-out` image that cannot be written, a lock path that holds no usable lock, too many open files',
  },
  4: {
    meaning: 'usage limit, a rate limit retries could not outlast, less quota left than `--min-remaining` asks for, or no reset credit for `usage --redeem`',
    manNote: 'The message names the plan and when the limit resets.',
  },
  7: { meaning: 'a feature the plan or account does not have: image generation (`codex image`, `ask --image-out`) or web search (`ask --search`)' },
  5: { meaning: 'network, server or stream failure after retries; a conversation another run kept busy for 10 minutes' },
  6: {
    meaning: 'request or response rejected',
    manNote:
      '`model_unavailable` means the backend no longer serves the model to ChatGPT accounts (the cached catalog is dropped); ' +
      '`client_outdated` means the model needs a newer client version (raise `CODEX_CLIENT_VERSION`). ' +
      "A refusal prints the model's words on standard error; a call to a tool codex does not offer (a local shell, a custom tool) names it.",
  },
  124: { meaning: '`--timeout` reached' },
  130: { meaning: 'interrupted by Ctrl-C or SIGINT' },
  143: { meaning: 'terminated by SIGTERM' },
};

export interface ExitStatus {
  status: number;
  meaning: string;
  manNote?: string;
  codes: ErrorCode[];
}

/** Every exit status with its meaning and codes; a status without a meaning (or the reverse) is an error. */
export function exitStatuses(): ExitStatus[] {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  const statuses = [0, ...new Set(codes.map((code) => ERROR_CODES[code].exit))].sort((a, b) => a - b);
  const described = Object.keys(EXIT_STATUS_MEANINGS).map(Number);
  const stray = described.filter((status) => !statuses.includes(status));
  if (stray.length > 0) throw new Error(`exit status ${stray.join(', ')} has a meaning but no error code`);
  return statuses.map((status) => {
    const text = EXIT_STATUS_MEANINGS[status];
    if (!text) throw new Error(`exit status ${status} (${codes.filter((code) => ERROR_CODES[code].exit === status).join(', ')}) has no meaning in scripts/docgen.ts`);
    return { status, ...text, codes: codes.filter((code) => ERROR_CODES[code].exit === status) };
  });
}

const codeList = (codes: readonly ErrorCode[]) => codes.map((code) => `\`${code}\``).join(', ');

/** The README's exit code table. */
export function exitStatusMarkdown(statuses: readonly ExitStatus[] = exitStatuses()): string {
  const rows = statuses.map((entry) => `| ${entry.status} | ${entry.meaning} | ${codeList(entry.codes)}${entry.codes.length ? ' ' : ''}|`);
  return ['| code | meaning | `error.code` |', '|---|---|---|', ...rows].join('\n');
}

/** The man page's EXIT STATUS list. */
export function exitStatusRoff(statuses: readonly ExitStatus[] = exitStatuses()): string {
  return statuses
    .map((entry) => {
      const sentence = `${entry.meaning[0]!.toUpperCase()}${entry.meaning.slice(1)}${entry.codes.length ? ` (${codeList(entry.codes)})` : ''}.`;
      return `.TP\n.B ${entry.status}\n${roffText(entry.manNote ? `${sentence} ${entry.manNote}` : sentence)}`;
    })
    .join('\n');
}

/* ---------- bash ---------- */

const allNames = (option: OptionSpec) => [option.short, option.long].filter((name): name is string => name !== undefined);

function bashKind(value: ValueKind): string {
  return value.kind === 'choice' ? `choice ${value.values.join(' ')}` : value.kind;
}

export function bashBlock(spec: ProgramSpec, slugs: string[]): string {
  const lines: string[] = [];
  lines.push(`_codex_commands='${spec.commands.map((c) => c.name).join(' ')}'`);
  lines.push(`_codex_global_options='${spec.globals.flatMap(allNames).join(' ')}'`);
  lines.push(`_codex_builtin_models='${slugs.join(' ')}'`);
  lines.push(`_codex_config_keys='${CONFIG_KEY_WORDS.join(' ')}'`);
  lines.push('# The options of a command (global options are added by the caller).');
  lines.push('_codex_command_options() {');
  lines.push('  case $1 in');
  for (const command of spec.commands) {
    const options = command.options.filter((option) => option.long !== '--help');
    lines.push(`    ${command.name}) echo '${options.flatMap(allNames).join(' ')}' ;;`);
  }
  lines.push('  esac');
  lines.push('}');
  lines.push('# What the value of option $2 of command $1 is: file, dir, model, text, "choice A B …", optional-file;');
  lines.push('# nothing for a flag.');
  lines.push('_codex_option_value() {');
  lines.push('  case "$1 $2" in');
  const rows = (command: string, options: OptionSpec[]) => {
    for (const option of options) {
      if (!option.value) continue;
      const kind = bashKind(option.value);
      const patterns = allNames(option)
        .map((name) => `"${command} ${name}"`)
        .join('|');
      lines.push(`    ${patterns}) echo '${option.optionalValue ? `optional-${kind}` : kind}' ;;`);
    }
  };
  for (const command of spec.commands) rows(command.name, command.options);
  rows('*', spec.globals);
  lines.push('  esac');
  lines.push('}');
  lines.push('# What positional argument $2 (1, 2) of command $1 is; $3 is the first one (the action word).');
  lines.push('_codex_argument_value() {');
  lines.push('  case "$1 $2" in');
  for (const command of spec.commands) {
    const argument = command.args[0];
    if (argument && argument.value.kind !== 'text') lines.push(`    "${command.name} 1") echo '${bashKind(argument.value)}' ;;`);
    const second = SECOND_ARGUMENTS[command.name];
    if (second) {
      lines.push(`    "${command.name} 2") case $3 in ${second.actions.join('|')}) echo '${bashKind(second.value)}' ;; esac ;;`);
    }
  }
  lines.push('  esac');
  lines.push('}');
  return lines.join('\n');
}

/* ---------- zsh ---------- */

const zshQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const zshDescription = (text: string) => text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1');

function zshAction(value: ValueKind): string {
  switch (value.kind) {
    case 'file':
      return '_files';
    case 'dir':
      return '_files -/';
    case 'model':
      return '_codex_models';
    case 'command':
      return '_codex_command_names';
    case 'choice':
      return `(${value.values.join(' ')})`;
    case 'text':
      return ' ';
    case 'template':
      return '_codex_templates';
    case 'conversation':
      return '_codex_conversations';
    case 'config-key':
      return `(${CONFIG_KEY_WORDS.join(' ')})`;
  }
}

function zshOptionSpec(option: OptionSpec): string {
  const names = allNames(option);
  const exclusive = [...new Set([...names, ...option.exclusive])];
  const star = option.repeatable ? '*' : '';
  const guard = option.repeatable ? '' : `(${exclusive.join(' ')})`;
  const description = `[${zshDescription(option.description)}]`;
  let value = '';
  let suffixShort = '';
  let suffixLong = '';
  if (option.value) {
    suffixShort = '+';
    suffixLong = '=';
    value = `${option.optionalValue ? '::' : ':'}${option.valueName ?? 'value'}:${zshAction(option.value)}`;
  }
  const words = names.map((name) => `${name}${name.startsWith('--') ? suffixLong : suffixShort}`);
  const head = `${guard}${star}`;
  const tail = `${description}${value}`;
  if (words.length === 1) return zshQuote(`${head}${words[0]}${tail}`);
  return `${head === '' ? '' : zshQuote(head)}{${words.join(',')}}${zshQuote(tail)}`;
}

export function zshBlock(spec: ProgramSpec, slugs: string[]): string {
  const lines: string[] = [];
  lines.push(`_codex_builtin_models=(${slugs.join(' ')})`);
  lines.push('_codex_global_specs=(');
  for (const option of spec.globals) lines.push(`  ${zshOptionSpec(option)}`);
  lines.push(')');
  lines.push('_codex_command_list=(');
  for (const command of spec.commands) lines.push(`  ${zshQuote(`${command.name}:${command.summary.replace(/:/g, '\\:')}`)}`);
  lines.push(')');
  lines.push('# The _arguments specs of a command, in the array reply.');
  lines.push('_codex_command_specs() {');
  lines.push('  case $1 in');
  for (const command of spec.commands) {
    const specs = command.options.filter((option) => option.long !== '--help').map(zshOptionSpec);
    const second = SECOND_ARGUMENTS[command.name];
    command.args.forEach((argument, index) => {
      const value = index === 1 && second ? second.value : argument.value;
      specs.push(zshQuote(`${argument.variadic && !second ? '*' : String(index + 1)}:${argument.name}:${zshAction(value)}`));
    });
    lines.push(`    ${command.name}) reply=(`);
    for (const item of specs) lines.push(`      ${item}`);
    lines.push('    ) ;;');
  }
  lines.push('    *) reply=() ;;');
  lines.push('  esac');
  lines.push('}');
  return lines.join('\n');
}

/* ---------- fish ---------- */

const fishQuote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishOption(option: OptionSpec, condition: string | undefined): string {
  const parts = ['complete -c codex'];
  if (condition) parts.push(`-n ${fishQuote(condition)}`);
  if (option.short) parts.push(`-s ${option.short.replace(/^-/, '')}`);
  parts.push(`-l ${option.long.replace(/^--/, '')}`);
  const value = option.value;
  if (value) {
    switch (value.kind) {
      case 'file':
        parts.push(option.optionalValue ? '-F' : '-r -F');
        break;
      case 'dir':
        parts.push(`-x -a ${fishQuote('(__fish_complete_directories)')}`);
        break;
      case 'model':
        parts.push(`-x -a ${fishQuote('(__codex_models)')}`);
        break;
      case 'template':
      case 'conversation':
        parts.push(`-x -a ${fishQuote(`(__codex_names ${value.kind})`)}`);
        break;
      case 'choice':
        parts.push(`-x -a ${fishQuote(value.values.join(' '))}`);
        break;
      default:
        parts.push('-x');
    }
  }
  parts.push(`-d ${fishQuote(option.description)}`);
  return parts.join(' ');
}

export function fishBlock(spec: ProgramSpec, slugs: string[]): string {
  const lines: string[] = [];
  const names = spec.commands.map((command) => command.name).join(' ');
  lines.push(`set -g __codex_builtin_models ${slugs.join(' ')}`);
  lines.push(`set -g __codex_commands ${names}`);
  for (const option of spec.globals) lines.push(fishOption(option, undefined));
  for (const command of spec.commands) {
    lines.push(`complete -c codex -n ${fishQuote(`not __fish_seen_subcommand_from ${names}`)} -a ${command.name} -d ${fishQuote(command.summary)}`);
  }
  for (const command of spec.commands) {
    const condition = `__fish_seen_subcommand_from ${command.name}`;
    for (const option of command.options) if (option.long !== '--help') lines.push(fishOption(option, condition));
    for (const argument of command.args) {
      if (argument.value.kind === 'choice') lines.push(`complete -c codex -n ${fishQuote(condition)} -a ${fishQuote(argument.value.values.join(' '))}`);
      if (argument.value.kind === 'command') lines.push(`complete -c codex -n ${fishQuote(condition)} -a ${fishQuote(names)}`);
    }
    const second = SECOND_ARGUMENTS[command.name];
    if (second) {
      const after = `${condition}; and __fish_seen_subcommand_from ${second.actions.join(' ')}`;
      const values = second.value.kind === 'config-key' ? fishQuote(CONFIG_KEY_WORDS.join(' ')) : fishQuote(`(__codex_names ${second.value.kind})`);
      lines.push(`complete -c codex -n ${fishQuote(after)} -x -a ${values}`);
    }
  }
  return lines.join('\n');
}

/* ---------- event schema ---------- */

export function eventsSchema(): string {
  const schema = z.toJSONSchema(CodexEventSchema, { target: 'draft-7' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  const document = {
    $schema,
    title: `codex ask --json event (schema_version ${SCHEMA_VERSION})`,
    description:
      'One line of `codex ask --json` output. The first line is a start event, the last exactly one result or error event. ' +
      'Generated from src/client/events.ts by `npm run gen`; do not edit.',
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `codex image --json`: its one `result` line. */
export function imageSchema(): string {
  const schema = z.toJSONSchema(ImageResultEventSchema, { target: 'draft-7' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  const document = {
    $schema,
    title: `codex image --json result (schema_version ${SCHEMA_VERSION})`,
    description: 'The one line of `codex image --json` output. Generated from src/client/image-events.ts by `npm run gen`; do not edit.',
    ...rest,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * config.json's JSON Schema, which conf (`codex config`) checks the file against: made here rather than at run time,
 * so that zod's JSON Schema code stays out of the CLI's bundle (esbuild would put it in the chunk every command loads).
 */
export function configSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(ConfigFileSchema), null, 2)}\n`;
}

/* ---------- everything ---------- */

export const GENERATED_FILES = [
  'man/codex.1',
  'README.md',
  'completions/codex.bash',
  'completions/_codex',
  'completions/codex.fish',
  'schema/events.schema.json',
  'schema/image.schema.json',
  'src/config/config-file.schema.json',
] as const;

/** The generated files' contents: the current templates (read from `root`) with their blocks regenerated. */
export async function generateAll(root: string, spec: ProgramSpec = describeProgram()): Promise<Record<string, string>> {
  const read = (path: string) => readFile(join(root, path), 'utf8');
  const slugs = builtinSlugs();
  const fill = (file: string, text: string, blocks: Record<string, string>) => {
    const wanted = new Set(Object.keys(blocks));
    for (const name of blockNames(text)) {
      if (!wanted.has(name)) throw new Error(`${file}: block "${name}" has no source (a command that no longer exists?)`);
    }
    for (const [name, body] of Object.entries(blocks)) text = replaceBlock(text, name, body, file);
    return text;
  };
  // The title line names the package version (its date is written by hand when the page changes).
  const { version } = JSON.parse(await read('package.json')) as { version: string };
  const man = (await read('man/codex.1')).replace(/^(\.TH CODEX 1 \S+ )"codex-oauth [^"]*"/m, `$1"codex-oauth ${version}"`);
  return {
    'man/codex.1': fill('man/codex.1', man, { ...manBlocks(spec), 'exit-status': exitStatusRoff(), settings: settingsRoff(roffText) }),
    'README.md': fill('README.md', await read('README.md'), { 'exit-codes': exitStatusMarkdown(), settings: settingsMarkdown() }),
    'completions/codex.bash': fill('completions/codex.bash', await read('completions/codex.bash'), { data: bashBlock(spec, slugs) }),
    'completions/_codex': fill('completions/_codex', await read('completions/_codex'), { data: zshBlock(spec, slugs) }),
    'completions/codex.fish': fill('completions/codex.fish', await read('completions/codex.fish'), { data: fishBlock(spec, slugs) }),
    'schema/events.schema.json': eventsSchema(),
    'schema/image.schema.json': imageSchema(),
    'src/config/config-file.schema.json': configSchema(),
  };
}
