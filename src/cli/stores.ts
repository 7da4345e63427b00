import { openCredentialSource, openSavedStore, type StoreChoice } from '../auth/credential-source.js';
import type { CredentialStore } from '../store/credentials.js';
import type { CliContext } from './context.js';

/** The resolved configuration's store choice, with the context's diagnostics. */
function storeChoice(ctx: CliContext): StoreChoice {
  const { authDir, profile, credentialStore, issuer, clientVersion } = ctx.config;
  return { authDir, profile, credentialStore, issuer, clientVersion, warn: (message) => ctx.warn(message), log: ctx.log };
}

/** Where `login` saves and `logout` removes a sign-in: the configured store (Redis or the file), never the env. */
export function savedStore(ctx: CliContext): ReturnType<typeof openSavedStore> {
  return openSavedStore(storeChoice(ctx));
}

/** What every other command reads: CODEX_AUTH_JSON, CODEX_ACCESS_TOKEN, else the saved sign-in. */
export function credentialSource(ctx: CliContext): CredentialStore {
  return openCredentialSource(ctx.env, storeChoice(ctx));
}

/** `file (/path/auth.json)`, `redis (redis://host:6379/0 (key …))`, `env (CODEX_AUTH_JSON)`: for status and doctor. */
export function describeSource(store: CredentialStore): string {
  if (store.kind === 'env') return 'env (CODEX_AUTH_JSON)';
  if (store.kind === 'access-token') return 'env (CODEX_ACCESS_TOKEN)';
  return `${store.kind} (${store.location})`;
}
