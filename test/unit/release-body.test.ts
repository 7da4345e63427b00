// releasableBody: an answer stream's connection handed back to the pool without touching another request's.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { type NodeAnswer, releasableBody } from '../../src/transport/http-answer.js';
import { createSend } from '../../src/transport/http-send.js';
import { waitFor } from '../support/cli.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** Sockets that keep the process alive (a ref'd socket of ours, a server's). */
const refdSockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;

it('a compressed stream whose connection is already serving the next request: release() leaves that connection alone', async () => {
  const ports: number[] = [];
  let finishSlow!: () => void;
  const slowHeld = new Promise<void>((resolve) => (finishSlow = resolve));
  const server = http.createServer((req, res) => {
    ports.push(req.socket.remotePort!);
    if (req.url === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      void slowHeld.then(() => res.end('slow done'));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
    res.end(gzipSync('event: response.completed\ndata: {"done":true}\n\n'));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const send = createSend();
  const answer = await send(`${base}/sse`);
  const body = releasableBody(answer);
  for await (const chunk of body.bytes!) if (Buffer.from(chunk).toString().includes('done')) break;
  // node:http's answer is done (the decoder, unread, is not): its socket goes back to the pool.
  await waitFor(() => (answer as NodeAnswer).connection?.socket === null, 5_000, 'the socket to go back to the pool');
  const slow = await send(`${base}/slow`);
  expect(ports).toHaveLength(2);
  expect(ports[1]).toBe(ports[0]);
  const before = refdSockets();
  await body.release();
  expect(refdSockets()).toBe(before);
  finishSlow();
  expect(await slow.text()).toBe('slow done');
});
