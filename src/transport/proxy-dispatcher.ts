import { EnvHttpProxyAgent, Pool } from './undici.js';

/** How long a proxy gets to open a tunnel: TCP connect, CONNECT answered, TLS to the backend. */
export const PROXY_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A tunnel through the proxy could not be opened. Thrown in place of undici's "recoverable" socket errors:
 * undici 7 reconnects after those in a tight loop, forever, even once the request is aborted (fixed only in
 * undici 8, which needs Node 22). Any other error code makes undici fail the request instead.
 */
export class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError';
  readonly code = 'PROXY_TUNNEL_FAILED';
}

type Callback = (error: Error | null, socket: unknown) => void;
type Connector = (options: Record<string, unknown>, callback: Callback) => void;

/** undici's errors that it treats as "try again": these, and HTTP parse errors of a non-HTTP answer, loop. */
function describeTunnelFailure(error: Error & { code?: string }): Error {
  const code = error.code ?? '';
  const status = /Proxy response \((\d+)\)/.exec(error.message)?.[1];
  if (status) return new ProxyTunnelError(`the proxy refused the tunnel (HTTP ${status}${status === '407' ? ': proxy authentication required' : ''})`, { cause: error });
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_INFO') return new ProxyTunnelError('the proxy closed the connection without opening a tunnel', { cause: error });
  if (code.startsWith('HPE_') || code === '') return new ProxyTunnelError(`the proxy did not answer CONNECT in HTTP${code ? ` (${code})` : ''}`, { cause: error });
  return error;
}

/** Wraps the proxy agent's tunnel connector: one deadline for the whole tunnel, and errors that end the request. */
function boundedConnector(connect: Connector, timeoutMs: number): Connector {
  return (options, callback) => {
    const controller = new AbortController();
    let settled = false;
    const finish: Callback = (error, socket) => {
      if (settled) {
        (socket as { destroy?: () => void } | null)?.destroy?.();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (error) callback(describeTunnelFailure(error), null);
      else callback(null, socket);
    };
    const timer = setTimeout(() => {
      const error = new ProxyTunnelError(`the proxy did not open a tunnel within ${timeoutMs / 1000} s`);
      controller.abort(error);
      finish(error, null);
    }, timeoutMs);
    connect({ ...options, signal: controller.signal }, finish);
  };
}

/** HTTPS_PROXY/HTTP_PROXY/NO_PROXY as undici's EnvHttpProxyAgent reads them, with a bounded tunnel connect. */
export function boundedProxyAgent(timeoutMs = PROXY_CONNECT_TIMEOUT_MS): EnvHttpProxyAgent {
  return new EnvHttpProxyAgent({
    connectTimeout: timeoutMs,
    proxyTls: { timeout: timeoutMs },
    requestTls: { timeout: timeoutMs },
    factory: (origin: string | URL, options: Record<string, unknown>) => {
      const connect = options.connect;
      return new Pool(origin, typeof connect === 'function' ? { ...options, connect: boundedConnector(connect as Connector, timeoutMs) } : options);
    },
  } as never);
}
