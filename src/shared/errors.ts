/**
 * What a failure means, by kind: `usage` (fix the command), `auth` (sign in again, fix the credential files),
 * `quota` (wait for a reset), `network`, `backend` (its answer was an error), `stream` (the answer stream broke),
 * `answer` (an answer came but cannot be used), `storage` (the conversation log: unwritable, or busy past the
 * wait; an image that `--image-out` cannot write; a lock file that is not one codex can use; too many open files), `stop` (a timeout or signal), `internal` (a bug).
 */
export type ErrorKind = 'usage' | 'auth' | 'quota' | 'network' | 'backend' | 'stream' | 'answer' | 'storage' | 'stop' | 'internal';

export interface ErrorCodeInfo {
  /** The process exit status of the CLI. */
  readonly exit: number;
  readonly kind: ErrorKind;
  /** Sending the same request again may succeed: codex does so (up to --max-retries) before anything was shown. */
  readonly retryable: boolean;
  /** The stored sign-in is dead for good: no retry or refresh can revive it, only a new sign-in. */
  readonly permanent: boolean;
}

/** A row of the table: `EXIT KIND`, then `retryable` or `permanent` where that holds. */
type Row = `${number} ${ErrorKind}` | `${number} ${ErrorKind} ${'retryable' | 'permanent'}`;

/** Every failure the library reports is a CodexError with one of these codes; what follows from a code is here. */
const TABLE = {
  internal: '1 internal',
  usage: '2 usage',
  not_logged_in: '3 auth',
  login_failed: '3 auth',
  refresh_token_reused: '3 auth permanent',
  refresh_token_expired: '3 auth permanent',
  refresh_token_invalidated: '3 auth permanent',
  refresh_failed: '3 auth',
  access_token_expired: '3 auth',
  unauthorized: '3 auth',
  credentials_corrupt: '3 auth',
  credentials_unwritable: '3 auth',
  unsafe_permissions: '3 auth',
  credential_store_unavailable: '3 auth',
  log_unwritable: '3 storage',
  image_unwritable: '3 storage',
  lock_unusable: '3 storage',
  too_many_open_files: '3 storage',
  conversation_not_found: '2 usage',
  conversation_busy: '5 storage',
  usage_limit_reached: '4 quota',
  rate_limited: '4 quota retryable',
  quota_low: '4 quota',
  no_reset_credit: '4 quota',
  network: '5 network retryable',
  server_error: '5 backend retryable',
  stream_closed: '5 stream retryable',
  idle_timeout: '5 stream',
  bad_stream: '5 stream',
  bad_request: '6 backend',
  response_failed: '6 answer',
  refused: '6 answer',
  unsupported_tool_call: '6 answer',
  max_turns: '6 answer',
  schema_mismatch: '6 answer',
  context_length_exceeded: '6 backend',
  model_unavailable: '6 backend',
  client_outdated: '6 backend',
  image_not_in_plan: '7 backend',
  search_unavailable: '7 backend',
  timeout: '124 stop',
  cancelled: '130 stop',
  terminated: '143 stop',
} as const satisfies Record<string, Row>;

export type ErrorCode = keyof typeof TABLE;

const ALL_CODES = Object.keys(TABLE) as ErrorCode[];

function infoOf(row: Row): ErrorCodeInfo {
  const [exit, kind, flag] = row.split(' ') as [string, ErrorKind, string?];
  return { exit: Number(exit), kind, retryable: flag === 'retryable', permanent: flag === 'permanent' };
}

/** The error table: code → exit status, kind, retryable, permanent. */
export const ERROR_CODES: { readonly [C in ErrorCode]: ErrorCodeInfo } = Object.fromEntries(ALL_CODES.map((code) => [code, infoOf(TABLE[code])])) as {
  readonly [C in ErrorCode]: ErrorCodeInfo;
};

/** Code → exit status (the CLI's exit table, from ERROR_CODES). */
export const EXIT_CODES = Object.fromEntries(ALL_CODES.map((code) => [code, ERROR_CODES[code].exit])) as { readonly [C in ErrorCode]: number };

/** The refresh errors after which only a new sign-in helps (the issuer's error codes are the same strings). */
export const PERMANENT_REFRESH_ERRORS: readonly ErrorCode[] = ALL_CODES.filter((code) => ERROR_CODES[code].permanent);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** Whether `code` (an issuer's error code, say) is one of the permanent refresh errors. */
export function isPermanentRefreshError(code: unknown): code is ErrorCode {
  return isErrorCode(code) && ERROR_CODES[code].permanent;
}

/** The one place where error codes become process exit codes. */
export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code].exit;
}

export interface ErrorDetails {
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
  resetsAt?: number;
  plan?: string;
  /** Overrides the table for this one failure: a 408 is worth another try, a refused redirect is not. */
  retryable?: boolean;
  cause?: unknown;
}

export class CodexError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly resetsAt?: number;
  readonly plan?: string;
  /** Whether codex may send the request again (the code's `retryable`, unless this failure says otherwise). */
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.resetsAt = details.resetsAt;
    this.plan = details.plan;
    this.retryable = details.retryable ?? ERROR_CODES[code].retryable;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  get exitCode(): number {
    return exitCodeFor(this.code);
  }
}

/** Sign-in, refresh and credential-file failures (the files' modes and owners included). */
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
/** A lock could not be created, another process held it too long, or something that is no usable lock is in its place. */
export class LockError extends CodexError {}

/** The reason an AbortSignal fired, as a CodexError (ours carry one; anything else is a cancel). */
export function abortError(signal: AbortSignal): CodexError {
  const reason: unknown = signal.reason;
  return reason instanceof CodexError ? reason : new CodexError('cancelled', 'cancelled');
}

export function isCodexError(value: unknown): value is CodexError {
  return value instanceof CodexError;
}
