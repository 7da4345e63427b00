// The sender of every backend and issuer request: exactly the headers it is given (no fetch fingerprint), gzip
// answers decoded as they stream, redirects refused like fetch's, cookies kept per host.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../src/transport/cookie-jar.js';
import { createSend } from '../../src/transport/http-send.js';

let server: Server;
const held: Socket[] = [];
let base = '';
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      return void res.end(gzipSync('data: {"type":"x"}\n\n'));
    }
    if (req.url === '/zstd') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'zstd', 'content-length': '3' });
      return void res.end(Buffer.from([1, 2, 3]));
    }
    if (req.url === '/gzip-held') {
      // The start of a gzip body, then nothing until the client lets go.
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.write(gzipSync('x'.repeat(4096)).subarray(0, 20));
      held.push(req.socket);
      return;
    }
    if (req.url === '/moved') return void res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
    res.writeHead(200, { 'set-cookie': ['__cf_bm=abc; Path=/; HttpOnly', '_cfuvid=def; Path=/'] }).end('ok');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

describe('http-send', () => {
  it('a compressed answer cancelled before its end closes its connection (not left to the server)', async () => {
    held.length = 0;
    const answer = await createSend()(`${base}/gzip-held`);
    expect(answer.headers.get('content-encoding')).toBeNull();
    const closed = new Promise<void>((done) => held[0]!.once('close', () => done()));
    await answer.body!.cancel();
    await closed;
    expect(held[0]!.destroyed).toBe(true);
  });

  it('an encoding it does not decode is handed on as it came, with its content-encoding and length', async () => {
    const answer = await createSend()(`${base}/zstd`);
    expect([answer.headers.get('content-encoding'), answer.headers.get('content-length')]).toEqual(['zstd', '3']);
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
  });

  it('sends only the headers given (plus host, connection, length and accept-encoding gzip): no sec-fetch-mode, no accept-language', async () => {
    seen.length = 0;
    const send = createSend();
    const response = await send(`${base}/plain`, { method: 'POST', headers: { 'x-one': '1', 'content-type': 'application/json' }, body: '{}' });
    expect([response.status, await response.text()]).toEqual([200, 'ok']);
    expect(Object.keys(seen[0]!).sort()).toEqual(['accept-encoding', 'connection', 'content-length', 'content-type', 'host', 'x-one']);
    expect(seen[0]!['accept-encoding']).toBe('gzip');
  });

  it('decodes a gzip answer and drops its encoding headers', async () => {
    const response = await createSend()(`${base}/gzip`, {});
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(await response.text()).toBe('data: {"type":"x"}\n\n');
  });

  it("a redirect with redirect: 'error' fails as fetch's does; with 'manual' it is the answer", async () => {
    await expect(createSend()(`${base}/moved`, { redirect: 'error' })).rejects.toMatchObject({ message: 'fetch failed', cause: { message: 'unexpected redirect' } });
    const manual = await createSend()(`${base}/moved`, { redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([302, 'https://elsewhere.example/']);
  });

  it('with a jar: the cookies a host set go back to it on the next request; without one, never', async () => {
    seen.length = 0;
    const send = createSend({ cookies: new CookieJar() });
    await (await send(`${base}/a`, {})).text();
    await (await send(`${base}/b`, {})).text();
    await (await createSend()(`${base}/c`, {})).text();
    expect(seen.map((headers) => headers.cookie)).toEqual([undefined, '__cf_bm=abc; _cfuvid=def', undefined]);
  });
});
