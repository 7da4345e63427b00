// turn() (the caller drives the loop) and stream() (the client's own tool loop) serve a model's `web.run` calls the
// same way: one path parses the arguments and runs the call, so a call whose arguments are not JSON gets the same
// answer from both.
import { describe, expect, it } from 'vitest';
import { Codex, type CodexEvent } from '../../src/index.js';
import { answer } from '../fake/replies.js';
import { withSearchingModel } from '../fake/search.js';
import { useFake } from '../support/fake.js';

const fake = useFake();
withSearchingModel(fake);

function codexFor(): Codex {
  const tokens = fake.issueTokens();
  return new Codex({ apiKey: tokens.access_token, refreshToken: tokens.refresh_token, accountId: tokens.account_id, baseUrl: fake.baseUrl, issuer: fake.issuer });
}

const request = { prompt: 'Berlin news', model: 'gpt-6-sol', search: true } as const;

/** A lite model's `web.run` call whose arguments text breaks off: not JSON. */
function malformedSearch(): void {
  fake.responses.push(answer({ functionCalls: [{ name: 'run', namespace: 'web', call_id: 'call_bad', arguments: null, argumentsText: '{"search_query":[{"q":' }] }));
}

/** What the client sent back for each call: the outputs of the requests after the first. */
function callOutputs(): unknown[] {
  return fake
    .requestsTo('/backend-api/codex/responses')
    .slice(1)
    .flatMap((sent) => (sent.body as { input: { type: string; call_id?: string; output?: unknown }[] }).input)
    .filter((item) => item.type === 'function_call_output')
    .map(({ call_id, output }) => ({ call_id, output }));
}

describe('web.run arguments that are not JSON', () => {
  it('turn() and stream() send the model the same output, search nothing and give the same answer', async () => {
    malformedSearch();
    const outcome = await codexFor().turn(request);
    const byTurn = { text: outcome.text, outputs: callOutputs(), searches: fake.requestsTo('/backend-api/codex/alpha/search').length };

    fake.reset();
    malformedSearch();
    const events: CodexEvent[] = [];
    for await (const event of codexFor().stream(request)) events.push(event);
    const result = events.at(-1);
    const byStream = {
      text: result?.type === 'result' ? result.text : undefined,
      outputs: callOutputs(),
      searches: fake.requestsTo('/backend-api/codex/alpha/search').length,
    };

    expect(byTurn).toEqual({
      text: 'The search found nothing.',
      outputs: [{ call_id: 'call_bad', output: [{ type: 'input_text', text: 'the arguments were not valid JSON' }] }],
      searches: 0,
    });
    expect(byStream).toEqual(byTurn);
    // The client's own search is not shown as a tool call.
    expect(events.map((event) => event.type)).not.toContain('tool_call');
  });
});
