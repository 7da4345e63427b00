// `npm run bench:serve`: `codex serve` under load in front of the fake — 50 concurrent streams, 500 sequential
// requests (no error allowed; the server's RSS and its live heap after a GC sampled along the way), the time to the
// first answer byte through the server against the library's own client (Codex, what `codex ask` uses), interleaved,
// medians; and the throughput of 1 MB answers through the server ÷ through the library at 1, 10 and 50 clients,
// paired round by round, with the server's CPU per MB (BENCH_BASE=DIR: another checkout's serve in the same rounds).
// The clients read with fetch, as most programs do; BENCH_SERVE_CLIENT=http reads with node:http instead (about half
// the client's CPU), which shows how much of serve's ratio on a 2-core box is the client's share of the CPU.
// A bench, not a test: it prints numbers and fails only on errors.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const keepAlive = new Agent({ keepAlive: true });

const root = new URL('..', import.meta.url).pathname;
// CODEX_BENCH_ROOT=DIR: the `codex serve` and library of another checkout (its dist/), against this one's fake.
const underTest = process.env.CODEX_BENCH_ROOT ?? root;
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 50);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 500);
const TTFB_RUNS = Number(process.env.BENCH_TTFB_RUNS ?? 40);
const scratch = mkdtempSync(join(tmpdir(), 'codex-bench-serve-'));
const children = [];

function cleanup() {
  for (const child of children) child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', cleanup);

const configDir = join(scratch, 'config');
const fake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(fake);
const [fakeLine] = await once(createInterface({ input: fake.stdout }), 'line');
const { base_url: baseUrl, issuer } = JSON.parse(fakeLine);
// serve requires a key on every request (older versions only when given one).
const env = { ...process.env, CODEX_CONFIG_DIR: configDir, CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer, CODEX_SERVE_API_KEY: 'bench-key-0123456789' };

const probe = join(root, 'bench/heap-probe.mjs');
const server = spawn(process.execPath, ['--expose-gc', `--import=${probe}`, join(underTest, 'dist/cli.js'), 'serve', '--port', '0'], {
  env,
  stdio: ['ignore', 'ignore', 'pipe'],
});
children.push(server);
let logLines = 0;
let heapWaiter;
const url = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: server.stderr });
  lines.on('line', (line) => {
    const match = /listening on (http:\/\/\S+\/v1)/.exec(line);
    if (match) resolve(match[1]);
    else if (line.startsWith('codex serve: POST')) logLines++;
    else if (line.startsWith('heap-probe: ')) heapWaiter?.(Number(line.slice(12)));
  });
  server.once('exit', (code) => reject(new Error(`codex serve exited ${code}`)));
});

const rssMb = () => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
};

/** The live heap (MB) after a full GC in the server. */
const heapMb = () =>
  new Promise((resolve) => {
    heapWaiter = resolve;
    server.kill('SIGUSR2');
  });

const body = (stream) => JSON.stringify({ model: 'gpt-6-sol', stream, messages: [{ role: 'user', content: 'hello bench' }] });
let errors = 0;

/** One streamed request: ms to the first content chunk, and whether it ended with [DONE]. */
async function streamOnce() {
  const started = performance.now();
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-0123456789' },
    body: body(true),
  });
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  let first;
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    text += decoder.decode(chunk, { stream: true });
    if (first === undefined && text.includes('"content":"You')) first = performance.now() - started;
  }
  if (!text.includes('data: [DONE]')) throw new Error('no [DONE]');
  return first;
}

async function completeOnce() {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-0123456789' },
    body: body(false),
  });
  const json = await response.json();
  if (response.status !== 200 || !json.choices?.[0]?.message?.content) throw new Error(`status ${response.status}`);
}

const count = (promise) =>
  promise.catch((error) => {
    errors++;
    console.error(`error: ${error.message}`);
  });

await count(completeOnce()); // warm-up: catalog fetched, modules loaded
const rssStart = rssMb();
const heapStart = await heapMb();
await Promise.all(Array.from({ length: CONCURRENT }, () => count(streamOnce())));
const rssAfterConcurrent = rssMb();
const heapAfterConcurrent = await heapMb();
const samples = [];
const heaps = [];
for (let i = 0; i < SEQUENTIAL; i++) {
  await count(i % 2 === 0 ? completeOnce() : streamOnce());
  if ((i + 1) % 100 === 0) {
    samples.push(rssMb());
    heaps.push(await heapMb());
  }
}

