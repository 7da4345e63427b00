// The package root (`import … from 'codex-oauth-cli'`): what a library user needs, without commander, chalk or
// open. A curated list — test/unit/public-exports.test.ts holds its names, so an addition or a removal is a
// decision. The core the facade is built from (the Responses client, token manager, wire schemas, transport
// helpers) is not part of it. The AI SDK provider is the subpath `codex-oauth-cli/ai-sdk`.

// The events of `stream()` (the objects of `codex ask --json`, schema/events.schema.json).
export {
  type Citation,
  type CodexEvent,
  CodexEventSchema,
  type ErrorEvent,
  type NamedRateLimit,
  type RateLimitSnapshot,
  type RateLimitsEvent,
  type ResultEvent,
  type RetryEvent,
  SCHEMA_VERSION,
  type SearchEvent,
  type StartEvent,
  type Usage,
} from './client/events.js';
export type { GeneratedImage, ImageOutput } from './client/generated-images.js';
export type { GeneratedImageInfo, ImageEvent, ImageResultEvent } from './client/image-events.js';
export { IMAGE_BACKGROUNDS, IMAGE_MODEL, IMAGE_QUALITIES, type ImageRequest, type ImageResult } from './client/image-generation.js';
// Models, quota, reset credits and images.
export type { ModelInfo } from './client/models/model-info.js';
export { selectModels } from './client/models/model-info.js';
export { type InputContent, type InputItem, type ToolChoice, userMessage, type WebSearchOptions } from './client/request.js';
export type { RedeemCode, RedeemResult, ResetCredit, ResetCreditList } from './client/reset-credits.js';
export type { FunctionCall, TurnOutcome } from './client/response-turn.js';
// Driving the tool loop yourself with `codex.turn()`.
export type { EventSink, RelayOptions } from './client/responses-client.js';
export { DEFAULT_MAX_TURNS, runToolLoop, type Tool, type ToolOutput, type TurnRunner } from './client/tool-loop.js';
export type { AdditionalLimit, SpendControl, SpendLimit, UsageReport } from './client/usage.js';
export type { ResponsesLayout } from './config/resolve.js';
export { DEFAULT_BASE_URL, DEFAULT_ISSUER, DEFAULT_MODEL, VERSION } from './config/resolve.js';
// The facade: one object per login, conversations shared with the CLI, and tools it runs for you.
export {
  Codex,
  Codex as CodexTransport,
  type CodexCommonOptions,
  type CodexCommonOptions as CodexTransportCommonOptions,
  type CodexOptions,
  type CodexOptions as CodexTransportOptions,
  type CodexRequest,
  type CompleteResult,
  type Exchange,
  type FromStoreOptions,
  type ModelSpec,
  type ModelsResult,
  type TurnOptions,
} from './library/codex.js';
export { Conversation, type ConversationSettings, type ConversationSummary, type ToolRecord, type TurnRecord } from './library/conversation.js';
export { openCredentialStore } from './library/environment.js';
export {
  defineTool,
  type JsonSchema,
  type JsonToolDefinition,
  type ToolContext,
  type ToolLike,
  type ToolReturn,
  type ZodToolDefinition,
} from './library/tool-definitions.js';
// serve's OpenAI-compatible API in-process, for the openai SDK or any client that takes a fetch.
export { createOpenAIFetch, type OpenAIFetchOptions } from './server/openai-fetch.js';
export { EFFORTS, type Effort } from './shared/efforts.js';
// Errors: every failure is a CodexError with a string code; the table gives its exit status and kind.
export {
  ApiError,
  AuthError,
  CodexError,
  ConversationError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorCodeInfo,
  type ErrorDetails,
  type ErrorKind,
  EXIT_CODES,
  exitCodeFor,
  isCodexError,
  isErrorCode,
  isPermanentRefreshError,
  LockError,
  PERMANENT_REFRESH_ERRORS,
  RefusedError,
  StreamError,
  UnsupportedToolCallError,
  UsageError,
} from './shared/errors.js';
// Where the sign-in is kept: the `store` option, and the auth.json shape `onAuthRefresh` hands over.
export {
  type CredentialStore,
  type Credentials,
  CredentialsSchema,
  credentialsFromEnvJson,
  FileCredentialStore,
  MemoryCredentialStore,
  parseAnyCredentials,
} from './store/credentials.js';
export { RedisCredentialStore } from './store/redis-store.js';
export { parseStoreUrl, type RedisStoreSpec } from './store/store-url.js';
export type { AnswerHeaders } from './transport/http-answer.js';
