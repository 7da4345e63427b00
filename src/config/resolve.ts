import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { checkEndpoint } from '../shared/endpoint-url.js';
import { errnoOrMessage } from '../shared/error-info.js';
import { CodexError, UsageError } from '../shared/errors.js';
import { closestName } from '../shared/suggest.js';
import { readJsonFileSync } from '../store/json-file.js';
import { readTrustedFileSync } from '../store/private-files.js';
import { checkProfileName, profileDir } from '../store/profiles.js';
import { parseStoreUrl, type RedisStoreSpec } from '../store/store-url.js';

export const DEFAULT_BASE_URL = 'https://chatgpt.com/backend-api/codex';
export const DEFAULT_ISSUER = 'https://auth.openai.com';
/** The public OAuth client id of OpenAI's Codex CLI; its redirect URIs are registered for ports 1455 and 1457. */
export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
/**
 * The model used when the catalog cannot be had: the top listed model of the built-in catalog (client/models/registry.ts,
 * kept equal by a test). Normally the default is the live catalog's top listed model.
 */
export const DEFAULT_MODEL = 'gpt-6.2-sol';
export const ORIGINATOR = 'codex_cli_rs';
/**
 * The Codex client version we present (protocol §10): the backend hides and refuses models whose
 * `minimal_client_version` is above it. The newest official release known to this project; raise it with env
 * CODEX_CLIENT_VERSION or config.json `client_version` when the backend asks for a newer one.
 */
export const DEFAULT_CLIENT_VERSION = '0.171.0';
export const RESPONSES_LAYOUTS = ['auto', 'classic', 'lite'] as const;
export type ResponsesLayout = (typeof RESPONSES_LAYOUTS)[number];
export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];
export { VERSION } from '../shared/version.js';

const ConfigFileSchema = z.looseObject({
  base_url: z.optional(z.string()),
  issuer: z.optional(z.string()),
  model: z.optional(z.string()),
  effort: z.optional(z.string()),
  system: z.optional(z.string()),
  verbosity: z.optional(z.string()),
  client_version: z.optional(z.string()),
  responses_layout: z.optional(z.string()),
  default_profile: z.optional(z.string()),
  /** Model aliases: `{"fast": "gpt-6-luna"}`; a name here stands for its slug wherever a model is chosen. */
  aliases: z.optional(z.record(z.string(), z.string())),
  /** `false`: record no conversation log (as `--no-log` on every ask). */
  log: z.optional(z.boolean()),
  /** `file` (default) or a redis:// / rediss:// URL: where every profile's sign-in is kept. */
  credential_store: z.optional(z.string()),
  /** `true`: ask for the "Fast" service tier (as `--fast` on every ask). */
  fast: z.optional(z.boolean()),
});
/** The keys config.json may hold; anything else gets a warning with a suggestion. */
export const CONFIG_FILE_KEYS = [
  'model',
  'effort',
  'verbosity',
  'system',
  'base_url',
  'issuer',
  'client_version',
  'responses_layout',
  'default_profile',
  'log',
  'credential_store',
  'fast',
  'aliases',
] as const;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface GlobalFlags {
  configDir?: string;
  baseUrl?: string;
  issuer?: string;
  verbose?: boolean;
  profile?: string;
}

export interface ResolvedConfig {
  configDir: string;
  /** Where conversations are logged: `<config-dir>/data` when the config dir was chosen, else the XDG data dir. */
  dataDir: string;
  /** `--profile`, env CODEX_PROFILE, config.json `default_profile`; undefined for the default profile. */
  profile: string | undefined;
  /** Where the chosen profile's auth.json, lock and account caches live (the config dir for the default profile). */
  authDir: string;
  baseUrl: string;
  issuer: string;
  verbose: boolean;
  /** Sent as the `version` header and the `/models` `client_version` query. */
  clientVersion: string;
  /** CODEX_CLIENT_VERSION or `client_version` set it (else it is the default, which may follow npm's newest). */
  clientVersionChosen: boolean;
  /** `auto`: the catalog's `use_responses_lite` decides; `classic` / `lite` force one request layout. */
  responsesLayout: ResponsesLayout;
  /** Env CODEX_CREDENTIAL_STORE, else config.json `credential_store`: a Redis store, or undefined for the file store. */
  credentialStore: RedisStoreSpec | undefined;
  /** Values from config.json that individual commands may fall back to. */
  file: ConfigFile;
  /** Not errors, for the caller to show: unknown keys in config.json (with a suggestion). */
  warnings: string[];
}

