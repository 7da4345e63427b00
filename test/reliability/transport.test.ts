/**
 * Transport faults: the network, a proxy, TLS, and HTTP answers that are not the stream we asked for.
 *
 * Already covered elsewhere (not repeated here):
 * - 503 → 429 Retry-After: 1 → 200, no duplicated output ............ test/e2e/ask.test.ts "503 → 429 with Retry-After"
 * - 502 ×3 outlasting --max-retries 2 → exit 5 ...................... test/e2e/ask.test.ts "gives up after --max-retries"
 * - a drop after output → exit 5, not repeated ....................... test/e2e/ask.test.ts "a stream that drops after output"
 * - a drop (and a hang-up) before output → retried ................... test/e2e/ask.test.ts "a stream that drops before any output"
 * - usage limit 429 → exit 4 naming plan and reset ................... test/e2e/ask.test.ts "usage limit → exit 4"
 */
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { answer, type Reply, raw, status } from '../fake/replies.js';
import { jsonLines } from '../support/cli.js';
import { authNow, type Expected, MODES, rowsFor, runScenario, terminalEvent, type World, world } from '../support/world.js';

interface Row {
  name: string;
  /** Replies queued on the fake's /responses, in order. */
  replies?: (w: World) => Reply[];
  args: (w: World) => string[];
  env?: (w: World) => Record<string, string>;
  expected: Expected;
  /** How many POST /responses the fake must have seen (undefined: not checked; 0 for unreachable hosts). */
  requests?: number;
  /** Extra checks on the JSON-lines events. */
  events?: (events: Record<string, unknown>[]) => void;
}

/** A reply that sends the SSE headers and closes the connection before any byte of the body. */
const closeAfterHeaders: Reply = ({ res }) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
  setTimeout(() => res.socket?.destroy(), 20);
};

/** A loopback port nothing listens on (port 1 would be refused by fetch itself as a "bad port"). */
const closedPort = await new Promise<number>((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => resolve(port));
  });
});

const ask =
  (...extra: string[]) =>
  () => ['ask', '--json', '--max-retries', '1', ...extra, 'q'];
const httpDate = (msFromNow: number) => new Date(Date.now() + msFromNow).toUTCString();

