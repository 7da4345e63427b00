// Reading what the fake received: the system prompt sits in `instructions` on classic models and in the first
// developer message of `input` on Responses Lite ones (protocol §11).

type Body = { instructions?: unknown; input?: { type?: string; role?: string; content?: { type?: string; text?: string }[] }[] };

export function systemPromptOf(body: unknown): string | undefined {
  const request = body as Body;
  if (typeof request.instructions === 'string') return request.instructions;
  const developer = request.input?.find((item) => item.type === 'message' && item.role === 'developer');
  return developer?.content?.map((part) => part.text ?? '').join('');
}
