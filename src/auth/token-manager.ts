import { AuthError, isPermanentRefreshError } from '../shared/errors.js';
import { type CredentialStore, type Credentials, isAccessToken, UnsavedSignInError } from '../store/credentials.js';
import type { TokenSource } from '../transport/token-source.js';
import { refusedAccessToken } from './access-token.js';
import { credentialsFromTokens, type OAuthClient, type RefreshReason } from './oauth.js';

/**
 * Refresh before a request when the access token expires within this many seconds: 5 minutes, as the official
 * client does (protocol §10), so a long tool loop does not outlive its token.
 */
export const REFRESH_SKEW_SECONDS = 300;

export interface TokenManagerOptions {
  store: CredentialStore;
  oauth: Pick<OAuthClient, 'refresh'>;
  /** Awaited after every refresh with the rotated credentials; a throw fails the call. */
  onRefresh?: (credentials: Credentials) => void | Promise<void>;
  /** Sees every set of credentials read or refreshed (the CLI uses it to mask them in diagnostics). */
  observe?: (credentials: Credentials) => void;
  nowMs?: () => number;
  log?: (message: string) => void;
  /** Problems that do not stop the call (a refreshed sign-in kept in memory only). */
  warn?: (message: string) => void;
  /**
   * false: a store that cannot keep refreshed tokens (kind `env`: CODEX_AUTH_JSON) is never refreshed, so its
   * single-use refresh token is not spent by a command that would throw the new one away.
   */
  refreshUnkept?: boolean;
  /**
   * A short run (`codex ask`): the credentials read or refreshed first are used for the rest of the run (until
   * they near expiry, or the backend refuses them), as the official client does, instead of reading the store
   * before every request. Another process that signs out mid-run (`codex logout`) then cannot fail a run that
   * already holds a good token. A refresh still reads the store under its lock.
   */
  keepForRun?: boolean;
}

export interface RefreshOutcome {
  credentials: Credentials;
  /** false when the tokens on disk were still good, or another process had just refreshed them. */
  refreshed: boolean;
}

/** Token rotations under way in this process (every TokenManager), so an exit can wait for them. */
const inFlight = new Set<Promise<unknown>>();

/**
 * Settles when no refresh is under way, or after `capMs`. A process that is about to exit (Ctrl-C, --timeout)
 * waits here: once the issuer has rotated the refresh token, only saving the new one keeps the login alive.
 */
export async function refreshesSettled(capMs: number): Promise<void> {
  if (inFlight.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, capMs);
  });
  await Promise.race([Promise.allSettled([...inFlight]), cap]);
  clearTimeout(timer);
}

/**
 * Hands out a valid access token. Refreshes are single-flight inside the process and serialised across
 * processes by the store's lock; after taking the lock the store is read again, so a refresh that another
 * process just made is used instead of spending the (single-use) refresh token a second time.
 */
export class TokenManager implements TokenSource {
  private pending: Promise<RefreshOutcome> | undefined;
  private readonly nowMs: () => number;
  /** With `keepForRun`: the credentials this run uses. */
  private kept: Credentials | undefined;
  /** A refreshed sign-in no file could hold (a file size limit): used for the rest of this run. */
  private unsaved: Credentials | undefined;

  constructor(private readonly options: TokenManagerOptions) {
    this.nowMs = options.nowMs ?? Date.now;
  }

  get store(): CredentialStore {
    return this.options.store;
  }

  expiresWithin(credentials: Credentials, seconds: number): boolean {
    return credentials.expires_at - seconds <= this.nowMs() / 1000;
  }

  async current(): Promise<Credentials> {
    // The store still holds the spent refresh token; another process can have saved nothing newer from it.
    if (this.unsaved) return this.unsaved;
    if (this.kept) return this.kept;
    return this.keep(await this.read());
  }

  private keep(credentials: Credentials): Credentials {
    if (this.options.keepForRun) this.kept = credentials;
    return credentials;
  }

  private async read(): Promise<Credentials> {
    const credentials = await this.options.store.read();
    if (!credentials) {
      throw new AuthError('not_logged_in', 'not logged in; run `codex login` (or set CODEX_AUTH_JSON)');
    }
    this.options.observe?.(credentials);
    return credentials;
  }

  /** Whether a refresh now would spend a refresh token whose successor nothing keeps (and that is refused). */
  private get keepsRefreshTokenUnused(): boolean {
    return this.options.refreshUnkept === false && this.options.store.kind === 'env';
  }

  /** Credentials whose access token is good for at least REFRESH_SKEW_SECONDS more. */
  async valid(): Promise<Credentials> {
    const credentials = await this.current();
    if (!this.expiresWithin(credentials, REFRESH_SKEW_SECONDS)) return credentials;
    if (this.keepsRefreshTokenUnused) {
      if (!this.expiresWithin(credentials, 0)) return credentials;
      throw new AuthError(
        'access_token_expired',
        `access token expired; the secret's refresh token is left unused (a refresh of ${this.options.store.location} would be kept nowhere; \`codex ask\` refreshes it for its own run)`,
      );
    }
    this.options.log?.(`access token expired or expiring within ${REFRESH_SKEW_SECONDS} s; refreshing`);
    return (await this.refreshWhen('proactive_expiry', (onDisk) => this.expiresWithin(onDisk, REFRESH_SKEW_SECONDS), { keepInMemory: true })).credentials;
  }

