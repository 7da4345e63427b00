// CodexErrors as OpenAI-shaped HTTP errors: `{"error":{"message","type","param","code"}}` with a fitting status.
import { CodexError, ERROR_CODES, UsageError } from '../shared/errors.js';

/** A request the server refuses itself (400), with the OpenAI error code and the parameter at fault. */
export class RequestError extends UsageError {
  constructor(
    message: string,
    readonly wireCode: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null; resets_at?: number };
}

export interface HttpFailure {
  status: number;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
  /** The whole message of a failure on the server's side, for its log only (the client gets a general one). */
  detail?: string;
}

const STATUS_BY_CODE: Record<string, number> = {
  usage: 400,
  bad_request: 400,
  response_failed: 400,
  refused: 400,
  unsupported_tool_call: 400,
  max_turns: 400,
  schema_mismatch: 400,
  context_length_exceeded: 400,
  client_outdated: 400,
  model_unavailable: 404,
  image_not_in_plan: 403,
  usage_limit_reached: 429,
  rate_limited: 429,
  network: 502,
  server_error: 502,
  stream_closed: 502,
  idle_timeout: 504,
  bad_stream: 502,
  timeout: 504,
  cancelled: 499,
  terminated: 503,
};

const AUTH_CODES = new Set([
  'unsafe_permissions',
  'not_logged_in',
  'login_failed',
  'refresh_token_reused',
  'refresh_token_expired',
  'refresh_token_invalidated',
  'refresh_failed',
  'unauthorized',
  'credentials_corrupt',
  'credentials_unwritable',
]);

function typeFor(status: number, code: string): string {
  if (code === 'usage_limit_reached') return 'insufficient_quota';
  if (status === 429) return 'rate_limit_error';
  if (status === 404) return 'invalid_request_error';
  if (status < 500) return 'invalid_request_error';
  return 'server_error';
}

export function openAiError(_status: number, type: string, code: string | null, message: string, param: string | null = null): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

/**
 * What a client is told of a failure on the server's side: its sign-in or its files. The message itself names
 * local paths (the config dir, auth.json), which are no business of a client; the server's log has it.
 */
function serverSideMessage(code: string): string | undefined {
  if (code === 'internal') return 'internal error';
  const kind = ERROR_CODES[code as keyof typeof ERROR_CODES]?.kind;
  if (kind === 'auth') return `codex serve cannot use its sign-in (${code}); its log says why, and \`codex login\` where it runs fixes most causes`;
  if (kind === 'storage') return `codex serve cannot use its files (${code}); its log says why`;
  return undefined;
}

/**
 * The HTTP answer for a failure. The backend's sign-in problems are the server's, not the client's: 503, so that a
 * client does not take them for a wrong API key (that is 401).
 */
export function httpFailure(error: unknown, redact: (text: string) => string = (text) => text): HttpFailure {
  const failure = error instanceof CodexError ? error : new CodexError('internal', 'internal error');
  const code = failure.code;
  const status = AUTH_CODES.has(code) ? 503 : (STATUS_BY_CODE[code] ?? 500);
  const wireCode = failure instanceof RequestError ? failure.wireCode : code === 'model_unavailable' ? 'model_not_found' : code;
  const general = serverSideMessage(code);
  const message = general ?? redact(failure.message);
  const body = openAiError(status, typeFor(status, code), wireCode, message, failure instanceof RequestError ? failure.param : null);
  const headers: Record<string, string> = {};
  const nowS = Date.now() / 1000;
  if (failure.resetsAt !== undefined) {
    body.error.resets_at = failure.resetsAt;
    headers['retry-after'] = String(Math.max(1, Math.ceil(failure.resetsAt - nowS)));
  } else if (failure.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(failure.retryAfterMs / 1000)));
  }
  return { status, body, headers, ...(general !== undefined ? { detail: redact(failure.message) } : {}) };
}