const rows: Row[] = [
  // Nothing listens on port 1: connection refused, retried, then exit 5 naming the host.
  {
    name: 'connection refused',
    args: () => ['--base-url', `http://127.0.0.1:${closedPort}/backend-api/codex`, ...ask()()],
    expected: { exit: 5, error: /cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED$/ },
    requests: 0,
  },
  // `.invalid` never resolves (RFC 6761): DNS failure → exit 5.
  {
    name: 'DNS failure (.invalid host)',
    args: () => ['--base-url', 'https://codex.invalid/backend-api/codex', ...ask()()],
    expected: { exit: 5, error: /cannot reach codex\.invalid: (ENOTFOUND|EAI_AGAIN)/ },
    requests: 0,
  },
  // HTTP_PROXY pointing at a closed port: the fake is http://, so the proxy applies; NO_PROXY set empty so
  // nothing exempts loopback. The request must fail (not silently bypass the proxy), naming the proxy.
  {
    name: 'bad HTTP_PROXY',
    args: ask(),
    env: () => ({ HTTP_PROXY: `http://127.0.0.1:${closedPort}`, NO_PROXY: '' }),
    expected: { exit: 5, error: /ECONNREFUSED \(through the proxy http:\/\/127\.0\.0\.1:\d+\)/ },
    requests: 0,
  },
  // Lower-case spelling works the same.
  {
    name: 'bad http_proxy (lower case)',
    args: ask(),
    env: () => ({ http_proxy: `http://127.0.0.1:${closedPort}`, no_proxy: '' }),
    expected: { exit: 5, error: /ECONNREFUSED \(through the proxy http:\/\/127\.0\.0\.1:\d+\)/ },
    requests: 0,
  },
  // HTTPS_PROXY for an https:// backend: the CONNECT to the proxy is refused (the host is never resolved locally).
  {
    name: 'bad HTTPS_PROXY for an https backend',
    args: () => ['--base-url', 'https://chatgpt.invalid/backend-api/codex', ...ask()()],
    env: () => ({ HTTPS_PROXY: `http://127.0.0.1:${closedPort}`, NO_PROXY: '' }),
    expected: { exit: 5, error: /ECONNREFUSED \(through the proxy http:\/\/127\.0\.0\.1:\d+\)/ },
    requests: 0,
  },
  // NO_PROXY naming the fake's host: the bad proxy is bypassed and the answer arrives.
  {
    name: 'NO_PROXY exempts the backend from a bad proxy',
    args: ask(),
    env: () => ({ HTTP_PROXY: `http://127.0.0.1:${closedPort}`, NO_PROXY: '127.0.0.1' }),
    expected: { exit: 0 },
    requests: 1,
  },
  // TLS failure: https:// to a plain-HTTP server → handshake error, exit 5.
  {
    name: 'TLS handshake failure',
    args: (w) => ['--base-url', `${w.fake.url.replace('http:', 'https:')}/backend-api/codex`, ...ask()()],
    expected: { exit: 5, error: /cannot reach 127\.0\.0\.1:\d+: .*(SSL|TLS|EPROTO|wrong version)/i },
  },
  // 200 + SSE headers, then the socket closes before any byte: retried, then exit 5 stream_closed.
  {
    name: 'server closes after headers',
    replies: () => [closeAfterHeaders, closeAfterHeaders],
    args: ask(),
    expected: { exit: 5, error: /stream/ },
    requests: 2,
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'stream_closed' }),
  },
  // Half an SSE frame, then the socket closes, before any output: retried; the second answer wins, once.
  {
    name: 'closes mid-frame before output, then recovers',
    replies: () => [answer({ text: 'lost', after: { events: 1, then: 'drop-mid-frame' } }), answer({ text: 'whole' })],
    args: ask(),
    expected: { exit: 0 },
    requests: 2,
    events: (e) => expect(e.at(-1)).toMatchObject({ type: 'result', text: 'whole' }),
  },
  // A captive portal / CDN page with status 200: not a stream → exit 5 bad_stream, quoting the page briefly.
  {
    name: '200 with an HTML body',
    replies: () => [raw('<html><body><h1>Just a moment…</h1></body></html>', 'text/html')],
    args: ask(),
    expected: { exit: 5, error: /expected an event stream .*text\/html.*Just a moment/ },
    requests: 1,
  },
  // A JSON error body on a 200: its message is shown, exit 5 bad_stream.
  {
    name: '200 with an application/json error body',
    replies: () => [raw('{"error":{"message":"Model is overloaded","code":"overloaded"}}', 'application/json')],
    args: ask(),
    expected: { exit: 5, error: /Model is overloaded/ },
    requests: 1,
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'bad_stream', exit_code: 5 }),
  },
  // 502, 503, 504 outlast --max-retries 2: three requests, exit 5 naming the last status.
  {
    name: '502/503/504 outlasting --max-retries',
    replies: () => [status(502, '<html>Bad gateway</html>'), status(503, { detail: 'server_is_overloaded' }), status(504, 'Gateway Timeout')],
    args: () => ['ask', '--json', '--max-retries', '2', 'q'],
    expected: { exit: 5, error: /server error \(HTTP 504\)/ },
    requests: 3,
    events: (e) => expect(e.filter((x) => x.type === 'retry').map((x) => x.reason)).toEqual(['http_502', 'http_503']),
  },
  // Retry-After as an HTTP date 3 s ahead (made when the request arrives; HTTP dates have whole seconds, so the
  // wait left is 2–3 s): honoured — more than the first backoff step (< 1 s), at most the date — then success.
  {
    name: 'Retry-After as an HTTP date',
    replies: () => [(ctx) => status(503, { detail: 'busy' }, { 'retry-after': httpDate(3000) })(ctx), answer({ text: 'ok' })],
    args: ask(),
    expected: { exit: 0 },
    requests: 2,
    events: (e) => {
      const delay = Number(e.find((x) => x.type === 'retry')!.delay_ms);
      expect(delay).toBeGreaterThan(1000);
      expect(delay).toBeLessThanOrEqual(3000);
    },
  },
  // Retry-After: 0.3 seconds (fractional) on a 429: waited exactly, then success.
  {
    name: 'Retry-After in seconds (fractional)',
    replies: () => [status(429, { detail: 'slow down' }, { 'retry-after': '0.3' }), answer({ text: 'ok' })],
    args: ask(),
    expected: { exit: 0 },
    requests: 2,
    events: (e) => expect(e.find((x) => x.type === 'retry')).toMatchObject({ delay_ms: 300, reason: 'http_429' }),
  },
  // A 429 asking for 11 days: not waited for; exit 4 at once, saying how long it asked.
  {
    name: 'Retry-After absurdly large on 429',
    replies: () => [status(429, { detail: 'slow down' }, { 'retry-after': '999999' })],
    args: ask(),
    expected: { exit: 4, error: /rate limited; the server asks to wait 11d 13h/ },
    requests: 1,
    events: (e) => expect(e.at(-1)).toMatchObject({ code: 'rate_limited', exit_code: 4, retry_after_s: 999999, status: 429 }),
  },
  // The same on a 503: exit 5 (server error), with the wait.
  {
    name: 'Retry-After absurdly large on 503',
    replies: () => [status(503, { detail: 'down for maintenance' }, { 'retry-after': '999999' })],
    args: ask(),
    expected: { exit: 5, error: /server busy \(HTTP 503\); the server asks to wait 11d 13h/ },
    requests: 1,
  },
  // A negative Retry-After is ignored: ordinary backoff (< 1 s at the first retry), then success.
  {
    name: 'Retry-After negative',
    replies: () => [status(503, { detail: 'busy' }, { 'retry-after': '-5' }), answer({ text: 'ok' })],
    args: ask(),
    expected: { exit: 0 },
    requests: 2,
    events: (e) => expect(Number(e.find((x) => x.type === 'retry')!.delay_ms)).toBeLessThan(1000),
  },
];

describe.each(MODES)('transport faults ($mode)', ({ verbose }) => {
  it.concurrent.each(rowsFor(rows, verbose))(
    '$name',
    async (row) => {
      const w = await world();
      try {
        w.fake.responses.push(...(row.replies?.(w) ?? []));
        // A proxy (the only env rows) becomes undici's process-wide dispatcher: it would route the concurrent
        // in-process rows too, so those rows run in a process of their own.
        const run = await runScenario(w, row.args(w), row.expected, verbose, { env: row.env?.(w), spawn: row.env !== undefined });
        const last = terminalEvent(run.stdout);
        expect(last.exit_code ?? 0).toBe(row.expected.exit);
        row.events?.(jsonLines(run.stdout));
        if (row.requests !== undefined) expect(w.fake.requestsTo('/backend-api/codex/responses')).toHaveLength(row.requests);
        // The credential file is never touched by a transport failure.
        expect(authNow(w)).toBe(w.authBefore);
      } finally {
        await w.close();
      }
    },
    60_000,
  );
});
