import { randomUUID } from 'node:crypto';
import { BoundedQueue } from '../shared/bounded-queue.js';
import { messageOf } from '../shared/error-info.js';
import { abortError, CodexError, StreamError } from '../shared/errors.js';
import { maskTokens } from '../shared/redact.js';
import { type AttemptState, BackendHttp, type RequestOptions, type RetryNotice } from '../transport/backend-http.js';
import { type AnswerHeaders, bodyBytes, type HttpAnswer, releasableBody } from '../transport/http-answer.js';
import { type SseMessage, sseBatches } from '../transport/sse.js';
import type { TokenSource } from '../transport/token-source.js';
import { startEvent } from './event-parts.js';
import type { CodexEvent, RateLimitSnapshot, ResultEvent, Usage } from './events.js';
import { ImageDelivery, type ImageOutput } from './generated-images.js';
import type { ImageRequest, ImageResult } from './image-generation.js';
import { rateLimitsEvent, rateLimitsFromHeaders } from './rate-limits.js';
import { type AskRequest, assistantMessage, buildResponsesBody, type InputItem, RESPONSES_LITE_HEADER, requestInput } from './request.js';
import { newContinuity, type OutputItem, type RunContinuity, type TurnOutcome, TurnState } from './response-turn.js';
import { textPieces, withTextPieces } from './text-pieces.js';
import { callName, DEFAULT_MAX_TURNS, replayInput, runToolLoop, serveCalls, type Tool, toolSpec, toolsByName } from './tool-loop.js';
import { answerCitations, hostedSearchTool, webRunNamespace, webRunTool } from './web-search.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** The outcome without the function calls named (and their items to replay). */
function withoutCalls(outcome: TurnOutcome, callIds: ReadonlySet<string>): TurnOutcome {
  return Object.assign(outcome, {
    functionCalls: outcome.functionCalls.filter((call) => !callIds.has(call.call_id)),
    replayItems: outcome.replayItems.filter((item) => item.type !== 'function_call' || !callIds.has(String(item.call_id))),
  });
}

/** Events `stream()` holds for a caller that reads slowly before reading the backend's stream pauses. */
const EVENTS_HIGH_WATER = 256;

export interface ResponsesClientOptions {
  baseUrl: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** No bytes on the stream for this long fails the request (idle_timeout). */
  idleTimeoutMs?: number;
  /** One per run: sent as `session_id` and used as the prompt cache key. */
  sessionId?: string;
  /** Sent as the `version` header (protocol §10). */
  clientVersion?: string;
  /** See HttpOptions.upgradeClientVersion. */
  upgradeClientVersion?: (current: string) => Promise<string | undefined>;
  /** Workspace routing from `wham/accounts/check` (protocol §10): the header to send, and where to send to. */
  routing?: Routing;
  userAgent?: string;
  /** The environment the default User-Agent names the terminal from (TERM_PROGRAM, TERM). */
  env?: Record<string, string | undefined>;
  log?: (message: string) => void;
  /** Told once per model when the backend says (`openai-model`) it served another model than the one asked for. */
  warn?: (message: string) => void;
}

export interface Routing {
  /** `us` or `us_cr`: sent as `x-openai-account-routing-override` on every /responses request. */
  override: string;
  /** The workspace's backend origin, when it has its own. */
  origin?: string;
}

/** The `x-codex-turn-state` of one ask: set by its first answer that carries one, sent back on the requests after it. */
export interface TurnStateHolder {
  value?: string;
}

/** What `relay` sends: a body laid out by the caller, and the headers it chose among those the backend reads. */
export interface RelayOptions {
  signal?: AbortSignal;
  /** Send the responses-lite header (the body is in the lite layout). */
  lite?: boolean;
  /** An `x-codex-turn-state` to send back. */
  turnState?: string;
  /** Called once with the answer's headers, before its first frames. */
  onOpen?: (headers: AnswerHeaders) => void;
  /** Every network read's frames (a read over 16 KiB in slices), as they came; a returned promise pauses reading until it settles. */
  onFrames: (frames: SseMessage[]) => Promise<void> | undefined;
}

