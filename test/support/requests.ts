import type { FakeCodex } from '../fake/server.js';

// Reading what the fake received: the system prompt sits in `instructions` on classic models and in the first
// developer message of `input` on Responses Lite ones (protocol §11).

type Body = { instructions?: unknown; input?: { type?: string; role?: string; content?: { type?: string; text?: string }[] }[] };

export function systemPromptOf(body: unknown): string | undefined {
  const request = body as Body;
  if (typeof request.instructions === 'string') return request.instructions;
  const developer = request.input?.find((item) => item.type === 'message' && item.role === 'developer');
  return developer?.content?.map((part) => part.text ?? '').join('');
}

/** The text of the last user message of a /responses body. */
export function lastUserText(body: unknown): string | undefined {
  const input = (body as { input: { role?: string; content: { text?: string }[] }[] }).input;
  return input.filter((item) => item.role === 'user').at(-1)?.content[0]?.text;
}

/** The authorization-code exchanges the issuer received (the login flows' last step). */
export function codeExchanges(fake: FakeCodex): Record<string, string>[] {
  return fake
    .requestsTo('/oauth/token')
    .map((r) => r.body as Record<string, string>)
    .filter((body) => body?.grant_type === 'authorization_code');
}
