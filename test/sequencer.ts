// The order test files start in. vitest queues the files project by project (by name) and, within a project, the
// files that took longest last time first; without that record (a fresh clone: CI) it starts the largest files
// first. Size says little here: the files that start dozens of processes are short, so they came last, and the
// run ended waiting on one of them while the other worker had nothing left. Without a record, these start first.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that take longest on two cores (many processes each), longest first. */
const LONGEST = [
  'test/reliability/lock-takeover.test.ts',
  'test/reliability/fleet.test.ts',
  'test/reliability/files.test.ts',
  'test/reliability/auth.test.ts',
  'test/reliability/signals.test.ts',
  'test/reliability/tool-flood.test.ts',
  'test/reliability/lock-unusable.test.ts',
  'test/reliability/config-set-race.test.ts',
  'test/e2e/fake-cli.test.ts',
  'test/e2e/login.test.ts',
  'test/e2e/serve-clients.test.ts',
  'test/e2e/chat.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const recorded = new Set(
      sorted.filter((file) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(root, file.moduleId)}`)).map((file) => file.project.name),
    );
    const rank = (file: TestSpecification) => {
      if (recorded.has(file.project.name)) return 0;
      const at = LONGEST.indexOf(relative(root, file.moduleId));
      return at === -1 ? LONGEST.length : at;
    };
    // Projects stay together and in vitest's order (a worker that does not isolate is reused only for its own project).
    const projects = [...new Set(sorted.map((file) => file.project.name))];
    return sorted
      .map((file, index) => ({ file, index, project: projects.indexOf(file.project.name), rank: rank(file) }))
      .sort((a, b) => a.project - b.project || a.rank - b.rank || a.index - b.index)
      .map(({ file }) => file);
  }
}
