import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { CodexError } from './errors.js';
import { readTrustedFileSync } from './store/private-files.js';

export const DEFAULT_BASE_URL = 'https://chatgpt.com/backend-api/codex';
export const DEFAULT_ISSUER = 'https://auth.openai.com';
/** The public OAuth client id of OpenAI's Codex CLI; its redirect URIs are registered for ports 1455 and 1457. */
export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
export const DEFAULT_MODEL = 'gpt-5.4';
export const ORIGINATOR = 'codex_cli_rs';
export { VERSION } from './version.js';

const ConfigFileSchema = z.looseObject({
  base_url: z.optional(z.string()),
  issuer: z.optional(z.string()),
  model: z.optional(z.string()),
  effort: z.optional(z.string()),
  system: z.optional(z.string()),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface GlobalFlags {
  configDir?: string;
  baseUrl?: string;
  issuer?: string;
  verbose?: boolean;
}

export interface ResolvedConfig {
  configDir: string;
  baseUrl: string;
  issuer: string;
  verbose: boolean;
  /** Values from config.json that individual commands may fall back to. */
  file: ConfigFile;
}

type Env = Record<string, string | undefined>;

export function defaultConfigDir(env: Env = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.config'), 'codex-oauth');
}

function readConfigFile(path: string): ConfigFile {
  let text: string | undefined;
  try {
    // undefined: no config.json, also when the config dir itself does not exist or is not a directory (a command
    // that must write there then says so itself). A dir or file others could have written is refused (exit 3).
    text = readTrustedFileSync(path);
  } catch (error) {
    if (error instanceof CodexError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CodexError('usage', `cannot read ${path}: ${code ?? (error as Error).message}`);
  }
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodexError('usage', `${path} is not valid JSON`);
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) throw new CodexError('usage', `${path} does not look like a codex-oauth config file`);
  return parsed.data;
}

const stripSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Flags win over env, env over config.json, config.json over built-in defaults. An unreadable config.json is a
 * usage error, unless `onBadFile` is given: then it is reported there and ignored.
 */
export function resolveConfig(flags: GlobalFlags, env: Env = process.env, onBadFile?: (error: CodexError) => void): ResolvedConfig {
  const configDir = flags.configDir ?? nonEmpty(env.CODEX_CONFIG_DIR) ?? defaultConfigDir(env);
  let file: ConfigFile;
  try {
    file = readConfigFile(join(configDir, 'config.json'));
  } catch (error) {
    if (!onBadFile || !(error instanceof CodexError)) throw error;
    onBadFile(error);
    file = {};
  }
  return {
    configDir,
    baseUrl: stripSlash(flags.baseUrl ?? nonEmpty(env.CODEX_BASE_URL) ?? file.base_url ?? DEFAULT_BASE_URL),
    issuer: stripSlash(flags.issuer ?? nonEmpty(env.CODEX_ISSUER) ?? file.issuer ?? DEFAULT_ISSUER),
    verbose: flags.verbose ?? env.CODEX_VERBOSE === '1',
    file,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
