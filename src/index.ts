// The library: everything the CLI uses, without commander, chalk or open.
// Start with Codex (src/library/codex.ts); the rest is the core it is built from, and createOpenAIFetch (serve's
// /v1 API in-process, its handlers loaded on first call). The AI SDK provider is the subpath `codex-oauth-cli/ai-sdk`.

export { openCredentialSource, openSavedStore, type StoreChoice } from './auth/credential-source.js';
export { credentialsFromTokens, OAuthClient, type TokenResponse } from './auth/oauth.js';
export { REFRESH_SKEW_SECONDS, type RefreshOutcome, TokenManager, type TokenManagerOptions } from './auth/token-manager.js';
export * from './client/events.js';
export type { GeneratedImage, ImageOutput } from './client/generated-images.js';
export type { GeneratedImageInfo, ImageEvent, ImageResultEvent } from './client/image-events.js';
export { IMAGE_BACKGROUNDS, IMAGE_MODEL, IMAGE_QUALITIES, type ImageRequest, type ImageResult } from './client/image-generation.js';
export type { FetchModelsResult } from './client/models/fetch.js';
export { type ModelInfo, selectModels } from './client/models/model-info.js';
export { BUILTIN_MODELS, builtinModels } from './client/models/registry.js';
export { rateLimitsFromHeaders } from './client/rate-limits.js';
export {
  type AskRequest,
  buildResponsesBody,
  type FunctionToolSpec,
  type InputContent,
  type InputItem,
  userMessage,
} from './client/request.js';
export {
  firstToExpire,
  type RedeemCode,
  type RedeemResult,
  type ResetCredit,
  type ResetCreditList,
} from './client/reset-credits.js';
export type { FunctionCall, TurnOutcome } from './client/response-turn.js';
export { type EventSink, ResponsesClient, type ResponsesClientOptions, type RunOptions, type StreamOptions } from './client/responses-client.js';
export { DEFAULT_MAX_TURNS, replayInput, runToolLoop, type Tool, type ToolOutput, type TurnRunner, toolSpec } from './client/tool-loop.js';
export {
  type AdditionalLimit,
  extrasFromUsage,
  fetchUsage,
  type SpendControl,
  type SpendLimit,
  snapshotFromUsage,
  type UsageReport,
  UsageReportSchema,
  usageUrl,
} from './client/usage.js';
export {
  CLIENT_ID,
  DEFAULT_BASE_URL,
  DEFAULT_ISSUER,
  DEFAULT_MODEL,
  defaultConfigDir,
  type ResolvedConfig,
  resolveConfig,
  VERSION,
} from './config/resolve.js';
export {
  Codex,
  Codex as CodexTransport,
  type CodexCommonOptions,
  type CodexCommonOptions as CodexTransportCommonOptions,
  type CodexOptions,
  type CodexOptions as CodexTransportOptions,
  type CodexRequest,
  type CompleteResult,
  type FromStoreOptions,
  type ModelSpec,
  type ModelsResult,
} from './library/codex.js';
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
export { createOpenAIFetch, type OpenAIFetchOptions } from './server/openai-fetch.js';
export { EFFORTS, type Effort } from './shared/efforts.js';
export * from './shared/errors.js';
export { decodeJwtClaims, type TokenClaims } from './shared/jwt-claims.js';
export {
  type CredentialStore,
  type Credentials,
  CredentialsSchema,
  credentialsFromEnvJson,
  FileCredentialStore,
  MemoryCredentialStore,
  openCredentialStore,
  parseAnyCredentials,
} from './store/credentials.js';
export { withFileLock } from './store/lock.js';
export { checkProfileName, DEFAULT_PROFILE, listProfiles, profileDir } from './store/profiles.js';
export { RedisCredentialStore } from './store/redis-store.js';
export { parseStoreUrl, type RedisStoreSpec } from './store/store-url.js';
export { backoffMs, retryAfterMsFrom, retryDelayMs } from './transport/retry.js';
export { sseMessages } from './transport/sse.js';
