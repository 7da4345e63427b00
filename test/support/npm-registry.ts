// A loopback npm registry answering @openai/codex's dist-tags, one per describe block: `hits` counts the look-ups
// (reset before each test), `latest` is what it says the newest release is.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface NpmRegistry {
  url: string;
  hits: number;
  latest: string;
}

export function useNpmRegistry(latest = '0.180.0'): NpmRegistry {
  const registry: NpmRegistry = { url: '', hits: 0, latest };
  let server: Server | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      registry.hits++;
      if (req.url !== '/-/package/%40openai%2Fcodex/dist-tags') return void res.writeHead(404).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ latest: registry.latest, next: '0.181.0-alpha.1' }));
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
  });
  beforeEach(() => {
    registry.hits = 0;
  });
  return registry;
}
