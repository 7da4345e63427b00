import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { checkConfigDir, readTrustedFileSync } from './private-files.js';
import { errnoOrMessage } from '../error-info.js';

export type ConfigObject = Record<string, unknown>;

/**
 * config.json as it stands, unchecked beyond being a JSON object (so that `codex config` can repair a bad value):
 * empty when there is none. The dir and file must pass the same ownership and mode checks as every reader's.
 */
export function readConfigObject(configDir: string): ConfigObject {
  const path = join(configDir, 'config.json');
  let text: string | undefined;
  try {
    text = readTrustedFileSync(path);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code === 'unsafe_permissions') throw error;
    throw new UsageError(`cannot read ${path}: ${errnoOrMessage(error)}`);
  }
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON; fix or remove it by hand`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${path} does not hold a JSON object; fix or remove it by hand`);
  return json as ConfigObject;
}

/** Writes config.json whole or not at all (mode 0600), creating the config dir (0700) when needed. */
export async function writeConfigObject(configDir: string, config: ConfigObject): Promise<void> {
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  if (checkConfigDir(configDir, { tighten: true }) === 'missing') throw new UsageError(`${configDir} is not a directory`);
  const path = join(configDir, 'config.json');
  try {
    await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${errnoOrMessage(error)}`);
  }
}
