import { type CredentialStore, credentialsFromEnvJson, FileCredentialStore, MemoryCredentialStore } from '../store/credentials.js';
import { DEFAULT_PROFILE } from '../store/profiles.js';
import { RedisCredentialStore } from '../store/redis-store.js';
import type { RedisStoreSpec } from '../store/store-url.js';
import { checkAccessToken, EnvAccessTokenStore } from './access-token.js';

export interface StoreChoice {
  /** The profile's dir (auth.json, its lock): the file store's home. */
  authDir: string;
  /** undefined for the default profile. */
  profile: string | undefined;
  /** A Redis store, or undefined for the file in `authDir`. */
  credentialStore: RedisStoreSpec | undefined;
  /** For CODEX_ACCESS_TOKEN's look-up. */
  issuer: string;
  clientVersion?: string;
  fetch?: typeof fetch;
  warn?: (message: string) => void;
  log?: (message: string) => void;
}

/** Where a sign-in is kept and refreshed: the Redis store when one is configured, else `<authDir>/auth.json`. */
export function openSavedStore(choice: StoreChoice): FileCredentialStore | RedisCredentialStore {
  if (choice.credentialStore) {
    return new RedisCredentialStore(choice.credentialStore, { profile: choice.profile ?? DEFAULT_PROFILE, ...(choice.log ? { log: choice.log } : {}) });
  }
  return new FileCredentialStore(choice.authDir, { ...(choice.warn ? { warn: choice.warn } : {}), ...(choice.log ? { log: choice.log } : {}) });
}

/** What set CODEX_AUTH_JSON or CODEX_ACCESS_TOKEN: a sign-in that lives in the environment, not in a store. */
export function envCredentialName(env: Record<string, string | undefined>): 'CODEX_AUTH_JSON' | 'CODEX_ACCESS_TOKEN' | undefined {
  if (env.CODEX_AUTH_JSON !== undefined && env.CODEX_AUTH_JSON.trim() !== '') return 'CODEX_AUTH_JSON';
  if (env.CODEX_ACCESS_TOKEN !== undefined && env.CODEX_ACCESS_TOKEN.trim() !== '') return 'CODEX_ACCESS_TOKEN';
  return undefined;
}

/** The store every command reads: CODEX_AUTH_JSON, else CODEX_ACCESS_TOKEN, else the saved sign-in. */
export function openCredentialSource(env: Record<string, string | undefined>, choice: StoreChoice): CredentialStore {
  switch (envCredentialName(env)) {
    case 'CODEX_AUTH_JSON':
      return new MemoryCredentialStore(credentialsFromEnvJson(env.CODEX_AUTH_JSON ?? ''));
    case 'CODEX_ACCESS_TOKEN':
      return new EnvAccessTokenStore(checkAccessToken(env.CODEX_ACCESS_TOKEN ?? '', 'CODEX_ACCESS_TOKEN'), {
        issuer: choice.issuer,
        env,
        ...(choice.clientVersion ? { clientVersion: choice.clientVersion } : {}),
        ...(choice.fetch ? { fetch: choice.fetch } : {}),
      });
    default:
      return openSavedStore(choice);
  }
}
