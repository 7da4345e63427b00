// Codex: the library's front door. One object per login; it owns the token manager (single-flight
// refresh), the HTTP client (retries) and the turn loop, and hands out typed event streams.
import { randomUUID } from 'node:crypto';
import type { $ZodType } from 'zod/v4/core';
import { openCredentialSource } from '../auth/credential-source.js';
import { OAuthClient } from '../auth/oauth.js';
import { TokenManager } from '../auth/token-manager.js';
import type { CodexEvent, ResultEvent, Usage } from '../client/events.js';
import type { ImageOutput } from '../client/generated-images.js';
import type { ImageRequest, ImageResult } from '../client/image-generation.js';
import { parseJsonDocument } from '../client/json-document.js';
import { dropModelsCache, MODELS_CACHE_TTL_MS } from '../client/models/cache.js';
import { type FetchModelsResult, fetchModels } from '../client/models/fetch.js';
import { type ModelInfo, selectModels } from '../client/models/model-info.js';
import { builtinModels } from '../client/models/registry.js';
import { type AskRequest, type InputItem, requestInput, type ToolChoice } from '../client/request.js';
import type { RedeemResult, ResetCreditList } from '../client/reset-credits.js';
import { newContinuity, type RunContinuity, type TurnOutcome } from '../client/response-turn.js';
import { type EventSink, type RelayOptions, ResponsesClient, type RunOptions, type TurnStateHolder } from '../client/responses-client.js';
import { discoverRouting } from '../client/routing.js';
import { settingsFor } from '../client/settings.js';
import { type Tool, toolSpec } from '../client/tool-loop.js';
import { fetchUsage, type UsageReport, writeUsageCache } from '../client/usage.js';
import {
  DEFAULT_BASE_URL,
  DEFAULT_CLIENT_VERSION,
  DEFAULT_ISSUER,
  DEFAULT_MODEL,
  dataDirFor,
  type ResolvedConfig,
  type ResponsesLayout,
  resolveConfig,
  resolveModelAlias,
} from '../config/resolve.js';
import { ConversationStore, type ConversationSummary } from '../conversations/store.js';
import type { Effort } from '../shared/efforts.js';
import { checkEndpoint } from '../shared/endpoint-url.js';
import { messageOf } from '../shared/error-info.js';
import { AuthError, abortError, CodexError, UsageError } from '../shared/errors.js';
import { decodeJwtClaims } from '../shared/jwt-claims.js';
import { type CredentialStore, type Credentials, MemoryCredentialStore } from '../store/credentials.js';
import { checkProfileName } from '../store/profiles.js';
import { parseStoreUrl } from '../store/store-url.js';
import { BackendHttp } from '../transport/backend-http.js';
import type { Conversation } from './conversation.js';
import { isZodSchema, type JsonSchema, normalizeTool, type ToolLike, toJsonSchema } from './tool-definitions.js';

/** Retries for the model list: it has a fallback, so it should not keep a caller waiting. */
const MODELS_MAX_RETRIES = 1;
/** An access token whose expiry is unknown (not a JWT, no expiresAt) is used until the backend refuses it. */
const UNKNOWN_EXPIRY_S = 253_402_300_799; // 9999-12-31

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
  /** Sent as the `version` header and `client_version` (default env CODEX_CLIENT_VERSION, else DEFAULT_CLIENT_VERSION). */
  clientVersion?: string;
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

