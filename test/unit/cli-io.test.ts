// The CLI layer takes the outside world from the io main is given (src/cli/README.md): only src/cli.ts, the bin,
// touches the process's streams, env, argv, signals and exit. That is what lets test/cli run commands in-process.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const CLI_DIR = resolve(import.meta.dirname, '../../src/cli');
const PROCESS_WIDE = /\bprocess\.(env|platform|arch|stdin|stdout|stderr|argv|exit|exitCode|on|once|off|addListener|removeListener|cwd|chdir)\b/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

it('no module of src/cli reads the process: it is given a CliIo', () => {
  const found = sources(CLI_DIR).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line, index) => ({ where: `${file.slice(CLI_DIR.length + 1)}:${index + 1}`, line: line.trim() }))
      .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*') && !line.startsWith('/**') && PROCESS_WIDE.test(line))
      .map(({ where, line }) => `${where}: ${line}`),
  );
  expect(found).toEqual([]);
});
