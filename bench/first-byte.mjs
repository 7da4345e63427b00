// Only the start-up rounds of bench/run.mjs, for one or more builds side by side (before/after numbers on a busy
// box): the raw client, `node -e 0`, and per dist dir `codex --version` and `codex ask hi` against the http fake,
// interleaved round by round; every ratio is the median of per-round ratios (first byte and CPU time ÷ the raw
// client, --version ÷ `node -e 0`). Usage: node bench/first-byte.mjs [--node BIN] [--runs N] [DIST_DIR…]
// (default: this checkout's dist/). A dist dir outside a `"type": "module"` package needs a package.json saying so.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { interleaved, med, pairedRatio } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args.splice(at, 2)[1];
};
const node = option('--node', process.execPath);
const runs = Number(option('--runs', 15));
const dists = (args.length > 0 ? args : [join(root, 'dist')]).map((dir) => resolve(dir));
const scratch = mkdtempSync(join(tmpdir(), 'codex-first-byte-'));
const fake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', join(scratch, 'config')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [line] = await once(createInterface({ input: fake.stdout }), 'line');
  const { base_url: baseUrl, issuer } = JSON.parse(line);
  const env = { ...process.env, CODEX_CONFIG_DIR: join(scratch, 'config'), CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer };
  const cases = {
    raw: { cmd: [node, join(root, 'bench/reference-client.mjs'), baseUrl, join(scratch, 'config', 'auth.json')] },
    node: { cmd: [node, '-e', '0'] },
  };
  dists.forEach((dist, i) => {
    cases[`version${i}`] = { cmd: [node, join(dist, 'cli.js'), '--version'] };
    cases[`ask${i}`] = { cmd: [node, join(dist, 'cli.js'), 'ask', 'hi'], env };
  });
  const loadBefore = loadavg()[0];
  const r = await interleaved(cases, runs);
  const x = (v) => `${v.toFixed(2)}×`;
  const ms = (v) => `${v.toFixed(0)} ms`;
  console.log(`${node} ${runs} rounds, load average (1 min) ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
  console.log(`raw client: first byte ${ms(med(r.raw, (s) => s.firstMs))}, CPU ${ms(med(r.raw, (s) => s.cpuMs))}; node -e 0: ${ms(med(r.node, (s) => s.totalMs))}`);
  dists.forEach((dist, i) => {
    const ask = r[`ask${i}`];
    const version = r[`version${i}`];
    console.log(
      `${dist}\n  ask first byte ${x(pairedRatio(ask, r.raw, (s) => s.firstMs))} (${ms(med(ask, (s) => s.firstMs))}), ` +
        `CPU ${x(pairedRatio(ask, r.raw, (s) => s.cpuMs))} (${ms(med(ask, (s) => s.cpuMs))}); ` +
        `--version ÷ node -e 0 ${x(pairedRatio(version, r.node, (s) => s.totalMs))}, CPU ${x(pairedRatio(version, r.node, (s) => s.cpuMs))}`,
    );
  });
} finally {
  fake.kill();
  rmSync(scratch, { recursive: true, force: true });
}
