// The official client is the oracle for what a request looks like: for the same scenario, against the same fake,
// our `codex ask` must send what OpenAI's `codex exec` 0.171 sends — header names, body keys, input item types and
// order, the image part, the tool layout, the refresh body — but for the reviewed differences of
// allowed-differences.ts. A difference that is not listed fails with both values; a listed one that no longer
// shows fails too, so the list stays true.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, itemsAnswer, type Reply } from '../fake/replies.js';
import { FakeCodex, type IssuedTokens, type RecordedRequest } from '../fake/server.js';
import { runCli } from '../support/cli.js';
import { officialCodexBin } from '../support/official-client.js';
import { officialSession, TINY_PNG, useTrap } from '../support/official-run.js';
import { configDirWith, tempDir } from '../support/temp.js';
import { writeTool } from '../support/tools.js';
import { type AllowedDifference, INTENTIONAL, NOT_FIXED_YET } from './allowed-differences.js';
import { type Difference, formatDifferences, refreshDifferences, responsesDifferences, searchDifferences } from './request-diff.js';

const bin = officialCodexBin();
const RESPONSES = '/backend-api/codex/responses';
const SEARCH = '/backend-api/codex/alpha/search';
const fake = new FakeCodex();
const trap = useTrap();
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };

interface Side {
  /** Arguments of `codex exec` (official) or our CLI, given a work folder holding dot.png and schema.json. */
  args: (work: string) => string[];
  /** Replies the fake gives, in order. */
  replies?: () => Reply[];
  /** A second run in the same session (resume / continue). */
  then?: string[];
}

interface Scenario {
  name: string;
  official: Side;
  ours: Side;
  /** Expired tokens: the refresh request is compared too. */
  expired?: boolean;
  /** The fake sends x-codex-turn-state on its answers: both clients must send it back on the follow-up. */
  turnState?: boolean;
}

const commentaryThen = (call: Record<string, unknown>): Reply[] => [
  itemsAnswer([{ message: 'Running the check.', phase: 'commentary' }, { item: call }]),
  answer({ text: 'The check printed conformance-42.' }),
];

const searchThen = (): Reply[] => [
  answer({ functionCalls: [{ name: 'run', namespace: 'web', call_id: 'call_web_diff', arguments: { search_query: [{ q: 'Berlin news' }] } }] }),
  answer({ text: 'Searched.' }),
];

const SCENARIOS: Scenario[] = [
  {
    name: 'plain',
    official: { args: () => ['exec', '--json', '--skip-git-repo-check', 'say hi'] },
    ours: { args: () => ['ask', 'say hi'] },
  },
  {
    name: 'image',
    official: { args: () => ['exec', '--json', '--skip-git-repo-check', 'what is this?', '-i', 'dot.png'] },
    ours: { args: () => ['ask', '-i', 'dot.png', 'what is this?'] },
  },
  {
    name: 'schema',
    official: {
      args: (work) => ['exec', '--json', '--skip-git-repo-check', '--output-schema', join(work, 'schema.json'), 'where?'],
      replies: () => [answer({ text: '{"city":"Lyon"}' })],
    },
    ours: { args: (work) => ['ask', '--schema', join(work, 'schema.json'), 'where?'], replies: () => [answer({ text: '{"city":"Lyon"}' })] },
  },
  {
    name: 'tool follow-up',
    turnState: true,
    official: {
      args: () => ['exec', '--json', '--skip-git-repo-check', 'run the check'],
      replies: () =>
        commentaryThen({
          type: 'custom_tool_call',
          id: 'ctc_diff_1',
          status: 'completed',
          call_id: 'call_diff_1',
          name: 'exec',
          input: 'text(await tools.exec_command({ cmd: "echo conformance-42" }));',
        }),
    },
    ours: {
      args: (work) => ['ask', '--tool', join(work, 'check.json'), 'run the check'],
      replies: () => commentaryThen({ type: 'function_call', id: 'fc_diff_1', status: 'completed', call_id: 'call_diff_1', name: 'check', arguments: '{}' }),
    },
  },
  {
    name: 'resumed',
    official: {
      args: () => ['exec', '--json', '--skip-git-repo-check', 'remember lyon'],
      then: ['exec', 'resume', '--last', '--json', '--skip-git-repo-check', 'and now?'],
    },
    ours: { args: () => ['ask', 'remember lyon'], then: ['ask', '--continue', 'and now?'] },
  },
  {
    // The model searches once (the lite web.run function), then answers: the /alpha/search request and the
    // follow-up that carries the search output back are compared.
    name: 'web search',
    official: {
      args: () => ['exec', '--json', '--skip-git-repo-check', '-c', 'web_search="live"', 'Berlin news'],
      replies: () => searchThen(),
    },
    ours: { args: () => ['ask', '--search', 'Berlin news'], replies: () => searchThen() },
  },
  {
    name: 'refresh',
    expired: true,
    official: { args: () => ['exec', '--json', '--skip-git-repo-check', 'say hi'] },
    ours: { args: () => ['ask', 'say hi'] },
  },
];

interface Captured {
  responses?: RecordedRequest;
  refresh?: RecordedRequest;
  search?: RecordedRequest;
  failure?: string;
}

/** The work folder of a run: the image, the schema and our tool file. */
function workFolder(dir: string): string {
  writeFileSync(join(dir, 'dot.png'), TINY_PNG);
  writeFileSync(join(dir, 'schema.json'), JSON.stringify(SCHEMA));
  const tool = writeTool('check', { description: 'runs the check', script: 'echo conformance-42' });
  writeFileSync(
    join(dir, 'check.json'),
    JSON.stringify({ name: 'check', description: 'runs the check', parameters: { type: 'object', properties: {} }, command: [join(tool.folder, 'run.sh')] }),
  );
  return dir;
}

