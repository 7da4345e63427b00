// Codex: the library's front door. One object per login; it owns the token manager (single-flight refresh), the
// HTTP client (retries) and the turn loop, and hands out typed event streams. Its parts are wired in assembly.ts,
// its model catalog lives in catalog.ts, and requests are planned in planning.ts.
import type { CodexEvent, ResultEvent } from '../client/events.js';
import type { ImageRequest, ImageResult } from '../client/image-generation.js';
import { type AskRequest, type InputItem, requestInput } from '../client/request.js';
import type { RedeemResult, ResetCreditList } from '../client/reset-credits.js';
import { newContinuity, type TurnOutcome } from '../client/response-turn.js';
import type { RelayOptions } from '../client/responses-client.js';
import { toolSpec } from '../client/tool-loop.js';
import type { UsageReport } from '../client/usage.js';
import { dataDirFor } from '../config/resolve.js';
import { ConversationStore, type ConversationSummary } from '../conversations/store.js';
import { CodexError } from '../shared/errors.js';
import { signalOf } from '../shared/signals.js';
import type { Credentials } from '../store/credentials.js';
import { assemble, optionsFromStore, type Parts } from './assembly.js';
import { Catalog } from './catalog.js';
import type { Conversation } from './conversation.js';
import { environmentOf } from './environment.js';
import { type CodexInternals, type ConversationHooks, internal, type PlannedRequest, type PlannedRunOptions } from './internal.js';
import { planRequest } from './planning.js';
import type { CodexOptions, CodexRequest, CompleteResult, Exchange, FromStoreOptions, ModelsResult, TurnOptions } from './types.js';

/** The usage endpoint and the usage cache (with their schemas) are loaded when first used: after the answer. */
const usageModule = () => import('../client/usage.js');

export type {
  CodexCommonOptions,
  CodexOptions,
  CodexRequest,
  CompleteResult,
  Exchange,
  FromStoreOptions,
  ModelSpec,
  ModelsResult,
  TurnOptions,
} from './types.js';

/**
 * Talks to the Codex backend with a ChatGPT login. `stream()` yields the same normalized events as the CLI's
 * JSON lines; breaking out of the loop aborts the HTTP request. Errors are CodexErrors with a string `code`.
 */
export class Codex {
  readonly baseUrl: string;
  /** The model chosen with the `model` option, else the built-in fallback (requests use the catalog's default). */
  readonly model: string;
  readonly clientVersion: string;
  readonly #parts: Parts;
  readonly #catalog: Catalog;
  #internals?: CodexInternals;

  constructor(options: CodexOptions) {
    this.#parts = assemble(options);
    this.#catalog = new Catalog(this.#parts);
    this.baseUrl = this.#parts.baseUrl;
    this.model = this.#parts.model;
    this.clientVersion = this.#parts.clientVersion;
  }

  /**
   * Uses the CLI's login (`<configDir>/auth.json`) and its lock, so this process and `codex` never spend the
   * same refresh token twice. Refreshed tokens are written back there (and passed to `onAuthRefresh` too).
   */
  static fromStore(options: FromStoreOptions = {}): Codex {
    return new Codex(optionsFromStore(options));
  }

  /** What the turns of one exchange share when the caller drives the loop: pass it to each `turn()`. */
  static newExchange(): Exchange {
    return { turnState: {}, continuity: newContinuity() };
  }

  /** The project's own callers' way in (the CLI, `codex serve`, conversations): not part of the package's API. */
  get [internal](): CodexInternals {
    this.#internals ??= {
      tokens: this.#parts.tokens,
      client: this.#parts.client,
      sideHttp: () => this.#parts.sideHttp(),
      plan: (request, options) => planRequest(this.#parts, this.#catalog, request, options),
      run: (planned, options) => this.#run(planned, options),
      stream: (request, conversation) => this.#stream(request, conversation),
      complete: (request, conversation) => this.#complete(request, conversation),
    };
    return this.#internals;
  }

  /** The credentials in use now (after any refresh). */
  credentials(): Promise<Credentials> {
    return this.#parts.tokens.current();
  }

  /**
   * One answer as events: `start`, `reasoning.delta` / `text.delta`, `tool_call` / `tool_result` (tools run
   * between turns), `retry`, `rate_limits`, then `result`. Failures are thrown as CodexErrors. Breaking out of
   * the loop (or aborting a signal) aborts the HTTP request.
   */
  stream(request: CodexRequest): AsyncGenerator<CodexEvent, ResultEvent, undefined> {
    return this.#stream(request);
  }

  /** The final answer of `stream()`: its text, usage and response id (and `json` with a `jsonSchema`). */
  complete(request: CodexRequest): Promise<CompleteResult> {
    return this.#complete(request);
  }

