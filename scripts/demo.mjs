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
// Bold and dim only on a colour terminal: a log file or a pipe gets plain text.
const colour = process.stderr.isTTY === true && process.env.TERM !== 'dumb' && !process.env.NO_COLOR;
const bold = (text) => (colour ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text) => (colour ? `\x1b[2m${text}\x1b[0m` : text);
const codex = (title, args, input) => {
  process.stderr.write(`\n${bold(`$ ${title}`)}\n`);
  const run = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], { env, input: input ?? '', stdio: ['pipe', 'inherit', 'inherit'], cwd: root });
  process.stderr.write(`${dim(`(exit ${run.status})`)}\n`);
};
const schema = '{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"number"}},"required":["city","population"]}';

try {
  process.stderr.write(`fake backend at ${baseUrl}; scratch config dir ${configDir}\n`);
  codex('codex models   # the catalog of this client version; its top model is the default', ['models']);
  codex('codex ask "What is the capital of France?"', ['ask', 'What is the capital of France?']);
  codex('echo "a diff" | codex ask --reasoning "review this"', ['ask', '--reasoning', 'review this'], 'a diff\n');
  codex('codex ask --json "hello"', ['ask', '--json', 'hello']);
  codex(`codex ask --tool examples/weather.json "What's the weather in Paris?"`, ['ask', '--tool', 'examples/weather.json', "What's the weather in Paris?"]);
  codex(`codex ask --schema '${schema}' "the largest city of Japan"`, ['ask', '--schema', schema, 'the largest city of Japan']);
  codex('codex ask -c "and the second largest?"   # continues the conversation, with its settings', ['ask', '-c', 'and the second largest?']);
  process.stderr.write(`\n${bold('Your turn:')} run \`npm run fake\`, paste the lines it prints into another shell, then \`codex ask "…"\`.\n`);
} finally {
  fake.kill('SIGTERM');
  rmSync(configDir, { recursive: true, force: true });
}