/** What a host program (the CLI) adds when it opens a transport on its resolved configuration. */
export interface FromConfigOptions extends CodexCommonOptions {
  /** The environment the store reads (`CODEX_AUTH_JSON`) and the model is chosen from (`CODEX_MODEL`). */
  env?: Record<string, string | undefined>;
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

/** What a conversation adds to one `stream` / `complete` (used by `Conversation`). */
export interface ConversationHooks {
  /** The earlier turns' items that fit beside the request (its own bytes), for the model's context window. */
  history: (contextWindow: number | null | undefined, newBytes: number) => InputItem[];
  promptCacheKey: string;
  /** Filled with the items this exchange added, to be logged. */
  exchangeItems: { value?: InputItem[] };
}

export interface TurnOptions {
  onEvent?: EventSink;
  exchange?: Exchange;
}

export interface CompleteResult {
  text: string;
  usage: Usage;
  /** The id of the last response (after tool turns, the one that answered). */
  responseId: string;
  model: string;
  /** With `jsonSchema`: the parsed answer (validated when the schema is a zod schema). */
  json?: unknown;
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

/** Set by `fromConfig`: where the CLI keeps its caches, and its diagnostics hooks. */
type InternalOptions = CodexOptions & Pick<FromConfigOptions, 'warn' | 'observeCredentials' | 'refreshUnkept'> & { configDir?: string; authDir?: string };

function expirySeconds(value: number | Date | undefined, apiKey: string): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UsageError('Codex: expiresAt is an invalid Date');
    return Math.floor(value.getTime() / 1000);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UsageError('Codex: expiresAt must be a finite number of unix seconds');
    if (value > 100_000_000_000) {
      throw new UsageError('Codex: expiresAt is in unix seconds; the value given looks like milliseconds');
    }
    return Math.floor(value);
  }
  return decodeJwtClaims(apiKey).expiresAt ?? UNKNOWN_EXPIRY_S;
}

function registryModels(specs: readonly ModelSpec[], defaultModel: string): ModelInfo[] {
  const builtin = new Map(builtinModels(defaultModel).map((model) => [model.id, model]));
  return specs.map((spec, index): ModelInfo => {
    const given = typeof spec === 'string' ? { id: spec } : spec;
    const known = builtin.get(given.id);
    return {
      display_name: given.id,
      context_window: null,
      reasoning_levels: [],
      input_modalities: ['text'],
      hidden: false,
      ...known,
      ...given,
      priority: given.priority ?? index + 1,
      default: given.default ?? given.id === defaultModel,
      source: 'builtin',
    };
  });
}

/**
 * Responses Lite takes only inline images (protocol §11): remote ones of the request (and of the earlier turns
 * a conversation sends back) are fetched, once each, and sent as data: URLs.
 */
