import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthError, UsageError } from '../../errors.js';
import { CredentialsSchema, type Credentials } from '../../store/credentials.js';
import { OfficialAuthSchema, credentialsFromOfficial, holdsApiKey } from '../../store/official-auth.js';

/** `$CODEX_HOME/auth.json`, else `~/.codex/auth.json`. */
export function defaultOfficialAuthPath(env: Record<string, string | undefined> = process.env): string {
  const home = env.CODEX_HOME;
  return home && home !== '' ? join(home, 'auth.json') : join(env.HOME || homedir(), '.codex', 'auth.json');
}

/** Reads the official CLI's auth.json (or one of ours) and turns it into our credentials. */
export async function importCredentials(path: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(
        `--import: ${path} does not exist (newer official Codex CLIs may keep the sign-in in the OS keyring instead); run \`codex login\``,
      );
    }
    throw new UsageError(`--import: cannot read ${path} (${code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--import: ${path} is not valid JSON`);
  }
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
