// Bundles the CLI (per-command chunks, dependencies inlined) and the library (dependencies external), and
// emits the library's type declarations (dist/types) with tsc, in parallel with esbuild.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/**
 * One chunk for what a plain `codex ask` loads (issue 31). esbuild puts modules in the same chunk only when the
 * same set of entry points reaches them, and every `import()` target is an entry point: the ask path came out as
 * ≈50 files, and each file costs ≈0.5 ms of CPU to resolve, read, compile and link. So every `import()` target
 * also imports the ask path's roots (a virtual module, `codex:ask-core`): then every entry reaches all of the ask
 * path, which lands in one chunk. Other commands load the ask path too (≈440 KiB, already what every command that
 * talks to the backend loads). Left out: `boot.ts` and what it imports, loaded before main on purpose (it reports a
 * limit on open files hit while main loads), so small and apart.
 */
const ASK_ROOTS = ['src/cli/main.ts', 'src/cli/commands/ask.ts', 'src/cli/ask/session-log.ts'];
const KEPT_APART_ROOT = 'src/cli/boot.ts';

async function askCorePlugin() {
  const { metafile } = await build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist.meta', splitting: true, write: false, metafile: true });
  const staticClosure = (root) => {
    const seen = new Set([root]);
    for (const path of seen) {
      for (const imp of metafile.inputs[path]?.imports ?? []) if (imp.kind === 'import-statement' && !imp.external && metafile.inputs[imp.path]) seen.add(imp.path);
    }
    return seen;
  };
  const apart = staticClosure(KEPT_APART_ROOT);
  const askPath = new Set(ASK_ROOTS.flatMap((root) => [...staticClosure(root)]));
  const targets = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((imp) => imp.kind === 'dynamic-import' && !imp.external).map((imp) => imp.path));
  // Inside the ask path only the roots: a module the roots reach that imported them back would be evaluated before
  // what it needs (a cycle).
  const tagged = new Set(
    targets.filter((path) => path.endsWith('.ts') && !apart.has(path) && (!askPath.has(path) || ASK_ROOTS.includes(path))).map((path) => resolvePath(path)),
  );
  return {
    name: 'ask-core',
    setup(b) {
      b.onResolve({ filter: /^codex:ask-core$/ }, () => ({ path: 'ask-core', namespace: 'codex' }));
      b.onLoad({ filter: /.*/, namespace: 'codex' }, () => ({
        contents: ASK_ROOTS.map((path) => `import ${JSON.stringify(resolvePath(path))};`).join('\n'),
        loader: 'js',
        resolveDir: process.cwd(),
      }));
      // Appended: evaluated after the module's own imports, as the last of them.
      b.onLoad({ filter: /\.ts$/ }, (args) =>
        tagged.has(args.path) ? { contents: `${readFileSync(args.path, 'utf8')}\nimport 'codex:ask-core';\n`, loader: 'ts' } : undefined,
      );
    },
  };
}

/**
 * zod's JSON Schema code (to-json-schema.js, json-schema-processors.js, ≈42 KB) only where it is used: in the
 * library's tool definitions (a zod schema as a tool's parameters), never on the ask path. esbuild places whole
 * files: zod/mini reaches them through zod/v4/core's index (`export … from`), so the code the tool definitions use
 * landed in the chunk every command loads. In the CLI's bundle those two re-exports (the core's index and
 * zod/mini's) get a stand-in that throws, and tool-definitions.ts alone gets the real `toJSONSchema`.
 * test/e2e/startup-guard.test.ts checks that the ask path holds none of it; config.json's JSON Schema is made by
 * `npm run gen` (src/config/config-file.schema.json).
 */
function zodJsonSchemaPlugin() {
  const coreIndex = fileURLToPath(import.meta.resolve('zod/v4/core'));
  const core = dirname(coreIndex);
  const reExporters = new Set([coreIndex, resolvePath(core, '../mini/external.js')]);
  const toolDefinitions = resolvePath('src/library/tool-definitions.ts');
  const missing = (name) => `export function ${name}() { throw new Error("zod's ${name} is left out of the CLI's bundle"); }`;
  return {
    name: 'zod-json-schema',
    setup(b) {
      b.onResolve({ filter: /\/(?:to-json-schema|json-schema-processors|json-schema-generator)\.js$/ }, (args) =>
        reExporters.has(args.importer) ? { path: args.path, namespace: 'zod-json-schema-stand-in' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'zod-json-schema-stand-in' }, () => ({
        contents: [missing('toJSONSchema'), missing('JSONSchemaGenerator')].join('\n'),
        loader: 'js',
      }));
      b.onResolve({ filter: /^zod\/v4\/core$/ }, (args) => (args.importer === toolDefinitions ? { path: 'zod-core', namespace: 'zod-with-json-schema' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'zod-with-json-schema' }, () => ({
        contents: `export * from ${JSON.stringify(coreIndex)};\nexport { toJSONSchema } from ${JSON.stringify(resolvePath(core, 'json-schema-processors.js'))};\n`,
        loader: 'js',
        resolveDir: core,
      }));
      // A CLI module using the stand-in (`z.toJSONSchema`) would throw at run time: refuse to build it.
      b.onEnd(({ metafile }) => {
        const used = Object.values(metafile?.outputs ?? {}).some((output) =>
          Object.entries(output.inputs).some(([input, { bytesInOutput }]) => input.startsWith('zod-json-schema-stand-in:') && bytesInOutput > 0),
        );
        if (used) throw new Error("a CLI module uses zod's JSON Schema code, which only src/library/tool-definitions.ts may (zodJsonSchemaPlugin)");
      });
    },
  };
}

// allSettled: on a failure, wait for the other steps before removing the staging dir they write into.
const steps = await Promise.allSettled([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: staging,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    banner,
    metafile: true,
    plugins: [await askCorePlugin(), zodJsonSchemaPlugin()],
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

// A file with one character beyond ASCII is decoded into a two-byte string: twice the memory and a slower scan for
// the whole file, on every start. esbuild escapes them in code (charset ascii) but not in the comments it keeps, so
// on lines that are comments (` * …`, `/* …`, `// …`) they are written as \uXXXX, plain text there. Other lines are
// never touched (in a raw template, `\\u2026` is not `…`).
const COMMENT_LINE = /^\s*(?:\*|\/\*|\/\/)/;
const escapeBeyondAscii = (text) =>
  text
    .split('\n')
    .map((line) => (COMMENT_LINE.test(line) ? line.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`) : line))
    .join('\n');

// The banner is needed only where a bundled CommonJS dependency calls require(); elsewhere (the bin itself, which
// answers --version) loading node:module would be start-up time for nothing.
for (const file of [`${staging}/cli.js`, ...readdirSync(`${staging}/chunks`).map((name) => `${staging}/chunks/${name}`)]) {
  const text = readFileSync(file, 'utf8');
  const withoutBanner = text.replace(banner.js, '');
  const rest = escapeBeyondAscii(withoutBanner !== text && !/\brequire\b/.test(withoutBanner) ? withoutBanner : text);
  if (rest !== text) writeFileSync(file, rest);
}

if (existsSync('dist')) renameSync('dist', old);
renameSync(staging, 'dist');
rmSync(old, { recursive: true, force: true });
