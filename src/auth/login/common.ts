// What every login flow shares: how it talks to the user, and how a token response becomes saved credentials.

import { messageOf } from '../../shared/error-info.js';
import { AuthError } from '../../shared/errors.js';
import type { Credentials } from '../../store/credentials.js';
import { credentialsFromTokens, type TokenResponse } from '../oauth.js';

export const DEFAULT_LOGIN_TIMEOUT_S = 300;

export interface LoginIo {
  /** A line for the user (the CLI writes it to stderr). */
  say: (line: string) => void;
  /** --verbose diagnostics. */
  log?: (message: string) => void;
  /** Told about every secret handled (code, verifier, tokens) so diagnostics can mask it. */
  secret?: (value: string) => void;
}

/** Credentials from a fresh sign-in; a token set without account or expiry is a failed login. */
export function loginCredentials(tokens: TokenResponse): Credentials {
  try {
    return credentialsFromTokens(tokens);
  } catch (error) {
    throw new AuthError('login_failed', `the sign-in returned unusable tokens: ${messageOf(error)}`);
  }
}

/** The end of a flow that got tokens: each is masked from diagnostics, then the credentials are saved. */
export async function saveLogin(
  tokens: TokenResponse,
  options: { save: (credentials: Credentials) => Promise<void>; signal: AbortSignal },
  io: LoginIo,
): Promise<Credentials> {
  for (const token of [tokens.access_token, tokens.refresh_token, tokens.id_token]) if (token) io.secret?.(token);
  const credentials = loginCredentials(tokens);
  throwIfAborted(options.signal);
  await options.save(credentials);
  return credentials;
}

/** Rejects when the signal aborts, with its reason. */
export function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
