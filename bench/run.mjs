// `npm run bench`: start-up, time to first byte, throughput and memory of `codex`, each as a ratio to a
// reference measured in the same run, interleaved, medians. Writes the table to stdout and bench/RESULTS.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const THROUGHPUT_RUNS = Number(process.env.BENCH_THROUGHPUT_RUNS ?? 3);
const node = process.execPath;
const cli = join(root, 'dist/cli.js');
const devNull = openSync('/dev/null', 'w');
const scratch = mkdtempSync(join(tmpdir(), 'codex-bench-'));
const children = [];

async function startFake(name, extra = []) {
  const configDir = join(scratch, name);
  const child = spawn(node, [join(root, 'build/fake.js'), '--config-dir', configDir, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  const { base_url: baseUrl, issuer } = JSON.parse(line);
  return {
    baseUrl,
    issuer,
    configDir,
    auth: join(configDir, 'auth.json'),
    env: { ...process.env, CODEX_CONFIG_DIR: configDir, CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer },
  };
}

/** One run: ms to the first stdout byte and to exit. stdout goes to /dev/null when `discard`. */
function measure([command, ...args], { env = process.env, discard = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let first;
    const child = spawn(command, args, { env, stdio: ['ignore', discard ? devNull : 'pipe', 'inherit'] });
    child.stdout?.on('data', () => (first ??= process.hrtime.bigint()));
    child.on('error', reject);
    child.on('close', (code) => {
      const end = process.hrtime.bigint();
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}`));
      resolve({ firstMs: Number((first ?? end) - started) / 1e6, totalMs: Number(end - started) / 1e6 });
    });
  });
}

/** Peak RSS (MB) of a command, read from getrusage(RUSAGE_CHILDREN) by a tiny python wrapper. */
function peakRssMb(command, env) {
  return new Promise((resolve, reject) => {
    const py =
      'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL)\nprint(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)';
    const child = spawn('python3', ['-c', py, ...command], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      const [kb, code] = out.trim().split(' ').map(Number);
      if (code !== 0) return reject(new Error(`${command.join(' ')} exited ${code}`));
      resolve(kb / 1024);
    });
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs every case once per round, rounds interleaved so drift hits all alike. */
async function interleaved(cases, rounds, options) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const key of Object.keys(cases)) await measure(cases[key].cmd, { ...options, env: cases[key].env }); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const [key, c] of Object.entries(cases)) samples[key].push(await measure(c.cmd, { ...options, env: c.env }));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([key, runs]) => [key, { firstMs: median(runs.map((r) => r.firstMs)), totalMs: median(runs.map((r) => r.totalMs)) }]),
  );
}

const rows = [];
const row = (what, ours, reference, ratio, target, met) => rows.push({ what, ours, reference, ratio, target, met });
const ms = (v) => `${v.toFixed(1)} ms`;

try {
  const small = await startFake('small');
  const bulk20 = await startFake('bulk20', ['--bulk-bytes', String(20e6)]);
  // Memory: 256-byte deltas, so the 100 MB run takes seconds, not a minute; 20 MB alongside shows flatness.
  const bulk100 = await startFake('bulk100', ['--bulk-bytes', String(100e6), '--delta-bytes', '256']);
  const bulk20big = await startFake('bulk20big', ['--bulk-bytes', String(20e6), '--delta-bytes', '256']);

  process.stderr.write(`start-up and first byte: ${RUNS} interleaved rounds…\n`);
  const startup = await interleaved(
    {
      node: { cmd: [node, '-e', '0'] },
      version: { cmd: [node, cli, '--version'] },
      ask: { cmd: [node, cli, 'ask', 'hi'], env: small.env },
      reference: { cmd: [node, join(root, 'bench/reference-client.mjs'), small.baseUrl, small.auth] },
      openai: { cmd: [node, join(root, 'bench/openai-client.mjs'), small.baseUrl, small.auth] },
    },
    RUNS,
  );
  const v = startup.version.totalMs / startup.node.totalMs;
  row('`codex --version` vs `node -e 0` (total)', ms(startup.version.totalMs), ms(startup.node.totalMs), v, '≤ 1.20×', v <= 1.2);
  const fb = startup.ask.firstMs / startup.reference.firstMs;
  row('`codex ask` first byte vs reference client', ms(startup.ask.firstMs), ms(startup.reference.firstMs), fb, '≤ 1.15×', fb <= 1.15);
  const tot = startup.ask.totalMs / startup.reference.totalMs;
  row('`codex ask` total vs reference client', ms(startup.ask.totalMs), ms(startup.reference.totalMs), tot, '—', true);
  const sdk = startup.ask.firstMs / startup.openai.firstMs;
  row('`codex ask` first byte vs openai SDK script', ms(startup.ask.firstMs), ms(startup.openai.firstMs), sdk, '< 1.00×', sdk < 1);
  const sdkTot = startup.ask.totalMs / startup.openai.totalMs;
  row('`codex ask` total vs openai SDK script', ms(startup.ask.totalMs), ms(startup.openai.totalMs), sdkTot, '—', true);

  process.stderr.write(`throughput (20 MB answer of 16-byte deltas): ${THROUGHPUT_RUNS} rounds…\n`);
  const through = await interleaved(
    {
      text: { cmd: [node, cli, 'ask', 'q'], env: bulk20.env },
      json: { cmd: [node, cli, 'ask', '--json', 'q'], env: bulk20.env },
      reference: { cmd: [node, join(root, 'bench/reference-client.mjs'), bulk20.baseUrl, bulk20.auth] },
      referenceJson: { cmd: [node, join(root, 'bench/reference-client.mjs'), bulk20.baseUrl, bulk20.auth, '--json'] },
    },
    THROUGHPUT_RUNS,
    { discard: true },
  );
  const mbps = (r) => 20 / (r.totalMs / 1000);
  const t1 = mbps(through.text) / mbps(through.reference);
  row('`codex ask` throughput, text, to /dev/null', `${mbps(through.text).toFixed(1)} MB/s`, `${mbps(through.reference).toFixed(1)} MB/s`, t1, '≥ 0.70×', t1 >= 0.7);
  const t2 = mbps(through.json) / mbps(through.referenceJson);
  row('`codex ask --json` throughput to /dev/null', `${mbps(through.json).toFixed(1)} MB/s`, `${mbps(through.referenceJson).toFixed(1)} MB/s`, t2, '≥ 0.70×', t2 >= 0.7);

  process.stderr.write('peak RSS on a 100 MB answer…\n');
  const rssText20 = await peakRssMb([node, cli, 'ask', 'q'], bulk20big.env);
  const rssText = await peakRssMb([node, cli, 'ask', 'q'], bulk100.env);
  const rssJson = await peakRssMb([node, cli, 'ask', '--json', 'q'], bulk100.env);
  const rssRef = await peakRssMb([node, join(root, 'bench/reference-client.mjs'), bulk100.baseUrl, bulk100.auth], process.env);
  row('peak RSS, `codex ask` text, 100 MB answer', `${rssText.toFixed(0)} MB`, `${rssRef.toFixed(0)} MB`, rssText / rssRef, '≤ 100 MB', rssText <= 100);
  row(
    'peak RSS, `codex ask` text, 100 MB vs 20 MB answer (flatness)',
    `${rssText.toFixed(0)} MB`,
    `${rssText20.toFixed(0)} MB`,
    rssText / rssText20,
    '≈ 1.00×',
    rssText / rssText20 < 1.15,
  );
  row(
    'peak RSS, `codex ask --json`, 100 MB answer',
    `${rssJson.toFixed(0)} MB`,
    `${rssRef.toFixed(0)} MB`,
    rssJson / rssRef,
    '— (keeps the answer for `result.text`)',
    true,
  );

  const header = '| measurement | codex | reference | ratio | target | met |\n|---|---|---|---|---|---|';
  const table = [header, ...rows.map((r) => `| ${r.what} | ${r.ours} | ${r.reference} | ${r.ratio.toFixed(2)}× | ${r.target} | ${r.met ? 'yes' : '**no**'} |`)].join(
    '\n',
  );
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ${RUNS} interleaved rounds (throughput ${THROUGHPUT_RUNS}), medians`;
  process.stdout.write(`${table}\n\n${machine}\n`);
  // The hand-written analysis below the table survives a re-run.
  const resultsPath = join(root, 'bench/RESULTS.md');
  const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
  const analysis = previous.includes('\n## Analysis') ? previous.slice(previous.indexOf('\n## Analysis')) : '';
  writeFileSync(
    resultsPath,
    `# Benchmark results\n\nMade by \`npm run bench\` (bench/run.mjs) against the loopback fake. Reference = \`bench/reference-client.mjs\`\n(global fetch and a line splitter, no dependencies); openai SDK = \`bench/openai-client.mjs\`.\n\n${table}\n\n${machine}\n${analysis}`,
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
