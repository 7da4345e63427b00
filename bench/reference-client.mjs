// The dependency-free raw client, written as a careful hand-written client would be: global fetch, a line splitter,
// and one stdout write per network read (the text of every delta in that read, together).
// Usage: node bench/reference-client.mjs BASE_URL AUTH_JSON_PATH [--json]
import { readFileSync } from 'node:fs';
import { backendHeaders, requestBody } from './backend-headers.mjs';

const [baseUrl, authPath, mode] = process.argv.slice(2);
const json = mode === '--json';
const auth = JSON.parse(readFileSync(authPath, 'utf8'));
const response = await fetch(`${baseUrl}/responses`, {
  method: 'POST',
  headers: { ...backendHeaders(auth), 'content-type': 'application/json', accept: 'text/event-stream' },
  body: JSON.stringify(requestBody('hi')),
});
if (!response.ok) {
  process.stderr.write(`reference-client: HTTP ${response.status}: ${await response.text()}\n`);
  process.exit(1);
}
const decoder = new TextDecoder();
let buffer = '';
for await (const chunk of response.body) {
  buffer += decoder.decode(chunk, { stream: true });
  let out = '';
  let start = 0;
  for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n', start)) {
    const line = buffer.slice(start, newline);
    start = newline + 1;
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice(6));
    if (event.type === 'response.output_text.delta') out += json ? `${JSON.stringify({ type: 'text.delta', delta: event.delta })}\n` : event.delta;
  }
  buffer = buffer.slice(start);
  if (out !== '') process.stdout.write(out);
}
process.stdout.write('\n');
