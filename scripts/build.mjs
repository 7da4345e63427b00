// Bundles the CLI (per-command chunks, dependencies inlined) and the library (dependencies external).
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __CODEX_VERSION__: JSON.stringify(pkg.version) };
// Bundled CommonJS dependencies (commander, undici) call require() for Node built-ins.
const banner = { js: "import { createRequire as __codexCreateRequire } from 'node:module'; const require = __codexCreateRequire(import.meta.url);" };

// Built beside dist/ and swapped in, so a test run that is using dist/ never sees it half-written.
const staging = `dist.build-${process.pid}`;
const old = `dist.old-${process.pid}`;

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', define, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: staging,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner,
  }),
  build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir: staging, packages: 'external' }),
  build({ ...common, entryPoints: { fake: 'test/fake/main.ts' }, outdir: 'build', packages: 'external' }),
]);

if (existsSync('dist')) renameSync('dist', old);
renameSync(staging, 'dist');
rmSync(old, { recursive: true, force: true });