function lastRequests(): Captured {
  const posts = fake.requestsTo(RESPONSES).filter((request) => request.method === 'POST');
  return { responses: posts.at(-1), refresh: fake.refreshRequests.at(-1), search: fake.requestsTo(SEARCH).at(-1) };
}

async function captureOfficial(scenario: Scenario, tokens: IssuedTokens): Promise<Captured> {
  fake.reset();
  if (scenario.turnState) fake.turnState = 'ts_diff';
  fake.responses.push(...(scenario.official.replies?.() ?? []));
  const session = officialSession(bin!, fake, trap, tokens);
  workFolder(session.work);
  for (const args of [scenario.official.args(session.work), ...(scenario.official.then ? [scenario.official.then] : [])]) {
    const run = await session.run(args);
    if (run.exitCode !== 0) return { failure: `official ${args.join(' ')} → exit ${run.exitCode}: ${run.stderr.slice(-400)}` };
  }
  return lastRequests();
}

async function captureOurs(scenario: Scenario, tokens: IssuedTokens, caFile: string): Promise<Captured> {
  fake.reset();
  if (scenario.turnState) fake.turnState = 'ts_diff';
  fake.responses.push(...(scenario.ours.replies?.() ?? []));
  const configDir = configDirWith(tokens);
  const work = workFolder(tempDir('codex-diff-work-'));
  for (const args of [scenario.ours.args(work), ...(scenario.ours.then ? [scenario.ours.then] : [])]) {
    const run = await runCli(args, { fake, configDir, env: { NODE_EXTRA_CA_CERTS: caFile }, execa: { cwd: work }, timeoutMs: 60_000 });
    if (run.exitCode !== 0) return { failure: `ours ${args.join(' ')} → exit ${run.exitCode}: ${String(run.stderr).slice(-400)}` };
  }
  return lastRequests();
}

const results = new Map<string, { official: Captured; ours: Captured; differences: Difference[] }>();

describe.skipIf(!bin)("our requests against the official client's, scenario by scenario", () => {
  beforeAll(async () => {
    await fake.start(0, '127.0.0.1', { https: true });
    const caFile = join(tempDir('codex-diff-ca-'), 'ca.pem');
    writeFileSync(caFile, fake.caCertificate!);
    for (const scenario of SCENARIOS) {
      const tokens = () => fake.issueTokens(scenario.expired ? -60 : 3600);
      const official = await captureOfficial(scenario, tokens());
      const ours = await captureOurs(scenario, tokens(), caFile);
      const differences: Difference[] = [];
      if (official.responses && ours.responses) differences.push(...responsesDifferences(official.responses, ours.responses));
      if (scenario.expired && official.refresh && ours.refresh) differences.push(...refreshDifferences(official.refresh, ours.refresh));
      if (official.search || ours.search) differences.push(...searchDifferences(official.search, ours.search));
      results.set(scenario.name, { official, ours, differences });
    }
  }, 600_000);
  afterAll(async () => {
    await fake.close();
    // CONFORMANCE_REPORT=1 prints every difference found, allowed or not (for the protocol notes).
    if (process.env.CONFORMANCE_REPORT) {
      const all = [...results].flatMap(([scenario, result]) => result.differences.map((difference) => ({ scenario, difference })));
      process.stderr.write(`${formatDifferences('differences between our requests and the official client 0.171.0:', all)}\n`);
    }
  });

  const allowed: AllowedDifference[] = [...INTENTIONAL, ...NOT_FIXED_YET];

  it('the allow-list names each aspect once, each with a reason', () => {
    const aspects = allowed.map((entry) => entry.aspect);
    expect(aspects.filter((aspect, i) => aspects.indexOf(aspect) !== i)).toEqual([]);
    for (const entry of allowed) expect(entry.reason, entry.aspect).toMatch(/\S{3,}/);
  });

  it.each(SCENARIOS.map((scenario) => scenario.name))('%s: both clients finish, and every difference is on the allow-list', (name) => {
    const result = results.get(name)!;
    expect([result.official.failure, result.ours.failure]).toEqual([undefined, undefined]);
    expect(result.official.responses, 'the official client sent no /responses request').toBeDefined();
    expect(result.ours.responses, 'our client sent no /responses request').toBeDefined();
    if (SCENARIOS.find((scenario) => scenario.name === name)!.expired) {
      expect([result.official.refresh?.path, result.ours.refresh?.path]).toEqual(['/oauth/token', '/oauth/token']);
    }
    const unexpected = result.differences.filter((difference) => !allowed.some((entry) => entry.aspect === difference.aspect));
    if (unexpected.length > 0) {
      throw new Error(
        formatDifferences(
          `our request differs from the official client's where test/conformance/allowed-differences.ts gives no reason (fix our client, or add a reviewed entry):`,
          unexpected.map((difference) => ({ scenario: name, difference })),
        ),
      );
    }
  });

  it('every allowed difference still shows somewhere (delete the entries that no longer do)', () => {
    const seen = new Set([...results.values()].flatMap((result) => result.differences.map((difference) => difference.aspect)));
    expect(allowed.filter((entry) => !seen.has(entry.aspect)).map((entry) => entry.aspect)).toEqual([]);
  });

  it('nothing either client did left loopback', () => {
    expect(trap.attempts).toEqual([]);
  });
});
