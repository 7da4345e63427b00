import { join } from 'node:path';
import { checkValue, parseKey, storedValue } from '../../config/keys.js';
import { configDirFor, unknownKeyWarnings } from '../../config/resolve.js';
import { UsageError } from '../../shared/errors.js';
import { type ConfigObject, readConfigObject, writeConfigObject } from '../../store/config-file.js';
import type { CliContext } from '../context.js';

export const CONFIG_ACTIONS = ['get', 'set', 'unset', 'list', 'path'] as const;

export interface ConfigOptions {
  json?: boolean;
}

const ARITY: Record<string, [number, string]> = {
  get: [1, 'config get KEY'],
  set: [2, 'config set KEY VALUE'],
  unset: [1, 'config unset KEY'],
  list: [0, 'config list [--json]'],
  path: [0, 'config path'],
};

const aliasesOf = (config: ConfigObject): Record<string, unknown> =>
  typeof config.aliases === 'object' && config.aliases !== null && !Array.isArray(config.aliases) ? (config.aliases as Record<string, unknown>) : {};

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export async function runConfig(ctx: CliContext, action: string, args: string[], options: ConfigOptions): Promise<void> {
  const [count, usage] = ARITY[action]!;
  if (args.length !== count) throw new UsageError(`usage: ${ctx.name} ${usage}`);
  if (options.json && action !== 'list') throw new UsageError('--json goes with `codex config list` only');
  const configDir = configDirFor(ctx.globals, ctx.env);
  if (action === 'path') {
    ctx.stdout.write(`${join(configDir, 'config.json')}\n`);
    return;
  }
  const config = readConfigObject(configDir);
  // As every reader of config.json does; not for unset, which is how such a key goes away.
  if (action !== 'unset') for (const warning of unknownKeyWarnings(config)) ctx.warn(warning);
  if (action === 'list') {
    if (options.json) {
      ctx.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
      return;
    }
    const lines: string[] = [];
    for (const [key, value] of Object.entries(config)) {
      if (key === 'aliases') for (const [name, slug] of Object.entries(aliasesOf(config))) lines.push(`alias.${name}=${shown(slug)}`);
      else lines.push(`${key}=${shown(value)}`);
    }
    ctx.stdout.write(lines.map((line) => `${line.replace(/\n/g, '\\n')}\n`).join(''));
    return;
  }
  const key = args[0]!;
  if (action === 'unset' && !key.startsWith('alias.') && Object.hasOwn(config, key)) {
    // Any key present may go, unknown ones too: that is how a mistyped key is removed.
    delete config[key];
    await writeConfigObject(configDir, config);
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
    checkValue(ref, value);
    if (ref.kind === 'key' && ref.key === 'model') {
      const { checkModelChoice } = await import('../ask/model-check.js');
      const { resolveModelAlias } = await import('../../config/resolve.js');
      await checkModelChoice(ctx, resolveModelAlias(value, { aliases: aliasesOf(config) as Record<string, string> }), 'config set model');
    }
    if (ref.kind === 'alias') config.aliases = { ...aliasesOf(config), [ref.name]: value };
    else config[ref.key] = storedValue(ref.key, value);
    await writeConfigObject(configDir, config);
    return;
  }
  // unset
  if (ref.kind === 'key') return; // not set: nothing to do
  const aliases = { ...aliasesOf(config) };
  if (!Object.hasOwn(aliases, ref.name)) return;
  delete aliases[ref.name];
  if (Object.keys(aliases).length === 0) delete config.aliases;
  else config.aliases = aliases;
  await writeConfigObject(configDir, config);
}
