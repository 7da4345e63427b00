// Tool files for --tool, each in a fresh self-removing folder.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp.js';

export interface ToolFiles {
  /** The tool file to pass with --tool. */
  file: string;
  folder: string;
}

/** Parameters of a tool that takes a city. */
export const CITY_PARAMETERS = { type: 'object', properties: { city: { type: 'string' } } };

/**
 * Writes `<name>.json` into a fresh folder. With `script`, the folder also gets an executable `run.sh` running it
 * (sh), and the tool's command is `./run.sh`. The other fields go into the tool file over the defaults (no
 * parameters; `undefined` leaves a field out).
 */
export function writeTool(name: string, fields: ToolFields = {}): ToolFiles {
  return writeToolIn(tempDir('codex-tool-'), name, fields);
}

type ToolFields = { script?: string } & Record<string, unknown>;

function writeToolIn(folder: string, name: string, { script, ...fields }: ToolFields): ToolFiles {
  if (script !== undefined) {
    writeFileSync(join(folder, 'run.sh'), `#!/bin/sh\n${script}\n`);
    chmodSync(join(folder, 'run.sh'), 0o755);
  }
  const file = join(folder, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, parameters: { type: 'object', properties: {} }, command: ['./run.sh'], ...fields }));
  return { file, folder };
}

export interface ToolFixture extends ToolFiles {
  /** Pids the tool wrote down: its own, and a grandchild it started in the background. */
  pids(): number[];
  started(): boolean;
}

/**
 * A tool whose script is `body`; a prologue starts a grandchild (`sleep 300`) in the background and writes both
 * pids to pids.txt, so a test can check that the whole process group is gone afterwards.
 */
export function toolWithGrandchild(name: string, body: string, fields: Record<string, unknown> = {}): ToolFixture {
  const folder = tempDir('codex-tool-');
  const pidFile = join(folder, 'pids.txt');
  const script = `sleep 300 &\necho "$$ $!" > "${pidFile}.tmp" && mv "${pidFile}.tmp" "${pidFile}"\n${body}`;
  const tool = writeToolIn(folder, name, { ...fields, script });
  return {
    ...tool,
    started: () => existsSync(pidFile),
    pids: () => readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number),
  };
}
