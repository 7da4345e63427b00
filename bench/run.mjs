// `npm run bench`: start-up, time to first byte, throughput and memory of `codex`, each as a ratio to a
// reference measured in the same run, interleaved, medians. Writes the table to stdout and bench/RESULTS.md.
// CODEX_BENCH_ROOT=DIR measures the `codex` built in another checkout (its dist/) against this one's fake and
// peers, e.g. a base commit for before/after numbers; RESULTS.md is then left alone.
// BENCH_OFFICIAL=0 skips installing and measuring OpenAI's `codex exec --json` (npm @openai/codex).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const underTest = process.env.CODEX_BENCH_ROOT ?? root;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const THROUGHPUT_RUNS = Number(process.env.BENCH_THROUGHPUT_RUNS ?? 3);
const node = process.execPath;
const cli = join(underTest, 'dist/cli.js');
const OFFICIAL_VERSION = '0.171.0';
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
function measure([command, ...args], { env = process.env, discard = false, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let first;
    const child = spawn(command, args, { env, stdio: ['ignore', discard ? devNull : 'pipe', quiet ? 'ignore' : 'inherit'] });
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

/** npm @openai/codex installed into the scratch folder: its bin, or why there is none. */
function installOfficial() {
  const dir = join(scratch, 'official');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', dir, `@openai/codex@${OFFICIAL_VERSION}`], { encoding: 'utf8', timeout: 300_000 });
  const bin = join(dir, 'node_modules/.bin/codex');
  if (npm.status !== 0) return { skipped: `npm install @openai/codex@${OFFICIAL_VERSION} failed (registry out of reach?)` };
  if (!existsSync(bin)) return { skipped: `@openai/codex@${OFFICIAL_VERSION} installed no codex binary for this platform` };
  return { bin };
}

/** `codex exec --json` of the official CLI against the fake, with a scratch CODEX_HOME (protocol §9). */
function officialExec(bin, fake) {
  const auth = JSON.parse(readFileSync(fake.auth, 'utf8'));
  const home = join(scratch, 'official-home');
  mkdirSync(home, { recursive: true });
  const provider = `model_providers.fake={name="fake",base_url="${fake.baseUrl}",wire_api="responses",env_key="FAKE_KEY",http_headers={"chatgpt-account-id"="${auth.account_id}","version"="${OFFICIAL_VERSION}"}}`;
  return {
    cmd: [bin, 'exec', '--json', '--skip-git-repo-check', '-c', 'model_provider=fake', '-c', provider, '-m', 'gpt-6.2-sol', 'hi'],
    env: { ...process.env, CODEX_HOME: home, FAKE_KEY: auth.access_token },
    // It warns on stderr about its helper binaries under a temporary CODEX_HOME; stdout is checked once.
    quiet: true,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs every case once per round, rounds interleaved so drift hits all alike. */
async function interleaved(cases, rounds, options) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const key of Object.keys(cases)) await measure(cases[key].cmd, { ...options, env: cases[key].env, quiet: cases[key].quiet }); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const [key, c] of Object.entries(cases)) samples[key].push(await measure(c.cmd, { ...options, env: c.env, quiet: c.quiet }));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([key, runs]) => [key, { firstMs: median(runs.map((r) => r.firstMs)), totalMs: median(runs.map((r) => r.totalMs)) }]),
  );
}

const rows = [];
const row = (what, ours, reference, ratio, target, met, note = '') => rows.push({ what, ours, reference, ratio, target, met, note });
const ms = (v) => `${v.toFixed(1)} ms`;

