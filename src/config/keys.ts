import { EFFORTS } from '../shared/efforts.js';
import { endpointProblem } from '../shared/endpoint-url.js';
import { messageOf } from '../shared/error-info.js';
import { UsageError } from '../shared/errors.js';
import { closestName } from '../shared/suggest.js';
import { checkProfileName } from '../store/profiles.js';
import { parseStoreUrl } from '../store/store-url.js';
import { CLIENT_VERSION_PATTERN, CONFIG_FILE_KEYS, DEFAULT_CLIENT_VERSION, RESPONSES_LAYOUTS, VERBOSITIES } from './resolve.js';

/**
 * The keys `codex config` reads and writes, each with the check its readers apply. `alias.NAME` stands for one
 * entry of the `aliases` object.
 */
export const SETTABLE_KEYS = CONFIG_FILE_KEYS.filter((key) => key !== 'aliases');
export type SettableKey = (typeof SETTABLE_KEYS)[number];

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
export const ALIAS_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const oneOf = (values: readonly string[]) => (value: string) =>
  values.includes(value) ? undefined : `must be one of ${values.join(', ')}, not ${JSON.stringify(value)}`;

const url = endpointProblem;

const model = (value: string) => (SLUG.test(value) ? undefined : `must be a model slug or alias, not ${JSON.stringify(value)}`);

const CHECKS: Record<SettableKey, (value: string) => string | undefined> = {
  model,
  effort: oneOf(EFFORTS),
  verbosity: oneOf(VERBOSITIES),
  system: () => undefined,
  base_url: url,
  issuer: url,
  client_version: (value) => (CLIENT_VERSION_PATTERN.test(value) ? undefined : `must be a version like ${DEFAULT_CLIENT_VERSION}, not ${JSON.stringify(value)}`),
  responses_layout: oneOf(RESPONSES_LAYOUTS),
  log: oneOf(['true', 'false']),
  credential_store: (value) => {
    try {
      parseStoreUrl(value, 'credential_store');
      return undefined;
    } catch (error) {
      return messageOf(error).replace(/^credential_store:? /, '');
    }
  },
  fast: oneOf(['true', 'false']),
  default_profile: (value) => {
    try {
      checkProfileName(value, 'default_profile');
      return undefined;
    } catch (error) {
      return messageOf(error).replace(/^default_profile: a profile name is /, 'must be a profile name of ');
    }
  },
};

export type KeyRef = { kind: 'key'; key: SettableKey } | { kind: 'alias'; name: string };

/** What a key given on the command line names; an unknown one is a usage error with a suggestion. */
export function parseKey(key: string): KeyRef {
  if ((SETTABLE_KEYS as readonly string[]).includes(key)) return { kind: 'key', key: key as SettableKey };
  if (key.startsWith('alias.')) {
    const name = key.slice('alias.'.length);
    if (!ALIAS_NAME.test(name)) throw new UsageError(`alias.${name}: an alias name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    return { kind: 'alias', name };
  }
  const close = closestName(key, [...SETTABLE_KEYS, 'alias.NAME']);
  throw new UsageError(`unknown key ${JSON.stringify(key)}${close ? ` (did you mean ${JSON.stringify(close)}?)` : ''}; keys: ${SETTABLE_KEYS.join(', ')}, alias.NAME`);
}

/** The value config.json stores for a key set on the command line: `log` and `fast` are booleans, the rest strings. */
export function storedValue(key: SettableKey, value: string): string | boolean {
  return key === 'log' || key === 'fast' ? value === 'true' : value;
}

/** Refuses a value the key's readers would refuse (exit 2). */
export function checkValue(ref: KeyRef, value: string): void {
  const problem = ref.kind === 'alias' ? model(value) : CHECKS[ref.key](value);
  if (problem !== undefined) throw new UsageError(`${ref.kind === 'alias' ? `alias.${ref.name}` : ref.key} ${problem}`);
}