/** Receives every event; a returned promise (a full output) pauses reading the stream until it settles. */
export type EventSink = (event: CodexEvent) => void | Promise<void>;

export interface StreamOptions {
  signal?: AbortSignal;
  /** Functions the model may call; calls of one turn run concurrently. */
  tools?: Tool[];
  /** Stop a model that keeps calling tools after this many turns (default 10). */
  maxTurns?: number;
  /**
   * Whether reasoning and commentary reach a person or a file (default true). When they do not (text mode
   * without --reasoning), a stream that failed after only those is still safe to send again.
   */
  asidesShown?: boolean;
  /** Keep the answer's text for the `result` event (default true). Off saves memory on huge answers. */
  keepText?: boolean;
  /** Given the run's `exchangeItems` (see RunResult) just before the `result` event, so a conversation can log them with it. */
  onExchange?: (items: InputItem[]) => void;
  /**
   * Offer image generation to the model (the hosted tool on classic models, `image_gen.imagegen` on Responses Lite)
   * and save each image it makes there: a directory, or a function that stores one. Without it, images that arrive
   * anyway are reported (`image` events without a path) and dropped.
   */
  imageOut?: ImageOutput;
}

/** What a run comes to. */
export interface RunResult {
  /** The `result` event (the last event the run emitted). */
  outcome: ResultEvent;
  /** The last turn's output items as a follow-up request replays them (reasoning, commentary, calls). */
  replayItems: OutputItem[];
  /**
   * The items the run added past the request's `input`: the user message, each turn's reasoning, calls and
   * outputs, and the answer as an assistant message (what a conversation sends back next).
   */
  exchangeItems: InputItem[];
  /** The last rate-limit snapshot the answers' headers carried. */
  rateLimits?: RateLimitSnapshot;
}

export interface RunOptions extends StreamOptions {
  onEvent: EventSink;
  /**
   * Called once the events of one network read (or 16 KiB slice of a larger one, sse.ts) have all been given to
   * `onEvent`, so a sink that gathers their output can write it in one go; a returned promise pauses reading, as `onEvent`'s does.
   */
  flush?: () => Promise<void> | undefined;
  /** Shared by the requests of one ask; `run` makes one. */
  turnState?: TurnStateHolder;
  /** Shared by the turns of one run (set by `run`): text of consecutive turns is separated, not glued. */
  continuity?: RunContinuity;
}

function sumUsage(usages: Usage[]): Usage {
  const total: Usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
  for (const usage of usages) {
    for (const key of Object.keys(total) as (keyof Usage)[]) total[key] += usage[key];
  }
  return total;
}

function idleTimeout(idleTimeoutMs: number): StreamError {
  return new StreamError('idle_timeout', `no event from the backend for ${Math.round(idleTimeoutMs / 1000)} s`);
}

/** A failure while reading an answer's stream, as a CodexError. */
function streamBroke(error: unknown): CodexError {
  return error instanceof CodexError ? error : new StreamError('stream_closed', `the stream broke: ${messageOf(error)}`, { cause: error });
}

