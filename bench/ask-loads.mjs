// What `codex ask hi` loads before its /responses request goes out (issue 31 item 2), against the loopback fake:
// each dist file and builtin in load order, its size and the source modules bundled in it (esbuild's `// path`
// comments), when it was resolved (ms from process start), and the total size loaded before the request.
// A module resolve hook logs every URL; node:http(s) `request` is wrapped to mark the request. The first run fills
// the fake's catalog cache, the second is shown. Usage: node bench/ask-loads.mjs [DIST_DIR] [-- ask args…]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const split = process.argv.indexOf('--');
const [distArg] = process.argv.slice(2, split < 0 ? undefined : split);
const dist = resolve(distArg ?? join(root, 'dist'));
const askArgs = split < 0 ? ['hi'] : process.argv.slice(split + 1);
const scratch = mkdtempSync(join(tmpdir(), 'codex-ask-loads-'));
const log = join(scratch, 'resolved.log');
const hook = join(scratch, 'hook.mjs');
const preload = join(scratch, 'preload.mjs');
writeFileSync(
  hook,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, \`\${result.url} \${performance.timeOrigin + performance.now()}\\n\`);
  return result;
}
`,
);
writeFileSync(
  preload,
  `import { appendFileSync } from 'node:fs';
import { createRequire, register, syncBuiltinESMExports } from 'node:module';
register(${JSON.stringify(pathToFileURL(hook).href)});
appendFileSync(${JSON.stringify(log)}, \`START \${performance.timeOrigin}\\n\`);
const require = createRequire(import.meta.url);
for (const name of ['node:http', 'node:https']) {
  const mod = require(name);
  const request = mod.request;
  mod.request = function (url, ...rest) {
    if (String(url).includes('/responses')) appendFileSync(${JSON.stringify(log)}, \`REQUEST \${performance.timeOrigin + performance.now()}\\n\`);
    return request.call(this, url, ...rest);
  };
}
syncBuiltinESMExports();
`,
);

const fake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', join(scratch, 'config')], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const [line] = await once(createInterface({ input: fake.stdout }), 'line');
  const { base_url: baseUrl, issuer } = JSON.parse(line);
  const env = { ...process.env, CODEX_CONFIG_DIR: join(scratch, 'config'), CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer, NODE_OPTIONS: `--import=${preload}` };
  for (const shown of [false, true]) {
    writeFileSync(log, '');
    const run = spawnSync(process.execPath, [join(dist, 'cli.js'), 'ask', ...askArgs], { env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`codex ask exited ${run.status}: ${run.stderr}`);
    if (shown) report(readFileSync(log, 'utf8'));
  }
} finally {
  fake.kill();
  rmSync(scratch, { recursive: true, force: true });
}

function report(text) {
  const entries = text
    .trim()
    .split('\n')
    .map((row) => {
      const at = row.lastIndexOf(' ');
      return { what: row.slice(0, at), ms: Number(row.slice(at + 1)) };
    });
  const start = entries.find((entry) => entry.what === 'START').ms;
  const seen = new Set();
  let requested = false;
  let bytesBefore = 0;
  for (const { what, ms } of entries) {
    if (what === 'START' || seen.has(what)) continue;
    seen.add(what);
    const when = `${(ms - start).toFixed(1).padStart(7)} ms`;
    if (what === 'REQUEST') {
      requested = true;
      console.log(`${when}  ---- the /responses request goes out`);
      continue;
    }
    if (!what.startsWith('file:')) {
      console.log(`${when}  ${what}`);
      continue;
    }
    const path = new URL(what).pathname;
    const size = statSync(path).size;
    if (!requested) bytesBefore += size;
    const modules = [...new Set(readFileSync(path, 'utf8').match(/^\/\/ (src|node_modules)\/\S+/gm) ?? [])].map((m) => m.slice(3));
    console.log(`${when}  ${path.replace(`${dist}/`, '')} ${(size / 1024).toFixed(0)} KiB  ${modules.join(' ')}`);
  }
  console.log(`loaded before the request: ${(bytesBefore / 1024).toFixed(0)} KiB${requested ? '' : ' (no /responses request seen)'}`);
}
