import * as z from 'zod/mini';
import { EFFORTS } from '../shared/efforts.js';
import { endpointProblem } from '../shared/endpoint-url.js';
import { messageOf } from '../shared/error-info.js';
import { UsageError } from '../shared/errors.js';
import { modelProblem, oneOf, type Problem } from '../shared/value-checks.js';
import { checkProfileName, DEFAULT_PROFILE } from '../store/profiles.js';
import { parseStoreUrl } from '../store/store-url.js';
import { DEFAULT_BASE_URL, DEFAULT_CLIENT_VERSION, DEFAULT_ISSUER } from './defaults.js';

export { modelProblem } from '../shared/value-checks.js';

// The one table of settings: each key of config.json with its env variable, flag, check, description and default.
// The config.json schema (zod, and conf's JSON Schema from it), `codex config`'s keys and help, the README/man
// settings tables and `codex config list --show-origin` are all derived from it; resolveSetting is the one place
// that knows the order flag → template → env → config.json → default.

export const RESPONSES_LAYOUTS = ['auto', 'classic', 'lite'] as const;
export type ResponsesLayout = (typeof RESPONSES_LAYOUTS)[number];
export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];
export const CLIENT_VERSION_PATTERN = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;
export const ALIAS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A reader's own parser (its message starts with the source label), seen as a Problem for `codex config set`. */
const viaParser =
  (parse: (value: string, label: string) => unknown, rewrite: [RegExp, string]): Problem =>
  (value) => {
    try {
      parse(value, '\0');
      return undefined;
    } catch (error) {
      return messageOf(error).replace(rewrite[0], rewrite[1]);
    }
  };

export interface Setting {
  /** The key in config.json (and `codex config KEY`). */
  key: string;
  /** The environment variable that sets it (beaten by a flag, beats config.json). */
  env?: string;
  /** The flag that sets it, as messages name it. */
  flag?: string;
  /** What config.json holds for it. */
  type: 'string' | 'boolean' | 'aliases';
  /** The check every reader and `codex config set` apply, to the value as a string. */
  check?: Problem;
  /** The built-in value when nothing sets it (undefined: the catalog or the command decides). */
  default?: string;
  /** For the docs: the default in words, when it is not a fixed value. */
  defaultText?: string;
  description: string;
}

export const SETTINGS = [
  {
    key: 'model',
    env: 'CODEX_MODEL',
    flag: '-m',
    type: 'string',
    check: modelProblem,
    defaultText: "the catalog's top listed model",
    description: 'the model to ask (a slug or an alias)',
  },
  { key: 'effort', flag: '-e', type: 'string', check: oneOf(EFFORTS), defaultText: "the model's default", description: 'reasoning effort' },
  {
    key: 'verbosity',
    flag: '--verbosity',
    type: 'string',
    check: oneOf(VERBOSITIES),
    defaultText: "the model's default",
    description: 'answer length, where the model takes one',
  },
  { key: 'system', flag: '--system', type: 'string', description: 'the system prompt (instructions)' },
  {
    key: 'base_url',
    env: 'CODEX_BASE_URL',
    flag: '--base-url',
    type: 'string',
    check: endpointProblem,
    default: DEFAULT_BASE_URL,
    description: 'the Codex backend (https, or http on loopback)',
  },
  {
    key: 'issuer',
    env: 'CODEX_ISSUER',
    flag: '--issuer',
    type: 'string',
    check: endpointProblem,
    default: DEFAULT_ISSUER,
    description: 'the OAuth issuer (https, or http on loopback)',
  },
  {
    key: 'client_version',
    env: 'CODEX_CLIENT_VERSION',
    type: 'string',
    check: (value) => (CLIENT_VERSION_PATTERN.test(value) ? undefined : `must be a version like ${DEFAULT_CLIENT_VERSION}, not ${JSON.stringify(value)}`),
    default: DEFAULT_CLIENT_VERSION,
    description: 'the Codex client version presented to the backend',
  },
  {
    key: 'responses_layout',
    type: 'string',
    check: oneOf(RESPONSES_LAYOUTS),
    default: 'auto',
    description: "the request layout: auto (the catalog's), classic or lite",
  },
  {
    key: 'default_profile',
    env: 'CODEX_PROFILE',
    flag: '--profile',
    type: 'string',
    check: viaParser(checkProfileName, [/^\0: a profile name is /, 'must be a profile name of ']),
    default: DEFAULT_PROFILE,
    description: 'the profile (sign-in) to use',
  },
  { key: 'log', flag: '--no-log', type: 'boolean', check: oneOf(['true', 'false']), default: 'true', description: 'false: record no conversation log' },
  {
    key: 'credential_store',
    env: 'CODEX_CREDENTIAL_STORE',
    type: 'string',
    check: viaParser(parseStoreUrl, [/^\0:? /, '']),
    default: 'file',
    description: 'where sign-ins are kept: file, or a redis:// or rediss:// URL',
  },
  { key: 'fast', flag: '--fast', type: 'boolean', check: oneOf(['true', 'false']), default: 'false', description: 'true: the "Fast" service tier' },
  { key: 'aliases', type: 'aliases', description: 'model aliases, `{"NAME": "slug"}` (`codex config set alias.NAME SLUG`)' },
] as const satisfies readonly Setting[];

