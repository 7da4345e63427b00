import { createHash, randomBytes } from 'node:crypto';

/** PKCE verifier (64 random bytes, base64url without padding) and its S256 challenge. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/** base64url(sha256(verifier)): the `code_challenge` for method S256. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function createPkce(): Pkce {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier) };
}

/** The OAuth `state`: 32 random bytes, base64url. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
