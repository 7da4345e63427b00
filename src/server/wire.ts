// Shared pieces of the OpenAI wire formats: request-body checking, image parts, ids, usage.
import { randomBytes } from 'node:crypto';
import type * as z from 'zod/mini';
import type { Usage } from '../client/events.js';
import { UsageError } from '../shared/errors.js';

/** Parses a request body with a schema; the first problem becomes a 400 naming the field. */
export function parseBody<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new UsageError(`invalid request body: ${where}${issue?.message ?? 'invalid'}`);
}

export function wireId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** https and data: URLs go to the backend as they are; anything else (a file path) is refused. */
export function imageUrl(url: string): string {
  if (/^https:\/\//i.test(url) || /^data:image\/[\w.+-]+;base64,/i.test(url)) return url;
  throw new UsageError('image URLs must be https: or data:image/…;base64 URLs');
}

/** Parameters the backend refuses with 400 "Unsupported parameter" (protocol §10.10): dropped, and named in a header. */
export const REJECTED_PARAMETERS = [
  'max_output_tokens',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'metadata',
  'top_logprobs',
  'truncation',
  'safety_identifier',
  'prompt_cache_retention',
  'previous_response_id',
] as const;

/** The header that names what the server changed or left out of a request. */
export const WARNING_HEADER = 'x-codex-warning';

export function droppedParameters(body: unknown, extra: readonly string[] = []): string[] {
  if (body === null || typeof body !== 'object') return [];
  const record = body as Record<string, unknown>;
  return [...REJECTED_PARAMETERS, ...extra].filter((name) => record[name] !== undefined && record[name] !== null);
}

export function chatUsage(usage: Usage) {
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_input_tokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
  };
}

export function responsesUsage(usage: Usage) {
  return {
    input_tokens: usage.input_tokens,
    input_tokens_details: { cached_tokens: usage.cached_input_tokens },
    output_tokens: usage.output_tokens,
    output_tokens_details: { reasoning_tokens: usage.reasoning_tokens },
    total_tokens: usage.total_tokens,
  };
}
