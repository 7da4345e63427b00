import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOrMessage } from '../shared/error-info.js';
import { CodexError, UsageError } from '../shared/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { JsonObjectSchema, readJsonFileSync } from './json-file.js';
import { checkConfigDir, readTrustedFileSync } from './private-files.js';

export type ConfigObject = Record<string, unknown>;

/**
 * config.json as it stands, unchecked beyond being a JSON object (so that `codex config` can repair a bad value):
 * empty when there is none. The dir and file must pass the same ownership and mode checks as every reader's.
 */
export function readConfigObject(configDir: string): ConfigObject {
  const path = join(configDir, 'config.json');
  const config = readJsonFileSync(path, JsonObjectSchema, {
    read: readTrustedFileSync,
    errorFor: (problem) => {
      if (problem.kind !== 'unreadable')
        return new UsageError(`${path} ${problem.kind === 'not_json' ? 'is not valid JSON' : 'does not hold a JSON object'}; fix or remove it by hand`);
      const { error } = problem;
      const passOn = error instanceof UsageError || (error instanceof CodexError && error.code === 'unsafe_permissions');
      return passOn ? error : new UsageError(`cannot read ${path}: ${errnoOrMessage(error)}`);
    },
  });
  return config ?? {};
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
