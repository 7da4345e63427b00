import { UsageError } from './errors.js';

// Where a token may go: the backend (bearer token, prompts), the issuer (refresh token) and a workspace's routed
// origin. Over plain http anyone on the path reads them, so only https is used, and http to this machine itself.

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Why `value` may not receive a token, or undefined when it may (https, or http on loopback). */
export function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `must be a URL, not ${JSON.stringify(value)}`;
  }
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname))) return undefined;
  return `must be an https URL (http only on loopback), not ${JSON.stringify(`${url.protocol}//${url.host}${url.pathname}`)}`;
}

/** `value` when it may receive a token; otherwise a usage error (exit 2) that names `source` (a flag, a variable, a file's key). */
export function checkEndpoint(value: string, source: string): string {
  const problem = endpointProblem(value);
  if (problem !== undefined) throw new UsageError(`${source} ${problem}`);
  return value;
}
