// Runs the fake issuer + Codex backend on its own (for `npm run demo`, `npm run fake`, the bench, and trying the CLI
// by hand). Prints one JSON line: {"url","issuer","base_url","config_dir"}; with --env, shell `export` lines instead.
//   --config-dir DIR   also sign in there (auth.json 0600)
//   --scratch          sign in in a new temporary config dir, removed when the fake stops
//   --bulk-bytes N     every answer is N bytes of 16-byte deltas (--delta-bytes M: of M-byte deltas), or with
//                      --token-deltas a stream of N bytes of token-sized deltas (for the bench)
//   [--scenario] NAME  every answer simulates a failure: usage-limit, overloaded, drop, stall, slow, refusal
//   --https            serve https with a throwaway CA (for OpenAI's own client, protocol §11); its certificate is
//                      written next to the config dir (or a temp dir) and printed as ca_certificate /
//                      CODEX_CA_CERTIFICATE and NODE_EXTRA_CA_CERTS
// Without a scenario, answers come from a small scripted model: it calls a tool the prompt asks for, answers JSON
// following a requested schema, and otherwise repeats the prompt.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closestName } from '../../src/shared/suggest.js';
import { answer, bulkAnswer, failedStream, itemsAnswer, type Reply, scriptedModel, tokenStreamAnswer, usageLimit } from './replies.js';
import { echoText, FakeCodex } from './server.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};

const SCENARIOS: Record<string, (body: unknown) => Reply> = {
  'usage-limit': () => usageLimit('plus', 2 * 3600 + 13 * 60),
  overloaded: () => failedStream({ code: 'server_is_overloaded', message: 'Selected model is at capacity. Please try a different model.' }),
  drop: (body) => answer({ text: `${echoText(body)} — and then the connection drops`, after: { events: 6, then: 'drop' } }),
  stall: (body) => answer({ text: echoText(body), after: { events: 4, then: 'stall' } }),
  slow: (body) => answer({ text: echoText(body), delayMs: 250 }),
  refusal: () => itemsAnswer([{ refusal: "I can't help with that." }]),
};

const WITH_VALUE = new Set(['--port', '--config-dir', '--bulk-bytes', '--delta-bytes', '--scenario']);
const FLAGS = new Set(['--scratch', '--env', '--token-deltas', '--https']);
const refuse = (message: string): never => {
  process.stderr.write(`fake: ${message}\n`);
  process.exit(2);
};
const scenarioList = `the scenarios: ${Object.keys(SCENARIOS).join(', ')}`;
const checkScenario = (name: string) => {
  if (Object.hasOwn(SCENARIOS, name)) return name;
  const close = closestName(name, Object.keys(SCENARIOS));
  return refuse(`unknown scenario ${name}${close ? ` (did you mean ${close}?)` : ''}; ${scenarioList}`);
};
// `--scenario NAME`, or the name alone (`npm run fake -- overloaded`); any other word is a mistake, not ignored.
let scenario: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (WITH_VALUE.has(arg)) {
    if (args[i + 1] === undefined) refuse(`${arg} needs a value`);
    if (arg === '--scenario') scenario = checkScenario(args[i + 1]!);
    i++;
  } else if (arg.startsWith('-')) {
    if (!FLAGS.has(arg)) refuse(`unknown option ${arg} (${[...FLAGS, ...WITH_VALUE].join(', ')})`);
  } else {
    scenario = checkScenario(arg);
  }
}

const https = args.includes('--https');
const fake = await new FakeCodex().start(Number(flag('--port') ?? 0), '127.0.0.1', { https });
fake.defaultReply = scriptedModel;
const bulk = flag('--bulk-bytes');
const deltaBytes = Number(flag('--delta-bytes') ?? 16);
// `--token-deltas`: --bulk-bytes counts the stream's bytes, carried by token-sized deltas of 2–12 characters.
if (bulk) fake.defaultReply = args.includes('--token-deltas') ? () => tokenStreamAnswer(Number(bulk)) : () => bulkAnswer(Number(bulk), deltaBytes);
if (scenario !== undefined) fake.defaultReply = SCENARIOS[scenario]!;

const scratch = args.includes('--scratch') ? mkdtempSync(join(tmpdir(), 'codex-fake-')) : undefined;
const configDir = flag('--config-dir') ?? scratch;
if (configDir) {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(configDir, 'auth.json'), JSON.stringify(fake.issueTokens(30 * 24 * 3600)), { mode: 0o600 });
}
const caDir = https ? mkdtempSync(join(tmpdir(), 'codex-fake-ca-')) : undefined;
const caFile = caDir ? join(caDir, 'ca.pem') : undefined;
if (caFile) writeFileSync(caFile, fake.caCertificate ?? '');
if (args.includes('--env')) {
  const lines = [
    `export CODEX_BASE_URL=${fake.baseUrl}`,
    `export CODEX_ISSUER=${fake.issuer}`,
    ...(configDir ? [`export CODEX_CONFIG_DIR=${configDir}`] : []),
    ...(caFile ? [`export NODE_EXTRA_CA_CERTS=${caFile}`, `export CODEX_CA_CERTIFICATE=${caFile}`] : []),
    // The CLI of this clone, in that shell only (`npx codex` would fetch an unrelated package from the registry).
    `alias codex=${shellWord(`node ${cliPath()}`)}`,
    `# the fake runs until Ctrl-C${scenario ? `; every answer: ${scenario}` : ''}; paste the lines above into another shell, then:`,
    '#   codex ask "your question"',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} else {
  const printed = { url: fake.url, issuer: fake.issuer, base_url: fake.baseUrl, config_dir: configDir ?? null, ...(caFile ? { ca_certificate: caFile } : {}) };
  process.stdout.write(`${JSON.stringify(printed)}\n`);
}
/** The clone's built CLI: build/fake.js sits beside dist/ at the package root. */
function cliPath(): string {
  return resolve(import.meta.dirname, '..', 'dist', 'cli.js');
}

function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const stop = () =>
  void fake.close().then(() => {
    for (const dir of [scratch, caDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