  /**
   * One round trip without running tools, for callers that drive their own loop: events go to `onEvent`, and
   * the outcome has the text, usage, function calls, and the items to replay with their outputs. `stream()`
   * uses the same loop: `runToolLoop((input) => transport.turn(request, input, { onEvent }), input, tools, { emit: onEvent })`.
   */
  async turn(request: CodexRequest, input?: InputItem[], options: TurnOptions = {}): Promise<TurnOutcome> {
    const { ask, tools } = await planRequest(this.#parts, this.#catalog, request);
    const withSpecs: AskRequest = tools.length > 0 ? { ...ask, tools: tools.map(toolSpec) } : ask;
    const signal = signalOf(this.#parts.options.signal, request.signal);
    return this.#parts.client
      .turnWithSearch(withSpecs, input ?? requestInput(ask), {
        ...(signal ? { signal } : {}),
        onEvent: options.onEvent ?? (() => undefined),
        ...(options.exchange ? { turnState: options.exchange.turnState, continuity: options.exchange.continuity } : {}),
        ...(options.keepText === false && !ask.search ? { keepText: false } : {}),
      })
      .catch((error: unknown) => this.#noted(error));
  }

  /**
   * Sends a Responses body laid out by the caller (a proxy's client) as it is: this transport adds the sign-in,
   * account, version and workspace routing, and hands back the answer's raw frames. The body must already follow
   * the backend's rules (`store:false`, `stream:true`, a catalog model).
   */
  async relay(body: Record<string, unknown>, options: RelayOptions): Promise<void> {
    // The first call looks up the workspace routing beside the catalog.
    await this.#catalog.current();
    const signal = signalOf(this.#parts.options.signal, options.signal);
    return this.#parts.client.relay(body, { ...options, ...(signal ? { signal } : {}) }).catch((error: unknown) => this.#noted(error));
  }

  /**
   * The models this account can use: the live list (cached for an hour in the config dir with `fromStore`),
   * else the stale cache, else the `models` registry or the built-in one. Never throws for a failed fetch;
   * `note` says why a fallback was used. A failing `onAuthRefresh` is still thrown.
   */
  fetchModels(options: { signal?: AbortSignal /** Skip a fresh cache (the result is cached again). */; fresh?: boolean } = {}): Promise<ModelsResult> {
    return this.#catalog.fetch(options);
  }

  /**
   * The account's quota: plan, the primary (5-hour) and secondary (weekly) windows, credits, from `wham/usage`,
   * else from the rate-limit headers of a `/models` call (`source` says which). Throws a CodexError when neither
   * answers. With `fromStore`, the snapshot is also kept for `codex status`.
   */
  async usage(options: { signal?: AbortSignal } = {}): Promise<UsageReport> {
    const { options: given, host, tokens } = this.#parts;
    const signal = signalOf(given.signal, options.signal);
    const http = this.#parts.sideHttp();
    const credentials = await tokens.valid();
    const { fetchUsage, writeUsageCache } = await usageModule();
    const report = await fetchUsage({
      http,
      baseUrl: this.baseUrl,
      clientVersion: this.clientVersion,
      ...(signal ? { signal } : {}),
      ...(given.log ? { log: given.log } : {}),
    });
    if (host.authDir) await writeUsageCache(host.authDir, this.baseUrl, credentials.account_id, report);
    return report;
  }

  /**
   * One image from `{base}/images/generations` (or `images/edits` with `edit`, a data: URL): the bytes, their
   * format and the usage. A plan without image generation is a CodexError `image_not_in_plan`.
   */
  async generateImage(request: ImageRequest, options: { signal?: AbortSignal } = {}): Promise<ImageResult> {
    const signal = signalOf(this.#parts.options.signal, options.signal);
    const credentials = await this.#parts.tokens.valid();
    const { generateImage } = await import('../client/image-generation.js');
    return generateImage({ http: this.#parts.sideHttp(), request, ...(signal ? { signal } : {}), ...(credentials.plan ? { plan: credentials.plan } : {}) });
  }

  /** The account's reset credits (`wham/rate-limit-reset-credits`): each with its status and expiry, and how many are available. */
  async resetCredits(options: { signal?: AbortSignal } = {}): Promise<ResetCreditList> {
    const signal = signalOf(this.#parts.options.signal, options.signal);
    await this.#parts.tokens.valid();
    const { listResetCredits } = await import('../client/reset-credits.js');
    return listResetCredits({ http: this.#parts.sideHttp(), baseUrl: this.baseUrl, ...(signal ? { signal } : {}) });
  }

  /**
   * Redeems one reset credit (`creditId`, else the backend's choice): `code` says what happened (`reset`,
   * `nothing_to_reset` keeps the credit, `no_credit`, `already_redeemed`). Retries send the same redeem id.
   */
  async redeemResetCredit(options: { creditId?: string; signal?: AbortSignal } = {}): Promise<RedeemResult> {
    const signal = signalOf(this.#parts.options.signal, options.signal);
    await this.#parts.tokens.valid();
    const { redeemResetCredit } = await import('../client/reset-credits.js');
    return redeemResetCredit({
      http: this.#parts.sideHttp(),
      baseUrl: this.baseUrl,
      ...(options.creditId !== undefined ? { creditId: options.creditId } : {}),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * A conversation kept in the same log as the CLI's (`codex log`): by name (created when there is none) or id,
   * or a new one. Each `stream` / `complete` sends the earlier turns back and appends the new one.
   */
  async conversation(nameOrId?: string): Promise<Conversation> {
    const { openConversation } = await import('./conversation.js');
    return openConversation(this, this.#conversationStore(), nameOrId);
  }

  /** The logged conversations, the most recently continued first. */
  async conversations(): Promise<ConversationSummary[]> {
    return this.#conversationStore().list();
  }

  #conversationStore(): ConversationStore {
    const { options, host } = this.#parts;
    return ConversationStore.inDataDir(options.dataDir ?? dataDirFor(host.configDir ? { configDir: host.configDir } : {}, environmentOf(options)));
  }

  async *#stream(request: CodexRequest, conversation?: ConversationHooks): AsyncGenerator<CodexEvent, ResultEvent, undefined> {
    const { ask, tools } = await planRequest(this.#parts, this.#catalog, request, { streaming: true, ...(conversation ? { conversation } : {}) });
    const controller = new AbortController();
    const signal = signalOf(controller.signal, this.#parts.options.signal, request.signal)!;
    try {
      // The client adds the tools' specs to the request and runs the calls between turns.
      const events = this.#parts.client.stream(ask, {
        signal,
        tools,
        ...(request.maxTurns !== undefined ? { maxTurns: request.maxTurns } : {}),
        ...(request.imageOut !== undefined ? { imageOut: request.imageOut } : {}),
        ...(conversation ? { onExchange: conversation.onExchange } : {}),
      });
      let result: ResultEvent | undefined;
      for await (const event of events) {
        if (event.type === 'result') result = event;
        yield event;
      }
      if (!result) throw new CodexError('internal', 'the answer ended without a result');
      return await this.#kept(result);
    } catch (error) {
      return await this.#noted(error);
    } finally {
      controller.abort(new CodexError('cancelled', 'the stream was closed'));
    }
  }

  async #complete(request: CodexRequest, conversation?: ConversationHooks): Promise<CompleteResult> {
    const planned = await planRequest(this.#parts, this.#catalog, request, conversation ? { conversation } : {});
    const result = await this.#run(planned, {
      onEvent: () => undefined,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(conversation ? { onExchange: conversation.onExchange } : {}),
      ...(request.maxTurns !== undefined ? { maxTurns: request.maxTurns } : {}),
      ...(request.imageOut !== undefined ? { imageOut: request.imageOut } : {}),
    });
    const done: CompleteResult = { text: result.text, usage: result.usage, responseId: result.response_id, model: result.model };
    if (result.citations) done.citations = result.citations;
    if (request.jsonSchema !== undefined) {
      const { parseAnswer } = await import('./tool-definitions.js');
      done.json = await parseAnswer(result.text, request.jsonSchema);
    }
    return done;
  }

  async #run(planned: PlannedRequest, options: PlannedRunOptions): Promise<ResultEvent> {
    const signal = signalOf(this.#parts.options.signal, options.signal);
    const tools = [...planned.tools, ...(options.tools ?? [])];
    const run = await this.#parts.client.run(planned.ask, { ...options, tools, ...(signal ? { signal } : {}) }).catch((error: unknown) => this.#noted(error));
    return this.#kept(run.outcome);
  }

  /** A refused model means the kept catalog is out of date: forget it, so the next request fetches it again. */
  async #noted(error: unknown): Promise<never> {
    if (error instanceof CodexError && error.code === 'model_unavailable') await this.#catalog.forget();
    throw error;
  }

  /** A result's rate-limit snapshot is kept for `codex status` (with `fromStore` / the CLI). */
  async #kept(result: ResultEvent): Promise<ResultEvent> {
    const { authDir } = this.#parts.host;
    if (result.rate_limits && authDir) {
      // The run has just read the credentials: no second read of the file for their account.
      const accountId = this.#parts.seen.accountId ?? (await this.#parts.tokens.current()).account_id;
      const snapshot = { source: 'headers' as const, fetched_at: Math.floor(Date.now() / 1000), ...result.rate_limits };
      await (await usageModule()).writeUsageCache(authDir, this.baseUrl, accountId, snapshot);
    }
    return result;
  }
}
