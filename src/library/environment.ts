// The library's one read of the process: a caller that gives no `env` option gets the process's environment, as
// the README documents (CODEX_CLIENT_VERSION; for `fromStore` the CLI's variables). Every module below the facade is
// handed the environment it reads; the CLI hands over its own (test/unit/layering.test.ts keeps it so).
import { type CredentialStore, credentialsFromEnvJson, FileCredentialStore, type FileStoreOptions, MemoryCredentialStore } from '../store/credentials.js';

export type Env = Record<string, string | undefined>;

/** The `env` option, else the process's environment. */
export function environmentOf(options: { env?: Env }): Env {
  return options.env ?? process.env;
}

/** The store every command uses: CODEX_AUTH_JSON of `env` (default: the process's) when set, else the file in the config dir. */
export function openCredentialStore(configDir: string, env: Env = process.env, options: FileStoreOptions = {}): CredentialStore {
  const inline = env.CODEX_AUTH_JSON;
  if (inline !== undefined && inline.trim() !== '') return new MemoryCredentialStore(credentialsFromEnvJson(inline));
  return new FileCredentialStore(configDir, options);
}
