// The facade's public option, request and result types (what `import { Codex }` users write against).
import type { $ZodType } from 'zod/v4/core';
import type { Citation, Usage } from '../client/events.js';
import type { ImageOutput } from '../client/generated-images.js';
import type { FetchModelsResult } from '../client/models/fetch.js';
import type { ModelInfo } from '../client/models/model-info.js';
import type { InputItem, ToolChoice, WebSearchOptions } from '../client/request.js';
import type { RunContinuity } from '../client/response-turn.js';
import type { EventSink, TurnStateHolder } from '../client/responses-client.js';
import type { ResponsesLayout } from '../config/resolve.js';
import type { Effort } from '../shared/efforts.js';
import type { CredentialStore, Credentials } from '../store/credentials.js';
import type { JsonSchema, ToolLike } from './tool-definitions.js';

/** A model the caller knows about; a bare id is enough. */
export type ModelSpec = string | (Partial<ModelInfo> & { id: string });

/** Options shared by the constructor and `fromStore`. */
export interface CodexCommonOptions {
  /** The Codex backend (default https://chatgpt.com/backend-api/codex). */
  baseUrl?: string;
  /** The OAuth issuer used to refresh (default https://auth.openai.com). */
  issuer?: string;
  /** The model used when a request names none (default: the catalog's top listed model). */
  model?: string;
  /** Sent as the `version` header and `client_version` (default CODEX_CLIENT_VERSION of `env`, else DEFAULT_CLIENT_VERSION). */
  clientVersion?: string;
  /**
   * The environment the defaults are read from (default: `process.env`): CODEX_CLIENT_VERSION, CODEX_NPM_REGISTRY,
   * the User-Agent's TERM_PROGRAM / TERM, XDG_DATA_HOME for `conversation()`; with `fromStore` also the CLI's
   * variables (CODEX_CONFIG_DIR, CODEX_PROFILE, CODEX_CREDENTIAL_STORE, CODEX_AUTH_JSON, CODEX_ACCESS_TOKEN, CODEX_MODEL …).
   */
  env?: Record<string, string | undefined>;
  /** `auto` (default): the catalog's `use_responses_lite` picks the request layout; `classic` / `lite` force one. */
  responsesLayout?: ResponsesLayout;
  /** A model registry to use instead of the built-in one when the live list cannot be fetched. */
  models?: readonly ModelSpec[];
  /**
   * Awaited after every token refresh with the rotated credentials (the auth.json shape). Persist them: the old
   * refresh token is spent. A throw fails the call that caused the refresh with an AuthError
   * (`credentials_unwritable`, the callback's error as `cause`); the new tokens stay in use by this transport.
   */
  onAuthRefresh?: (credentials: Credentials) => void | Promise<void>;
  /** Retries of a failed request (network, 429, 5xx, a stream broken before output). Default 4. */
  maxRetries?: number;
  /** First backoff delay; doubled each retry, ±25 % jitter. Default 200 ms. */
  retryBaseDelayMs?: number;
  /** No bytes on an answer stream for this long fails it (`idle_timeout`). Default 300 000 ms. */
  idleTimeoutMs?: number;
  /** The fetch used for the backend and the issuer (default: the global fetch, which honours a global dispatcher). */
  fetch?: typeof fetch;
  /** Cancels every call of this transport (each request may add its own). */
  signal?: AbortSignal;
  /** Sent as `session_id` and used as the prompt cache key (default: a random UUID per transport). */
  sessionId?: string;
  /**
   * Where `conversation()` keeps conversations (default: the CLI's data dir, `$XDG_DATA_HOME/codex-oauth`, or
   * `<configDir>/data` when a config dir is given), so the library and `codex ask -c` continue the same ones.
   */
  dataDir?: string;
  /** Diagnostics (requests, retries, refreshes); never tokens. */
  log?: (message: string) => void;
}

export interface CodexOptions extends CodexCommonOptions {
  /** The access token. */
  apiKey?: string;
  /** Needed to refresh; without it the transport works until the access token expires. */
  refreshToken?: string;
  /** When the access token expires: unix seconds or a Date (default: read from the token). */
  expiresAt?: number | Date;
  /** The ChatGPT account id (default: read from the token). */
  accountId?: string;
  /** Instead of the token fields: any credential store (FileCredentialStore shares the CLI's file and lock). */
  store?: CredentialStore;
}

