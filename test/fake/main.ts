// Runs the fake issuer + Codex backend on its own (for `npm run demo`, the bench, and trying the CLI by hand).
// Prints one JSON line: {"url","issuer","base_url","config_dir"}; with --config-dir it also signs in there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeCodex } from './server.js';
import { bulkAnswer } from './replies.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const fake = await new FakeCodex().start(Number(flag('--port') ?? 0));
const bulk = flag('--bulk-bytes');
const deltaBytes = Number(flag('--delta-bytes') ?? 16);
if (bulk) fake.defaultReply = () => bulkAnswer(Number(bulk), deltaBytes);
const configDir = flag('--config-dir');
if (configDir) {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(configDir, 'auth.json'), JSON.stringify(fake.issueTokens(30 * 24 * 3600)), { mode: 0o600 });
}
process.stdout.write(`${JSON.stringify({ url: fake.url, issuer: fake.issuer, base_url: fake.baseUrl, config_dir: configDir ?? null })}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
