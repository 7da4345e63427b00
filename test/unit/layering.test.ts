// The dependency direction of src/ (the layers in src/shared/layers.ts), checked over every import in src/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, type Layer } from '../../src/shared/layers.js';

interface Placed {
  name: string;
  rank: number;
}

interface ImportEdge {
  file: string;
  specifier: string;
}

/** Every module specifier of a source text: `from '…'` (import and export), `import('…')`, bare `import '…'`. */
function importsIn(source: string): string[] {
  const pattern = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

function layerOf(file: string, layers: readonly (readonly Layer[])[]): Placed | undefined {
  for (const [rank, peers] of layers.entries()) {
    for (const layer of peers) {
      if (layer.paths.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path))) return { name: layer.name, rank };
    }
  }
  return undefined;
}

/** The module a relative specifier names (`./x.js` is the source file `./x.ts`); undefined for packages and node:. */
function targetOf(edge: ImportEdge): string | undefined {
  if (!edge.specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(edge.file), edge.specifier)).replace(/\.js$/, '.ts');
}

/** One line per import that points up a layer, or across to a peer of the same rank, naming file and import. */
function layerViolations(edges: readonly ImportEdge[], layers: readonly (readonly Layer[])[] = LAYERS): string[] {
  const out: string[] = [];
  for (const edge of edges) {
    const target = targetOf(edge);
    if (target === undefined) continue;
    const from = layerOf(edge.file, layers);
    const to = layerOf(target, layers);
    const what = `${edge.file}: import '${edge.specifier}'`;
    if (!from || !to) {
      out.push(`${what}: ${from ? target : edge.file} is in no layer of src/layers.ts`);
    } else if (to.rank > from.rank) {
      out.push(`${what} points up a layer, from ${from.name} to ${to.name}`);
    } else if (to.rank === from.rank && to.name !== from.name) {
      out.push(`${what} reaches across from ${from.name} to ${to.name}, a layer of the same rank`);
    }
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('the layers of src/', () => {
  const files = sourceFiles('src');
  const edges = files.flatMap((file) => importsIn(readFileSync(file, 'utf8')).map((specifier) => ({ file, specifier })));

  it('no import points up a layer or across to a peer', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(layerViolations(edges)).toEqual([]);
  });

  it('every file of src/ is in a layer, and every relative import names a file that exists', () => {
    expect(files.filter((file) => layerOf(file, LAYERS) === undefined)).toEqual([]);
    const missing = edges.map(targetOf).filter((target) => target !== undefined && !existsSync(target));
    expect(missing).toEqual([]);
  });

  it('every path in src/shared/layers.ts still names something', () => {
    const paths = LAYERS.flat().flatMap((layer) => layer.paths);
    expect(paths.filter((path) => !files.some((file) => (path.endsWith('/') ? file.startsWith(path) : file === path)))).toEqual([]);
  });
});

/**
 * Below the CLI the core is handed the environment and the platform it reads (options, the CLI's context): the
 * library can be run with another environment than the process's, and the CLI in-process with its own. The few
 * reads that stay, and why.
 */
const PROCESS_READS_ALLOWED: readonly { file: string; read: string; why: string }[] = [
  { file: 'src/library/environment.ts', read: 'env', why: "the library's documented default for its `env` option (and openCredentialStore's)" },
  { file: 'src/transport/proxy-env.ts', read: 'env', why: "the proxy is the process's global dispatcher: requests and messages follow the variables it was made from" },
  { file: 'src/transport/user-agent.ts', read: 'platform', why: 'the machine the User-Agent describes, as os.release() beside it' },
  { file: 'src/transport/user-agent.ts', read: 'arch', why: 'the machine the User-Agent describes, as os.release() beside it' },
];

/** `process.env`, `process.platform`, `process.arch` (also as `process['env']`) and `{ env } = process`, outside comments. */
function processReads(file: string, source: string): { file: string; read: string; line: string }[] {
  const pattern = /\bprocess\s*(?:\.\s*|\[\s*['"])(env|platform|arch)\b|\{\s*[^}]*\b(env|platform|arch)\b[^}]*\}\s*=\s*process\b/g;
  return source.split('\n').flatMap((text, index) => {
    const line = text.trim();
    if (line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) return [];
    return [...line.matchAll(pattern)].map((match) => ({ file, read: (match[1] ?? match[2])!, line: `${file}:${index + 1}: ${line}` }));
  });
}

const BELOW_CLI = (file: string) => !file.startsWith('src/cli/') && file !== 'src/cli.ts';

describe('the core does not read the process', () => {
  const reads = sourceFiles('src')
    .filter(BELOW_CLI)
    .flatMap((file) => processReads(file, readFileSync(file, 'utf8')));

  it('no module below the CLI reads process.env / platform / arch, but for the allow-list', () => {
    const allowed = (read: { file: string; read: string }) => PROCESS_READS_ALLOWED.some((entry) => entry.file === read.file && entry.read === read.read);
    expect(reads.filter((read) => !allowed(read)).map((read) => read.line)).toEqual([]);
  });

  it('every allow-list entry is still needed', () => {
    const unused = PROCESS_READS_ALLOWED.filter((entry) => !reads.some((read) => read.file === entry.file && read.read === entry.read));
    expect(unused).toEqual([]);
  });

  it('finds the ways a module reads them', () => {
    const source = [
      'const a = process.env.CODEX_MODEL;',
      'function f(env = process.env) {}',
      "if (process.platform === 'linux') {}",
      "const b = process['arch'];",
      'const { env, argv } = process;',
      '// process.env in a comment',
      'const c = process.pid;',
    ].join('\n');
    expect(processReads('src/x.ts', source).map((read) => read.read)).toEqual(['env', 'env', 'platform', 'arch', 'env']);
  });
});

describe('the layering check itself', () => {
  const layers: Layer[][] = [
    [{ name: 'low', paths: ['src/low/', 'src/low.ts'] }],
    [{ name: 'mid', paths: ['src/mid/'] }],
    [
      { name: 'left', paths: ['src/left/'] },
      { name: 'right', paths: ['src/right/'] },
    ],
  ];

  it('names the file and the import that points up, or across', () => {
    const edges = [
      { file: 'src/low/a.ts', specifier: '../mid/b.js' },
      { file: 'src/left/c.ts', specifier: '../right/d.js' },
      { file: 'src/low.ts', specifier: './left/e.js' },
    ];
    expect(layerViolations(edges, layers)).toEqual([
      "src/low/a.ts: import '../mid/b.js' points up a layer, from low to mid",
      "src/left/c.ts: import '../right/d.js' reaches across from left to right, a layer of the same rank",
      "src/low.ts: import './left/e.js' points up a layer, from low to left",
    ]);
  });

  it('lets imports down a layer, within one, and of packages through', () => {
    const edges = [
      { file: 'src/mid/b.ts', specifier: '../low/a.js' },
      { file: 'src/mid/b.ts', specifier: '../low.js' },
      { file: 'src/right/d.ts', specifier: '../mid/x/y.js' },
      { file: 'src/mid/b.ts', specifier: './c.js' },
      { file: 'src/low/a.ts', specifier: 'node:fs' },
      { file: 'src/low/a.ts', specifier: 'zod/mini' },
    ];
    expect(layerViolations(edges, layers)).toEqual([]);
  });

  it('flags a file or a target that no layer holds', () => {
    expect(
      layerViolations(
        [
          { file: 'src/stray.ts', specifier: './low.js' },
          { file: 'src/low.ts', specifier: './stray/f.js' },
        ],
        layers,
      ),
    ).toEqual([
      "src/stray.ts: import './low.js': src/stray.ts is in no layer of src/layers.ts",
      "src/low.ts: import './stray/f.js': src/stray/f.ts is in no layer of src/layers.ts",
    ]);
  });

  it('finds static, type-only, multi-line, re-exported, dynamic and bare imports', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      'import {',
      '  c,',
      '  d,',
      "} from './cd.js';",
      "export { e } from './e.js';",
      "export * from './f.js';",
      "const g = await import('./g.js');",
      "import './h.js';",
      "import * as z from 'zod/mini';",
    ].join('\n');
    expect(importsIn(source)).toEqual(['./a.js', '../b.js', './cd.js', './e.js', './f.js', './g.js', './h.js', 'zod/mini']);
  });
});
