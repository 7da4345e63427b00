import { randomUUID } from 'node:crypto';
import { ApiError, CodexError, StreamError } from '../errors.js';
import type { TokenManager } from '../store/tokens.js';
import { CodexHttp, abortError, type AttemptState, type RetryNotice } from '../transport/http.js';
import { sseMessages } from '../transport/sse.js';
import { SCHEMA_VERSION, type CodexEvent, type RateLimitsEvent, type ResultEvent, type Usage } from './events.js';
import { runToolLoop, toolSpec, type Tool } from './tools.js';
import { buildResponsesBody, requestInput, type AskRequest, type InputItem } from './request.js';
import { TurnState, type TurnOutcome } from './turn.js';

export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

export interface CodexClientOptions {
  baseUrl: string;
  tokens: TokenManager;
  fetch?: typeof fetch;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** No bytes on the stream for this long fails the request (idle_timeout). */
  idleTimeoutMs?: number;
  /** One per run: sent as `session_id` and used as the prompt cache key. */
  sessionId?: string;
  userAgent?: string;
  log?: (message: string) => void;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Functions the model may call; calls of one turn run concurrently. */
  tools?: Tool[];
  /** Stop a model that keeps calling tools after this many turns (default 10). */
  maxTurns?: number;
  /** Keep the answer's text for the `result` event (default true). Off saves memory on huge answers. */
  keepText?: boolean;
}

function rateLimitsFrom(headers: Headers): RateLimitsEvent | undefined {
  const window = (name: 'primary' | 'secondary') => {
    const used = headers.get(`x-codex-${name}-used-percent`);
    if (used === null || Number.isNaN(Number(used))) return undefined;
    const minutes = headers.get(`x-codex-${name}-window-minutes`);
    const resets = headers.get(`x-codex-${name}-reset-at`);
    return {
      used_percent: Number(used),
      ...(minutes !== null && !Number.isNaN(Number(minutes)) ? { window_minutes: Number(minutes) } : {}),
      ...(resets !== null && !Number.isNaN(Number(resets)) ? { resets_at: Number(resets) } : {}),
    };
  };
  const primary = window('primary');
  const secondary = window('secondary');
  if (!primary && !secondary) return undefined;
  return { type: 'rate_limits', ...(primary ? { primary } : {}), ...(secondary ? { secondary } : {}) };
}

function sumUsage(usages: Usage[]): Usage {
  const total: Usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };
  for (const usage of usages) {
    for (const key of Object.keys(total) as (keyof Usage)[]) total[key] += usage[key];
  }
  return total;
}

function retryEvent(notice: RetryNotice): CodexEvent {
  return { type: 'retry', attempt: notice.attempt, max_retries: notice.maxRetries, delay_ms: notice.delayMs, reason: notice.reason };
}

/** Talks to the Codex Responses backend; every answer is an AsyncIterable of normalized events. */
export class CodexClient {
  readonly sessionId: string;
  readonly http: CodexHttp;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: CodexClientOptions) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.http = new CodexHttp({
      baseUrl: options.baseUrl,
      tokens: options.tokens,
      sessionId: this.sessionId,
      fetch: options.fetch,
      maxRetries: options.maxRetries,
      retryBaseDelayMs: options.retryBaseDelayMs,
      userAgent: options.userAgent,
      log: options.log,
    });
  }

  /**
   * Streams one answer: `start`, then deltas (and `retry` / `rate_limits`), then `result`. Failures are thrown
   * as CodexErrors. Breaking out of the loop aborts the HTTP request.
   */
  async *stream(request: AskRequest, options: StreamOptions = {}): AsyncGenerator<CodexEvent, ResultEvent> {
    yield { type: 'start', schema_version: SCHEMA_VERSION, model: request.model, session_id: this.sessionId };
    const tools = options.tools ?? [];
    const withTools: AskRequest = tools.length > 0 ? { ...request, tools: [...(request.tools ?? []), ...tools.map(toolSpec)] } : request;
    const outcomes = yield* runToolLoop((input) => this.turn(withTools, input, options), requestInput(request), tools, {
      maxTurns: options.maxTurns,
      signal: options.signal,
    });
    const last = outcomes[outcomes.length - 1]!;
    const result: ResultEvent = {
      type: 'result',
      response_id: last.responseId,
      model: last.model,
      text: outcomes.map((outcome) => outcome.text).join(''),
      usage: sumUsage(outcomes.map((outcome) => outcome.usage)),
    };
    yield result;
    return result;
  }

  /** One request/response round trip, with retries until output has been emitted. */
  async *turn(request: AskRequest, input: InputItem[], options: StreamOptions = {}): AsyncGenerator<CodexEvent, TurnOutcome> {
    const body = buildResponsesBody(request, input, this.sessionId);
    const state: AttemptState = { budget: { used: 0 } };
    for (;;) {
      const idle = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
      const idleTimer = setTimeout(
        () => idle.abort(new StreamError('idle_timeout', `no data from the backend for ${Math.round(this.idleTimeoutMs / 1000)} s`)),
        this.idleTimeoutMs,
      );
      const turn = new TurnState(request.model, options.keepText ?? true);
      try {
        const attempt = await this.http.attempt(
          { method: 'POST', path: '/responses', body, accept: 'text/event-stream', signal },
          state,
        );
        if (attempt.kind === 'retry') {
          yield retryEvent(attempt.notice);
          await this.http.wait(attempt.notice, options.signal);
          continue;
        }
        const { response } = attempt;
        const contentType = response.headers.get('content-type') ?? '';
        if (!contentType.includes('text/event-stream')) {
          const text = await response.text().catch(() => '');
          throw new StreamError(
            'bad_stream',
            `expected an event stream from the backend, got ${contentType || 'no content type'}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`,
            { status: response.status },
          );
        }
        const limits = rateLimitsFrom(response.headers);
        if (limits) yield limits;
        if (!response.body) throw new StreamError('stream_closed', 'the backend sent no body');

        const pending: CodexEvent[] = [];
        const push = (event: CodexEvent) => pending.push(event);
        try {
          for await (const message of sseMessages(response.body, () => idleTimer.refresh())) {
            turn.handle(message.event ?? '', message.data, push);
            for (let i = 0; i < pending.length; i++) yield pending[i]!;
            pending.length = 0;
            if (turn.isCompleted) break;
          }
        } catch (error) {
          if (signal.aborted) throw abortError(signal);
          if (error instanceof CodexError) throw error;
          throw new StreamError('stream_closed', `the stream broke: ${(error as Error).message ?? String(error)}`, { cause: error });
        }
        return turn.finish();
      } catch (error) {
        const failure =
          error instanceof CodexError
            ? error
            : signal.aborted
              ? abortError(signal)
              : new CodexError('internal', (error as Error)?.message ?? String(error), { cause: error });
        // A stream that failed before anything reached the caller is safe to send again.
        const retryable =
          !turn.emittedOutput &&
          (failure.code === 'stream_closed' || (failure instanceof ApiError && failure.code === 'rate_limited'));
        if (!retryable) throw failure;
        const notice = this.http.planRetry(failure, failure.code === 'stream_closed' ? 'stream_closed' : failure.code, state.budget);
        yield retryEvent(notice);
        await this.http.wait(notice, options.signal);
      } finally {
        clearTimeout(idleTimer);
        idle.abort();
      }
    }
  }
}
