import type { Credentials } from '../store/credentials.js';

/** Where the transport gets the credentials it sends; the auth layer's TokenManager is the one in use. */
export interface TokenSource {
  /** Credentials whose access token is good for the request about to be sent. */
  valid(): Promise<Credentials>;
  /** After the backend refused `rejected` with a 401: new credentials, unless someone already replaced them. */
  afterUnauthorized(rejected: Credentials): Promise<Credentials>;
}
