// What the CLI, `codex serve` and `Conversation` reach through `codex[internal]`: not the package's API (this
// module is not exported from the package root), so it may change with any release. The symbol keeps it off
// the facade's surface without a cast (openai-node keys its internals the same way).
import type { TokenManager } from '../auth/token-manager.js';
import type { CodexEvent, ResultEvent } from '../client/events.js';
import type { ModelInfo } from '../client/models/model-info.js';
import type { AskRequest, InputItem } from '../client/request.js';
import type { ResponsesClient, RunOptions } from '../client/responses-client.js';
import type { Tool } from '../client/tool-loop.js';
import type { Credentials } from '../store/credentials.js';
import type { BackendHttp } from '../transport/backend-http.js';
import type { CodexRequest, CompleteResult } from './types.js';

export const internal: unique symbol = Symbol('codex-oauth.internal');

/** What a host program (the CLI) adds to the constructor's options, under `[internal]`. */
export interface HostOptions {
  /** Where the caches live (models, routing, the newest client version). */
  configDir?: string;
  /** The profile's folder: its usage snapshot and routing cache. */
  authDir?: string;
  /** Problems that do not stop a call (a credential file's loose mode, a model served in place of another). */
  warn?: (message: string) => void;
  /** Sees every set of credentials read or refreshed (the CLI masks them in its diagnostics). */
  observeCredentials?: (credentials: Credentials) => void;
  /**
   * false: credentials that nothing can keep after a refresh (`CODEX_AUTH_JSON`) are never refreshed; an expired
   * access token fails with `access_token_expired` and the refresh token is left unused (doctor, status --check).
   * Default true: refreshed in memory for this run (ask).
   */
  refreshUnkept?: boolean;
  /** A short run (`ask`): credentials read or refreshed once are kept for the run (TokenManager `keepForRun`). */
  keepCredentialsForRun?: boolean;
}

/** Where a request's model settings came from, named in the errors that refuse them (the CLI names its flags). */
export interface SettingSources {
  model?: string;
  effort?: string;
  verbosity?: string;
  fast?: string;
}

/** A request with its model settings chosen from the catalog and its tools checked, ready to `run()`. */
export interface PlannedRequest {
  ask: AskRequest;
  tools: Tool[];
  /** The catalog's entry for the model, when it has one (its context window, levels). */
  info?: ModelInfo;
}

/** `run()`'s options: the client's, minus what `run()` supplies itself. */
export type PlannedRunOptions = Omit<RunOptions, 'turnState' | 'continuity' | 'rateLimits'>;

/** What a conversation adds to one `stream` / `complete` (used by `Conversation`). */
export interface ConversationHooks {
  /** The earlier turns' items that fit beside the request (its own bytes), for the model's context window. */
  history: (contextWindow: number | null | undefined, newBytes: number) => InputItem[];
  promptCacheKey: string;
  /** Given the items this exchange added, to be logged (before the `result` event). */
  onExchange: (items: InputItem[]) => void;
}

export interface PlanOptions {
  /** Ask for a reasoning summary unless the request says otherwise. */
  streaming?: boolean;
  sources?: SettingSources;
  /** Puts the earlier turns that fit before the request. */
  conversation?: ConversationHooks;
}

/** `codex[internal]`: the parts and steps of the facade that only the project's own callers use. */
export interface CodexInternals {
  /** Refreshes the login when needed; shared by every call of this transport. */
  readonly tokens: TokenManager;
  readonly client: ResponsesClient;
  /**
   * The HTTP client of the side calls (catalog, quota, workspace check): a short retry budget, they have
   * fallbacks. For diagnostics (`codex doctor`, `status --check`) that look at raw answers.
   */
  sideHttp(): BackendHttp;
  /**
   * The core request (without tool specs) and the tools, checked; model settings from the catalog (the first call
   * fetches it, and looks up the workspace routing beside it). `sources` names where the settings came from in the
   * errors that refuse them.
   */
  plan(request: CodexRequest, options?: PlanOptions): Promise<PlannedRequest>;
  /**
   * Runs a planned request to its end, tools included: events go to `onEvent` (a returned promise pauses reading
   * the stream), and the `result` event is returned. What the CLI's `ask` and `stream()`/`complete()` share.
   */
  run(planned: PlannedRequest, options: PlannedRunOptions): Promise<ResultEvent>;
  /** `stream()` continuing a conversation. */
  stream(request: CodexRequest, conversation: ConversationHooks): AsyncGenerator<CodexEvent, ResultEvent, undefined>;
  /** `complete()` continuing a conversation. */
  complete(request: CodexRequest, conversation: ConversationHooks): Promise<CompleteResult>;
}