type Env = Record<string, string | undefined>;

/** $HOME of `env` (os.homedir() reads the process's own $HOME first, the same value in a real run). */
function homeOf(env: Env): string {
  return nonEmpty(env.HOME) ?? homedir();
}

export function defaultConfigDir(env: Env = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homeOf(env), '.config'), 'codex-oauth');
}

/** The config dir: `--config-dir`, env CODEX_CONFIG_DIR, else the XDG default. */
export function configDirFor(flags: Pick<GlobalFlags, 'configDir'>, env: Env = process.env): string {
  return flags.configDir ?? nonEmpty(env.CODEX_CONFIG_DIR) ?? defaultConfigDir(env);
}

/** The data dir: next to a chosen config dir (`<config-dir>/data`), else `$XDG_DATA_HOME/codex-oauth` (~/.local/share). */
export function dataDirFor(flags: Pick<GlobalFlags, 'configDir'>, env: Env = process.env): string {
  const chosen = flags.configDir ?? nonEmpty(env.CODEX_CONFIG_DIR);
  if (chosen !== undefined) return join(chosen, 'data');
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homeOf(env), '.local', 'share'), 'codex-oauth');
}

/** `config.json: unknown key "modle" (did you mean "model"?)` for each key config.json does not know. */
export function unknownKeyWarnings(file: Record<string, unknown>): string[] {
  return Object.keys(file)
    .filter((key) => !(CONFIG_FILE_KEYS as readonly string[]).includes(key))
    .map((key) => {
      const close = closestName(key, CONFIG_FILE_KEYS);
      return `config.json: unknown key ${JSON.stringify(key)}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}`;
    });
}

/** The slug a chosen model stands for: an alias of config.json `aliases` is replaced by its slug (one level). */
export function resolveModelAlias(model: string, file: Pick<ConfigFile, 'aliases'>): string {
  const aliases = file.aliases;
  return aliases !== undefined && Object.hasOwn(aliases, model) ? aliases[model]! : model;
}

function readConfigFile(path: string): ConfigFile {
  // undefined: no config.json, also when the config dir itself does not exist or is not a directory (a command
  // that must write there then says so itself). A dir or file others could have written is refused (exit 3).
  const file = readJsonFileSync(path, ConfigFileSchema, {
    read: readTrustedFileSync,
    errorFor: (problem) => {
      if (problem.kind === 'unreadable')
        return problem.error instanceof CodexError ? problem.error : new UsageError(`cannot read ${path}: ${errnoOrMessage(problem.error)}`);
      return new UsageError(problem.kind === 'not_json' ? `${path} is not valid JSON` : `${path} does not look like a codex-oauth config file`);
    },
  });
  return file ?? {};
}

const stripSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Flags win over env, env over config.json, config.json over built-in defaults. An unreadable config.json is a
 * usage error, unless `onBadFile` is given: then it is reported there and ignored.
 */
