// `npm run demo`: no account, no network. Starts the loopback fake issuer + Codex backend, signs a scratch
// config dir in, and runs the real CLI against it in text and JSON-lines mode.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const configDir = mkdtempSync(join(tmpdir(), 'codex-demo-'));
const fake = spawn(process.execPath, [join(root, 'build/fake.js'), '--config-dir', configDir], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = await once(createInterface({ input: fake.stdout }), 'line');
const { issuer, base_url: baseUrl } = JSON.parse(line);

const env = { ...process.env, CODEX_CONFIG_DIR: configDir, CODEX_BASE_URL: baseUrl, CODEX_ISSUER: issuer };
const codex = (title, args, input) => {
  process.stderr.write(`\n\x1b[1m$ ${title}\x1b[0m\n`);
  const run = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], { env, input: input ?? '', stdio: ['pipe', 'inherit', 'inherit'] });
  process.stderr.write(`\x1b[2m(exit ${run.status})\x1b[0m\n`);
};

try {
  process.stderr.write(`fake backend at ${baseUrl}; scratch config dir ${configDir}\n`);
  codex('codex models   # the catalog of this client version; its top model is the default', ['models']);
  codex('codex ask "What is the capital of France?"', ['ask', 'What is the capital of France?']);
  codex('echo "a diff" | codex ask --reasoning "review this"', ['ask', '--reasoning', 'review this'], 'a diff\n');
  codex('codex ask --json "hello"', ['ask', '--json', 'hello']);
} finally {
  fake.kill('SIGTERM');
  rmSync(configDir, { recursive: true, force: true });
}
