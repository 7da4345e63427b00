/**
 * Hostile proxies (issue 13, item 4). With HTTPS_PROXY pointing at a proxy that closes the tunnel, at a plain
 * HTTP port, or at a TLS port, undici 7 reconnected in a tight loop (thousands of connections a second), even
 * after the request was aborted, and the process never exited. What must hold: exit 5 naming the proxy and what
 * it did, after at most a handful of connections, and the process is gone (no hang until the run's timeout).
 * Every proxy here listens on 127.0.0.1 only.
 */

import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runScenario, terminalEvent, world } from '../support/world.js';

interface HostileProxy {
  url: string;
  connections: number;
  close(): Promise<void>;
}

/** A loopback TCP server that does `onData` with the first bytes of every connection it accepts. */
async function hostileProxy(onData: (socket: Socket) => void): Promise<HostileProxy> {
  const sockets = new Set<Socket>();
  const proxy = { url: '', connections: 0, close: async () => undefined } as HostileProxy;
  const server: Server = createServer((socket) => {
    proxy.connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => onData(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return proxy;
}

/** The bytes a TLS server answers a plain-text request with: a fatal alert (decode_error), then it closes. */
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x32]);

const proxies = [
  { name: 'closes the connection on CONNECT', behave: (s: Socket) => s.destroy(), error: /the proxy closed the connection without opening a tunnel/ },
  {
    name: 'is a plain HTTP port (400 to CONNECT, then closes)',
    behave: (s: Socket) => s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
    error: /the proxy refused the tunnel \(HTTP 400\)/,
  },
  { name: 'is a TLS port (an alert, then closes)', behave: (s: Socket) => s.end(TLS_ALERT), error: /the proxy did not answer CONNECT in HTTP/ },
  {
    name: 'asks for proxy authentication (407)',
    behave: (s: Socket) => s.end('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic\r\ncontent-length: 0\r\n\r\n'),
    error: /the proxy refused the tunnel \(HTTP 407: proxy authentication required\)/,
  },
];

describe('a hostile HTTPS_PROXY', () => {
  it.concurrent.each(proxies)('a proxy that $name: exit 5 naming it, a handful of connections, the process exits', async ({ behave, error }) => {
    const w = await world();
    const proxy = await hostileProxy(behave);
    try {
      const pattern = new RegExp(`^cannot reach codex\\.invalid: ${error.source} \\(through the proxy ${proxy.url.replace(/\./g, '\\.')}\\)$`);
      const run = await runScenario(w, ['--base-url', 'https://codex.invalid/backend-api/codex', 'ask', '--json', 'q'], { exit: 5, error: pattern }, false, {
        env: { HTTPS_PROXY: proxy.url, NO_PROXY: '' },
        // The proxy becomes undici's process-wide dispatcher: in-process it would carry concurrent runs too.
        spawn: true,
      });
      expect(terminalEvent(run.stdout)).toMatchObject({ type: 'error', code: 'network', exit_code: 5 });
      expect(proxy.connections).toBeGreaterThan(0);
      expect(proxy.connections).toBeLessThanOrEqual(5);
      expect(w.fake.requests).toEqual([]);
    } finally {
      await Promise.all([proxy.close(), w.close()]);
    }
  });
});
