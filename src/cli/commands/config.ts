import { join } from 'node:path';
import { openSettingsFile } from '../../config/conf-file.js';
import { configDirFor, resolveModelAlias, unknownKeyWarnings } from '../../config/resolve.js';
import {
  ALIAS_NAME,
  type ConfigFile,
  checkSetting,
  modelProblem,
  resolveSetting,
  SETTABLE_KEYS,
  SETTINGS,
  type SettableKey,
  type SettingKey,
  type Source,
  settingFor,
} from '../../config/settings.js';
import { UsageError } from '../../shared/errors.js';
import { closestName } from '../../shared/suggest.js';
import { redacted } from '../../store/store-url.js';
import type { CliContext } from '../context.js';

export const CONFIG_ACTIONS = ['get', 'set', 'unset', 'list', 'path'] as const;

export interface ConfigOptions {
  json?: boolean;
  showOrigin?: boolean;
}

const ARITY: Record<string, [number, string]> = {
  get: [1, 'config get KEY'],
  set: [2, 'config set KEY VALUE'],
  unset: [1, 'config unset KEY'],
  list: [0, 'config list [--json | --show-origin]'],
  path: [0, 'config path'],
};

type KeyRef = { kind: 'key'; key: SettableKey } | { kind: 'alias'; name: string };

