import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../shared/errors.js';

/** The profile that is `<config-dir>/auth.json` itself: what every user had before profiles existed. */
export const DEFAULT_PROFILE = 'default';
export const PROFILES_DIR = 'profiles';

/** A name that is safe as one file name on every system we run on: no separators, no dot names, no spaces. */
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The profile name, checked; undefined for the default profile. `source` names where it came from, for the error. */
export function checkProfileName(value: string | undefined, source: string): string | undefined {
  if (value === undefined || value === '' || value === DEFAULT_PROFILE) return undefined;
  if (!PROFILE_NAME.test(value)) {
    throw new UsageError(`${source}: a profile name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** Where a profile keeps its auth.json, lock and caches: the config dir itself for the default profile. */
export function profileDir(configDir: string, profile: string | undefined): string {
  return profile === undefined ? configDir : join(configDir, PROFILES_DIR, profile);
}

/** The default profile and every `profiles/NAME/` that holds an auth.json, sorted (default first). */
export async function listProfiles(configDir: string): Promise<{ name: string; dir: string }[]> {
  const names = await readdir(join(configDir, PROFILES_DIR)).catch(() => [] as string[]);
  const found: { name: string; dir: string }[] = [];
  for (const name of names.sort()) {
    if (!PROFILE_NAME.test(name) || name === DEFAULT_PROFILE) continue;
    const dir = profileDir(configDir, name);
    const auth = await stat(join(dir, 'auth.json')).catch(() => undefined);
    if (auth?.isFile()) found.push({ name, dir });
  }
  return [{ name: DEFAULT_PROFILE, dir: configDir }, ...found];
}
