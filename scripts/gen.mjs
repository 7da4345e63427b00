// `npm run gen`: regenerates the parts of the docs that come from the code — the option lists in man/codex.1 and
// completions/*, schema/*.schema.json and config.json's JSON Schema (src/config/config-file.schema.json) — from the
// commander program and the zod schemas.
// `node scripts/gen.mjs --check` only reports (exit 1) what is out of date. test/docs/generated.test.ts does the same.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');

// Bundle the generator with the program definition it imports (dependencies stay external and resolve from
// node_modules, so the bundle is written inside the package).
const cache = join(root, 'node_modules/.cache/codex-oauth-gen');
mkdirSync(cache, { recursive: true });
const bundle = join(cache, `docgen-${process.pid}.mjs`);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
await build({
  entryPoints: [join(root, 'scripts/docgen.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  define: { __CODEX_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  // What the generator writes is not read by it: config.json's schema can then be made when it is missing.
  plugins: [
    {
      name: 'generated-stub',
      setup(b) {
        b.onResolve({ filter: /\/config-file\.schema\.json$/ }, () => ({ path: 'config-file.schema.json', namespace: 'generated' }));
        b.onLoad({ filter: /.*/, namespace: 'generated' }, () => ({ contents: '{}', loader: 'json' }));
      },
    },
  ],
});
let files;
try {
  const { generateAll } = await import(pathToFileURL(bundle).href);
  files = await generateAll(root);
} finally {
  rmSync(bundle, { force: true });
}

let stale = 0;
for (const [path, content] of Object.entries(files)) {
  let current;
  try {
    current = readFileSync(join(root, path), 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale++;
  if (check) {
    process.stderr.write(`${path} is out of date; run npm run gen\n`);
  } else {
    writeFileSync(join(root, path), content);
    process.stderr.write(`updated ${path}\n`);
  }
}
if (check && stale > 0) process.exit(1);
if (stale === 0) process.stderr.write('generated files are up to date\n');
