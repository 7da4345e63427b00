import { ApiError, abortError } from '../shared/errors.js';
import type { HttpAnswer } from './http-answer.js';
import { describeNetworkError } from './network-error.js';

/**
 * An answer's body as JSON. A read that stops before the end is the abort that stopped it (`signal`'s reason) or a
 * network failure, not JSON the backend got wrong: only a body read whole and unparsable is `server_error`.
 */
export async function readJson(response: HttpAnswer, what: string, signal?: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw new ApiError('network', `${what} was cut off: ${describeNetworkError(error)}`, { status: response.status, cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError('server_error', `${what} is not valid JSON`, { status: response.status, cause: error });
  }
}

/**
 * `signal`, or a deadline of `ms`, whichever fires first. The deadline's reason says what did not arrive in time (a
 * `network` ApiError), where AbortSignal.timeout's would read as a cancel.
 */
export function withDeadline(signal: AbortSignal | undefined, ms: number, what: string): AbortSignal {
  const deadline = new AbortController();
  setTimeout(() => deadline.abort(new ApiError('network', `${what} did not arrive within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`)), ms).unref();
  return signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
}
