import { homedir } from 'node:os';
import { join } from 'node:path';
import { errnoOrMessage } from '../shared/error-info.js';
import { CodexError, UsageError } from '../shared/errors.js';
import { closestName } from '../shared/suggest.js';
import { readJsonFileSync } from '../store/json-file.js';
import { readTrustedFileSync } from '../store/private-files.js';
import { checkProfileName, profileDir } from '../store/profiles.js';
import { parseStoreUrl, type RedisStoreSpec } from '../store/store-url.js';
import { DEFAULT_CLIENT_VERSION } from './defaults.js';
import {
  CONFIG_FILE_KEYS,
  type ConfigFile,
  ConfigFileSchema,
  checkedSetting,
  type Given,
  type Resolved,
  type ResponsesLayout,
  resolveSetting,
  type SettingInputs,
  type SettingKey,
} from './settings.js';

export { DEFAULT_BASE_URL, DEFAULT_CLIENT_VERSION, DEFAULT_ISSUER } from './defaults.js';
export {
  CLIENT_VERSION_PATTERN,
  CONFIG_FILE_KEYS,
  type ConfigFile,
  RESPONSES_LAYOUTS,
  type ResponsesLayout,
  VERBOSITIES,
  type Verbosity,
} from './settings.js';
/** The public OAuth client id of OpenAI's Codex CLI; its redirect URIs are registered for ports 1455 and 1457. */
export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
/**
 * The model used when the catalog cannot be had: the top listed model of the built-in catalog (client/models/registry.ts,
 * kept equal by a test). Normally the default is the live catalog's top listed model.
 */
export const DEFAULT_MODEL = 'gpt-6.2-sol';
export const ORIGINATOR = 'codex_cli_rs';
export { VERSION } from '../shared/version.js';

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
  /** One setting from flags or a template given here, env, config.json or its default, with where it came from. */
  setting<K extends SettingKey>(key: K, ...given: Given<NonNullable<ConfigFile[K]>>[]): Resolved<NonNullable<ConfigFile[K]>>;
}

type Env = Record<string, string | undefined>;

/** $HOME of `env` (os.homedir() reads the process's own $HOME first, the same value in a real run). */
function homeOf(env: Env): string {
  return nonEmpty(env.HOME) ?? homedir();
}

export function defaultConfigDir(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homeOf(env), '.config'), 'codex-oauth');
}

/** The config dir: `--config-dir`, env CODEX_CONFIG_DIR, else the XDG default. */
export function configDirFor(flags: Pick<GlobalFlags, 'configDir'>, env: Env): string {
  return flags.configDir ?? nonEmpty(env.CODEX_CONFIG_DIR) ?? defaultConfigDir(env);
}

/** The data dir: next to a chosen config dir (`<config-dir>/data`), else `$XDG_DATA_HOME/codex-oauth` (~/.local/share). */
export function dataDirFor(flags: Pick<GlobalFlags, 'configDir'>, env: Env): string {
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

/** config.json through ConfigFileSchema: `{}` when there is none; a file that cannot be used is a usage error. */
export function readConfigFile(path: string): ConfigFile {
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
 * Flags win over env, env over config.json, config.json over built-in defaults (one resolver: config/settings.ts).
 * A config.json that cannot be read is an error for every command: what it holds may choose where the sign-in
 * lives. A bad `client_version` or `responses_layout` in it is reported to `onBadValue` and ignored when that is
 * given (the commands that are the ways out of a bad state), else an error too.
 */
export function resolveConfig(flags: GlobalFlags, env: Env, onBadValue?: (error: CodexError) => void): ResolvedConfig {
  const configDir = configDirFor(flags, env);
  const configPath = join(configDir, 'config.json');
  const file = readConfigFile(configPath);
  const inputs: SettingInputs = { env, file, configPath };
  const profile = resolvedProfile(inputs, flags.profile);
  const clientVersion = resolveSetting('client_version', inputs);
  return {
    configDir,
    dataDir: dataDirFor(flags, env),
    profile,
    authDir: profileDir(configDir, profile),
    baseUrl: stripSlash(checkedSetting('base_url', inputs, { value: flags.baseUrl }).value as string),
    issuer: stripSlash(checkedSetting('issuer', inputs, { value: flags.issuer }).value as string),
    verbose: flags.verbose ?? env.CODEX_VERBOSE === '1',
    clientVersion: tolerate(() => checkedSetting('client_version', inputs).value as string, DEFAULT_CLIENT_VERSION, onBadValue),
    clientVersionChosen: clientVersion.source.kind !== 'default',
    responsesLayout: tolerate(() => checkedSetting('responses_layout', inputs).value as ResponsesLayout, 'auto', onBadValue),
    credentialStore: resolvedCredentialStore(inputs),
    file,
    warnings: unknownKeyWarnings(file),
    setting: (key, ...given) => resolveSetting(key, inputs, ...given),
  };
}

function tolerate<T>(read: () => T, fallback: T, onBadValue?: (error: CodexError) => void): T {
  try {
    return read();
  } catch (error) {
    if (!onBadValue || !(error instanceof CodexError)) throw error;
    onBadValue(error);
    return fallback;
  }
}

/** `--profile`, CODEX_PROFILE, config.json `default_profile`: undefined for the default profile. */
function resolvedProfile(inputs: SettingInputs, flag: string | undefined): string | undefined {
  const { value, source } = resolveSetting('default_profile', inputs, { value: flag });
  return source.kind === 'default' ? undefined : checkProfileName(value as string, source.label);
}

/** CODEX_CREDENTIAL_STORE, config.json `credential_store`: a Redis store, or undefined for the file store. */
function resolvedCredentialStore(inputs: SettingInputs): RedisStoreSpec | undefined {
  const { value, source } = resolveSetting('credential_store', inputs);
  return source.kind === 'default' ? undefined : parseStoreUrl(value as string, source.label);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