// Time to the first answer byte: through the server, and through the library directly (same fake, same login).
process.env.CODEX_CONFIG_DIR = configDir;
const { Codex } = await import(join(underTest, 'dist/index.js'));
const transport = Codex.fromStore({ baseUrl, issuer });
async function directOnce() {
  const started = performance.now();
  let first;
  for await (const event of transport.stream({ prompt: 'hello bench', model: 'gpt-6-sol', reasoningSummary: false })) {
    if (event.type === 'text.delta' && first === undefined) first = performance.now() - started;
  }
  return first;
}
await directOnce();
const viaServer = [];
const direct = [];
for (let i = 0; i < TTFB_RUNS; i++) {
  viaServer.push(await streamOnce());
  direct.push(await directOnce());
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Throughput at 1, 10 and 50 clients (BENCH_CLIENTS): a second fake answering 1 MB of token-sized deltas (one answer =
 * 1 MB of backend stream, ≈4,300 events) and BENCH_SERVERS (3) server processes in front of it (and with
 * BENCH_BASE=DIR as many of another checkout's dist/, for before/after in the same rounds). Each round runs the clients at
 * once through every case, the order turning round by round: the library directly (what `codex ask` uses), and each
 * server streaming chat completions and Responses (BENCH_SERVE_APIS). The ratio is the library's wall time ÷ the
 * case's (≥ 1: the server keeps up), the median over BENCH_THROUGHPUT_ROUNDS (15) rounds of the per-round ratios; CPU is
 * the server's own (/proc), and the library's is the bench process's while it alone runs, per MB of backend stream.
 * On a loaded box the wall-time ratio mostly shows the scheduler's shares (serve's answers pass through one process
 * more than the library's); the CPU ratio, taken round by round too, does not depend on the load.
 */
const throughputRows = [];
/** serve's chat streaming per client count, for the summary line run.mjs reads. */
const throughput = [];
const clientCounts = (process.env.BENCH_CLIENTS ?? '1,10,50').split(',').filter(Boolean).map(Number);
const baseRoot = process.env.BENCH_BASE;
if (clientCounts.length > 0) {
  const bulkDir = join(scratch, 'bulk-config');
  const bulkFake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', bulkDir, '--bulk-bytes', '1000000', '--token-deltas'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(bulkFake);
  const [bulkLine] = await once(createInterface({ input: bulkFake.stdout }), 'line');
  const bulk = JSON.parse(bulkLine);
  const bulkEnv = { ...env, CODEX_CONFIG_DIR: bulkDir, CODEX_BASE_URL: bulk.base_url, CODEX_ISSUER: bulk.issuer };
  const startServer = async (dist) => {
    const child = spawn(process.execPath, [join(dist, 'dist/cli.js'), 'serve', '--port', '0'], { env: bulkEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    const served = await new Promise((resolve, reject) => {
      createInterface({ input: child.stderr }).on('line', (line) => {
        const match = /listening on (http:\/\/\S+\/v1)/.exec(line);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`codex serve exited ${code}`)));
    });
    const cpuMs = () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    };
    return { url: served, cpuMs };
  };
  const bodies = {
    chat: JSON.stringify({ model: 'gpt-6-sol', stream: true, messages: [{ role: 'user', content: 'hello bench' }] }),
    responses: JSON.stringify({ model: 'gpt-6-sol', stream: true, input: 'hello bench' }),
  };
  const ends = { chat: 'data: [DONE]', responses: 'event: response.completed' };
  /** One streamed answer read to its end the way a careful client does (bytes, searched for the closing event). */
  const viaServerHttp = (server, api) => () =>
    new Promise((resolve, reject) => {
      const target = new URL(`${server.url}/${api === 'chat' ? 'chat/completions' : 'responses'}`);
      const request = httpRequest(
        target,
        { method: 'POST', agent: keepAlive, headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-0123456789' } },
        (response) => {
          if (response.statusCode !== 200) {
            response.resume();
            return reject(new Error(`status ${response.statusCode}`));
          }
          const end = Buffer.from(ends[api]);
          let seen = false;
          let carry = Buffer.alloc(0);
          response.on('data', (bytes) => {
            seen ||= bytes.includes(end) || Buffer.concat([carry, bytes.subarray(0, end.length)]).includes(end);
            carry = Buffer.concat([carry, bytes]).subarray(-end.length);
          });
          response.on('end', () => (seen ? resolve() : reject(new Error(`no ${ends[api]}`))));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(bodies[api]);
    });
  const viaServerFetch = (server, api) => async () => {
    const response = await fetch(`${server.url}/${api === 'chat' ? 'chat/completions' : 'responses'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-0123456789' },
      body: bodies[api],
    });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    const end = ends[api];
    let seen = false;
    let carry = Buffer.alloc(0);
    for await (const chunk of response.body) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      seen ||= bytes.includes(end) || Buffer.concat([carry, bytes.subarray(0, end.length)]).includes(end);
      carry = Buffer.concat([carry, bytes]).subarray(-end.length);
    }
    if (!seen) throw new Error(`no ${end}`);
  };
  const viaServer = process.env.BENCH_SERVE_CLIENT === 'http' ? viaServerHttp : viaServerFetch;
  process.env.CODEX_CONFIG_DIR = bulkDir;
  const bulkLibrary = Codex.fromStore({ baseUrl: bulk.base_url, issuer: bulk.issuer });
  const viaLibrary = async () => {
    for await (const event of bulkLibrary.stream({ prompt: 'hello bench', model: 'gpt-6-sol', reasoningSummary: false })) void event;
  };
  const ownCpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  // BENCH_SERVERS processes per build, taking the rounds in turn: one process's CPU per MB differs from another's of
  // the same build by up to a third for its whole life (measured: 25–43 ms at 10 clients), more than most changes.
  const perBuild = Number(process.env.BENCH_SERVERS ?? 3);
  const start = async (dist) => {
    const started = [];
    for (let i = 0; i < perBuild; i++) started.push(await startServer(dist));
    return started;
  };
  const builds = [{ name: 'serve', processes: await start(underTest) }];
  if (baseRoot) builds.push({ name: `base serve (${baseRoot})`, processes: await start(baseRoot) });
  const apis = (process.env.BENCH_SERVE_APIS ?? 'chat,responses').split(',').filter(Boolean);
  /** A case: `at(round)` gives the round's answer and the CPU clock of the process that serves it. */
  const cases = [{ name: 'library', at: () => ({ one: viaLibrary, cpuMs: ownCpuMs }) }];
  for (const { name, processes } of builds) {
    for (const api of apis) {
      const served = processes.map((server) => ({ one: viaServer(server, api), cpuMs: server.cpuMs }));
      cases.push({ name: `${name} ${api}`, at: (round) => served[round % served.length], every: served });
    }
  }
  // Warm-up: the catalog fetched and the hot code compiled by the JIT in every process (a long-running server is warm;
  // the library already is, from the first-byte runs), BENCH_WARMUP answers each, 10 at a time.
  const warmup = Number(process.env.BENCH_WARMUP ?? 30);
  for (const c of cases) {
    for (const { one } of c.every ?? [c.at(0)]) {
      for (let done = 0; done < warmup; done += 10) await Promise.all(Array.from({ length: Math.min(10, warmup - done) }, () => count(one())));
    }
  }
  const rounds = Number(process.env.BENCH_THROUGHPUT_ROUNDS ?? 15);
  for (const clients of clientCounts) {
    const wall = Object.fromEntries(cases.map((c) => [c.name, []]));
    const cpu = Object.fromEntries(cases.map((c) => [c.name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(k + round) % cases.length];
        const { one, cpuMs } = c.at(round);
        const cpuBefore = cpuMs();
        const started = performance.now();
        await Promise.all(Array.from({ length: clients }, () => count(one())));
        wall[c.name].push(performance.now() - started);
        cpu[c.name].push((cpuMs() - cpuBefore) / clients);
      }
    }
    const library = wall.library;
    throughputRows.push(`  ${clients} client(s), 1 MB answers (${rounds} rounds, ${perBuild} servers per build): library ${fmt(median(cpu.library))} ms CPU per MB`);
    for (const c of cases.slice(1)) {
      const ratio = median(wall[c.name].map((ms, i) => library[i] / ms));
      const cpuRatio = median(cpu[c.name].map((ms, i) => ms / cpu.library[i]));
      throughputRows.push(
        `    ${c.name}: throughput ÷ library ${ratio.toFixed(2)}×, server CPU ${fmt(median(cpu[c.name]))} ms per MB (${cpuRatio.toFixed(2)}× the library's)`,
      );
      if (c.name === 'serve chat') throughput.push({ clients, ratio, cpu: median(cpu[c.name]) });
    }
  }
}

function fmt(value) {
  return value.toFixed(1);
}
console.log(`codex serve load (fake backend, ${new Date().toISOString()})`);
console.log(`  ${CONCURRENT} concurrent streams + ${SEQUENTIAL} sequential requests: ${errors} errors, ${logLines} access-log lines`);
console.log(`  server live heap MB after GC: start ${fmt(heapStart)}, after concurrent ${fmt(heapAfterConcurrent)}, every 100 sequential ${heaps.map(fmt).join(' ')}`);
console.log(`  server RSS MB: start ${fmt(rssStart)}, after concurrent ${fmt(rssAfterConcurrent)}, every 100 sequential ${samples.map(fmt).join(' ')}`);
for (const row of throughputRows) console.log(row);
if (throughput.length > 0) {
  console.log(
    `  serve chat streaming ÷ library at ${throughput.map((t) => t.clients).join(' / ')} clients: ${throughput.map((t) => `${t.ratio.toFixed(2)}×`).join(' / ')}; server CPU per MB ${throughput.map((t) => fmt(t.cpu)).join(' / ')} ms`,
  );
}
console.log(`  load average (1 min) at the end: ${loadavg()[0].toFixed(1)}`);
console.log(
  `  first answer byte, median of ${TTFB_RUNS}: via serve ${fmt(median(viaServer))} ms, library direct ${fmt(median(direct))} ms, added ${fmt(median(viaServer) - median(direct))} ms`,
);
server.kill('SIGTERM');
await once(server, 'exit');
process.exit(errors === 0 ? 0 : 1); // the fake is stopped on exit