  /** After the backend refused `rejected` with a 401: new credentials, unless someone already replaced them. */
  async afterUnauthorized(rejected: Credentials): Promise<Credentials> {
    if (this.keepsRefreshTokenUnused) {
      throw new AuthError('unauthorized', `the backend refused the access token of ${this.options.store.location}; the secret's refresh token is left unused`);
    }
    this.options.log?.('backend answered 401; refreshing');
    const outcome = await this.refreshWhen(
      'unauthorized_recovery',
      (onDisk) => onDisk.access_token === rejected.access_token || this.expiresWithin(onDisk, REFRESH_SKEW_SECONDS),
      { keepInMemory: true },
    );
    return outcome.credentials;
  }

  /**
   * `codex refresh`: refresh now, or only when expiring within `ifExpiringWithinS`. Concurrent callers that
   * all saw the same token share one network refresh.
   */
  async refresh(ifExpiringWithinS?: number): Promise<RefreshOutcome> {
    const seen = await this.current();
    if (ifExpiringWithinS !== undefined) {
      if (!this.expiresWithin(seen, ifExpiringWithinS)) return { credentials: seen, refreshed: false };
      return this.refreshWhen('proactive_expiry', (onDisk) => this.expiresWithin(onDisk, ifExpiringWithinS));
    }
    // Asked for, not forced by an expiry or a 401: the official client has no reason of its own for this one.
    const outcome = await this.refreshWhen('proactive_expiry', (onDisk) => onDisk.access_token === seen.access_token);
    // Another process refreshed while we waited for the lock: the login is fresh, which is what was asked.
    return { credentials: outcome.credentials, refreshed: outcome.refreshed || outcome.credentials.access_token !== seen.access_token };
  }

  /** A dead refresh token from CODEX_AUTH_JSON is fixed by renewing the secret, not by `codex login` here. */
  private explainForStore(error: unknown): unknown {
    if (!(error instanceof AuthError) || !isPermanentRefreshError(error.code) || this.options.store.kind !== 'env') return error;
    return new AuthError(
      error.code,
      `the refresh token in ${this.options.store.location} is no longer valid (${error.code}); renew the secret from a fresh \`codex login\` (see "In CI" in the README)`,
      { status: error.status, cause: error },
    );
  }

  /**
   * `keepInMemory`: when no file can hold the new sign-in (a file size limit), it is used for the rest of this
   * run, with a warning, rather than lost with the call (`codex refresh`, whose job is to save it, fails instead).
   */
  private refreshWhen(reason: RefreshReason, needsRefresh: (onDisk: Credentials) => boolean, { keepInMemory = false } = {}): Promise<RefreshOutcome> {
    this.pending ??= this.options.store
      .withLock(async () => {
        const onDisk = this.unsaved ?? (await this.read());
        if (!needsRefresh(onDisk)) {
          this.options.log?.('credentials were refreshed by another process; using them');
          return { credentials: this.keep(onDisk), refreshed: false };
        }
        // A Codex access token has no refresh token: once refused, only a new token from the admin helps.
        if (isAccessToken(onDisk)) throw refusedAccessToken(this.options.store.location);
        // From the moment the old refresh token is sent until the new one is saved and the lock released, an exit
        // would lose the login (or leave the lock behind): an exiting process waits for this.
        const whole = this.pending;
        if (whole) inFlight.add(whole);
        const tokens = await this.options.oauth.refresh(onDisk.refresh_token, reason).catch((error: unknown) => {
          throw this.explainForStore(error);
        });
        // Fields of auth.json this version does not know are kept, not dropped by the rewrite.
        const next = { ...onDisk, ...credentialsFromTokens(tokens, onDisk, this.nowMs()) };
        this.options.observe?.(next);
        try {
          await this.options.store.save(next);
        } catch (error) {
          if (!(keepInMemory && error instanceof UnsavedSignInError && error.keptAt === undefined)) throw error;
          this.unsaved = next;
          const path = this.options.store.location;
          this.options.warn?.(
            `cannot save the refreshed sign-in to ${path} (${error.reason}: a file size limit, \`ulimit -f\`, or a full disk), nor in any other file: it is kept in memory for this run only, and ${path} still holds the spent refresh token; once this run ends, sign in again with \`codex login\``,
          );
        }
        this.keep(next);
        this.options.log?.(`refreshed; access token valid until ${new Date(next.expires_at * 1000).toISOString()}`);
        await this.options.onRefresh?.(next);
        return { credentials: next, refreshed: true };
      })
      .finally(() => {
        if (this.pending) inFlight.delete(this.pending);
        this.pending = undefined;
      });
    return this.pending;
  }
}
