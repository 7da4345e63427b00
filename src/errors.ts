/** Every failure the library reports is a CodexError with one of these codes. */
export const EXIT_CODES = {
  internal: 1,
  usage: 2,
  not_logged_in: 3,
  login_failed: 3,
  refresh_token_reused: 3,
  refresh_token_expired: 3,
  refresh_token_invalidated: 3,
  refresh_failed: 3,
  unauthorized: 3,
  credentials_corrupt: 3,
  credentials_unwritable: 3,
  unsafe_permissions: 3,
  log_unwritable: 3,
  conversation_not_found: 2,
  conversation_busy: 5,
  usage_limit_reached: 4,
  rate_limited: 4,
  quota_low: 4,
  network: 5,
  server_error: 5,
  stream_closed: 5,
  idle_timeout: 5,
  bad_stream: 5,
  bad_request: 6,
  response_failed: 6,
  refused: 6,
  unsupported_tool_call: 6,
  max_turns: 6,
  schema_mismatch: 6,
  context_length_exceeded: 6,
  model_unavailable: 6,
  client_outdated: 6,
  timeout: 124,
  cancelled: 130,
  terminated: 143,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

export interface ErrorDetails {
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
  resetsAt?: number;
  plan?: string;
  cause?: unknown;
}

export class CodexError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly resetsAt?: number;
  readonly plan?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.resetsAt = details.resetsAt;
    this.plan = details.plan;
  }

  get exitCode(): number {
    return exitCodeFor(this.code);
  }
}

/** Sign-in, refresh and credential-file failures. */
export class AuthError extends CodexError {}
/** The backend answered with an HTTP error, or could not be reached. */
export class ApiError extends CodexError {}
/** The answer stream broke, stalled or carried something unreadable. */
export class StreamError extends CodexError {}
/** The model declined to answer; `refusal` is its own words (also in the message). */
export class RefusedError extends CodexError {
  constructor(readonly refusal: string) {
    super('refused', `the model refused to answer: ${refusal.replace(/\s+/g, ' ').trim() || '(no reason given)'}`);
  }
}
/** The model called a tool that was never offered (a local shell, a custom tool …): nothing can answer it. */
export class UnsupportedToolCallError extends CodexError {
  constructor(
    /** The output item's type, e.g. `local_shell_call`. */
    readonly itemType: string,
    /** The tool's name, when the item carries one. */
    readonly toolName?: string,
  ) {
    super('unsupported_tool_call', `the model called ${toolName ? `the tool ${toolName} (${itemType})` : itemType}, which codex does not offer`);
  }
}
/** The conversation log: a conversation that is not there, busy past the wait, or a log that cannot be written. */
export class ConversationError extends CodexError {}
/** The caller asked for something impossible: bad flag, empty prompt, unreadable file. */
export class UsageError extends CodexError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('usage', message, details);
  }
}

/** The one place where error codes become process exit codes. */
export function exitCodeFor(code: string): number {
  return (EXIT_CODES as Record<string, number>)[code] ?? 1;
}

/** The reason an AbortSignal fired, as a CodexError (ours carry one; anything else is a cancel). */
export function abortError(signal: AbortSignal): CodexError {
  const reason: unknown = signal.reason;
  return reason instanceof CodexError ? reason : new CodexError('cancelled', 'cancelled');
}

export function isCodexError(value: unknown): value is CodexError {
  return value instanceof CodexError;
}
