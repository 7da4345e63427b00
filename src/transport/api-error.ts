import * as z from 'zod/mini';
import { formatDuration } from '../shared/duration.js';
import { ApiError, type ErrorCode } from '../shared/errors.js';
import { maskTokens } from '../shared/redact.js';
import { isRetryableStatus } from './retry.js';

const ErrorBodySchema = z.looseObject({
  detail: z.optional(z.unknown()),
  error: z.optional(
    z.union([
      z.string(),
      z.looseObject({
        type: z.optional(z.nullable(z.string())),
        code: z.optional(z.nullable(z.string())),
        message: z.optional(z.nullable(z.string())),
        plan_type: z.optional(z.nullable(z.string())),
        resets_at: z.optional(z.nullable(z.number())),
        resets_in_seconds: z.optional(z.nullable(z.number())),
      }),
    ]),
  ),
  message: z.optional(z.string()),
});

const MAX_DETAIL_CHARS = 300;

export interface ErrorBodyInfo {
  type?: string;
  message?: string;
  plan?: string;
  resetsAt?: number;
}

/** Reads `{"detail":…}` (this backend) or `{"error":{…}}` (the platform); undefined for HTML and the like. */
export function parseErrorBody(text: string, nowMs: number = Date.now()): ErrorBodyInfo | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  return errorInfoFrom(json, nowMs);
}

/** The same for a body already parsed (an in-stream `error` event carries the same `error` object). */
export function errorInfoFrom(json: unknown, nowMs: number = Date.now()): ErrorBodyInfo | undefined {
  const parsed = ErrorBodySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { detail, error, message } = parsed.data;
  if (typeof error === 'object' && error !== null) {
    // A relative wait does not depend on our clock being right, so it wins over the absolute time.
    const resetsAt = error.resets_in_seconds != null ? Math.round(nowMs / 1000 + error.resets_in_seconds) : (error.resets_at ?? undefined);
    return {
      type: error.type ?? error.code ?? undefined,
      message: error.message ?? undefined,
      plan: error.plan_type ?? undefined,
      resetsAt: resetsAt ?? undefined,
    };
  }
  const detailText = typeof detail === 'string' ? detail : detail === undefined ? undefined : JSON.stringify(detail);
  return { message: detailText ?? (typeof error === 'string' ? error : message) };
}

/** A backend message as one short line: errors are one line on stderr, whatever the backend put in them. */
export function clip(text: string): string {
  // Masked before it is cut: a JWT cut in half would otherwise show its header and payload (email, account, plan).
  const oneLine = maskTokens(text).replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…` : oneLine;
}

/** "at 14:32 (in 2h 13m)", in local time. */
export function describeReset(resetsAt: number, nowMs: number = Date.now()): string {
  if (Number.isNaN(new Date(resetsAt * 1000).getTime())) return `in ${formatDuration(resetsAt - nowMs / 1000)}`;
  const date = new Date(resetsAt * 1000);
  const sameDay = new Date(nowMs).toDateString() === date.toDateString();
  const clock = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const when = sameDay ? clock : `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${clock}`;
  const left = resetsAt - nowMs / 1000;
  return `at ${when} (${left > 0 ? `in ${formatDuration(left)}` : 'already past'})`;
}

export interface ApiErrorContext {
  status: number;
  bodyText: string;
  requestId?: string;
  retryAfterMs?: number;
  nowMs?: number;
  /** The `version` the request carried, for the "requires a newer version" message. */
  clientVersion?: string;
}

const NOT_SUPPORTED = /^The '([^']{1,200})' model is not supported when using Codex with a ChatGPT account/;
const NEWER_VERSION = /^The '([^']{1,200})' model requires a newer version of Codex/;

type ErrorBase = { status?: number; requestId?: string; retryAfterMs?: number };

/** The usage limit of the plan, from a 429 body or an in-stream `error` event: the same words either way. */
export function usageLimitError(info: ErrorBodyInfo, base: ErrorBase = {}, nowMs: number = Date.now()): ApiError {
  const plan = info.plan ? `${info.plan} plan` : 'plan';
  const reset = info.resetsAt !== undefined ? `; it resets ${describeReset(info.resetsAt, nowMs)}` : '';
  return new ApiError('usage_limit_reached', `you have reached the usage limit of your ChatGPT ${plan}${reset}`, {
    ...base,
    resetsAt: info.resetsAt,
    plan: info.plan,
  });
}

export function usageNotIncludedError(info: ErrorBodyInfo, base: ErrorBase = {}): ApiError {
  const detail = info.message ? clip(info.message) : undefined;
  return new ApiError('usage_limit_reached', `your ChatGPT plan does not include Codex${detail ? ` (${detail})` : ''}`, {
    ...base,
    plan: info.plan,
  });
}

/** The error for a non-2xx answer of the backend. */
export function apiErrorFromResponse(ctx: ApiErrorContext): ApiError {
  const nowMs = ctx.nowMs ?? Date.now();
  const info = parseErrorBody(ctx.bodyText, nowMs);
  const detail = info?.message ? clip(info.message) : undefined;
  const base = { status: ctx.status, requestId: ctx.requestId, retryAfterMs: ctx.retryAfterMs };
  const { status } = ctx;

  if (status === 429 && info?.type === 'usage_limit_reached') return usageLimitError(info, base, nowMs);
  if (info?.type === 'usage_not_included') return usageNotIncludedError(info, base);
  // Past a usage limit, the status decides whether another try is worth it (a 408 is, whatever its body says).
  const retryable = isRetryableStatus(status);
  let code: ErrorCode;
  let what: string;
  if (status === 429) {
    code = 'rate_limited';
    what = 'rate limited';
  } else if (status === 401 || status === 403) {
    code = 'unauthorized';
    what = status === 401 ? 'the backend refused the sign-in (401); run `codex login`' : 'access denied (403)';
  } else if (status >= 500) {
    code = 'server_error';
    what = `server error (HTTP ${status})`;
  } else if (NOT_SUPPORTED.test(info?.message ?? '') || (status === 404 && /^model not found/i.test(detail ?? ''))) {
    const slug = NOT_SUPPORTED.exec(info?.message ?? '')?.[1];
    return new ApiError(
      'model_unavailable',
      `the backend does not serve ${slug ? `model ${slug}` : 'this model'} to ChatGPT accounts (HTTP ${status}); \`codex models\` lists the current ones`,
      { ...base, retryable },
    );
  } else if (NEWER_VERSION.test(info?.message ?? '')) {
    const slug = NEWER_VERSION.exec(info?.message ?? '')![1];
    const sent = ctx.clientVersion ? ` than ${ctx.clientVersion}` : '';
    return new ApiError(
      'client_outdated',
      `model ${slug} needs a newer Codex client version${sent}; set CODEX_CLIENT_VERSION or "client_version" in config.json to the newest official Codex CLI release`,
      { ...base, retryable },
    );
  } else if (/context.{0,20}(length|window)|too long|maximum context/i.test(detail ?? '') || info?.type === 'context_length_exceeded') {
    code = 'context_length_exceeded';
    what = 'the prompt is longer than the model accepts';
  } else {
    code = 'bad_request';
    what = `request rejected (HTTP ${status})`;
  }
  const wait = ctx.retryAfterMs !== undefined ? `; the server asks to wait ${formatDuration(ctx.retryAfterMs / 1000)}` : '';
  return new ApiError(code, `${what}${detail ? `: ${detail}` : ''}${wait}`, { ...base, retryable });
}
