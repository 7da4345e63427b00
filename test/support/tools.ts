import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

export interface ToolFixture {
  /** The tool file to pass with --tool. */
  file: string;
  folder: string;
  /** Pids the tool wrote down: its own, and a grandchild it started in the background. */
  pids(): number[];
  started(): boolean;
}

/**
 * A tool whose script is `body`; a prologue starts a grandchild (`sleep 300`) in the background and writes both
 * pids to pids.txt, so a test can check that the whole process group is gone afterwards.
 */
export function toolWithGrandchild(name: string, body: string, extra: Record<string, unknown> = {}): ToolFixture {
  const folder = tempDir('codex-tool-');
  const pidFile = join(folder, 'pids.txt');
  writeFileSync(
    join(folder, 'run.sh'),
    `#!/bin/sh\nsleep 300 &\necho "$$ $!" > "${pidFile}.tmp" && mv "${pidFile}.tmp" "${pidFile}"\n${body}\n`,
  );
  chmodSync(join(folder, 'run.sh'), 0o755);
  const file = join(folder, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, parameters: { type: 'object', properties: {} }, command: ['./run.sh'], ...extra }));
  return {
    file,
    folder,
    started: () => existsSync(pidFile),
    pids: () => readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number),
  };
}

/** A tool file whose command is `script` (sh), without the grandchild. */
export function plainTool(name: string, script: string, extra: Record<string, unknown> = {}): string {
  const folder = tempDir('codex-tool-');
  writeFileSync(join(folder, 'run.sh'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(folder, 'run.sh'), 0o755);
  const file = join(folder, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, parameters: { type: 'object', properties: {} }, command: ['./run.sh'], ...extra }));
  return file;
}
