// Codex access tokens: opaque `at-…` tokens a Business/Enterprise workspace admin lets members mint, each with an
// expiry of its own and no refresh token. The official client learns the account they belong to from the issuer's
// `whoami` endpoint (`GET <issuer>/api/accounts/v1/user-auth-credential/whoami`, Bearer the token), and sends its
// `chatgpt_account_id` as `chatgpt-account-id`, as for a sign-in.
import * as z from 'zod/mini';
import { DEFAULT_CLIENT_VERSION, ORIGINATOR } from '../config/resolve.js';
import { AuthError, CodexError } from '../shared/errors.js';
import { ISSUER_REQUEST_TIMEOUT_MS } from '../shared/refresh-timing.js';
import { ACCESS_TOKEN_MODE, type CredentialStore, type Credentials, UNKNOWN_EXPIRY_S } from '../store/credentials.js';
import { describeNetworkError } from '../transport/network-error.js';
import { userAgent } from '../transport/user-agent.js';

export const ACCESS_TOKEN_PREFIX = 'at-';
export const WHOAMI_PATH = '/api/accounts/v1/user-auth-credential/whoami';

const WhoamiSchema = z.looseObject({
  email: z.optional(z.nullable(z.string())),
  chatgpt_user_id: z.optional(z.string()),
  chatgpt_account_id: z.string().check(z.minLength(1)),
  chatgpt_plan_type: z.optional(z.nullable(z.string())),
});

/** What a refused access token means, and what to do (the not-logged-in code: exit 3). */
export function refusedAccessToken(where: string): AuthError {
  return new AuthError(
    'not_logged_in',
    `the Codex access token in ${where} was refused: it has expired or was revoked. Ask your workspace admin for a new one, then ` +
      '`codex login --with-access-token` (or set CODEX_ACCESS_TOKEN); access tokens are never refreshed',
  );
}

/** A token as given (stdin, env): trimmed, and it must look like an access token. */
export function checkAccessToken(raw: string, source: string): string {
  const token = raw.trim();
  if (token === '') throw new AuthError('login_failed', `${source} is empty; it takes a Codex access token (at-…)`);
  if (!token.startsWith(ACCESS_TOKEN_PREFIX) || /\s/.test(token)) {
    throw new AuthError('login_failed', `${source} does not hold a Codex access token (they start with "${ACCESS_TOKEN_PREFIX}")`);
  }
  return token;
}

export interface WhoamiOptions {
  issuer: string;
  clientVersion?: string;
  fetch?: typeof fetch;
  /** The environment the User-Agent names the terminal from (TERM_PROGRAM, TERM); none: `unknown`. */
  env?: Record<string, string | undefined>;
  /** Names the token in messages (CODEX_ACCESS_TOKEN, stdin). */
  where: string;
}

/** The account, email and plan of an access token, from the issuer; a refused token is `not_logged_in`. */
export async function resolveAccessToken(token: string, options: WhoamiOptions): Promise<Credentials> {
  const issuer = options.issuer.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(`${issuer}${WHOAMI_PATH}`, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        originator: ORIGINATOR,
        'user-agent': userAgent(options.clientVersion ?? DEFAULT_CLIENT_VERSION, options.env ?? {}),
      },
      redirect: 'error',
      signal: AbortSignal.timeout(ISSUER_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CodexError('network', `could not reach ${issuer} to look up the Codex access token: ${describeNetworkError(error, issuer)}`, { cause: error });
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403) throw refusedAccessToken(options.where);
  if (!response.ok) {
    throw new CodexError(response.status >= 500 ? 'server_error' : 'login_failed', `${issuer} answered ${response.status} to the access token look-up`, {
      status: response.status,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = WhoamiSchema.safeParse(json);
  if (!parsed.success) throw new AuthError('login_failed', `${issuer} answered the access token look-up with something codex cannot read`);
  const { chatgpt_account_id, email, chatgpt_plan_type } = parsed.data;
  return {
    auth_mode: ACCESS_TOKEN_MODE,
    access_token: token,
    refresh_token: '',
    expires_at: UNKNOWN_EXPIRY_S,
    account_id: chatgpt_account_id,
    ...(email ? { email } : {}),
    ...(chatgpt_plan_type ? { plan: chatgpt_plan_type } : {}),
  };
}

/** CODEX_ACCESS_TOKEN: looked up once per process, kept in memory, never refreshed and never written. */
export class EnvAccessTokenStore implements CredentialStore {
  readonly kind = 'access-token' as const;
  readonly location = 'CODEX_ACCESS_TOKEN';
  private resolved: Promise<Credentials> | undefined;
  private cleared = false;

  constructor(
    private readonly token: string,
    private readonly options: Omit<WhoamiOptions, 'where'>,
  ) {}

  read(): Promise<Credentials | undefined> {
    if (this.cleared) return Promise.resolve(undefined);
    this.resolved ??= resolveAccessToken(this.token, { ...this.options, where: this.location });
    const resolved = this.resolved;
    resolved.catch(() => {
      if (this.resolved === resolved) this.resolved = undefined;
    });
    return resolved;
  }

  async save(): Promise<void> {
    throw new AuthError('credentials_unwritable', 'CODEX_ACCESS_TOKEN is set: there is nowhere to save a sign-in');
  }

  async clear(): Promise<boolean> {
    const had = !this.cleared;
    this.cleared = true;
    return had;
  }

  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
