// `npm run bench:serve`: `codex serve` under load in front of the fake — 50 concurrent streams, 500 sequential
// requests (no error allowed; the server's RSS and its live heap after a GC sampled along the way), and the time to the first answer byte
// through the server against the library's own client (Codex, what `codex ask` uses), interleaved,
// medians. A bench, not a test: it prints numbers and fails only on errors.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Throughput at 1, 10 and 50 clients (BENCH_CLIENTS): a second fake answering 1 MB of token-sized deltas and a second
 * server in front of it; each round runs the clients at once, through the server (chat completions, streamed) and
 * through the library directly, interleaved; the ratio is the library's wall time ÷ the server's (≥ 1 means the
 * server keeps up), median over BENCH_THROUGHPUT_ROUNDS rounds, with the server's CPU time per answer.
 */
const throughputRows = [];
const clientCounts = (process.env.BENCH_CLIENTS ?? '1,10,50').split(',').filter(Boolean).map(Number);
if (clientCounts.length > 0) {
  const bulkDir = join(scratch, 'bulk-config');
  const bulkFake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', bulkDir, '--bulk-bytes', '1000000', '--token-deltas'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(bulkFake);
  const [bulkLine] = await once(createInterface({ input: bulkFake.stdout }), 'line');
  const bulk = JSON.parse(bulkLine);
  const bulkEnv = { ...env, CODEX_CONFIG_DIR: bulkDir, CODEX_BASE_URL: bulk.base_url, CODEX_ISSUER: bulk.issuer };
  const bulkServer = spawn(process.execPath, [join(underTest, 'dist/cli.js'), 'serve', '--port', '0'], { env: bulkEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(bulkServer);
  const bulkUrl = await new Promise((resolve, reject) => {
    createInterface({ input: bulkServer.stderr }).on('line', (line) => {
      const match = /listening on (http:\/\/\S+\/v1)/.exec(line);
      if (match) resolve(match[1]);
    });
    bulkServer.once('exit', (code) => reject(new Error(`codex serve exited ${code}`)));
  });
  const serverCpuMs = () => {
    const fields = readFileSync(`/proc/${bulkServer.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  const viaBulkServer = async () => {
    const response = await fetch(`${bulkUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer bench-key-0123456789' },
      body: body(true),
    });
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    let tail = '';
    for await (const chunk of response.body) tail = (tail + Buffer.from(chunk).toString('latin1')).slice(-64);
    if (!tail.includes('data: [DONE]')) throw new Error('no [DONE]');
  };
  process.env.CODEX_CONFIG_DIR = bulkDir;
  const bulkLibrary = Codex.fromStore({ baseUrl: bulk.base_url, issuer: bulk.issuer });
  const viaLibrary = async () => {
    for await (const event of bulkLibrary.stream({ prompt: 'hello bench', model: 'gpt-6-sol', reasoningSummary: false })) void event;
  };
  await count(viaBulkServer());
  await count(viaLibrary());
  const rounds = Number(process.env.BENCH_THROUGHPUT_ROUNDS ?? 3);
  for (const clients of clientCounts) {
    const ratios = [];
    const cpuPerAnswer = [];
    const timed = async (one) => {
      const started = performance.now();
      await Promise.all(Array.from({ length: clients }, () => count(one())));
      return performance.now() - started;
    };
    for (let round = 0; round < rounds; round++) {
      const cpuBefore = serverCpuMs();
      const served = await timed(viaBulkServer);
      cpuPerAnswer.push((serverCpuMs() - cpuBefore) / clients);
      const library = await timed(viaLibrary);
      ratios.push(library / served);
    }
    throughputRows.push(
      `  ${clients} client(s), 1 MB answers: throughput via serve ÷ library ${median(ratios).toFixed(2)}×, server CPU ${fmt(median(cpuPerAnswer))} ms per answer`,
    );
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
console.log(
  `  first answer byte, median of ${TTFB_RUNS}: via serve ${fmt(median(viaServer))} ms, library direct ${fmt(median(direct))} ms, added ${fmt(median(viaServer) - median(direct))} ms`,
);
server.kill('SIGTERM');
await once(server, 'exit');
process.exit(errors === 0 ? 0 : 1); // the fake is stopped on exit
