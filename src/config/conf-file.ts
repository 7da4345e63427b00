import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { errnoOrMessage, messageOf } from '../shared/error-info.js';
import { LockError, UsageError } from '../shared/errors.js';
import { type ConfigObject, readConfigObject } from '../store/config-file.js';
import { withFileLock } from '../store/lock.js';
import { checkConfigDir } from '../store/private-files.js';
import CONFIG_FILE_SCHEMA from './config-file.schema.json' with { type: 'json' };

// config.json as `codex config` reads and writes it: through conf (atomic writes, mode 0600), with the JSON
// Schema of the settings table's zod schema (ConfigFileSchema). `ask` never loads this (conf and Ajv cost ~150 ms):
// it reads the same file through the same zod schema (resolve.ts). Only `codex config` imports it.

/**
 * config.json's JSON Schema for conf: each key of the table typed, any other key allowed (warned about). `npm run
 * gen` writes it from ConfigFileSchema (test/docs fails when it is out of date): zod's JSON Schema code at run time
 * would sit in the chunk every command loads (issue 31).
 */
function jsonSchema(): { properties: Record<string, object>; rootSchema: Record<string, unknown> } {
  const { $schema: _draft, type: _object, properties, ...rootSchema } = CONFIG_FILE_SCHEMA as Record<string, unknown>;
  return { properties: properties as Record<string, object>, rootSchema };
}

export interface SettingsFile {
  path: string;
  /** Every key in the file, unknown ones too, in the file's order. */
  values(): ConfigObject;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  /**
   * Runs `change` holding `<config-dir>/config.json.lock`; `values()` read inside it are the file as it is then.
   * conf's write is atomic, its read-modify-write is not: two `codex config set` at once could each write back the
   * file they read, and one key was lost.
   */
  locked<T>(change: () => T): Promise<T>;
}

/**
 * config.json, checked as every reader checks it first (ownership, mode, a JSON object: the same one-line errors,
 * exit 2 or 3). A file that breaks the schema is refused too, never cleared (`clearInvalidConfig: false`).
 * `create`: the config dir is made 0700 when missing; `update`: an existing file may be changed (its dir is
 * tightened as for any write); `read`: nothing is written. A missing file is never created just to be read.
 */
export function openSettingsFile(configDir: string, mode: 'read' | 'update' | 'create'): SettingsFile {
  const path = join(configDir, 'config.json');
  const current = readConfigObject(configDir);
  const exists = existsSync(path);
  if (mode === 'create' || (mode === 'update' && exists)) {
    mkdirSync(configDir, { recursive: true, mode: 0o700 });
    if (checkConfigDir(configDir, { tighten: true }) === 'missing') throw new UsageError(`${configDir} is not a directory`);
  } else if (!exists) {
    // conf would create the config dir to read nothing.
    return { path, values: () => current, set: readOnly, delete: readOnly, locked: async (change) => change() };
  }
  const { properties, rootSchema } = jsonSchema();
  let conf: Conf<ConfigObject>;
  try {
    conf = new Conf<ConfigObject>({
      cwd: configDir,
      configName: 'config',
      projectSuffix: '',
      configFileMode: 0o600,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      schema: properties as never,
      rootSchema,
      serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    });
  } catch (error) {
    throw refused(path, error);
  }
  const write = (change: () => void) => {
    try {
      change();
    } catch (error) {
      throw new UsageError(`cannot write ${path}: ${errnoOrMessage(error)}`);
    }
  };
  return {
    path,
    values: () => {
      try {
        return { ...conf.store };
      } catch (error) {
        throw refused(path, error);
      }
    },
    set: (key, value) => write(() => conf.set(key, value)),
    delete: (key) => write(() => conf.delete(key)),
    locked: (change) => underConfigLock(path, change),
  };
}

/** A change holds the lock for milliseconds: one held this long was left by a process killed meanwhile. */
const CONFIG_LOCK_STALE_MS = 10_000;
const CONFIG_LOCK_WAIT_MS = 30_000;

/**
 * Runs `change` holding `<config.json>.lock`. A lock that cannot be made (a read-only or full disk) is the same
 * usage error as a config.json that cannot be written (exit 2), not a credential failure.
 */
function underConfigLock<T>(path: string, change: () => T): Promise<T> {
  const lock = `${path}.lock`;
  return withFileLock(lock, async () => change(), {
    staleMs: CONFIG_LOCK_STALE_MS,
    waitMs: CONFIG_LOCK_WAIT_MS,
    timeoutError: () =>
      new LockError('lock_unusable', `timed out waiting for ${lock}, held by another \`codex config set\` or \`unset\`; if none is running: rm ${lock}`),
    unwritableError: (failure) => new UsageError(`cannot write ${path}: ${failure.message}`),
  });
}

function readOnly(): never {
  throw new Error('config.json was opened for reading');
}

/** conf's "Config schema violation: `log` must be boolean" as one line that names the file. */
function refused(path: string, error: unknown): UsageError {
  const message = messageOf(error);
  const violation = /^Config schema violation: (.*)$/.exec(message);
  if (violation) return new UsageError(`${path} does not look like a codex-oauth config file (${violation[1]}); fix or remove it by hand`);
  return new UsageError(`cannot read ${path}: ${errnoOrMessage(error)}`);
}
