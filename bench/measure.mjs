// One timed run of a command, measured by a small python harness (started before the clock, so its own start-up is
// not counted): ms to the first and the last stdout byte and to the exit, and the child's CPU time and peak RSS from
// wait4(2) — the child's own, not a sum over everything the bench ran.
import { spawn } from 'node:child_process';

const HARNESS = `
import json, os, subprocess, sys, time
discard = sys.argv[1] == 'null'
cmd = sys.argv[2:]
start = time.perf_counter_ns()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL if discard else subprocess.PIPE, stderr=sys.stderr)
first = last = None
size = 0
if not discard:
    fd = p.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        now = time.perf_counter_ns()
        if first is None:
            first = now
        last = now
        size += len(chunk)
_, status, usage = os.wait4(p.pid, 0)
end = time.perf_counter_ns()
p.returncode = os.waitstatus_to_exitcode(status)
ms = lambda t: (t - start) / 1e6 if t is not None else None
print(json.dumps({'code': p.returncode, 'firstMs': ms(first), 'lastMs': ms(last), 'totalMs': ms(end), 'bytes': size,
  'cpuMs': (usage.ru_utime + usage.ru_stime) * 1000, 'rssMb': usage.ru_maxrss / 1024}))
`;

/** One run taking longer than this (BENCH_RUN_TIMEOUT_S, seconds) is killed and fails the bench, rather than hanging it. */
const RUN_TIMEOUT_MS = Number(process.env.BENCH_RUN_TIMEOUT_S ?? 600) * 1000;

/**
 * Runs `[command, ...args]` once: `{ firstMs, lastMs, totalMs, cpuMs, rssMb, bytes }`. stdout is read through a pipe
 * (first/last byte known), or goes to /dev/null with `discard` (first/last byte then unknown: null). `cwd`: where it runs.
 */
export function measure(cmd, { env = process.env, discard = false, quiet = false, cwd } = {}) {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout ends the measured command too, not only the harness.
    const child = spawn('python3', ['-c', HARNESS, discard ? 'null' : 'pipe', ...cmd], {
      env,
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', quiet ? 'ignore' : 'inherit'],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, RUN_TIMEOUT_MS);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      if (timedOut) return reject(new Error(`${cmd.join(' ')} took longer than ${RUN_TIMEOUT_MS / 1000} s (BENCH_RUN_TIMEOUT_S): killed`));
      let result;
      try {
        result = JSON.parse(out);
      } catch {
        return reject(new Error(`measuring ${cmd.join(' ')} failed: ${out.slice(0, 200)}`));
      }
      if (result.code !== 0) return reject(new Error(`${cmd.join(' ')} exited ${result.code}`));
      resolve(result);
    });
  });
}

export const median = (values) => {
  const sorted = values.filter((v) => v !== null && !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs every case once per round, one warm-up round first; rounds interleaved so drift hits all alike. Returns each
 * case's runs (arrays in round order), so ratios can be taken round by round.
 */
export async function interleaved(cases, rounds, options = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const c of Object.values(cases)) await measure(c.cmd, { ...options, env: c.env, quiet: c.quiet, cwd: c.cwd });
  for (let i = 0; i < rounds; i++) {
    for (const [key, c] of Object.entries(cases)) samples[key].push(await measure(c.cmd, { ...options, env: c.env, quiet: c.quiet, cwd: c.cwd }));
    // Progress, so that a slow round on a loaded machine is not taken for a hang.
    if (rounds > 1) process.stderr.write(`  round ${i + 1} of ${rounds}\n`);
  }
  return samples;
}

/** The median over rounds of `field(a[i]) / field(b[i])`: a ratio from paired rounds, robust to drift between rounds. */
export function pairedRatio(a, b, field) {
  return median(a.map((run, i) => field(run) / field(b[i])));
}

/** The median over rounds of one field. */
export const med = (runs, field) => median(runs.map(field));
