import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { CLIENT_ID, DEFAULT_CLIENT_VERSION, ORIGINATOR } from '../config/resolve.js';
import { AuthError, isPermanentRefreshError } from '../shared/errors.js';
import { decodeJwtClaims } from '../shared/jwt-claims.js';
import { maskSecrets, maskTokens } from '../shared/redact.js';
import { ISSUER_REQUEST_TIMEOUT_MS, REFRESH_RETRIES } from '../shared/refresh-timing.js';
import type { Credentials } from '../store/credentials.js';
import type { Fetch } from '../transport/http-answer.js';
import { send } from '../transport/http-send.js';
import { describeNetworkError, isPermanentNetworkError } from '../transport/network-error.js';
import { backoffMs, isRetryableStatus } from '../transport/retry.js';
import { userAgent } from '../transport/user-agent.js';

export const TokenResponseSchema = z.looseObject({
  id_token: z.optional(z.string()),
  access_token: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.optional(z.number()),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

const OAuthErrorSchema = z.looseObject({
  error: z.optional(z.union([z.string(), z.looseObject({ code: z.optional(z.string()), message: z.optional(z.string()) })])),
  error_description: z.optional(z.string()),
  code: z.optional(z.string()),
  message: z.optional(z.string()),
});

const REFRESH_MESSAGES: Record<string, string> = {
  refresh_token_reused: 'your sign-in was used by another client and is no longer valid; sign in again with `codex login`',
  refresh_token_expired: 'your sign-in has expired; sign in again with `codex login`',
  refresh_token_invalidated: 'your sign-in was revoked; sign in again with `codex login`',
};

export interface OAuthClientOptions {
  issuer: string;
  clientId?: string;
  fetch?: typeof fetch;
  /** Transient failures (5xx, network) of a refresh are tried this many more times. */
  refreshRetries?: number;
  retryBaseDelayMs?: number;
  timeoutMs?: number;
  /** For the User-Agent the issuer sees, as the official client sends it (protocol §10). */
  clientVersion?: string;
  /** The environment that User-Agent names the terminal from (TERM_PROGRAM, TERM); none: `unknown`. */
  env?: Record<string, string | undefined>;
  log?: (message: string) => void;
}

export interface OAuthErrorInfo {
  code?: string;
  description?: string;
}

export function parseOAuthError(json: unknown): OAuthErrorInfo {
  const parsed = OAuthErrorSchema.safeParse(json);
  if (!parsed.success) return {};
  const { error, error_description, code, message } = parsed.data;
  if (typeof error === 'string') return { code: error, description: error_description ?? message };
  return { code: error?.code ?? code, description: error?.message ?? error_description ?? message };
}

/** Why a refresh is made, as the official client tells the issuer (protocol §11). */
export type RefreshReason = 'proactive_expiry' | 'unauthorized_recovery';

/** The issuer's token endpoint: code exchange and refresh. */
export class OAuthClient {
  readonly issuer: string;
  readonly clientId: string;
  private readonly fetchImpl: Fetch;

  constructor(private readonly options: OAuthClientOptions) {
    this.issuer = options.issuer.replace(/\/+$/, '');
    this.clientId = options.clientId ?? CLIENT_ID;
    this.fetchImpl = options.fetch ?? send;
  }

  private async post(path: string, body: string, contentType: string, signal?: AbortSignal): Promise<{ status: number; json: unknown }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? ISSUER_REQUEST_TIMEOUT_MS);
    const response = await this.fetchImpl(`${this.issuer}${path}`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        accept: 'application/json',
        originator: ORIGINATOR,
        'user-agent': userAgent(this.options.clientVersion ?? DEFAULT_CLIENT_VERSION, this.options.env ?? {}),
      },
      body,
      // No issuer endpoint redirects: following one would re-send a code, a verifier or a refresh token elsewhere.
      redirect: 'error',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  /** A JSON POST to the issuer: the status and the body (undefined when not JSON). Network errors are thrown as they are. */
  postJson(path: string, body: unknown, signal?: AbortSignal): Promise<{ status: number; json: unknown }> {
    return this.post(path, JSON.stringify(body), 'application/json', signal);
  }

  /**
   * Exchanges a refresh token for new tokens. The old refresh token is dead afterwards (rotation). The body is
   * the official client's, `refresh_reason` included (protocol §11).
   */
  async refresh(refreshToken: string, reason: RefreshReason = 'proactive_expiry'): Promise<TokenResponse> {
    const body = JSON.stringify({ client_id: this.clientId, grant_type: 'refresh_token', refresh_reason: reason, refresh_token: refreshToken });
    const retries = this.options.refreshRetries ?? REFRESH_RETRIES;
    for (let attempt = 0; ; attempt++) {
      let result: { status: number; json: unknown };
      try {
        result = await this.post('/oauth/token', body, 'application/json');
      } catch (error) {
        // After a timeout the issuer may have rotated the token already: sending it again could only burn it.
        const timedOut = (error as Error)?.name === 'TimeoutError';
        if (attempt < retries && !timedOut && !isPermanentNetworkError(error)) {
          this.options.log?.(`refresh: network error (${(error as Error).name}), retrying`);
          await sleep(backoffMs(attempt, this.options.retryBaseDelayMs));
          continue;
        }
        throw new AuthError('refresh_failed', `could not reach ${this.issuer} to refresh the sign-in: ${describeNetworkError(error, this.issuer)}`, { cause: error });
      }
      const { status, json } = result;
      if (status >= 200 && status < 300) {
        const tokens = TokenResponseSchema.safeParse(json);
        if (!tokens.success || !tokens.data.access_token) {
          throw new AuthError('refresh_failed', `the token endpoint of ${this.issuer} sent an unreadable answer`, { status });
        }
        return tokens.data;
      }
      const info = parseOAuthError(json);
      if (isPermanentRefreshError(info.code)) throw new AuthError(info.code, REFRESH_MESSAGES[info.code] ?? 'sign in again', { status });
      if (isRetryableStatus(status) && attempt < retries) {
        this.options.log?.(`refresh: HTTP ${status}, retrying`);
        await sleep(backoffMs(attempt, this.options.retryBaseDelayMs));
        continue;
      }
      // An issuer may echo the token it was sent, or a piece of it: none of it goes into the message.
      const detail = maskSecrets(maskTokens(info.description ?? info.code ?? `HTTP ${status}`), [refreshToken]);
      if (status === 400 || status === 401 || status === 403) {
        throw new AuthError('refresh_failed', `the sign-in could not be refreshed (${detail}); sign in again with \`codex login\``, { status });
      }
      throw new AuthError('refresh_failed', `refreshing the sign-in failed: ${detail}`, { status });
    }
  }

  /** Authorization-code exchange (form-encoded, with the PKCE verifier). */
  async exchangeCode(params: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenResponse> {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.code,
      redirect_uri: params.redirectUri,
      client_id: this.clientId,
      code_verifier: params.codeVerifier,
    }).toString();
    let result: { status: number; json: unknown };
    try {
      result = await this.post('/oauth/token', body, 'application/x-www-form-urlencoded');
    } catch (error) {
      throw new AuthError('login_failed', `could not reach ${this.issuer}: ${describeNetworkError(error, this.issuer)}`, { cause: error });
    }
    const tokens = TokenResponseSchema.safeParse(result.json);
    if (result.status < 200 || result.status >= 300 || !tokens.success || !tokens.data.access_token || !tokens.data.refresh_token) {
      const info = parseOAuthError(result.json);
      const detail = maskSecrets(maskTokens(info.description ?? info.code ?? `HTTP ${result.status}`), [params.code, params.codeVerifier]);
      throw new AuthError('login_failed', `the sign-in was refused: ${detail}`, { status: result.status });
    }
    return tokens.data;
  }

  /** Best effort: a failure here never stops a logout. */
  async revoke(refreshToken: string): Promise<boolean> {
    try {
      const { status } = await this.post(
        '/oauth/revoke',
        JSON.stringify({ token: refreshToken, token_type_hint: 'refresh_token', client_id: this.clientId }),
        'application/json',
      );
      return status >= 200 && status < 300;
    } catch {
      return false;
    }
  }
}

