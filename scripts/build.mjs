// Bundles the CLI (per-command chunks, dependencies inlined) and the library (dependencies external).
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const define = { __CODEX_VERSION__: JSON.stringify(pkg.version) };
// Bundled CommonJS dependencies (commander, undici) call require() for Node built-ins.
const banner = { js: "import { createRequire as __codexCreateRequire } from 'node:module'; const require = __codexCreateRequire(import.meta.url);" };

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', define, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner,
  }),
  build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir: 'dist', packages: 'external' }),
  build({ ...common, entryPoints: { fake: 'test/fake/main.ts' }, outdir: 'build', packages: 'external' }),
]);
