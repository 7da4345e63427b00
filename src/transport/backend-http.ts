import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_CLIENT_VERSION, ORIGINATOR } from '../config/resolve.js';
import { formatDuration } from '../shared/duration.js';
import { ApiError, abortError, type CodexError } from '../shared/errors.js';
import type { Credentials } from '../store/credentials.js';
import { apiErrorFromResponse } from './api-error.js';
import type { Fetch, HttpAnswer } from './http-answer.js';
import { send } from './http-send.js';
import { describeNetworkError, isPermanentNetworkError } from './network-error.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_DELAY_MS, MAX_RETRY_AFTER_MS, retryAfterMsFrom, retryDelayMs } from './retry.js';
import type { TokenSource } from './token-source.js';
import { userAgent } from './user-agent.js';

export interface RetryNotice {
  attempt: number;
  maxRetries: number;
  delayMs: number;
  reason: string;
}

export interface HttpOptions {
  baseUrl: string;
  tokens: TokenSource;
  sessionId: string;
  fetch?: typeof fetch;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  /** Sent as the `version` header on every request (protocol §10); default DEFAULT_CLIENT_VERSION. */
  clientVersion?: string;
  /** Default: the official client's format with our name in the suffix (see user-agent.ts). */
  userAgent?: string;
  /** The environment the default User-Agent names the terminal from (TERM_PROGRAM, TERM); none: `unknown`. */
  env?: Record<string, string | undefined>;
  /**
   * Asked once, when the backend says the model "requires a newer version of Codex": a newer version to retry
   * with (sent from then on), or undefined to fail as before.
   */
  upgradeClientVersion?: (current: string) => Promise<string | undefined>;
  log?: (message: string) => void;
}

/** Shared across the HTTP attempts and stream restarts of one logical request. */
export interface RetryBudget {
  used: number;
}

export interface RequestOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  accept?: string;
  /** Added to (or replacing) the common headers of this request. */
  headers?: Record<string, string>;
  /** A 401 is the answer, not a reason to refresh (a side check must never spend the refresh token). */
  noRefreshOn401?: boolean;
  /** A whole URL instead of base URL + path (the backend's other APIs, such as `wham/…`). */
  url?: string;
  /** Instead of the base URL's origin (workspace routing, protocol §10); the path stays the same. */
  origin?: string;
  signal?: AbortSignal;
}

export interface OpenedResponse {
  response: HttpAnswer;
  credentials: Credentials;
}

export interface AttemptState {
  budget: RetryBudget;
  credentials?: Credentials;
  refreshedAfter401?: boolean;
}

export type Attempt = ({ kind: 'ok' } & OpenedResponse) | { kind: 'retry'; notice: RetryNotice };

/** One function for every backend call: headers, auth (refresh before, and once after a 401), retries. */
export class BackendHttp {
  readonly maxRetries: number;
  private readonly fetchImpl: Fetch;
  private raisedVersion?: string;
  private upgradeAsked = false;

  constructor(private readonly options: HttpOptions) {
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.fetchImpl = options.fetch ?? send;
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  get clientVersion(): string {
    return this.raisedVersion ?? this.options.clientVersion ?? DEFAULT_CLIENT_VERSION;
  }

  /**
   * The session's headers, which the official client 0.171 sends on `/responses` only (protocol §11; not on the
   * catalog or `/alpha/search`): `session-id` (no underscore twin), the same id as the thread and the client id.
   */
  get sessionHeaders(): Record<string, string> {
    return { 'session-id': this.options.sessionId, 'thread-id': this.options.sessionId, 'x-client-request-id': this.options.sessionId };
  }

  private headers(credentials: Credentials, accept: string, hasBody: boolean): Record<string, string> {
    return {
      version: this.clientVersion,
      authorization: `Bearer ${credentials.access_token}`,
      'chatgpt-account-id': credentials.account_id,
      accept,
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      originator: ORIGINATOR,
      'user-agent': this.options.userAgent ?? userAgent(this.clientVersion, this.options.env ?? {}),
    };
  }

  /**
   * The next retry, if the budget allows; otherwise throws `failure`. A server that asks for a wait longer
   * than MAX_RETRY_AFTER_MS is not waited for.
   */
  planRetry(failure: CodexError, reason: string, budget: RetryBudget, retryAfterMs?: number): RetryNotice {
    if (budget.used >= this.maxRetries) throw failure;
    if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) throw failure;
    const delayMs = retryDelayMs(budget.used, retryAfterMs, this.options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS);
    budget.used += 1;
    this.options.log?.(`retry ${budget.used}/${this.maxRetries} in ${delayMs} ms (${reason})`);
    return { attempt: budget.used, maxRetries: this.maxRetries, delayMs, reason };
  }