/** New credentials from a token response, keeping what the response leaves out. */
export function credentialsFromTokens(tokens: TokenResponse, previous: Partial<Credentials> = {}, nowMs = Date.now()): Credentials {
  const accessToken = tokens.access_token ?? previous.access_token;
  const refreshToken = tokens.refresh_token ?? previous.refresh_token;
  if (!accessToken || !refreshToken) throw new AuthError('refresh_failed', 'the token endpoint sent no usable tokens');
  const idToken = tokens.id_token ?? previous.id_token;
  const access = decodeJwtClaims(accessToken);
  const id = decodeJwtClaims(idToken);
  const expiresAt = access.expiresAt ?? (tokens.expires_in !== undefined ? Math.floor(nowMs / 1000) + tokens.expires_in : previous.expires_at);
  const accountId = id.accountId ?? access.accountId ?? previous.account_id;
  if (expiresAt === undefined || !accountId) {
    throw new AuthError('refresh_failed', 'the tokens carry no expiry or ChatGPT account id');
  }
  const email = id.email ?? access.email ?? previous.email;
  const plan = id.plan ?? access.plan ?? previous.plan;
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    ...(idToken ? { id_token: idToken } : {}),
    expires_at: expiresAt,
    account_id: accountId,
    ...(email ? { email } : {}),
    ...(plan ? { plan } : {}),
    last_refresh: new Date(nowMs).toISOString(),
  };
}