try {
  const small = await startFake('small');
  // The main throughput load: a 20 MB stream of token-sized deltas (2–12 characters, ≈ 85,000 events, the
  // framing the backend sends); the second: 10 MB of answer in 16-byte deltas.
  const tokens20 = await startFake('tokens20', ['--bulk-bytes', String(20e6), '--token-deltas']);
  const bulk10 = await startFake('bulk10', ['--bulk-bytes', String(10e6)]);
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

  const throughput = async (fake, label, mb) => {
    process.stderr.write(`throughput (${label}): ${THROUGHPUT_RUNS} rounds…\n`);
    const through = await interleaved(
      {
        text: { cmd: [node, cli, 'ask', 'q'], env: fake.env },
        json: { cmd: [node, cli, 'ask', '--json', 'q'], env: fake.env },
        reference: { cmd: [node, join(root, 'bench/reference-client.mjs'), fake.baseUrl, fake.auth] },
        referenceJson: { cmd: [node, join(root, 'bench/reference-client.mjs'), fake.baseUrl, fake.auth, '--json'] },
      },
      THROUGHPUT_RUNS,
      { discard: true },
    );
    const mbps = (r) => mb / (r.totalMs / 1000);
    const t1 = mbps(through.text) / mbps(through.reference);
    row(
      `\`codex ask\` throughput, text, ${label}, to /dev/null`,
      `${mbps(through.text).toFixed(1)} MB/s`,
      `${mbps(through.reference).toFixed(1)} MB/s`,
      t1,
      '≥ 0.85×',
      t1 >= 0.85,
    );
    const t2 = mbps(through.json) / mbps(through.referenceJson);
    row(
      `\`codex ask --json\` throughput, ${label}, to /dev/null`,
      `${mbps(through.json).toFixed(1)} MB/s`,
      `${mbps(through.referenceJson).toFixed(1)} MB/s`,
      t2,
      '≥ 0.85×',
      t2 >= 0.85,
    );
  };
  await throughput(tokens20, '20 MB stream of token-sized deltas', 20);
  await throughput(bulk10, '10 MB answer of 16-byte deltas', 10);

  const official = process.env.BENCH_OFFICIAL === '0' ? { skipped: 'BENCH_OFFICIAL=0' } : installOfficial();
  if (official.bin) {
    process.stderr.write(`codex exec --json (@openai/codex ${OFFICIAL_VERSION}): ${RUNS} interleaved rounds…\n`);
    const exec = officialExec(official.bin, small);
    // stdin closed, as in the timed runs: with an open one, `codex exec` waits to read more of the prompt from it.
    const check = spawnSync(exec.cmd[0], exec.cmd.slice(1), { env: exec.env, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (check.status !== 0 || !check.stdout.includes('You said: hi')) {
      row(
        '`codex ask --json` total vs `codex exec --json` (@openai/codex)',
        '—',
        '—',
        NaN,
        '< 1.00×',
        false,
        `skipped: codex exec failed (exit ${check.status}): ${(check.stderr || check.stdout)
          .trim()
          .split('\n')
          .filter((line) => !line.startsWith('Reading additional input'))
          .slice(-1)[0]
          ?.slice(0, 160)}`,
      );
    } else {
      const both = await interleaved({ ours: { cmd: [node, cli, 'ask', '--json', 'hi'], env: small.env }, exec }, RUNS);
      const r = both.ours.totalMs / both.exec.totalMs;
      row('`codex ask --json` total vs `codex exec --json` (@openai/codex)', ms(both.ours.totalMs), ms(both.exec.totalMs), r, '< 1.00×', r < 1);
    }
  } else {
    row('`codex ask --json` total vs `codex exec --json` (@openai/codex)', '—', '—', NaN, '< 1.00×', false, `skipped: ${official.skipped}`);
  }

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
    'peak RSS, `codex ask --json`, 100 MB answer, vs the answer (keeps it for `result.text`)',
    `${rssJson.toFixed(0)} MB`,
    '100 MB',
    rssJson / 100,
    '≤ 2.00×',
    rssJson <= 200,
  );

  process.stderr.write('codex serve overhead (bench/serve-load.mjs, reduced load)…\n');
  const serve = spawnSync(node, [join(root, 'bench/serve-load.mjs')], {
    env: { ...process.env, CODEX_BENCH_ROOT: underTest, BENCH_CONCURRENT: '20', BENCH_SEQUENTIAL: '100', BENCH_TTFB_RUNS: String(Math.max(RUNS, 20)) },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const added = /via serve ([\d.]+) ms, library direct ([\d.]+) ms, added (-?[\d.]+) ms/.exec(serve.stdout ?? '');
  if (serve.status === 0 && added) {
    row(
      '`codex serve` first answer byte vs the library direct (added ms)',
      `${added[1]} ms`,
      `${added[2]} ms`,
      Number(added[1]) / Number(added[2]),
      'added ≤ 5 ms',
      Number(added[3]) <= 5,
      `${added[3]} ms added`,
    );
  } else {
    row(
      '`codex serve` first answer byte vs the library direct (added ms)',
      '—',
      '—',
      NaN,
      'added ≤ 5 ms',
      false,
      `skipped: serve-load exited ${serve.status}: ${(serve.stderr ?? '').trim().split('\n').slice(-1)[0]?.slice(0, 120)}`,
    );
  }

  const header = '| measurement | codex | reference | ratio | target | met |\n|---|---|---|---|---|---|';
  const met = (r) => (r.note.startsWith('skipped') ? r.note : `${r.met ? 'yes' : '**no**'}${r.note ? ` (${r.note})` : ''}`);
  const table = [
    header,
    ...rows.map((r) => `| ${r.what} | ${r.ours} | ${r.reference} | ${Number.isNaN(r.ratio) ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.target} | ${met(r)} |`),
  ].join('\n');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ${RUNS} interleaved rounds (throughput ${THROUGHPUT_RUNS}), medians${underTest !== root ? `; codex under test: ${underTest}` : ''}`;
  process.stdout.write(`${table}\n\n${machine}\n`);
  if (underTest !== root) process.exit(0); // another checkout's numbers are not this one's results
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
