// The peer a TypeScript user would otherwise pick: the official openai SDK, pointed at the same backend.
// Usage: node bench/openai-client.mjs BASE_URL AUTH_JSON_PATH
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const [baseURL, authPath] = process.argv.slice(2);
const auth = JSON.parse(readFileSync(authPath, 'utf8'));
const client = new OpenAI({ apiKey: auth.access_token, baseURL, defaultHeaders: { 'chatgpt-account-id': auth.account_id }, maxRetries: 0 });
const stream = await client.responses.create({
  model: 'gpt-5.4',
  instructions: 'bench',
  input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
  store: false,
  stream: true,
});
for await (const event of stream) {
  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
}
process.stdout.write('\n');
