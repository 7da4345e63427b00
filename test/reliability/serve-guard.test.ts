// `codex serve` under attack: each test sends what a hostile web page, another local user or a hostile client
// would send, and checks what they get (and that the backend never sees the request).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { answer } from '../fake/replies.js';
import { runInProcess } from '../support/cli.js';
import { useFake } from '../support/fake.js';
import { type Served, type ServedInProcess, startServe, startServeInProcess, TEST_SERVE_KEY } from '../support/serve.js';
import { configDirWith, fileMode } from '../support/temp.js';

const fake = useFake();
const started: ServedInProcess[] = [];
afterEach(async () => {
  for (const served of started.splice(0)) await served.stop();
});

/** Serve in this process (main() with the binary's environment), as every test here needs but two. */
const serve = async (args: string[] = [], env: Record<string, string | undefined> = {}, configDir = configDirWith(fake.issueTokens())) => {
  const served = await startServeInProcess(args, { fake, configDir, env });
  started.push(served);
  return served;
};

/** Serve as a process of its own, for a test that looks at that process (its pid: /proc, its memory). */
const serveProcess = async (args: string[] = [], env: Record<string, string | undefined> = {}, configDir = configDirWith(fake.issueTokens())): Promise<Served> => {
  const served = await startServe(args, { fake, configDir, env });
  started.push(served);
  return served;
};

/** Serve as a user starts it: no key given, so it makes its own (the test reads it from the file, as a script would). */
const serveOwnKey = async (args: string[] = []) => {
  const configDir = configDirWith(fake.issueTokens());
  const served = await serve(args, { CODEX_SERVE_API_KEY: undefined }, configDir);
  return { served, configDir, key: { authorization: `Bearer ${readFileSync(join(configDir, 'serve-key'), 'utf8').trim()}` } };
};

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => { error: { code: string; message: string } };
}

/** One HTTP request exactly as given (Host included), the way a browser or a script would send it. */
function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string; chunked?: boolean }): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: {
          host: `${hostname}:${port}`,
          ...(options.body !== undefined && !options.chunked ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
          ...options.headers,
        },
        setHost: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) {
      if (options.chunked) {
        // No Content-Length: node sends the body chunked, in pieces.
        for (let at = 0; at < options.body.length; at += 64 * 1024) req.write(options.body.slice(at, at + 64 * 1024));
      } else req.write(options.body);
    }
    req.end();
  });
}

const chatBody = (model = 'gpt-6-sol') => JSON.stringify({ model, messages: [{ role: 'user', content: 'spend my subscription' }] });
const keyed = { authorization: `Bearer ${TEST_SERVE_KEY}` };
const backendCalls = () => fake.requestsTo('/backend-api/codex/responses').length;

