// The official openai SDK on your ChatGPT sign-in, in this process: no `codex serve`, no port.
//
//   npm install codex-oauth-cli openai
//   codex login                                        # createOpenAIFetch() uses the CLI's sign-in and lock
//   npx tsx examples/openai-fetch.ts "Explain SSE in one paragraph."
import { createOpenAIFetch } from 'codex-oauth-cli';
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: 'unused', baseURL: 'http://codex.invalid/v1', fetch: createOpenAIFetch() });
const model = process.env.CODEX_MODEL ?? 'gpt-6-sol';
const question = process.argv.slice(2).join(' ') || 'Explain SSE in one paragraph.';

const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: question }] });
console.log(chat.choices[0]?.message.content);

const stream = await client.responses.create({ model, input: 'Now say it in five words.', stream: true });
for await (const event of stream) if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
process.stdout.write('\n');
