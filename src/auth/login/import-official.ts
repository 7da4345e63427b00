import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { errnoCode, errnoOrMessage } from '../../shared/error-info.js';
import { AuthError, UsageError } from '../../shared/errors.js';
import { type Credentials, CredentialsSchema } from '../../store/credentials.js';
import { readJsonFile } from '../../store/json-file.js';
import { credentialsFromOfficial, holdsApiKey, OfficialAuthSchema } from '../../store/official-auth.js';

/** `$CODEX_HOME/auth.json`, else `~/.codex/auth.json`. */
export function defaultOfficialAuthPath(env: Record<string, string | undefined>): string {
  const home = env.CODEX_HOME;
  return home && home !== '' ? join(home, 'auth.json') : join(env.HOME || homedir(), '.codex', 'auth.json');
}

/** Reads the official CLI's auth.json (or one of ours) and turns it into our credentials. */
export async function importCredentials(path: string): Promise<Credentials> {
  const json = await readJsonFile(path, z.unknown(), {
    errorFor: (problem) => {
      if (problem.kind !== 'unreadable') return new UsageError(`--import: ${path} is not valid JSON`);
      if (errnoCode(problem.error) === 'ENOENT') {
        return new UsageError(`--import: ${path} does not exist (newer official Codex CLIs may keep the sign-in in the OS keyring instead); run \`codex login\``);
      }
      return new UsageError(`--import: cannot read ${path} (${errnoOrMessage(problem.error)})`);
    },
  });
  const official = OfficialAuthSchema.safeParse(json);
  if (official.success) {
    const credentials = credentialsFromOfficial(official.data);
    if (!credentials) {
      throw new AuthError('login_failed', `--import: the tokens in ${path} carry no ChatGPT account id or expiry`);
    }
    return credentials;
  }
  const ours = CredentialsSchema.safeParse(json);
  if (ours.success) return ours.data;
  throw new AuthError(
    'login_failed',
    holdsApiKey(json)
      ? `--import: ${path} holds an API key, not a ChatGPT sign-in; sign in with \`codex login\``
      : `--import: ${path} holds no ChatGPT tokens (expected the official Codex CLI's auth.json)`,
  );
}