describe('a web page', () => {
  it('DNS rebinding: a request sent under another host name is 421 and never reaches the backend', async () => {
    const { served, key } = await serveOwnKey();
    const { port } = new URL(served.url);
    // The page's own name now resolves to 127.0.0.1, and the browser sends the page's Host; a page knows no key.
    const rebound = await send(served.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { host: `rebind.evil.example:${port}`, 'content-type': 'application/json' },
      body: chatBody(),
    });
    expect(rebound.status).toBe(421);
    expect(rebound.json().error.code).toBe('host_not_allowed');
    // Refused on the Host alone, even with the key.
    for (const host of [`rebind.evil.example:${port}`, 'rebind.evil.example', `localhost:${Number(port) + 1}`, `127.0.0.1.evil.example:${port}`]) {
      const answer = await send(served.url, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { ...key, host, 'content-type': 'application/json' },
        body: chatBody(),
      });
      expect(answer.status, host).toBe(421);
    }
    expect(backendCalls()).toBe(0);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await send(served.url, { path: '/v1/models', headers: { ...key, host } })).status, host).toBe(200);
    }
  });

  it('a "simple" cross-origin POST (text/plain, no preflight) is 403; text/plain or a form without an Origin is 415', async () => {
    const { served, key } = await serveOwnKey();
    // What fetch(url, {method: 'POST', mode: 'no-cors', body: JSON.stringify(...)}) on any page sends.
    const fromPage = await send(served.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain;charset=UTF-8' },
      body: chatBody(),
    });
    expect(fromPage.status).toBe(403);
    expect(fromPage.json().error.code).toBe('origin_not_allowed');
    expect(fromPage.headers['access-control-allow-origin']).toBeUndefined();
    // Origin: null (a sandboxed frame, a file: page) is an origin like any other.
    expect((await send(served.url, { path: '/v1/models', headers: { ...key, origin: 'null' } })).status).toBe(403);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const answer = await send(served.url, { method: 'POST', path: '/v1/responses', headers: { ...key, 'content-type': type }, body: chatBody() });
      expect(answer.status, type).toBe(415);
      expect(answer.json().error.code).toBe('unsupported_media_type');
    }
    expect(backendCalls()).toBe(0);
    const json = await send(served.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { ...key, 'content-type': 'Application/JSON; charset=utf-8' },
      body: chatBody(),
    });
    expect(json.status).toBe(200);
  });

  it('--cors: only that origin; its preflight allows every header openai-node sends', async () => {
    // The headers openai-node sets on a request, read off the wire.
    let seen: IncomingHttpHeaders = {};
    const capture = createServer((req, res) => {
      seen = req.headers;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [] }));
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = capture.address() as { port: number };
      await new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k', maxRetries: 0 }).models.list();
    } finally {
      capture.close();
    }
    // A browser preflights every header that is not CORS-safelisted (and never sends the forbidden ones itself).
    const forbidden = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'accept', 'user-agent']);
    const needed = Object.keys(seen).filter((name) => !forbidden.has(name));
    expect(needed).toEqual(expect.arrayContaining(['authorization', 'x-stainless-lang', 'x-stainless-retry-count']));
    needed.push('content-type');

    const origin = 'http://localhost:5173';
    const served = await serve(['--cors', origin]);
    const preflight = await send(served.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': needed.join(',') },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    const allowed = String(preflight.headers['access-control-allow-headers']).split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(needed));

    const other = await send(served.url, {
      method: 'OPTIONS',
      path: '/v1/chat/completions',
      headers: { origin: 'http://localhost:5174', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(other.status).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const call = await send(served.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { ...keyed, origin, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-6-sol', temperature: 0.2, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe(origin);
    expect(call.headers['access-control-expose-headers']).toContain('x-codex-warning');
    // A page of that origin still needs the key.
    expect((await send(served.url, { path: '/v1/models', headers: { origin } })).status).toBe(401);
  });

  it("--cors '*' takes any origin, and still only with the key (serve makes one when none is given)", async () => {
    const { served, key } = await serveOwnKey(['--cors', '*']);
    const preflight = await send(served.url, {
      method: 'OPTIONS',
      path: '/v1/responses',
      headers: { origin: 'https://any.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    const noKey = await send(served.url, {
      method: 'POST',
      path: '/v1/responses',
      headers: { origin: 'https://any.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noKey.status).toBe(401);
    expect((await send(served.url, { path: '/v1/models', headers: { ...key, origin: 'https://any.example' } })).status).toBe(200);
    expect(backendCalls()).toBe(0);
  });
});

describe('another user of this machine', () => {
  const asRoot = process.getuid?.() === 0;

  it.skipIf(!asRoot)('gets 401 and cannot read the key serve made (run as nobody)', async () => {
    const configDir = configDirWith(fake.issueTokens());
    // A process of its own: the attacker reads its /proc entries.
    const served = await serveProcess([], { CODEX_SERVE_API_KEY: undefined }, configDir);
    const keyFile = join(configDir, 'serve-key');
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^sk-codex-[\w-]{32}$/);
    expect(served.stderr()).toContain(`codex serve: new API key: ${key}\n`);
    expect(fileMode(keyFile)).toBe(0o600);
    expect(fileMode(configDir)).toBe(0o700);

    // The attacker: another uid, on the same machine, with curl-like access to 127.0.0.1 and the file system.
    const attack = `
      const fs = require('node:fs');
      let file;
      try { fs.readFileSync(${JSON.stringify(keyFile)}); file = 'read'; } catch (error) { file = error.code; }
      let environ;
      try { fs.readFileSync('/proc/${served.child.pid}/environ'); environ = 'read'; } catch (error) { environ = error.code; }
      const cmdline = fs.readFileSync('/proc/${served.child.pid}/cmdline', 'utf8');
      fetch(${JSON.stringify(`${served.url}/chat/completions`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(chatBody())} })
        .then(async (response) => console.log(JSON.stringify({ uid: process.getuid(), status: response.status, file, environ, keyInCmdline: cmdline.includes(${JSON.stringify(key)}) })));
    `;
    const run = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, '-e', attack], {
      reject: false,
      cwd: '/',
      extendEnv: false,
      env: { PATH: process.env.PATH },
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ uid: 65534, status: 401, file: 'EACCES', environ: 'EACCES', keyInCmdline: false });
    expect(backendCalls()).toBe(0);

    // The key is kept: a restart uses it again (clients stay configured), and says where it is, not what it is.
    await served.stop();
    const again = await serve([], { CODEX_SERVE_API_KEY: undefined }, configDir);
    expect(again.stderr()).toContain(`codex serve: API key from ${keyFile}`);
    expect(again.stderr()).not.toContain(key);
    const client = new OpenAI({ baseURL: again.url, apiKey: readFileSync(keyFile, 'utf8').trim(), maxRetries: 0 });
    expect((await client.chat.completions.create({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'hello' }] })).choices[0]!.message.content).toBe(
      'You said: hello',
    );
  });

  it('a key file others could read is not used: a new key replaces it', async () => {
    const configDir = configDirWith(fake.issueTokens());
    const keyFile = join(configDir, 'serve-key');
    writeFileSync(keyFile, 'sk-codex-seen-by-others-000000000\n', { mode: 0o644 });
    const served = await serve([], { CODEX_SERVE_API_KEY: undefined }, configDir);
    expect(served.stderr()).toContain(`codex: ${keyFile} was not used (it was readable by other users); a new key replaces it\n`);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(key).not.toBe('sk-codex-seen-by-others-000000000');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect((await send(served.url, { path: '/v1/models', headers: { authorization: 'Bearer sk-codex-seen-by-others-000000000' } })).status).toBe(401);
    expect((await send(served.url, { path: '/v1/models', headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });

  it('--api-key on the command line works, with a warning that ps shows it', async () => {
    const served = await serve(['--api-key', 'argv-key-0123456789'], { CODEX_SERVE_API_KEY: undefined });
    expect(served.stderr()).toContain('codex: --api-key is visible to every user of this machine in the process list (ps); prefer env CODEX_SERVE_API_KEY\n');
    expect((await send(served.url, { path: '/v1/models', headers: { authorization: 'Bearer argv-key-0123456789' } })).status).toBe(200);
    // The env variable gives no warning.
    const quiet = await serve([], { CODEX_SERVE_API_KEY: 'env-key-0123456789' });
    expect(quiet.stderr()).not.toContain('process list');
  });
});

describe('a hostile client', () => {
  it('the access log escapes what a client sends: no ESC, OSC 52, C1 or line break reaches the terminal', async () => {
    const served = await serve();
    const models = ['gpt-6-sol\u001b]52;c;aGVsbG8=\u0007', '\u009b31mred\u009b0m', 'x\ncodex serve: GET /v1/admin status=200', 'a\u202eevil\u0000'];
    for (const model of models) {
      const answer = await send(served.url, {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { ...keyed, 'content-type': 'application/json' },
        body: chatBody(model),
      });
      expect(answer.status).toBe(404);
    }
    await send(served.url, { path: '/v1/\u001b[2J', headers: keyed }).catch(() => undefined);
    const log = (await served.stop()).stderr;
    expect(log).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(log).toContain('model=gpt-6-sol\\x1b]52;c;aGVsbG8=\\x07 status=404');
    expect(log).toContain('model=\\x9b31mred\\x9b0m status=404');
    expect(log).toContain('model=x\\x0acodex\\x20serve:\\x20GET\\x20/v1/admin\\x20status=200 status=404');
    expect(log).toContain('model=a\\u{202e}evil\\x00 status=404');
    expect(log).not.toMatch(/^codex serve: GET \/v1\/admin/m);
  });

  it('a megabyte model name: a quick, short 404, little memory, and other clients are not held up', async () => {
    // A process of its own: its peak memory is measured.
    const served = await serveProcess();
    const huge = chatBody(`gpt-${'x'.repeat(1_000_000)}`);
    const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${served.child.pid}/status`, 'utf8'))![1]) / 1024;
    // Warm up (the catalog fetch), then measure.
    await send(served.url, { path: '/v1/models', headers: keyed });
    const before = peak();
    const started = performance.now();
    const [answer, list] = await Promise.all([
      send(served.url, { method: 'POST', path: '/v1/chat/completions', headers: { ...keyed, 'content-type': 'application/json' }, body: huge }),
      send(served.url, { path: '/v1/models', headers: keyed }),
    ]);
    const ms = performance.now() - started;
    expect(answer.status).toBe(404);
    expect(answer.json().error.code).toBe('model_not_found');
    expect(answer.text.length).toBeLessThan(400);
    expect(answer.json().error.message).toContain('(1000004 characters)');
    expect(list.status).toBe(200);
    const grown = peak() - before;
    console.log(`1 MB model name: ${Math.round(ms)} ms, peak RSS +${grown.toFixed(1)} MB`);
    // Before the bound: about 10 s and 800 MB.
    expect(ms).toBeLessThan(3_000);
    expect(grown).toBeLessThan(100);
    expect(served.stderr()).toContain('…(1000004chars) status=404');
    expect(backendCalls()).toBe(0);
  });

  it('chunked bodies are read (and held to the limit); other methods are 501; never a 500', async () => {
    const served = await serve();
    const chunked = await send(served.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { ...keyed, 'content-type': 'application/json' },
      body: chatBody(),
      chunked: true,
    });
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.text).choices[0].message.content).toBe('You said: spend my subscription');
    const calls = backendCalls();
    const tooBig = JSON.stringify({ model: 'gpt-6-sol', messages: [{ role: 'user', content: 'x'.repeat(1_300_000) }] });
    const over = await send(served.url, {
      method: 'POST',
      path: '/v1/responses',
      headers: { ...keyed, 'content-type': 'application/json' },
      body: tooBig,
      chunked: true,
    });
    expect(over.status).toBe(413);
    expect(over.json().error.code).toBe('request_too_large');
    expect(backendCalls()).toBe(calls);

    for (const method of ['PUT', 'DELETE', 'PATCH', 'TRACE', 'PROPFIND', 'SEARCH', 'QUERY']) {
      const answer = await send(served.url, { method, path: '/v1/chat/completions', headers: { ...keyed, 'content-type': 'application/json' }, body: '{}' });
      expect(answer.status, method).toBe(501);
      expect(answer.json().error.code).toBe('method_not_supported');
      expect(answer.headers.allow, method).toBe('GET, HEAD, POST, OPTIONS');
    }
    const options = await send(served.url, { method: 'OPTIONS', path: '/v1/models', headers: keyed });
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    // A method Node's parser does not know at all.
    // A Host that is not a host name at all: a one-line JSON 400, not an empty one.
    for (const host of ['[::1', 'a b', '127.0.0.1:99999', 'x:y:z']) {
      const answer = await rawExchange(served.url, `GET /v1/models HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(answer, host).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error, host).toMatchObject({ code: 'bad_http_request', message: expect.stringContaining('Host') });
    }
    const raw = await rawExchange(served.url, 'BREW /v1/models HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).error.code).toBe('method_not_supported');
    expect(served.stderr()).not.toContain('status=500');
  });

  it('a client that goes away halfway through its body is logged as 499, not a 500', async () => {
    const served = await serve();
    const { port } = new URL(served.url);
    const cut: [string, string, string][] = [
      ['/v1/responses', 'content-length: 1000\r\n', '{"input":"'],
      ['/v1/chat/completions', 'content-length: 1000\r\n', '{"messages":['],
      ['/v1/responses', 'transfer-encoding: chunked\r\n', 'a\r\n{"input":"\r\n'],
    ];
    for (const [path, framing, start] of cut) {
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      const before = served.stderr().split('\n').length;
      // "100 Continue" says the server has the headers and the request is on its way to a route.
      const continued = new Promise((resolve) => socket.once('data', resolve));
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${TEST_SERVE_KEY}\r\ncontent-type: application/json\r\nexpect: 100-continue\r\n${framing}\r\n`,
      );
      expect(String(await continued)).toMatch(/^HTTP\/1\.1 100 Continue/);
      await new Promise((resolve) => socket.write(start, resolve));
      socket.destroy();
      await expect
        .poll(
          () =>
            served
              .stderr()
              .split('\n')
              .slice(before - 1)
              .find((line) => line.includes(`POST ${path}`)),
          { timeout: 10_000 },
        )
        .toBeDefined();
    }
    const lines = served
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('codex serve: POST'));
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/ status=499 ms=\d+ tokens=-$/);
    expect(backendCalls()).toBe(0);
  });

  it('error bodies name no local path (the log has the detail)', async () => {
    const configDir = configDirWith(fake.issueTokens());
    const served = await serve([], {}, configDir);
    writeFileSync(join(configDir, 'auth.json'), '{ not json');
    const answer = await send(served.url, { method: 'POST', path: '/v1/chat/completions', headers: { ...keyed, 'content-type': 'application/json' }, body: chatBody() });
    expect(answer.status).toBe(503);
    expect(answer.json().error.code).toBe('credentials_corrupt');
    expect(answer.text).not.toContain(configDir);
    expect(answer.text).not.toMatch(/\/tmp\/|auth\.json/);
    expect(served.stderr()).toMatch(new RegExp(`status=503 ms=\\d+ tokens=- error: ${configDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/auth\\.json`));
  });

  it('slowloris: a connection sending its headers byte by byte is closed within the header bound (408)', async () => {
    const served = await serve([], { CODEX_SERVE_HEADERS_TIMEOUT_MS: '300', CODEX_SERVE_REQUEST_TIMEOUT_MS: '600' });
    const { hostname, port } = new URL(served.url);
    const slow = (head: string, tail: string) =>
      new Promise<{ ms: number; answer: string }>((resolve) => {
        const socket = connect(Number(port), hostname);
        const started = performance.now();
        let answer = '';
        let at = 0;
        socket.write(head);
        const drip = setInterval(() => socket.write(tail[at++ % tail.length]!), 20);
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (answer += chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(drip);
          resolve({ ms: performance.now() - started, answer });
        });
      });
    // A long answer is no slow request: this stream stays open (the backend paused) until both slow clients are cut.
    let release!: () => void;
    fake.responses.push(answer({ text: 'a long answer', pauseAt: { events: 3, until: new Promise<void>((resolve) => (release = resolve)) } }));
    const streamed = send(served.url, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { ...keyed, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-6-sol', stream: true, messages: [{ role: 'user', content: 'take your time' }] }),
    });
    const streamStarted = performance.now();
    const headers = await slow(`GET /v1/models HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`, 'X-Slow: aaaaaaaaaaaaaaaa\r\n');
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(headers.ms).toBeLessThan(2_000);
    // A body that never finishes: cut at the request bound.
    const body = await slow(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${TEST_SERVE_KEY}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
      ' ',
    );
    expect(body.ms).toBeLessThan(3_000);
    release();
    const stream = await streamed;
    expect(performance.now() - streamStarted).toBeGreaterThan(600);
    expect(stream.status).toBe(200);
    expect(stream.text).toContain('data: [DONE]');
    const text = stream.text
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('a long answer');
    expect(backendCalls()).toBe(1);
  });

  it('refuses a key no client could send (spaces at its ends, non-ASCII) at start, without echoing it (exit 2)', async () => {
    for (const [args, env] of [
      [[], { CODEX_SERVE_API_KEY: ' padded-key-0123456789 ' }],
      [['--api-key', 'clé-secrète-0123456789'], { CODEX_SERVE_API_KEY: undefined }],
    ] as const) {
      const run = await runInProcess(['serve', '--port', '0', ...args], { fake, configDir: configDirWith(fake.issueTokens()), env });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/^codex: the API key must be printable ASCII with no space at either end \(clients send it in an HTTP header\)\n/);
      expect(run.stderr).not.toMatch(/padded-key|secrète/);
    }
  });

  it('refuses a bad timeout override (exit 2)', async () => {
    const run = await runInProcess(['serve', '--port', '0'], { fake, configDir: configDirWith(fake.issueTokens()), env: { CODEX_SERVE_HEADERS_TIMEOUT_MS: 'soon' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('codex: CODEX_SERVE_HEADERS_TIMEOUT_MS takes milliseconds (a whole number over 0), not "soon"\n');
  });
});

/** Writes `bytes` on a new connection and returns everything the server sent back before closing. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}