export type SettingKey = (typeof SETTINGS)[number]['key'];
/** The keys config.json may hold; anything else gets a warning with a suggestion. */
export const CONFIG_FILE_KEYS: readonly SettingKey[] = SETTINGS.map((setting) => setting.key);

/** The keys `codex config` takes one by one: all but `aliases`, which it sets as `alias.NAME`. */
export const SETTABLE_KEYS = SETTINGS.filter((setting) => setting.type !== 'aliases').map((setting) => setting.key) as Exclude<SettingKey, 'aliases'>[];
export type SettableKey = Exclude<SettingKey, 'aliases'>;

export function settingFor(key: SettingKey): Setting {
  return SETTINGS.find((setting) => setting.key === key)!;
}

const FILE_TYPES = { string: z.string(), boolean: z.boolean(), aliases: z.record(z.string(), z.string()) };

/** config.json: each key of the table with its type (values are checked where they are used); other keys pass. */
export const ConfigFileSchema = z.looseObject(
  Object.fromEntries(SETTINGS.map((setting) => [setting.key, z.optional(FILE_TYPES[setting.type])])) as {
    [S in (typeof SETTINGS)[number] as S['key']]: z.ZodMiniOptional<(typeof FILE_TYPES)[S['type']]>;
  },
);
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/* ---------- where a value came from ---------- */

export type SourceKind = 'flag' | 'template' | 'env' | 'file' | 'default';

export interface Source {
  kind: SourceKind;
  /** How messages name it: `-e`, `CODEX_MODEL`, `"model" in template review`, `"effort" in /x/config.json`, `default`. */
  label: string;
}

export interface Resolved<T> {
  /** Undefined when nothing sets it and it has no built-in value. */
  value: T | undefined;
  source: Source;
}

/** A value given on the command line or by a template (or another caller-level source, with its own label). */
export interface Given<T> {
  value: T | undefined;
  kind?: 'flag' | 'template';
  /** Defaults to the setting's flag, or for a template `"KEY" in template NAME`. */
  label?: string;
}

export function fileLabel(key: string, configPath: string): string {
  return `${JSON.stringify(key)} in ${configPath}`;
}

export function templateLabel(key: string, template: string): string {
  return `${JSON.stringify(key)} in template ${template}`;
}

type FileValue<K extends SettingKey> = NonNullable<ConfigFile[K]>;

export interface SettingInputs {
  env: Record<string, string | undefined>;
  file: ConfigFile;
  /** config.json's path, for labels. */
  configPath: string;
}

const present = <T>(value: T | undefined): value is T => value !== undefined && value !== '';

/** The built-in value as the file would hold it (`log` and `fast` are booleans). */
function builtIn(setting: Setting): string | boolean | undefined {
  return setting.type === 'boolean' && setting.default !== undefined ? setting.default === 'true' : setting.default;
}

/**
 * The value of one setting and where it came from: the first given (flag, then template), then the env variable,
 * then config.json, then the built-in default. An empty string in env or config.json counts as not set (on the
 * command line it is a value). Unchecked: see checkedSetting.
 */
export function resolveSetting<K extends SettingKey>(key: K, inputs: SettingInputs, ...given: Given<FileValue<K>>[]): Resolved<FileValue<K>> {
  const setting = settingFor(key);
  for (const choice of given) {
    if (choice.value === undefined) continue;
    const kind = choice.kind ?? 'flag';
    const label = choice.label ?? (kind === 'flag' ? (setting.flag ?? key) : key);
    return { value: choice.value, source: { kind, label } };
  }
  const fromEnv = setting.env === undefined ? undefined : inputs.env[setting.env];
  if (present(fromEnv)) return { value: fromEnv as FileValue<K>, source: { kind: 'env', label: setting.env! } };
  const fromFile = inputs.file[key] as FileValue<K> | undefined;
  if (present(fromFile)) return { value: fromFile, source: { kind: 'file', label: fileLabel(key, inputs.configPath) } };
  return { value: builtIn(setting) as FileValue<K> | undefined, source: { kind: 'default', label: 'default' } };
}

/** A usage error (exit 2) naming where a value came from, when the setting's check refuses it. */
export function checkSetting(key: SettingKey, value: string | boolean, label: string): void {
  const problem = settingFor(key).check?.(String(value));
  if (problem !== undefined) throw new UsageError(`${label} ${problem}`);
}

/** resolveSetting, the winner checked (a value from anywhere but the built-in default). */
export function checkedSetting<K extends SettingKey>(key: K, inputs: SettingInputs, ...given: Given<FileValue<K>>[]): Resolved<FileValue<K>> {
  const resolved = resolveSetting(key, inputs, ...given);
  if (resolved.value !== undefined && resolved.source.kind !== 'default') checkSetting(key, resolved.value as string | boolean, resolved.source.label);
  return resolved;
}
