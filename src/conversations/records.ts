import * as z from 'zod/mini';
import { UsageSchema } from '../client/events.js';

/** The first line of a conversation's file. */
export const ConversationHeaderSchema = z.looseObject({
  type: z.literal('conversation'),
  id: z.string(),
  name: z.optional(z.string()),
  created_at: z.string(),
  /** Sent as `prompt_cache_key` on every turn, so the backend's prompt cache keeps hitting. */
  cache_key: z.string(),
});
export type ConversationHeader = z.infer<typeof ConversationHeaderSchema>;

export const ToolRecordSchema = z.object({
  call_id: z.string(),
  name: z.string(),
  arguments: z.unknown(),
  output: z.string(),
  is_error: z.boolean(),
});
export type ToolRecord = z.infer<typeof ToolRecordSchema>;

/** An input item as the next request sends it back (user message, reasoning, calls, outputs, the answer). */
export const ReplayItemSchema = z.looseObject({ type: z.string() });

/** One line per exchange: what was asked, what came back, and the items that continue it exactly. */
export const TurnRecordSchema = z.looseObject({
  type: z.literal('turn'),
  /** ISO time the exchange started. */
  at: z.string(),
  duration_ms: z.number(),
  model: z.string(),
  effort: z.optional(z.string()),
  session_id: z.string(),
  response_id: z.string(),
  prompt: z.string(),
  /** How many images the prompt carried (their data is in `items`). */
  images: z.optional(z.number()),
  answer: z.string(),
  usage: UsageSchema,
  tools: z.array(ToolRecordSchema),
  items: z.array(ReplayItemSchema),
});
export type TurnRecord = z.infer<typeof TurnRecordSchema>;

/** What one exchange adds to the log, in the order the record keeps it. */
export interface TurnFacts {
  startedAt: number;
  model: string;
  effort?: string;
  sessionId: string;
  responseId: string;
  prompt: string;
  images: number;
  answer: string;
  usage: TurnRecord['usage'];
  tools: TurnRecord['tools'];
  items: unknown[];
}

/** The log line of one exchange (its duration is counted up to now). */
export function turnRecord(facts: TurnFacts): TurnRecord {
  return {
    type: 'turn',
    at: new Date(facts.startedAt).toISOString(),
    duration_ms: Date.now() - facts.startedAt,
    model: facts.model,
    ...(facts.effort !== undefined ? { effort: facts.effort } : {}),
    session_id: facts.sessionId,
    response_id: facts.responseId,
    prompt: facts.prompt,
    ...(facts.images > 0 ? { images: facts.images } : {}),
    answer: facts.answer,
    usage: facts.usage,
    tools: facts.tools,
    items: facts.items as TurnRecord['items'],
  };
}