/** What a key given on the command line names; an unknown one is a usage error with a suggestion. */
function parseKey(key: string): KeyRef {
  if ((SETTABLE_KEYS as readonly string[]).includes(key)) return { kind: 'key', key: key as SettableKey };
  if (key.startsWith('alias.')) {
    const name = key.slice('alias.'.length);
    if (!ALIAS_NAME.test(name)) throw new UsageError(`alias.${name}: an alias name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    return { kind: 'alias', name };
  }
  const close = closestName(key, [...SETTABLE_KEYS, 'alias.NAME']);
  throw new UsageError(`unknown key ${JSON.stringify(key)}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}; keys: ${SETTABLE_KEYS.join(', ')}, alias.NAME`);
}

const aliasesOf = (config: Record<string, unknown>): Record<string, unknown> =>
  typeof config.aliases === 'object' && config.aliases !== null && !Array.isArray(config.aliases) ? (config.aliases as Record<string, unknown>) : {};

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** `key=value` lines of config.json, each alias as `alias.NAME=slug`, newlines escaped. */
function listLines(config: Record<string, unknown>): [key: string, value: string][] {
  const lines: [string, string][] = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'aliases') for (const [name, slug] of Object.entries(aliasesOf(config))) lines.push([`alias.${name}`, shown(slug)]);
    else lines.push([key, shown(value)]);
  }
  return lines;
}

const escaped = (text: string) => text.replace(/\n/g, '\\n');

/** `flag:--base-url`, `env:CODEX_MODEL`, `file:/x/config.json`, `default`: as `git config --show-origin` names origins. */
function originOf(source: Source, configPath: string): string {
  if (source.kind === 'file') return `file:${configPath}`;
  if (source.kind === 'default') return 'default';
  return `${source.kind}:${source.label}`;
}

export async function runConfig(ctx: CliContext, action: string, args: string[], options: ConfigOptions): Promise<void> {
  const [count, usage] = ARITY[action]!;
  if (args.length !== count) throw new UsageError(`usage: ${ctx.name} ${usage}`);
  if (options.json && action !== 'list') throw new UsageError('--json goes with `codex config list` only');
  if (options.showOrigin && action !== 'list') throw new UsageError('--show-origin goes with `codex config list` only');
  if (options.showOrigin && options.json) throw new UsageError('--show-origin and --json: choose one');
  const configDir = configDirFor(ctx.globals, ctx.env);
  if (action === 'path') {
    ctx.stdout.write(`${join(configDir, 'config.json')}\n`);
    return;
  }
  const file = openSettingsFile(configDir, action === 'set' ? 'create' : action === 'unset' ? 'update' : 'read');
  const config = file.values();
  // As every reader of config.json does; not for unset, which is how such a key goes away.
  if (action !== 'unset') for (const warning of unknownKeyWarnings(config)) ctx.warn(warning);
  if (action === 'list') {
    // A store URL's password stays out of listings (`config get credential_store` prints it whole).
    const listed = typeof config.credential_store === 'string' ? { ...config, credential_store: redacted(config.credential_store) } : config;
    if (options.json) ctx.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
    else if (options.showOrigin) ctx.stdout.write(originLines(ctx, file.path, config).join(''));
    else
      ctx.stdout.write(
        listLines(listed)
          .map(([key, value]) => `${escaped(`${key}=${value}`)}\n`)
          .join(''),
      );
    return;
  }
  const key = args[0]!;
  if (action === 'unset' && !key.startsWith('alias.') && Object.hasOwn(config, key)) {
    // Any key present may go, unknown ones too: that is how a mistyped key is removed.
    await file.locked(() => {
      if (Object.hasOwn(file.values(), key)) file.delete(key);
    });
    return;
  }
  const ref = parseKey(key);
  if (action === 'get') {
    const value = ref.kind === 'alias' ? aliasesOf(config)[ref.name] : config[ref.key];
    if (value !== undefined) ctx.stdout.write(`${shown(value)}\n`);
    return;
  }
  if (action === 'set') {
    const value = args[1]!;
    if (ref.kind === 'alias') {
      const problem = modelProblem(value);
      if (problem !== undefined) throw new UsageError(`alias.${ref.name} ${problem}`);
    } else checkSetting(ref.key, value, ref.key);
    if (ref.kind === 'key' && ref.key === 'model') {
      const { checkModelChoice } = await import('../ask/model-check.js');
      await checkModelChoice(ctx, resolveModelAlias(value, { aliases: aliasesOf(config) as Record<string, string> }), 'config set model');
    }
    // Written from the file as it is under the lock (another `config set` may have changed it since it was read).
    await file.locked(() => {
      if (ref.kind === 'alias') file.set('aliases', { ...aliasesOf(file.values()), [ref.name]: value });
      else file.set(ref.key, settingFor(ref.key).type === 'boolean' ? value === 'true' : value);
    });
    return;
  }
  // unset
  if (ref.kind === 'key') return; // not set: nothing to do
  if (!Object.hasOwn(aliasesOf(config), ref.name)) return;
  await file.locked(() => {
    const aliases = { ...aliasesOf(file.values()) };
    if (!Object.hasOwn(aliases, ref.name)) return;
    delete aliases[ref.name];
    if (Object.keys(aliases).length === 0) file.delete('aliases');
    else file.set('aliases', aliases);
  });
}

/**
 * `--show-origin`: every key that has a value, in the table's order, with where the value came from (the global
 * flags, env, config.json or the built-in default), then the aliases and any unknown keys of config.json.
 */
function originLines(ctx: CliContext, configPath: string, config: Record<string, unknown>): string[] {
  const inputs = { env: ctx.env, file: config as ConfigFile, configPath };
  const flags: Partial<Record<SettingKey, string | undefined>> = { base_url: ctx.globals.baseUrl, issuer: ctx.globals.issuer, default_profile: ctx.globals.profile };
  const lines: string[] = [];
  const line = (origin: string, key: string, value: string) => lines.push(`${origin}\t${escaped(`${key}=${value}`)}\n`);
  for (const setting of SETTINGS) {
    if (setting.type === 'aliases') continue;
    const { value, source } = resolveSetting(setting.key, inputs, { value: flags[setting.key] });
    if (value === undefined) continue;
    const text = shown(value);
    line(originOf(source, configPath), setting.key, setting.key === 'credential_store' ? redacted(text) : text);
  }
  const known = new Set<string>(SETTINGS.map((setting) => setting.key));
  for (const [key, value] of listLines(config)) if (key.startsWith('alias.') || !known.has(key)) line(originOf({ kind: 'file', label: '' }, configPath), key, value);
  return lines;
}
