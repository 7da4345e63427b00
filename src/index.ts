// The library: everything the CLI uses, without commander, chalk or open.
export * from './errors.js';
export {
  CLIENT_ID,
  DEFAULT_BASE_URL,
  DEFAULT_ISSUER,
  DEFAULT_MODEL,
  VERSION,
  defaultConfigDir,
  resolveConfig,
  type ResolvedConfig,
} from './config.js';
export { decodeJwtClaims, type TokenClaims } from './auth/jwt.js';
export { OAuthClient, credentialsFromTokens, type TokenResponse } from './auth/oauth.js';
export {
  CredentialsSchema,
  FileCredentialStore,
  MemoryCredentialStore,
  credentialsFromEnvJson,
  openCredentialStore,
  parseAnyCredentials,
  type CredentialStore,
  type Credentials,
} from './store/credentials.js';
export { withFileLock } from './store/lock.js';
export { REFRESH_SKEW_SECONDS, TokenManager, type RefreshOutcome, type TokenManagerOptions } from './store/tokens.js';
export { CodexClient, type CodexClientOptions, type StreamOptions } from './client/codex.js';
export * from './client/events.js';
export { EFFORTS, buildResponsesBody, userMessage, type AskRequest, type Effort, type InputItem } from './client/request.js';
export { sseMessages } from './transport/sse.js';
export { backoffMs, retryAfterMsFrom, retryDelayMs } from './transport/retry.js';
