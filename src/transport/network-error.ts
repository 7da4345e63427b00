import { proxyFor } from './proxy.js';
import { processProxyEnv } from './proxy-env.js';

/** fetch with `redirect: 'error'` met a redirect. */
function isRedirectRefusal(error: unknown): boolean {
  return (error as { cause?: { message?: string } })?.cause?.message === 'unexpected redirect';
}

/** Network failures that a retry cannot fix: a refused redirect, a proxy that will not open a tunnel. */
export function isPermanentNetworkError(error: unknown): boolean {
  return isRedirectRefusal(error) || (error as { cause?: { name?: string } })?.cause?.name === 'ProxyTunnelError';
}

/** Why a request to `url` failed, in a word or two; names the proxy when one was in the way. */
export function describeNetworkError(error: unknown, url?: string): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const proxy = url === undefined ? undefined : proxyFor(url, processProxyEnv());
  const via = proxy ? ` (through the proxy ${proxy})` : '';
  if (err?.name === 'TimeoutError') return `timed out${via}`;
  if (err?.cause instanceof Error && err.cause.name === 'ProxyTunnelError') return `${err.cause.message}${via}`;
  if (isRedirectRefusal(error)) return `it answered with a redirect, which codex never follows${via}`;
  const code = err?.cause?.code;
  if (code) return `${code}${via}`;
  return `${err?.cause?.message ?? err?.message ?? 'unknown error'}${via}`;
}