export interface FromStoreOptions extends CodexCommonOptions {
  /** The CLI's config dir (default $CODEX_CONFIG_DIR, else $XDG_CONFIG_HOME/codex-oauth or ~/.config/codex-oauth). */
  configDir?: string;
  /**
   * The CLI profile whose login to use: `<configDir>/profiles/<profile>/auth.json` (default $CODEX_PROFILE, else
   * config.json's `default_profile`, else the default profile, `<configDir>/auth.json`).
   */
  profile?: string;
  /**
   * Where the CLI's sign-ins are kept: `file` (`<configDir>/auth.json`) or a `redis://[user:pass@]host:port/db` /
   * `rediss://` URL shared by many machines (default env CODEX_CREDENTIAL_STORE, else config.json `credential_store`).
   */
  credentialStore?: string;
}

export interface CodexRequest {
  /** The user's message (sent after `input`). One of `prompt` and `input` is needed. */
  prompt?: string;
  /** Earlier conversation items (messages, function calls and outputs, reasoning). */
  input?: InputItem[];
  /** The system prompt (a short default when omitted, unless `defaultInstructions` is false). */
  instructions?: string;
  /** `false`: send no system prompt when `instructions` is omitted (default true: a short one). */
  defaultInstructions?: boolean;
  /**
   * `tool_choice` for `turn()` (default `auto`): `required`, or `{type:'function', name}` (classic-layout models
   * only: the backend looks the name up among top-level tools, which the responses-lite layout does not send).
   */
  toolChoice?: ToolChoice;
  /** `prompt_cache_key` (default: this transport's session id; a conversation uses its own). */
  promptCacheKey?: string;
  model?: string;
  /** One of the model's reasoning levels (default: the model's own). */
  effort?: Effort;
  /** `low`, `medium` or `high`, for models that support it (default: the model's own). */
  verbosity?: string;
  /** The "Fast" service tier (`service_tier: "priority"`), for models whose catalog entry lists it (else a UsageError). */
  fast?: boolean;
  /** Ask for a reasoning summary (default: with `stream`, yes; with `complete` and `turn`, as the catalog says). */
  reasoningSummary?: boolean;
  /** Functions the model may call; `stream`/`complete` run them (calls of one turn concurrently) and go on. */
  tools?: ToolLike[];
  /** Let the model search the web (`domains`: only these); the result's `citations` name the sources. */
  search?: boolean | WebSearchOptions;
  /** Stop a model that keeps calling tools after this many turns (default 10). */
  maxTurns?: number;
  /** Let the model make images, each saved in this directory (or by this function); see `ask --image-out`. */
  imageOut?: ImageOutput;
  /** Structured output: a JSON Schema (or zod 4 schema) the answer must follow. */
  jsonSchema?: JsonSchema | $ZodType;
  /** Image URLs (https or data:) or local file paths, sent with the prompt. */
  images?: string[];
  signal?: AbortSignal;
}

/**
 * Shared by the `turn()` calls of one exchange driven by hand: the backend's turn state is sent back, and the
 * text of consecutive turns is kept apart. Make one with `Codex.newExchange()`.
 */
export interface Exchange {
  turnState: TurnStateHolder;
  continuity: RunContinuity;
}

export interface TurnOptions {
  onEvent?: EventSink;
  exchange?: Exchange;
  /**
   * Keep the answer's text for the outcome's `text` (default true). Off, `text` is empty and no copy of the answer
   * is gathered: for a caller that passes the deltas on as they come. Ignored with `search` (the sources are read
   * from the text).
   */
  keepText?: boolean;
}

export interface CompleteResult {
  text: string;
  usage: Usage;
  /** The id of the last response (after tool turns, the one that answered). */
  responseId: string;
  model: string;
  /** With `jsonSchema`: the parsed answer (validated when the schema is a zod schema). */
  json?: unknown;
  /** The answer's sources (with `search`, or when the backend annotated the answer). */
  citations?: Citation[];
}

export interface ModelsResult {
  /** Every model known (hidden ones too); `selectModels()` sorts by priority and drops hidden ones. */
  models: ModelInfo[];
  /** `registry`: the `models` option, used because the live list could not be fetched. */
  source: FetchModelsResult['source'] | 'registry';
  fetchedAtMs?: number;
  /** Why a fallback was used. */
  note?: string;
  /** The model a request without one uses: the `model` option, else the catalog's top listed model. */
  defaultModel: string;
}
