// Starts the HTTP server and stops it gracefully: stop accepting, let open requests finish up to a deadline, then
// end them (their backend requests are aborted).

import type { AddressInfo, Server } from 'node:net';
import { isIP } from 'node:net';
import { serve } from '@hono/node-server';
import { CodexError, UsageError } from '../errors.js';
import { type AppOptions, createApp } from './app.js';

/** How long open requests may run on after SIGTERM / SIGINT. */
export const SHUTDOWN_GRACE_MS = 10_000;

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '::ffff:127.0.0.1';
}

export interface RunningServer {
  url: string;
  /** Stops accepting; open requests get `graceMs`, then are ended. Resolves once every connection is closed. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(host: string, port: number, options: Omit<AppOptions, 'shutdown'>): Promise<RunningServer> {
  const shutdown = new AbortController();
  const app = createApp({ ...options, shutdown: shutdown.signal });
  const server = serve({ fetch: app.fetch, hostname: host, port, overrideGlobalObjects: false }) as unknown as Server & {
    closeAllConnections(): void;
  };
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`cannot listen on ${host}:${port}: the port is in use`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UsageError(`cannot listen on ${host}: no such local address`));
      else if (error.code === 'EACCES') reject(new UsageError(`cannot listen on ${host}:${port}: permission denied`));
      else reject(new CodexError('internal', `cannot listen on ${host}:${port}: ${error.message}`));
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}`,
    close(graceMs = SHUTDOWN_GRACE_MS) {
      const endOpenRequests = () => {
        shutdown.abort(new CodexError('terminated', 'the server is shutting down'));
        // Let the aborted streams write their last frame, then cut what is left.
        setImmediate(() => server.closeAllConnections());
      };
      if (closing) {
        if (graceMs === 0) endOpenRequests();
        return closing;
      }
      closing = new Promise<void>((resolve) => {
        const timer = setTimeout(endOpenRequests, graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      return closing;
    },
  };
}
