// The library: everything the CLI uses, without commander, chalk or open.
// Start with Codex (src/library/codex.ts); the rest is the core it is built from.
export {
  Codex,
  type CodexRequest,
  type CodexCommonOptions,
  type CodexOptions,
  type CompleteResult,
  type FromStoreOptions,
  type ModelSpec,
  type ModelsResult,
} from './library/codex.js';
/** The facade's name before 0.2 (`Codex`); kept so code written against it keeps working. */
export { Codex as CodexTransport, type CodexOptions as CodexTransportOptions, type CodexCommonOptions as CodexTransportCommonOptions } from './library/codex.js';
export { Conversation, type ConversationSummary, type ToolRecord, type TurnRecord } from './library/conversation.js';
export {
  defineTool,
  type JsonSchema,
  type JsonToolDefinition,
  type ToolContext,
  type ToolLike,
  type ToolReturn,
  type ZodToolDefinition,
} from './library/tool-definitions.js';
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
export { decodeJwtClaims, type TokenClaims } from './jwt-claims.js';
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
export { REFRESH_SKEW_SECONDS, TokenManager, type RefreshOutcome, type TokenManagerOptions } from './auth/token-manager.js';
export { ResponsesClient, type ResponsesClientOptions, type EventSink, type RunOptions, type StreamOptions } from './client/responses-client.js';
export * from './client/events.js';
export { EFFORTS, type Effort } from './efforts.js';
export {
  buildResponsesBody,
  userMessage,
  type AskRequest,
  type FunctionToolSpec,
  type InputContent,
  type InputItem,
} from './client/request.js';
export { sseMessages } from './transport/sse.js';
export { backoffMs, retryAfterMsFrom, retryDelayMs } from './transport/retry.js';
export { DEFAULT_MAX_TURNS, replayInput, runToolLoop, toolSpec, type Tool, type ToolOutput, type TurnRunner } from './client/tool-loop.js';
export type { FunctionCall, TurnOutcome } from './client/response-turn.js';
export { UsageReportSchema, fetchUsage, snapshotFromUsage, usageUrl, type UsageReport } from './client/usage.js';
export { rateLimitsFromHeaders } from './client/rate-limits.js';
export { DEFAULT_PROFILE, checkProfileName, listProfiles, profileDir } from './store/profiles.js';
export { BUILTIN_MODELS, builtinModels } from './client/models/registry.js';
export { selectModels, type ModelInfo } from './client/models/model-info.js';
export type { FetchModelsResult } from './client/models/fetch.js';
