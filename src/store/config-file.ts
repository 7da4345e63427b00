import { join } from 'node:path';
import { errnoOrMessage } from '../shared/error-info.js';
import { CodexError, UsageError } from '../shared/errors.js';
import { JsonObjectSchema, readJsonFileSync } from './json-file.js';
import { readTrustedFileSync } from './private-files.js';

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