export function resolveConfig(flags: GlobalFlags, env: Env = process.env, onBadFile?: (error: CodexError) => void): ResolvedConfig {
  const configDir = configDirFor(flags, env);
  let file: ConfigFile;
  try {
    file = readConfigFile(join(configDir, 'config.json'));
  } catch (error) {
    if (!onBadFile || !(error instanceof CodexError)) throw error;
    onBadFile(error);
    file = {};
  }
  const profile = resolveProfile(flags, env, file, configDir);
  const inFile = (key: string) => `"${key}" in ${join(configDir, 'config.json')}`;
  return {
    configDir,
    dataDir: dataDirFor(flags, env),
    profile,
    authDir: profileDir(configDir, profile),
    baseUrl: stripSlash(chosenEndpoint([flags.baseUrl, '--base-url'], [env.CODEX_BASE_URL, 'CODEX_BASE_URL'], [file.base_url, inFile('base_url')], DEFAULT_BASE_URL)),
    issuer: stripSlash(chosenEndpoint([flags.issuer, '--issuer'], [env.CODEX_ISSUER, 'CODEX_ISSUER'], [file.issuer, inFile('issuer')], DEFAULT_ISSUER)),
    verbose: flags.verbose ?? env.CODEX_VERBOSE === '1',
    clientVersion: tolerate(() => resolveClientVersion(env, file, configDir), DEFAULT_CLIENT_VERSION, onBadFile),
    clientVersionChosen: nonEmpty(env.CODEX_CLIENT_VERSION) !== undefined || file.client_version !== undefined,
    responsesLayout: tolerate(() => resolveLayout(file, configDir), 'auto', onBadFile),
    // Never tolerated: a store that cannot be read must not quietly become a local auth.json.
    credentialStore: resolveCredentialStore(env, file, configDir),
    file,
    warnings: unknownKeyWarnings(file),
  };
}

/**
 * The first value given (flag, env, config.json), checked wherever it came from: tokens go there, so it must be
 * https (http only on loopback). A bad one is a usage error naming its source, before any request is made.
 */
function chosenEndpoint(...choices: [...[string | undefined, string][], string]): string {
  const fallback = choices.pop() as string;
  for (const [value, source] of choices as [string | undefined, string][]) {
    if (value !== undefined && value !== '') return checkEndpoint(value, source);
  }
  return fallback;
}

function tolerate<T>(read: () => T, fallback: T, onBadFile?: (error: CodexError) => void): T {
  try {
    return read();
  } catch (error) {
    if (!onBadFile || !(error instanceof CodexError)) throw error;
    onBadFile(error);
    return fallback;
  }
}

export const CLIENT_VERSION_PATTERN = /^\d{1,4}\.\d{1,4}\.\d{1,4}$/;

function resolveClientVersion(env: Env, file: ConfigFile, configDir: string): string {
  const fromEnv = nonEmpty(env.CODEX_CLIENT_VERSION);
  const value = fromEnv ?? file.client_version ?? DEFAULT_CLIENT_VERSION;
  if (!CLIENT_VERSION_PATTERN.test(value)) {
    const where = fromEnv !== undefined ? 'CODEX_CLIENT_VERSION' : `"client_version" in ${join(configDir, 'config.json')}`;
    throw new UsageError(`${where} must be a version like ${DEFAULT_CLIENT_VERSION}, not "${value}"`);
  }
  return value;
}

function resolveProfile(flags: GlobalFlags, env: Env, file: ConfigFile, configDir: string): string | undefined {
  if (flags.profile !== undefined) return checkProfileName(flags.profile, '--profile');
  const fromEnv = nonEmpty(env.CODEX_PROFILE);
  if (fromEnv !== undefined) return checkProfileName(fromEnv, 'CODEX_PROFILE');
  return checkProfileName(file.default_profile, `"default_profile" in ${join(configDir, 'config.json')}`);
}

function resolveCredentialStore(env: Env, file: ConfigFile, configDir: string): RedisStoreSpec | undefined {
  const fromEnv = nonEmpty(env.CODEX_CREDENTIAL_STORE);
  if (fromEnv !== undefined) return parseStoreUrl(fromEnv, 'CODEX_CREDENTIAL_STORE');
  return parseStoreUrl(file.credential_store, `"credential_store" in ${join(configDir, 'config.json')}`);
}

function resolveLayout(file: ConfigFile, configDir: string): ResponsesLayout {
  const value = file.responses_layout ?? 'auto';
  if (!(RESPONSES_LAYOUTS as readonly string[]).includes(value)) {
    throw new UsageError(`"responses_layout" in ${join(configDir, 'config.json')} must be one of ${RESPONSES_LAYOUTS.join(', ')}, not "${value}"`);
  }
  return value as ResponsesLayout;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
