// Bundles the CLI (per-command chunks, dependencies inlined) and the library (dependencies external), and
// emits the library's type declarations (dist/types) with tsc, in parallel with esbuild.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// `--if-stale` (what `npm test` runs): nothing to do when dist/ and build/ are newer than every input, so that CI,
// whose `npm ci` has just built, builds once.
if (process.argv.includes('--if-stale') && !isStale()) {
  console.log('dist/ is up to date');
  process.exit(0);
}

function newestMtimeMs(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtimeMs(`${path}/${name}`)));
}

function isStale() {
  const built = Math.min(newestMtimeMs('dist/cli.js') || 0, newestMtimeMs('build/fake.js') || 0);
  const inputs = ['src', 'test/fake', 'package.json', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json'];
  return built === 0 || inputs.some((input) => newestMtimeMs(input) > built);
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __CODEX_VERSION__: JSON.stringify(pkg.version) };
// Bundled CommonJS dependencies (commander, undici) call require() for Node built-ins.
const banner = { js: "import { createRequire as __codexCreateRequire } from 'node:module'; const require = __codexCreateRequire(import.meta.url);" };

// Built beside dist/ and swapped in, so a test run that is using dist/ never sees it half-written.
const staging = `dist.build-${process.pid}`;
const old = `dist.old-${process.pid}`;

/** `tsc -p tsconfig.build.json` into the staging dir: declarations only, for the files the entry points reach. */
function emitDeclarations(outDir) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', `${outDir}/types`], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`tsc (declarations) failed: ${signal ?? `exit ${code}`}`))));
  });
}

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', define, logLevel: 'warning', legalComments: 'none' };

// allSettled: on a failure, wait for the other steps before removing the staging dir they write into.
const steps = await Promise.allSettled([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: staging,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner,
  }),
  // The package root and `codex-oauth-cli/ai-sdk` share their modules through chunks (one Codex, one CodexError),
  // and what they load on demand (serve's handlers for createOpenAIFetch, hono) stays out of the entry files.
  build({
    ...common,
    entryPoints: { index: 'src/index.ts', 'ai-sdk': 'src/ai-sdk/index.ts' },
    outdir: staging,
    packages: 'external',
    splitting: true,
    chunkNames: 'lib/[name]-[hash]',
  }),
  build({ ...common, entryPoints: { fake: 'test/fake/main.ts' }, outdir: 'build', packages: 'external' }),
  emitDeclarations(staging),
]);
const failed = steps.find((step) => step.status === 'rejected');
if (failed) {
  rmSync(staging, { recursive: true, force: true });
  throw failed.reason;
}

// The banner is needed only where a bundled CommonJS dependency calls require(); elsewhere (the bin itself, which
// answers --version) loading node:module would be start-up time for nothing.
for (const file of [`${staging}/cli.js`, ...readdirSync(`${staging}/chunks`).map((name) => `${staging}/chunks/${name}`)]) {
  const text = readFileSync(file, 'utf8');
  const rest = text.replace(banner.js, '');
  if (rest !== text && !/\brequire\b/.test(rest)) writeFileSync(file, rest);
}

if (existsSync('dist')) renameSync('dist', old);
renameSync(staging, 'dist');
rmSync(old, { recursive: true, force: true });
