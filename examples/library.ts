// Streams an answer from the Codex backend with a tool, and keeps the rotated tokens in a file.
//
//   npm run build
//   codex login --config-dir ./example-login          # a login only this program will use
//   cp ./example-login/auth.json codex-tokens.json
//   npx tsx examples/library.ts "Should I take an umbrella in Paris today?"
//
// Refresh tokens are single-use: after a refresh only the file written by onAuthRefresh holds a working one,
// so do not share one login between this program and the CLI (use Codex.fromStore() for that).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Codex, CodexError, type Credentials, defineTool, parseAnyCredentials } from 'codex-oauth-cli';
import * as z from 'zod';

const tokensFile = process.env.CODEX_TOKENS_FILE ?? 'codex-tokens.json';
const prompt = process.argv.slice(2).join(' ') || 'Should I take an umbrella in Paris today?';

const saved = parseAnyCredentials(JSON.parse(await readFile(tokensFile, 'utf8')));
if (!saved) throw new Error(`${tokensFile} does not hold codex credentials`);

/** Awaited after every refresh: write the new tokens atomically (a throw here fails the call). */
async function persist(credentials: Credentials): Promise<void> {
  const temp = `${tokensFile}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, tokensFile);
}

const transport = new Codex({
  apiKey: saved.access_token,
  refreshToken: saved.refresh_token,
  expiresAt: saved.expires_at,
  accountId: saved.account_id,
  onAuthRefresh: persist,
  maxRetries: 3,
  // Only for trying it against the loopback fake (`npm run demo` prints its URLs).
  ...(process.env.CODEX_BASE_URL ? { baseUrl: process.env.CODEX_BASE_URL } : {}),
  ...(process.env.CODEX_ISSUER ? { issuer: process.env.CODEX_ISSUER } : {}),
});

const weather = defineTool({
  name: 'get_weather',
  description: 'The current weather in a city.',
  parameters: z.object({ city: z.string().describe('The city name, e.g. Paris') }),
  // `city` is typed from the schema, and the model's arguments were checked against it.
  async run({ city }) {
    return { city, sky: 'light rain', celsius: 14 };
  },
});

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

try {
  for await (const event of transport.stream({ prompt, tools: [weather], signal: controller.signal })) {
    switch (event.type) {
      case 'text.delta':
        process.stdout.write(event.delta);
        break;
      case 'tool_call':
        process.stderr.write(`[${event.name} ${JSON.stringify(event.arguments)}]\n`);
        break;
      case 'retry':
        process.stderr.write(`[retry ${event.attempt}/${event.max_retries}: ${event.reason}]\n`);
        break;
      case 'result':
        process.stdout.write('\n');
        process.stderr.write(`[${event.usage.total_tokens} tokens, response ${event.response_id}]\n`);
        break;
    }
  }
} catch (error) {
  if (!(error instanceof CodexError)) throw error;
  process.stderr.write(`codex: ${error.message} (${error.code})\n`);
  process.exitCode = error.exitCode;
}
