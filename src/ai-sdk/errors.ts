// Our CodexErrors as the AI SDK's error classes. The CodexError is always the `cause` (its `code`, `resetsAt`…),
// and an APICallError's `data` repeats the code, so `APICallError.isInstance(e) && e.data.code` works too.
import { AISDKError, APICallError, InvalidArgumentError, LoadAPIKeyError, NoSuchModelError } from '@ai-sdk/provider';
import { CodexError } from '../shared/errors.js';

export interface ErrorContext {
  url: string;
  modelId: string;
  /** What was asked for (no prompt text): the AI SDK shows it in APICallError.requestBodyValues. */
  requestBodyValues: unknown;
  signal?: AbortSignal;
}

/** What an APICallError made from a CodexError carries in `data`. */
export interface CodexErrorData {
  code: string;
  /** usage_limit_reached: when the limit resets (unix seconds). */
  resetsAt?: number;
  retryAfterMs?: number;
  plan?: string;
  requestId?: string;
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return error;
}

function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

export function toAiSdkError(error: unknown, context: ErrorContext): unknown {
  // An aborted call rejects with the signal's reason (an AbortError), as fetch-based providers do.
  if (context.signal?.aborted) return abortReason(context.signal);
  if (AISDKError.isInstance(error) || !(error instanceof CodexError)) return error;
  if (error.code === 'model_unavailable') {
    return withCause(new NoSuchModelError({ modelId: context.modelId, modelType: 'languageModel', message: error.message }), error);
  }
  if (error.kind === 'auth' && error.status === undefined) return withCause(new LoadAPIKeyError({ message: error.message }), error);
  if (error.kind === 'usage') return new InvalidArgumentError({ argument: 'request', message: error.message, cause: error });
  const data: CodexErrorData = {
    code: error.code,
    ...(error.resetsAt !== undefined ? { resetsAt: error.resetsAt } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    ...(error.plan !== undefined ? { plan: error.plan } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
  };
  return new APICallError({
    message: error.message,
    url: context.url,
    requestBodyValues: context.requestBodyValues,
    ...(error.status !== undefined ? { statusCode: error.status } : {}),
    cause: error,
    // The Codex facade has already retried what can be retried (network, 429, 5xx): the AI SDK should not again.
    isRetryable: false,
    data,
  });
}
