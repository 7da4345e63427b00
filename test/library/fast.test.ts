// Issue 27 item 3: the library's `fast` request option.
import { describe, expect, it } from 'vitest';
import { Codex, CodexError } from '../../src/index.js';
import { useFake } from '../support/fake.js';

const fake = useFake();

function codexFor(): Codex {
  const tokens = fake.issueTokens();
  return new Codex({ apiKey: tokens.access_token, refreshToken: tokens.refresh_token, accountId: tokens.account_id, baseUrl: fake.baseUrl, issuer: fake.issuer });
}

describe('complete({ fast })', () => {
  it('sends service_tier "priority" for a model that lists it, nothing without fast', async () => {
    const codex = codexFor();
    await codex.complete({ prompt: 'hi', model: 'gpt-6-sol', fast: true });
    await codex.complete({ prompt: 'hi', model: 'gpt-6-sol' });
    const bodies = fake.requestsTo('/backend-api/codex/responses').map((request) => request.body as Record<string, unknown>);
    expect(bodies.map((body) => body.service_tier)).toEqual(['priority', undefined]);
    expect('service_tier' in bodies[1]!).toBe(false);
  });

  it('a model without the tier: a usage error naming the models that have it, before any request', async () => {
    const error = await codexFor()
      .complete({ prompt: 'hi', model: 'gpt-daybreak-red-latest', fast: true })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CodexError);
    expect((error as CodexError).code).toBe('usage');
    expect((error as CodexError).message).toMatch(/^fast: gpt-daybreak-red-latest has no fast tier; models that do: gpt-6\.2-sol, gpt-6\.2-astra, /);
    expect(fake.requestsTo('/backend-api/codex/responses')).toHaveLength(0);
  });
});
