// How long one OAuth refresh may take. The OAuth client (auth/oauth.ts) keeps to it, and the credential lock
// (store/lock.ts), which is held for a whole refresh, derives its stale limit from it.

/** One issuer call. */
export const ISSUER_REQUEST_TIMEOUT_MS = 20_000;
/** Transient failures (5xx, network) of a refresh are tried this many more times. */
export const REFRESH_RETRIES = 2;
/** A refresh whose every attempt takes the whole timeout (the backoff between attempts is below a second). */
export const LONGEST_REFRESH_MS = (REFRESH_RETRIES + 1) * ISSUER_REQUEST_TIMEOUT_MS;
