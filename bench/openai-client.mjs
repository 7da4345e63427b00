// The peer a TypeScript user would otherwise pick: the official openai SDK, pointed at the same backend.
// Usage: node bench/openai-client.mjs BASE_URL AUTH_JSON_PATH
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { backendHeaders, requestBody } from './backend-headers.mjs';

const [baseURL, authPath] = process.argv.slice(2);
const auth = JSON.parse(readFileSync(authPath, 'utf8'));
const { authorization, ...headers } = backendHeaders(auth);
const client = new OpenAI({ apiKey: auth.access_token, baseURL, defaultHeaders: headers, maxRetries: 0 });
const stream = await client.responses.create(requestBody('hi'));
for await (const event of stream) {
  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
}
process.stdout.write('\n');