/** An answer that is not an event stream (an HTML page, a JSON error): its content type and the start of its body. */
async function notAnEventStream(response: HttpAnswer, contentType: string): Promise<StreamError> {
  const text = await response.text().catch(() => '');
  return new StreamError(
    'bad_stream',
    `expected an event stream from the backend, got ${contentType || 'no content type'}${text ? `: ${maskTokens(text).replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
    { status: response.status },
  );
}

function retryEvent(notice: RetryNotice): CodexEvent {
  return { type: 'retry', attempt: notice.attempt, max_retries: notice.maxRetries, delay_ms: notice.delayMs, reason: notice.reason };
}

/** Talks to the Codex Responses backend; every answer is an AsyncIterable of normalized events. */
export class ResponsesClient {
  readonly sessionId: string;
  readonly http: BackendHttp;
  private readonly idleTimeoutMs: number;
  private readonly servedWarned = new Set<string>();

  constructor(private options: ResponsesClientOptions) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.http = new BackendHttp({
      baseUrl: options.baseUrl,
      tokens: options.tokens,
      sessionId: this.sessionId,
      fetch: options.fetch,
      maxRetries: options.maxRetries,
      retryBaseDelayMs: options.retryBaseDelayMs,
      clientVersion: options.clientVersion,
      ...(options.upgradeClientVersion ? { upgradeClientVersion: options.upgradeClientVersion } : {}),
      userAgent: options.userAgent,
      ...(options.env ? { env: options.env } : {}),
      log: options.log,
    });
  }

  /**
   * Runs one request to the end, handing every event to `onEvent` as it happens (`start`, deltas, `retry`,
   * `rate_limits`, tool events, then `result`); resolves with the result, or throws a CodexError. When
   * `onEvent` returns a promise (a full output buffer), reading the stream waits for it.
   */
  async run(request: AskRequest, options: RunOptions): Promise<RunResult> {
    const images = new ImageDelivery(options.onEvent, options.imageOut);
    const delivered = images.sink();
    // Without annotations, the pages the searches reported are sources too (after the answer's own links).
    const searched: string[] = [];
    const emit: typeof delivered = request.search
      ? (event) => {
          if (event.type === 'search') searched.push(...event.urls);
          return delivered(event);
        }
      : delivered;
    await emit(startEvent(request.model, this.sessionId));
    const offered =
      options.imageOut === undefined
        ? { request, tools: [] }
        : (await import('./image-tool.js')).imageTools(request, options.imageOut, images, (image, signal) => this.generateImage(image, signal));
    const tools = [...(options.tools ?? []), ...offered.tools];
    const withTools: AskRequest = this.withSearch(tools.length > 0 ? { ...offered.request, tools: [...(request.tools ?? []), ...tools.map(toolSpec)] } : offered.request);
    // On lite models the client serves web search itself: a tool of the loop, though not a function spec.
    const loopTools = request.search && request.layout === 'lite' ? [...tools, this.searchTool(request)] : tools;
    const turnOptions: RunOptions = { ...options, onEvent: emit, turnState: options.turnState ?? {}, continuity: options.continuity ?? newContinuity() };
    let lastInput: InputItem[] = [];
    const outcomes = await runToolLoop(
      (input) => {
        lastInput = input;
        return this.turn(withTools, input, turnOptions);
      },
      requestInput(request),
      loopTools,
      { maxTurns: options.maxTurns, signal: options.signal, emit },
    );
    const last = outcomes[outcomes.length - 1]!;
    const rateLimits = outcomes.findLast((outcome) => outcome.rateLimits !== undefined)?.rateLimits;
    const annotations = outcomes.flatMap((outcome) => outcome.citations ?? []);
    const citations =
      request.search || annotations.length > 0 ? answerCitations(annotations, () => outcomes.map((outcome) => outcome.text).join(''), searched) : undefined;
    // The text stays in the pieces it was gathered in until someone reads it (see text-pieces.ts): the result's,
    // and the assistant message's, which a caller may never need.
    const result = withTextPieces<ResultEvent>(
      {
        type: 'result',
        response_id: last.responseId,
        model: last.model,
        text: '',
        usage: sumUsage(outcomes.map((outcome) => outcome.usage)),
        ...(rateLimits ? { rate_limits: rateLimits } : {}),
        ...(citations ? { citations } : {}),
        ...(images.kept.length > 0 ? { images: images.kept } : {}),
      },
      outcomes.flatMap((outcome) => textPieces(outcome)),
    );
    const answer = textPieces(last);
    const exchangeItems = [
      ...lastInput.slice(request.input?.length ?? 0),
      ...replayInput(last),
      ...(answer.some((piece) => piece !== '') ? [assistantMessage(answer)] : []),
    ];
    options.onExchange?.(exchangeItems);
    await emit(result);
    return { outcome: result, replayItems: last.replayItems, exchangeItems, ...(rateLimits ? { rateLimits } : {}) };
  }

  /**
   * The same as `run`, as an AsyncIterable: `start`, deltas (and `retry` / `rate_limits`), then `result`.
   * Failures are thrown as CodexErrors. Breaking out of the loop aborts the HTTP request.
   */
  async *stream(request: AskRequest, options: StreamOptions = {}): AsyncGenerator<CodexEvent, ResultEvent> {
    const controller = new AbortController();
    const unlink = linkAbort(options.signal, controller);
    const queue = new BoundedQueue<CodexEvent, ResultEvent>(EVENTS_HIGH_WATER);
    const running = this.run(request, { ...options, signal: controller.signal, onEvent: (event) => queue.push(event) }).then(
      (run) => queue.end(run.outcome),
      (error: unknown) => queue.fail(error ?? new CodexError('internal', 'unknown failure')),
    );
    try {
      for (;;) {
        const next = await queue.next();
        if (next.done) return next.value;
        // Once the caller aborts, nothing more comes out, even what was already queued.
        if (controller.signal.aborted) throw abortError(controller.signal);
        yield next.value;
      }
    } finally {
      if (!queue.closed) {
        controller.abort(new CodexError('cancelled', 'the caller stopped reading the stream'));
        // A producer paused on a full queue would never see the abort (seen on Node 24, where more is buffered).
        queue.abandon();
        await running;
      }
      unlink();
    }
  }

  /** The request with web search offered in its layout's form (`search`): a hosted tool, or the `web` namespace. */
  private withSearch(request: AskRequest): AskRequest {
    if (!request.search) return request;
    const tool = request.layout === 'lite' ? webRunNamespace() : hostedSearchTool(request.search);
    return { ...request, extraTools: [...(request.extraTools ?? []), tool] };
  }

  private searchTool(request: AskRequest): Tool {
    return webRunTool({
      http: this.http,
      model: request.model,
      sessionId: this.sessionId,
      search: request.search ?? {},
      ...(this.options.routing?.origin ? { origin: this.options.routing.origin } : {}),
    });
  }

  /**
   * One turn as `turn()`, with web search offered when the request asks for it: on lite models the model's
   * `web.run` calls are served and the turn goes on until it answers or calls other functions (returned without
   * the `web.run` calls of that turn). For callers that drive their own tool loop.
   */
  async turnWithSearch(request: AskRequest, input: InputItem[], options: RunOptions): Promise<TurnOutcome> {
    const searching = this.withSearch(request);
    if (!request.search) return this.turn(searching, input, options);
    const sourced = (outcome: TurnOutcome): TurnOutcome => Object.assign(outcome, { citations: answerCitations(outcome.citations ?? [], () => outcome.text) });
    if (request.layout !== 'lite') return sourced(await this.turn(searching, input, options));
    const tool = this.searchTool(request);
    const served = toolsByName([tool]);
    const turnOptions: RunOptions = { ...options, turnState: options.turnState ?? {}, continuity: options.continuity ?? newContinuity() };
    let current = input;
    for (let turn = 1; ; turn++) {
      const outcome = await this.turn(searching, current, turnOptions);
      const calls = outcome.functionCalls;
      if (calls.length === 0) return sourced(outcome);
      const searches = new Set(calls.filter((call) => callName(call) === tool.name).map((call) => call.call_id));
      // Beside the caller's own calls, the searches are left unanswered and taken out: the caller could neither
      // answer them nor send them back without the `web` namespace.
      if (searches.size < calls.length) return sourced(withoutCalls(outcome, searches));
      if (turn >= DEFAULT_MAX_TURNS) throw new CodexError('max_turns', `the model was still searching after ${DEFAULT_MAX_TURNS} turns`);
      const outputs = await serveCalls(calls, served, current, { emit: options.onEvent, ...(options.signal ? { signal: options.signal } : {}) });
      current = [...current, ...replayInput(outcome), ...outputs];
    }
  }

  /** One image from the image endpoint, for the `imagegen` function of `imageOut`. */
  private async generateImage(request: ImageRequest, signal?: AbortSignal): Promise<ImageResult> {
    const { plan } = await this.options.tokens.valid();
    const { generateImage } = await import('./image-generation.js');
    return generateImage({ http: this.http, request, ...(signal ? { signal } : {}), ...(plan ? { plan } : {}) });
  }

  /** Workspace routing found after construction (the library looks it up beside the catalog). */
  useRouting(routing: Routing): void {
    this.options.routing = routing;
  }

  private checkServedModel(requested: string, served: string | null): void {
    const name = served?.trim();
    if (!name || name === requested || this.servedWarned.has(name)) return;
    this.servedWarned.add(name);
    this.options.warn?.(`served by ${name}, not ${requested} as asked (the backend's openai-model header)`);
  }

  /** The headers of a /responses request beyond the common ones (protocol §10). */
  private requestHeaders(request: AskRequest, turnState: TurnStateHolder | undefined): Record<string, string> {
    // As the official client 0.171 sends it (protocol §11).
    return { ...this.http.sessionHeaders, 'x-codex-routing-hint': `model=${request.model}`, ...this.turnHeaders(request.layout === 'lite', turnState?.value) };
  }

  /** The layout, workspace routing and turn-state headers, sent by `turn` and `relay` alike. */
  private turnHeaders(lite: boolean | undefined, turnState: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (lite) headers[RESPONSES_LITE_HEADER] = 'true';
    if (this.options.routing) headers['x-openai-account-routing-override'] = this.options.routing.override;
    if (turnState) headers['x-codex-turn-state'] = turnState;
    return headers;
  }

  /** A POST of `body` to /responses for an event stream, to the workspace's origin when it has one. */
  private responsesRequest(body: Record<string, unknown>, headers: Record<string, string>, signal: AbortSignal): RequestOptions {
    return {
      method: 'POST',
      path: '/responses',
      body,
      accept: 'text/event-stream',
      headers,
      signal,
      ...(this.options.routing?.origin ? { origin: this.options.routing.origin } : {}),
    };
  }

  /**
   * Sends a body as it is (the caller laid it out; only the transport's headers are added) and hands the raw
   * frames of the answer to `onFrames`. Retried until the backend answers with a stream; never after.
   */
  async relay(body: Record<string, unknown>, options: RelayOptions): Promise<void> {
    const state: AttemptState = { budget: { used: 0 }, credentials: await this.options.tokens.valid() };
    const headers = { ...this.http.sessionHeaders, ...this.turnHeaders(options.lite, options.turnState) };
    // Aborting the request also ends its body: the client's signal, or the idle timer once the stream is open.
    const idle = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
    let response: HttpAnswer;
    for (;;) {
      const attempt = await this.http.attempt(this.responsesRequest(body, headers, signal), state);
      if (attempt.kind === 'ok') {
        response = attempt.response;
        break;
      }
      await this.http.wait(attempt.notice, options.signal);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream') || !response.body) {
      throw await notAnEventStream(response, contentType);
    }
    options.onOpen?.(response.headers);
    // A client that reads slowly is not the backend being silent.
    let waiting = false;
    const timer: NodeJS.Timeout = setTimeout(() => (waiting ? timer.refresh() : idle.abort()), this.idleTimeoutMs);
    try {
      for await (const batch of sseBatches(bodyBytes(response)!, () => timer.refresh())) {
        const pending = options.onFrames(batch);
        if (pending) {
          waiting = true;
          await pending;
          waiting = false;
          timer.refresh();
        }
      }
      if (idle.signal.aborted) throw idleTimeout(this.idleTimeoutMs);
      if (options.signal?.aborted) throw abortError(options.signal);
    } catch (error) {
      if (idle.signal.aborted) throw idleTimeout(this.idleTimeoutMs);
      if (options.signal?.aborted) throw abortError(options.signal);
      throw streamBroke(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One request/response round trip, with retries until output has been emitted. */
  async turn(request: AskRequest, input: InputItem[], options: RunOptions): Promise<TurnOutcome> {
    const emit = options.onEvent;
    const body = buildResponsesBody(request, input, this.sessionId);
    // A refresh (or a wait for another process's refresh) is not the backend being silent: it comes first.
    const state: AttemptState = { budget: { used: 0 }, credentials: await this.options.tokens.valid() };
    const continuity = options.continuity ?? newContinuity();
    let rateLimits: RateLimitSnapshot | undefined;
    for (;;) {
      const idle = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
      // Nor is our own output being full (a reader such as `less` that stopped reading).
      let waitingOnOutput = false;
      const idleTimer = setTimeout(() => {
        if (waitingOnOutput) return void idleTimer.refresh();
        idle.abort(idleTimeout(this.idleTimeoutMs));
      }, this.idleTimeoutMs);
      const turn = new TurnState(request.model, options.keepText ?? true, continuity);
      let answerBody: ReturnType<typeof releasableBody> | undefined;
      let released = false;
      try {
        const attempt = await this.http.attempt(this.responsesRequest(body, this.requestHeaders(request, options.turnState), signal), state);
        if (attempt.kind === 'retry') {
          await emit(retryEvent(attempt.notice));
          await this.http.wait(attempt.notice, options.signal);
          continue;
        }
        const { response } = attempt;
        // The first value of a turn is kept and sent back unchanged (protocol §10).
        const turnState = response.headers.get('x-codex-turn-state');
        if (turnState && options.turnState && options.turnState.value === undefined) options.turnState.value = turnState;
        const contentType = response.headers.get('content-type') ?? '';
        if (!contentType.includes('text/event-stream')) {
          throw await notAnEventStream(response, contentType);
        }
        this.checkServedModel(request.model, response.headers.get('openai-model'));
        const limits = rateLimitsFromHeaders(response.headers);
        if (limits) {
          rateLimits = limits;
          await emit(rateLimitsEvent(limits));
        }
        if (!response.body) throw new StreamError('stream_closed', 'the backend sent no body');

        // Hot path: events of one network read are handled synchronously; we wait only when the output is full
        // or a sink is busy (an image being saved). Once one is, the read's later events queue behind it, so they
        // reach the caller in order (a read may hold the image and the text after it).
        let waiting: Promise<void> | undefined;
        const push = (event: CodexEvent) => {
          if (waiting) {
            waiting = waiting.then(() => emit(event));
            return;
          }
          const pending = emit(event);
          if (pending) waiting = pending;
        };
        // Read without cutting the connection when the turn is done: the rest is let go by, the connection reused.
        answerBody = releasableBody(response);
        try {
          for await (const batch of sseBatches(answerBody.bytes!, () => idleTimer.refresh())) {
            for (let i = 0; i < batch.length && !turn.isCompleted; i++) turn.handle(batch[i]!.event ?? '', batch[i]!.data, push);
            const flushed = options.flush?.();
            if (flushed) waiting = waiting ? waiting.then(() => flushed) : flushed;
            if (waiting) {
              waitingOnOutput = true;
              await waiting;
              waitingOnOutput = false;
              idleTimer.refresh();
              waiting = undefined;
            }
            if (turn.isCompleted) break;
          }
        } catch (error) {
          // What the read's earlier events started (an image being saved) finishes first, and fails first.
          if (waiting && !signal.aborted) await waiting;
          if (signal.aborted) throw abortError(signal);
          throw streamBroke(error);
        }
        const outcome = turn.finish();
        if (rateLimits) outcome.rateLimits = rateLimits;
        released = true;
        await answerBody.release();
        return outcome;
      } catch (error) {
        const failure = error instanceof CodexError ? error : signal.aborted ? abortError(signal) : new CodexError('internal', messageOf(error), { cause: error });
        // A stream that failed before anything reached the caller is safe to send again.
        const retryable = !turn.emittedAnswer && !(turn.emittedAside && options.asidesShown !== false) && failure.retryable;
        if (!retryable) throw failure;
        const notice = this.http.planRetry(failure, failure.code, state.budget, failure.retryAfterMs);
        await emit(retryEvent(notice));
        await this.http.wait(notice, options.signal);
      } finally {
        clearTimeout(idleTimer);
        // Ends the request and its body, unless its connection was handed back: a failure (or a retry) cuts it.
        if (!released) {
          answerBody?.discard();
          idle.abort();
        }
      }
    }
  }
}

function linkAbort(source: AbortSignal | undefined, target: AbortController): () => void {
  if (!source) return () => undefined;
  const forward = () => target.abort(source.reason);
  if (source.aborted) forward();
  else source.addEventListener('abort', forward, { once: true });
  return () => source.removeEventListener('abort', forward);
}