async function inlineImages(ask: AskRequest, signal: AbortSignal | undefined): Promise<void> {
  const remote = /^https?:\/\//i;
  if (!(ask.images ?? []).some((url) => remote.test(url)) && !/"image_url":"https?:/i.test(JSON.stringify(ask.input ?? []))) return;
  const { fetchImageAsDataUrl, inlineRemoteImages } = await import('../client/remote-image.js');
  const fetched = new Map<string, Promise<string>>();
  const fetchImage = (url: string) => {
    const known = fetched.get(url);
    if (known) return known;
    const pending = fetchImageAsDataUrl(url, signal ? { signal } : {});
    fetched.set(url, pending);
    return pending;
  };
  if (ask.images) ask.images = await Promise.all(ask.images.map((url) => (remote.test(url) ? fetchImage(url) : url)));
  if (ask.input) ask.input = await inlineRemoteImages(ask.input, fetchImage);
}

function signalOf(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/**
 * Talks to the Codex backend with a ChatGPT login. `stream()` yields the same normalized events as the CLI's
 * JSON lines; breaking out of the loop aborts the HTTP request. Errors are CodexErrors with a string `code`.
 */
export class Codex {
  /** Refreshes the login when needed; shared by every call of this transport. */
  readonly tokens: TokenManager;
  readonly client: ResponsesClient;
  readonly baseUrl: string;
  /** The model chosen with the `model` option, else the built-in fallback (requests use the catalog's default). */
  readonly model: string;
  readonly clientVersion: string;
  private catalog?: Promise<ModelsResult>;
  private catalogAtMs = 0;
  private readonly options: InternalOptions;
  private callbackFailures = 0;
  /** The account of the credentials the token manager read last (it reads them for every request). */
  private accountSeen?: string;

  constructor(options: CodexOptions) {
    this.options = options as InternalOptions;
    const { warn, observeCredentials } = this.options;
    this.baseUrl = checkEndpoint(options.baseUrl ?? DEFAULT_BASE_URL, 'Codex: baseUrl').replace(/\/+$/, '');
    this.model = options.model ?? DEFAULT_MODEL;
    this.clientVersion = options.clientVersion ?? (process.env.CODEX_CLIENT_VERSION || undefined) ?? DEFAULT_CLIENT_VERSION;
    const store = options.store ?? Codex.memoryStore(options);
    const onAuthRefresh = options.onAuthRefresh;
    const real = new OAuthClient({
      issuer: checkEndpoint(options.issuer ?? DEFAULT_ISSUER, 'Codex: issuer'),
      clientVersion: this.clientVersion,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const oauth: Pick<OAuthClient, 'refresh'> = {
      refresh: (refreshToken, reason) => {
        if (!refreshToken) {
          return Promise.reject(new AuthError('refresh_failed', 'the access token needs a refresh, but Codex was given no refreshToken'));
        }
        return real.refresh(refreshToken, reason);
      },
    };
    this.tokens = new TokenManager({
      store,
      oauth,
      ...(this.options.refreshUnkept === false && !onAuthRefresh ? { refreshUnkept: false } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(warn ? { warn } : {}),
      observe: (credentials: Credentials) => {
        this.accountSeen = credentials.account_id;
        observeCredentials?.(credentials);
      },
      ...(onAuthRefresh
        ? {
            onRefresh: async (credentials: Credentials) => {
              try {
                await onAuthRefresh({ ...credentials });
              } catch (error) {
                this.callbackFailures++;
                throw new AuthError('credentials_unwritable', `onAuthRefresh failed: ${messageOf(error)} (the rotated tokens are in use but were not persisted)`, {
                  cause: error,
                });
              }
            },
          }
        : {}),
    });
    // A version someone chose is kept; the default one follows the newest official release when the backend
    // asks for a newer one (looked up only then).
    const versionChosen = options.clientVersion !== undefined || Boolean(process.env.CODEX_CLIENT_VERSION);
    const upgradeClientVersion = versionChosen
      ? undefined
      : async (current: string): Promise<string | undefined> => {
          const { compareVersions, latestCodexVersion } = await import('../client/latest-version.js');
          const latest = await latestCodexVersion({
            ...(this.options.configDir ? { cacheDir: this.options.configDir } : {}),
            ...(options.log ? { log: options.log } : {}),
          });
          if (!latest || compareVersions(latest, current) <= 0) return undefined;
          warn?.(
            `the backend wants a newer Codex client than ${current}; retrying as ${latest}, the newest @openai/codex on npm (set "client_version" in config.json to choose one)`,
          );
          return latest;
        };
    this.client = new ResponsesClient({
      baseUrl: this.baseUrl,
      tokens: this.tokens,
      sessionId: options.sessionId ?? randomUUID(),
      clientVersion: this.clientVersion,
      ...(upgradeClientVersion ? { upgradeClientVersion } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: options.retryBaseDelayMs } : {}),
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(warn ? { warn } : {}),
    });
  }

  /**
   * Uses the CLI's login (`<configDir>/auth.json`) and its lock, so this process and `codex` never spend the
   * same refresh token twice. Refreshed tokens are written back there (and passed to `onAuthRefresh` too).
   */
  static fromStore(options: FromStoreOptions = {}): Codex {
    const { configDir, profile, credentialStore, ...rest } = options;
    if (profile !== undefined) checkProfileName(profile, 'profile');
    const config = resolveConfig({ ...(configDir ? { configDir } : {}), ...(profile !== undefined ? { profile } : {}) }, process.env);
    if (credentialStore !== undefined) config.credentialStore = parseStoreUrl(credentialStore, 'credentialStore');
    return Codex.fromConfig(config, rest);
  }

  /**
   * The one way the CLI and `fromStore` assemble a transport: the login of `config.authDir` (or
   * `CODEX_AUTH_JSON`), the config dir for the caches, and the base URL, issuer, client version, layout and model
   * that env and config.json chose. Options given here win over the configuration.
   */
  static fromConfig(config: ResolvedConfig, options: FromConfigOptions = {}): Codex {
    const { env = process.env, ...rest } = options;
    const warn = options.warn ?? options.log;
    const chosen = options.model ?? (env.CODEX_MODEL || undefined) ?? config.file.model;
    const model = chosen === undefined ? undefined : resolveModelAlias(chosen, config.file);
    const transport: InternalOptions = {
      ...rest,
      configDir: config.configDir,
      dataDir: options.dataDir ?? config.dataDir,
      authDir: config.authDir,
      baseUrl: options.baseUrl ?? config.baseUrl,
      issuer: options.issuer ?? config.issuer,
      ...(options.clientVersion !== undefined || config.clientVersionChosen ? { clientVersion: options.clientVersion ?? config.clientVersion } : {}),
      responsesLayout: options.responsesLayout ?? config.responsesLayout,
      ...(model !== undefined ? { model } : {}),
      store: openCredentialSource(env, {
        authDir: config.authDir,
        profile: config.profile,
        credentialStore: config.credentialStore,
        issuer: options.issuer ?? config.issuer,
        clientVersion: options.clientVersion ?? config.clientVersion,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(warn ? { warn } : {}),
        ...(options.log ? { log: options.log } : {}),
      }),
    };
    return new Codex(transport);
  }

  private static memoryStore(options: CodexOptions): MemoryCredentialStore {
    const apiKey = options.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') {
      throw new UsageError('Codex needs an apiKey (the access token) or a store; Codex.fromStore() uses the CLI login');
    }
    const accountId = options.accountId ?? decodeJwtClaims(apiKey).accountId;
    if (!accountId) throw new UsageError('Codex: accountId is needed (the access token does not name the account)');
    const claims = decodeJwtClaims(apiKey);
    // Not parsed with the schema: a missing refresh token is allowed until a refresh is needed.
    const credentials: Credentials = {
      access_token: apiKey,
      refresh_token: options.refreshToken ?? '',
      expires_at: expirySeconds(options.expiresAt, apiKey),
      account_id: accountId,
      ...(claims.email ? { email: claims.email } : {}),
      ...(claims.plan ? { plan: claims.plan } : {}),
    };
    return new MemoryCredentialStore(credentials, { kind: 'env', location: 'the Codex options' });
  }

  /** The credentials in use now (after any refresh). */
  credentials(): Promise<Credentials> {
    return this.tokens.current();
  }

  /**
   * One answer as events: `start`, `reasoning.delta` / `text.delta`, `tool_call` / `tool_result` (tools run
   * between turns), `retry`, `rate_limits`, then `result`. Failures are thrown as CodexErrors. Breaking out of
   * the loop (or aborting a signal) aborts the HTTP request.
   */
  async *stream(request: CodexRequest, conversation?: ConversationHooks): AsyncGenerator<CodexEvent, ResultEvent, undefined> {
    const { ask, tools } = await this.plan(request, { streaming: true, ...(conversation ? { conversation } : {}) });
    const controller = new AbortController();
    const signal = signalOf(controller.signal, this.options.signal, request.signal)!;
    try {
      // The client adds the tools' specs to the request and runs the calls between turns.
      const events = this.client.stream(ask, {
        signal,
        tools,
        ...(request.maxTurns !== undefined ? { maxTurns: request.maxTurns } : {}),
        ...(request.imageOut !== undefined ? { imageOut: request.imageOut } : {}),
        ...(conversation ? { exchangeItems: conversation.exchangeItems } : {}),
      });
      let result: ResultEvent | undefined;
      for await (const event of events) {
        if (event.type === 'result') result = event;
        yield event;
      }
      if (!result) throw new CodexError('internal', 'the answer ended without a result');
      return await this.kept(result);
    } catch (error) {
      return await this.noted(error);
    } finally {
      controller.abort(new CodexError('cancelled', 'the stream was closed'));
    }
  }

  /** A refused model means the kept catalog is out of date: forget it, so the next request fetches it again. */
  private async noted(error: unknown): Promise<never> {
    if (error instanceof CodexError && error.code === 'model_unavailable') {
      this.forgetCatalog();
      if (this.options.configDir) await dropModelsCache(this.options.configDir);
    }
    throw error;
  }

  /** A result's rate-limit snapshot is kept for `codex status` (with `fromStore` / `fromConfig`). */
  private async kept(result: ResultEvent): Promise<ResultEvent> {
    if (result.rate_limits && this.options.authDir) {
      // The run has just read the credentials: no second read of the file for their account.
      const accountId = this.accountSeen ?? (await this.tokens.current()).account_id;
      const snapshot = { source: 'headers' as const, fetched_at: Math.floor(Date.now() / 1000), ...result.rate_limits };
      await writeUsageCache(this.options.authDir, this.baseUrl, accountId, snapshot);
    }
    return result;
  }

  /**
   * Runs a planned request to its end, tools included: events go to `onEvent` (a returned promise pauses reading
   * the stream), and the `result` event is returned. What the CLI's `ask` and `stream()`/`complete()` share.
   */
  async run(planned: PlannedRequest, options: PlannedRunOptions): Promise<ResultEvent> {
    const signal = signalOf(this.options.signal, options.signal);
    const tools = [...planned.tools, ...(options.tools ?? [])];
    const result = await this.client.run(planned.ask, { ...options, tools, ...(signal ? { signal } : {}) }).catch((error: unknown) => this.noted(error));
    return this.kept(result);
  }

  /** The final answer of `stream()`: its text, usage and response id (and `json` with a `jsonSchema`). */
  async complete(request: CodexRequest, conversation?: ConversationHooks): Promise<CompleteResult> {
    const result = await this.run(await this.plan(request, conversation ? { conversation } : {}), {
      onEvent: () => undefined,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(conversation ? { exchangeItems: conversation.exchangeItems } : {}),
      ...(request.maxTurns !== undefined ? { maxTurns: request.maxTurns } : {}),
      ...(request.imageOut !== undefined ? { imageOut: request.imageOut } : {}),
    });
    const done: CompleteResult = { text: result.text, usage: result.usage, responseId: result.response_id, model: result.model };
    if (request.jsonSchema !== undefined) done.json = await parseDocument(result.text, request.jsonSchema);
    return done;
  }

  /**
   * One round trip without running tools, for callers that drive their own loop: events go to `onEvent`, and
   * the outcome has the text, usage, function calls, and the items to replay with their outputs. `stream()`
   * uses the same loop: `runToolLoop((input) => transport.turn(request, input, { onEvent }), input, tools, { emit: onEvent })`.
   */
  async turn(request: CodexRequest, input?: InputItem[], options: TurnOptions = {}): Promise<TurnOutcome> {
    const { ask, tools } = await this.plan(request);
    const withSpecs: AskRequest = tools.length > 0 ? { ...ask, tools: tools.map(toolSpec) } : ask;
    const signal = signalOf(this.options.signal, request.signal);
    return this.client
      .turn(withSpecs, input ?? requestInput(ask), {
        ...(signal ? { signal } : {}),
        onEvent: options.onEvent ?? (() => undefined),
        ...(options.exchange ? { turnState: options.exchange.turnState, continuity: options.exchange.continuity } : {}),
      })
      .catch((error: unknown) => this.noted(error));
  }

  /**
   * Sends a Responses body laid out by the caller (a proxy's client) as it is: this transport adds the sign-in,
   * account, version and workspace routing, and hands back the answer's raw frames. The body must already follow
   * the backend's rules (`store:false`, `stream:true`, a catalog model).
   */
  async relay(body: Record<string, unknown>, options: RelayOptions): Promise<void> {
    // The first call looks up the workspace routing beside the catalog.
    await this.models();
    const signal = signalOf(this.options.signal, options.signal);
    return this.client.relay(body, { ...options, ...(signal ? { signal } : {}) }).catch((error: unknown) => this.noted(error));
  }

  /** What the turns of one exchange share when the caller drives the loop: pass it to each `turn()`. */
  static newExchange(): Exchange {
    return { turnState: {}, continuity: newContinuity() };
  }

  /**
   * The HTTP client of the side calls (catalog, quota, workspace check): a short retry budget, they have
   * fallbacks. Public for diagnostics (`codex doctor`, `status --check`) that look at raw answers.
   */
  sideHttp(): BackendHttp {
    return new BackendHttp({
      baseUrl: this.baseUrl,
      tokens: this.tokens,
      sessionId: this.client.sessionId,
      clientVersion: this.clientVersion,
      maxRetries: Math.min(MODELS_MAX_RETRIES, this.options.maxRetries ?? MODELS_MAX_RETRIES),
      ...(this.options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: this.options.retryBaseDelayMs } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
  }

  /**
   * The models this account can use: the live list (cached for an hour in the config dir with `fromStore`),
   * else the stale cache, else the `models` registry or the built-in one. Never throws for a failed fetch;
   * `note` says why a fallback was used. A failing `onAuthRefresh` is still thrown.
   */
  async fetchModels(options: { signal?: AbortSignal /** Skip a fresh cache (the result is cached again). */; fresh?: boolean } = {}): Promise<ModelsResult> {
    const http = this.sideHttp();
    const signal = signalOf(this.options.signal, options.signal);
    const failures = this.callbackFailures;
    let callbackError: unknown;
    // The cache is per account; no refresh just to learn which (the fetch refreshes when it must), and no read
    // of the file when a call has just read it.
    const accountId =
      this.accountSeen ??
      (await this.tokens.current().then(
        (credentials) => credentials.account_id,
        () => undefined,
      ));
    const result = await fetchModels({
      ...(accountId !== undefined ? { accountId } : {}),
      http: {
        request: async (request, onRetry) => {
          try {
            return await http.request({ ...request, signal: signalOf(request.signal, signal) }, onRetry);
          } catch (error) {
            if (this.callbackFailures !== failures) callbackError ??= error;
            throw error;
          }
        },
      },
      baseUrl: this.baseUrl,
      clientVersion: this.clientVersion,
      ...(options.fresh ? { ttlMs: 0 } : {}),
      ...(this.options.model ? { defaultModel: this.options.model } : {}),
      ...(this.options.configDir ? { configDir: this.options.configDir } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    if (callbackError !== undefined) throw callbackError;
    if (signal?.aborted) throw abortError(signal);
    if (result.source === 'builtin' && this.options.models) {
      const models = registryModels(this.options.models, this.model);
      return {
        ...result,
        models,
        source: 'registry',
        note: result.note?.replace('built-in', 'given'),
        defaultModel: this.options.model ?? selectModels(models)[0]?.id ?? DEFAULT_MODEL,
      };
    }
    return result;
  }

  /**
   * The account's quota: plan, the primary (5-hour) and secondary (weekly) windows, credits, from `wham/usage`,
   * else from the rate-limit headers of a `/models` call (`source` says which). Throws a CodexError when neither
   * answers. With `fromStore`, the snapshot is also kept for `codex status`.
   */
  async usage(options: { signal?: AbortSignal } = {}): Promise<UsageReport> {
    const http = this.sideHttp();
    const signal = signalOf(this.options.signal, options.signal);
    const credentials = await this.tokens.valid();
    const report = await fetchUsage({
      http,
      baseUrl: this.baseUrl,
      clientVersion: this.clientVersion,
      ...(signal ? { signal } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    if (this.options.authDir) await writeUsageCache(this.options.authDir, this.baseUrl, credentials.account_id, report);
    return report;
  }

  /**
   * One image from `{base}/images/generations` (or `images/edits` with `edit`, a data: URL): the bytes, their
   * format and the usage. A plan without image generation is a CodexError `image_not_in_plan`.
   */
  async generateImage(request: ImageRequest, options: { signal?: AbortSignal } = {}): Promise<ImageResult> {
    const signal = signalOf(this.options.signal, options.signal);
    const credentials = await this.tokens.valid();
    const { generateImage } = await import('../client/image-generation.js');
    return generateImage({ http: this.sideHttp(), request, ...(signal ? { signal } : {}), ...(credentials.plan ? { plan: credentials.plan } : {}) });
  }

  /** The account's reset credits (`wham/rate-limit-reset-credits`): each with its status and expiry, and how many are available. */
  async resetCredits(options: { signal?: AbortSignal } = {}): Promise<ResetCreditList> {
    const signal = signalOf(this.options.signal, options.signal);
    await this.tokens.valid();
    const { listResetCredits } = await import('../client/reset-credits.js');
    return listResetCredits({ http: this.sideHttp(), baseUrl: this.baseUrl, ...(signal ? { signal } : {}) });
  }

  /**
   * Redeems one reset credit (`creditId`, else the backend's choice): `code` says what happened (`reset`,
   * `nothing_to_reset` keeps the credit, `no_credit`, `already_redeemed`). Retries send the same redeem id.
   */
  async redeemResetCredit(options: { creditId?: string; signal?: AbortSignal } = {}): Promise<RedeemResult> {
    const signal = signalOf(this.options.signal, options.signal);
    await this.tokens.valid();
    const { redeemResetCredit } = await import('../client/reset-credits.js');
    return redeemResetCredit({
      http: this.sideHttp(),
      baseUrl: this.baseUrl,
      ...(options.creditId !== undefined ? { creditId: options.creditId } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * The catalog: kept for an hour (and cached in the config dir with `fromStore`); a fallback (built-in or the
   * `models` option) is not kept, so the next request tries the live list again. The workspace routing is looked
   * up beside it, the first time.
   */
  private async models(): Promise<ModelsResult> {
    const now = Date.now();
    if (!this.catalog || now - this.catalogAtMs >= MODELS_CACHE_TTL_MS) {
      this.catalogAtMs = now;
      this.catalog = Promise.all([this.fetchModels(), this.routing()]).then(([catalog]) => catalog);
    }
    try {
      const catalog = await this.catalog;
      if (catalog.source === 'builtin' || catalog.source === 'registry') this.catalog = undefined;
      return catalog;
    } catch (error) {
      this.catalog = undefined;
      throw error;
    }
  }

  /** Forgets the catalog (the backend refused a model it listed). */
  private forgetCatalog(): void {
    this.catalog = undefined;
  }

  private routingLookup?: Promise<void>;

  private routing(): Promise<void> {
    this.routingLookup ??= (async () => {
      const credentials = await this.tokens.valid();
      const routing = await discoverRouting({
        http: this.sideHttp(),
        baseUrl: this.baseUrl,
        accountId: credentials.account_id,
        // Kept per profile: each profile's account has its own workspace.
        ...((this.options.authDir ?? this.options.configDir) ? { configDir: this.options.authDir ?? this.options.configDir } : {}),
        ...(this.options.log ? { log: this.options.log } : {}),
      });
      if (routing) this.client.useRouting(routing);
    })().catch(() => undefined);
    return this.routingLookup;
  }

  /**
   * The core request (without tool specs) and the tools, checked; model settings from the catalog (the first call
   * fetches it, and looks up the workspace routing beside it). `sources` names where the settings came from in the
   * errors that refuse them; `streaming` asks for a reasoning summary unless the request says otherwise; a
   * `conversation` puts the earlier turns that fit before the request.
   */
  async plan(request: CodexRequest, options: { streaming?: boolean; sources?: SettingSources; conversation?: ConversationHooks } = {}): Promise<PlannedRequest> {
    const { streaming = false, sources = {}, conversation } = options;
    if (request === null || typeof request !== 'object') throw new UsageError('a request object is needed');
    const hasPrompt = typeof request.prompt === 'string' && request.prompt.trim() !== '';
    const hasInput = Array.isArray(request.input) && request.input.length > 0;
    if (!hasPrompt && !hasInput) throw new UsageError('the request needs a prompt or input');
    if (request.maxTurns !== undefined && !(Number.isInteger(request.maxTurns) && request.maxTurns >= 1)) {
      throw new UsageError('maxTurns must be a whole number ≥ 1');
    }
    const tools = (request.tools ?? []).map(normalizeTool);
    const names = new Set<string>();
    for (const tool of tools) {
      if (names.has(tool.name)) throw new UsageError(`two tools are named ${tool.name}`);
      names.add(tool.name);
    }
    let images: string[] | undefined;
    if (request.images && request.images.length > 0) {
      const { imageUrlFor } = await import('../client/images.js');
      images = await Promise.all(request.images.map((source) => imageUrlFor(source)));
    }
    const catalog = await this.models();
    const chosen = request.model ?? this.options.model;
    const settings = settingsFor(
      { ...catalog, source: catalog.source === 'registry' ? 'builtin' : catalog.source },
      {
        ...(chosen !== undefined ? { model: chosen, ...(sources.model !== undefined ? { modelSource: sources.model } : {}) } : {}),
        ...(request.effort !== undefined ? { effort: request.effort } : {}),
        ...(request.verbosity !== undefined ? { verbosity: request.verbosity, ...(sources.verbosity !== undefined ? { verbositySource: sources.verbosity } : {}) } : {}),
        ...(request.fast === true ? { fast: true, ...(sources.fast !== undefined ? { fastSource: sources.fast } : {}) } : {}),
        showReasoning: request.reasoningSummary ?? streaming,
        layout: this.options.responsesLayout ?? 'auto',
        effortSource: sources.effort ?? 'effort',
      },
    );
    const ask: AskRequest = {
      model: settings.model!,
      ...(settings.effort ? { effort: settings.effort } : {}),
      ...(settings.verbosity ? { verbosity: settings.verbosity } : {}),
      ...(settings.reasoningSummary && request.reasoningSummary !== false ? { reasoningSummary: settings.reasoningSummary } : {}),
      ...(settings.layout ? { layout: settings.layout } : {}),
      ...(settings.serviceTier ? { serviceTier: settings.serviceTier } : {}),
      ...(hasPrompt ? { prompt: request.prompt } : {}),
      ...(hasInput ? { input: request.input } : {}),
      ...(images ? { images } : {}),
      ...(request.instructions !== undefined ? { instructions: request.instructions } : {}),
      ...(request.defaultInstructions === false ? { defaultInstructions: false } : {}),
      ...(request.toolChoice !== undefined && request.toolChoice !== 'auto' ? { toolChoice: request.toolChoice } : {}),
      ...(request.promptCacheKey ? { promptCacheKey: request.promptCacheKey } : {}),
      ...(request.jsonSchema !== undefined ? { jsonSchema: toJsonSchema(request.jsonSchema, 'jsonSchema') } : {}),
    };
    if (typeof ask.toolChoice === 'object' && ask.layout === 'lite') {
      throw new UsageError(
        `tool_choice naming a function is not supported with ${ask.model}: its responses-lite layout sends no top-level tools, where the backend looks the name up (use "required", or a classic-layout model)`,
      );
    }
    if (conversation) {
      const newBytes = Buffer.byteLength(JSON.stringify([ask.prompt ?? '', ask.input ?? [], ask.images ?? [], ask.instructions ?? '']));
      const history = conversation.history(settings.info?.context_window, newBytes);
      if (history.length > 0) ask.input = [...history, ...(ask.input ?? [])];
      ask.promptCacheKey = conversation.promptCacheKey;
    }
    if (ask.layout === 'lite') await inlineImages(ask, request.signal);
    return { ask, tools, ...(settings.info ? { info: settings.info } : {}) };
  }

  /**
   * A conversation kept in the same log as the CLI's (`codex log`): by name (created when there is none) or id,
   * or a new one. Each `stream` / `complete` sends the earlier turns back and appends the new one.
   */
  async conversation(nameOrId?: string): Promise<Conversation> {
    const { openConversation } = await import('./conversation.js');
    return openConversation(this, this.conversationStore(), nameOrId);
  }

  /** The logged conversations, the most recently continued first. */
  async conversations(): Promise<ConversationSummary[]> {
    return this.conversationStore().list();
  }

  private conversationStore(): ConversationStore {
    return ConversationStore.inDataDir(this.options.dataDir ?? dataDirFor(this.options.configDir ? { configDir: this.options.configDir } : {}));
  }
}

async function parseDocument(text: string, schema: JsonSchema | $ZodType): Promise<unknown> {
  const json = parseJsonDocument(text, 'jsonSchema');
  if (!isZodSchema(schema)) return json;
  const { safeParseAsync } = await import('zod/v4/core');
  const parsed = await safeParseAsync(schema, json);
  if (!parsed.success) {
    throw new CodexError('schema_mismatch', `the answer does not match jsonSchema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
