import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import LongestFirstSequencer from './test/sequencer.js';

/**
 * One project per kind of test (`npx vitest run --project unit`): `unit` and `cli` run on the sources alone (no
 * build); the others run the built binary, dist/ or build/, and refuse a stale build (test/build-check.ts).
 */
function project(name: string, folders: string[], options: { built: boolean; setupFiles?: string[]; isolate?: boolean }): TestProjectInlineConfiguration {
  // Files that share modules (isolate: false) remove their temp dirs through a setup file (test/support/temp-setup.ts).
  const setupFiles = [...(options.isolate === false ? ['test/support/temp-setup.ts'] : []), ...(options.setupFiles ?? [])];
  return {
    test: {
      name,
      testTimeout: 30_000,
      hookTimeout: 30_000,
      include: folders.map((folder) => `test/${folder}/**/*.test.ts`),
      ...(options.built ? { globalSetup: ['test/build-check.ts'] } : {}),
      ...(options.isolate === false ? { isolate: false } : {}),
      ...(setupFiles.length > 0 ? { setupFiles } : {}),
    },
  };
}

export default defineConfig({
  test: {
    // Once around the whole run, whichever projects run (root options are not inherited: no `extends`).
    globalSetup: ['test/global-setup.ts'],
    // Most files wait on processes they spawn or on sockets, so one worker more than the two cores keeps both busy:
    // a fresh clone took 140 s with 3 workers against 176 s with 2 (quiet box), 165 s with 3 under load.
    maxWorkers: 3,
    // Without a record of the last run (a fresh clone), the files that take longest start first: test/sequencer.ts.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      // Modules on their own: no build, no process.
      project('unit', ['unit'], { built: false, isolate: false }),
      // Commands run in-process (test/support/cli.ts runInProcess) against the fake: flags, validation, rendering.
      project('cli', ['cli'], { built: false, setupFiles: ['test/support/in-process-setup.ts'], isolate: false }),
      // The built binary in a process of its own: exit codes, signals, EPIPE, start-up, terminal, lazy loading.
      project('e2e', ['e2e'], { built: true, isolate: false }),
      // Faults injected around the CLI: disks, locks, networks, processes. Most scenarios run in-process
      // (test/support/world.ts); those that need a process of their own (signals, ulimits, locks between processes,
      // proxies, other users) spawn the built binary.
      project('reliability', ['reliability'], { built: true, setupFiles: ['test/support/in-process-setup.ts'], isolate: false }),
      // README, man page, completions and --help checked against the CLI.
      project('docs', ['docs'], { built: true, setupFiles: ['test/support/in-process-setup.ts'], isolate: false }),
      // The package as users import it (dist/), also run on Node 24 (scripts/node24.mjs).
      project('library', ['library', 'ai-sdk'], { built: true, isolate: false }),
      // Requests compared with the official client's.
      project('conformance', ['conformance'], { built: true }),
    ],
  },
});