  async wait(notice: RetryNotice, signal?: AbortSignal): Promise<void> {
    try {
      await delay(notice.delayMs, undefined, { signal });
    } catch {
      throw abortError(signal!);
    }
  }

  /** One HTTP attempt: a 2xx response, or the retry to make (already charged to the budget). */
  async attempt(options: RequestOptions, state: AttemptState): Promise<Attempt> {
    const { tokens } = this.options;
    const budget = state.budget;
    state.credentials ??= await tokens.valid();
    const url = options.url ?? `${options.origin ? withOrigin(this.options.baseUrl, options.origin) : this.options.baseUrl}${options.path}`;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    for (;;) {
      if (options.signal?.aborted) throw abortError(options.signal);
      let response: HttpAnswer;
      const started = Date.now();
      try {
        response = await this.fetchImpl(url, {
          method: options.method,
          headers: { ...this.headers(state.credentials, options.accept ?? 'application/json', body !== undefined), ...options.headers },
          body,
          signal: options.signal,
          // No backend endpoint redirects: following one would re-send the prompt and the account id elsewhere.
          redirect: 'error',
        });
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
        const why = describeNetworkError(error, url);
        this.options.log?.(`${options.method} ${url}: ${why}`);
        // A refused redirect, or a proxy that will not open a tunnel, does not change in a second: not retried.
        const failure = new ApiError('network', `cannot reach ${new URL(url).host}: ${why}`, { cause: error, retryable: !isPermanentNetworkError(error) });
        if (!failure.retryable) throw failure;
        return { kind: 'retry', notice: this.planRetry(failure, 'network', budget) };
      }
      const requestId = response.headers.get('x-request-id') ?? response.headers.get('cf-ray') ?? undefined;
      this.options.log?.(`${options.method} ${url} → ${response.status} in ${Date.now() - started} ms${requestId ? ` (request id ${requestId})` : ''}`);
      if (response.ok) return { kind: 'ok', response, credentials: state.credentials };

      const bodyText = await response.text().catch(() => '');
      if (response.status === 401 && !state.refreshedAfter401 && !options.noRefreshOn401) {
        state.refreshedAfter401 = true;
        state.credentials = await tokens.afterUnauthorized(state.credentials);
        continue;
      }
      const retryAfterMs = retryAfterMsFrom(response.headers);
      const failure = apiErrorFromResponse({ status: response.status, bodyText, requestId, retryAfterMs, clientVersion: this.clientVersion });
      if (response.status === 401) {
        throw new ApiError('unauthorized', 'the backend still refuses the sign-in after a refresh (401); run `codex login`', {
          status: 401,
          requestId,
        });
      }
      if (failure.code === 'client_outdated' && this.options.upgradeClientVersion && !this.upgradeAsked) {
        this.upgradeAsked = true;
        const newer = await this.options.upgradeClientVersion(this.clientVersion);
        if (newer) {
          this.raisedVersion = newer;
          continue;
        }
      }
      if (!failure.retryable) throw failure;
      if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
        const what = failure.code === 'rate_limited' ? 'rate limited' : `server busy (HTTP ${response.status})`;
        throw new ApiError(failure.code, `${what}; the server asks to wait ${formatDuration(retryAfterMs / 1000)}, longer than codex waits`, {
          status: response.status,
          requestId,
          retryAfterMs,
        });
      }
      return { kind: 'retry', notice: this.planRetry(failure, `http_${response.status}`, budget, retryAfterMs) };
    }
  }

  /** A whole request with its retries, for calls whose answer is read at once (models). */
  async request(options: RequestOptions, onRetry?: (notice: RetryNotice) => void): Promise<OpenedResponse> {
    const state: AttemptState = { budget: { used: 0 } };
    for (;;) {
      const result = await this.attempt(options, state);
      if (result.kind === 'ok') return result;
      onRetry?.(result.notice);
      await this.wait(result.notice, options.signal);
    }
  }
}

/** `https://chatgpt.com/backend-api/codex` with another origin: `https://eu.example/backend-api/codex`. */
export function withOrigin(baseUrl: string, origin: string): string {
  const base = new URL(baseUrl);
  return `${new URL(origin).origin}${base.pathname.replace(/\/+$/, '')}`;
}
