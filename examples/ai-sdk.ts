// The Vercel AI SDK on your ChatGPT sign-in: the AI SDK runs the tool, codex answers. For `ai` 7 (Node ≥ 22).
//
//   npm install codex-oauth-cli ai zod
//   codex login                                        # createCodex() uses the CLI's sign-in and lock
//   npx tsx examples/ai-sdk.ts "Should I take an umbrella in Paris today?"
//
// With `ai` 6, make the provider with createCodex({ specificationVersion: 'v3' }); everything else is the same.
import { APICallError } from '@ai-sdk/provider';
import { stepCountIs, streamText, tool } from 'ai';
import { createCodex } from 'codex-oauth-cli/ai-sdk';
import * as z from 'zod';

const codex = createCodex();
const prompt = process.argv.slice(2).join(' ') || 'Should I take an umbrella in Paris today?';

let failure: unknown;
const result = streamText({
  model: codex(process.env.CODEX_MODEL ?? 'gpt-6-sol'),
  prompt,
  tools: {
    get_weather: tool({
      description: 'The current weather in a city.',
      inputSchema: z.object({ city: z.string().describe('The city name, e.g. Paris') }),
      execute: async ({ city }) => ({ city, sky: 'light rain', celsius: 14 }),
    }),
  },
  stopWhen: stepCountIs(5),
  providerOptions: { codex: { effort: 'low' } },
  onStepFinish: (step) => {
    for (const call of step.toolCalls) process.stderr.write(`[${call.toolName} ${JSON.stringify(call.input)}]\n`);
  },
  onError: ({ error }) => {
    failure = error;
  },
});

for await (const text of result.textStream) process.stdout.write(text);
if (failure === undefined) {
  process.stdout.write('\n');
  const usage = await result.totalUsage;
  process.stderr.write(`[${usage.inputTokens} tokens in, ${usage.outputTokens} out]\n`);
} else {
  // The AI SDK's error classes; `data.code` (and `cause`) keep codex's code, e.g. usage_limit_reached.
  const code = APICallError.isInstance(failure) ? (failure.data as { code?: string } | undefined)?.code : undefined;
  process.stderr.write(`codex: ${failure instanceof Error ? failure.message : String(failure)}${code ? ` (${code})` : ''}\n`);
  process.exitCode = 1;
}
