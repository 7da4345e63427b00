// `node bench/exit-tail.mjs`: how long `codex ask` and the raw client live after their last stdout byte, on Node 20
// and Node 24, with and without V8's --liftoff-only (set at run time once undici is loaded, as src/cli/exit-tail.ts
// does). The measurement behind the exit-tail note in README "Performance".
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { node24Bin } from '../scripts/node24.mjs';
import { interleaved, med, pairedRatio } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const scratch = mkdtempSync(join(tmpdir(), 'codex-bench-'));
const fake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', join(scratch, 'small')], { stdio: ['ignore', 'pipe', 'inherit'] });
const liftoff = `data:text/javascript,import v8 from 'node:v8'; globalThis.Response; v8.setFlagsFromString('--liftoff-only');`;
try {
  const [line] = await once(createInterface({ input: fake.stdout }), 'line');
  const { base_url: baseUrl, issuer, config_dir: configDir } = JSON.parse(line);
  const auth = join(configDir, 'auth.json');
  const env = { ...process.env, CODEX_CONFIG_DIR: configDir, CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer };
  // Through undici (a proxy variable set; NO_PROXY sends it straight to the fake): where the CLI sets the flag.
  const proxied = { ...env, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1' };
  // The "before": the same build with v8.setFlagsFromString made a no-op by a preload.
  const noFlags = `data:text/javascript,import v8 from 'node:v8'; v8.setFlagsFromString = () => {};`;
  const cli = join(root, 'dist/cli.js');
  const raw = [join(root, 'bench/reference-client.mjs'), baseUrl, auth];
  for (const node of [process.execPath, node24Bin()].filter(Boolean)) {
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    const runs = await interleaved(
      {
        raw: { cmd: [node, ...raw] },
        'raw, --liftoff-only at run time': { cmd: [node, '--import', liftoff, ...raw] },
        'ask (node:http, no WebAssembly)': { cmd: [node, cli, 'ask', 'hi'], env },
        'ask through undici, flag off': { cmd: [node, '--import', noFlags, cli, 'ask', 'hi'], env: proxied },
        'ask through undici (as shipped)': { cmd: [node, cli, 'ask', 'hi'], env: proxied },
      },
      RUNS,
    );
    process.stdout.write(`\n${version}, ${RUNS} rounds, medians (load average ${loadavg()[0].toFixed(1)})\n`);
    process.stdout.write('| variant | first byte | last byte → exit | end to end | CPU | end to end ÷ raw (paired) |\n|---|---|---|---|---|---|\n');
    for (const [name, r] of Object.entries(runs)) {
      const f = (v) => `${v.toFixed(0)} ms`;
      process.stdout.write(
        `| ${name} | ${f(med(r, (x) => x.firstMs))} | ${f(med(r, (x) => x.totalMs - x.lastMs))} | ${f(med(r, (x) => x.totalMs))} | ${f(med(r, (x) => x.cpuMs))} | ${pairedRatio(r, runs.raw, (x) => x.totalMs).toFixed(2)}× |\n`,
      );
    }
  }
} finally {
  fake.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
