import * as z from 'zod/mini';
import { UsageSchema } from '../client/event-parts.js';

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

/**
 * What a turn was asked with, as the user gave it (the system prompt as typed, not in the request's wire form): a
 * continued turn reuses the last turn's settings unless a flag overrides one. Absent from logs written before.
 */
export const ConversationSettingsSchema = z.looseObject({
  model: z.optional(z.string()),
  effort: z.optional(z.string()),
  verbosity: z.optional(z.string()),
  /** The system prompt given (-s, --system-file, a template, config.json); absent: the built-in one. */
  system: z.optional(z.string()),
  /** The template the turn was asked with (its values are in the fields above). */
  template: z.optional(z.string()),
});
export type ConversationSettings = z.infer<typeof ConversationSettingsSchema>;

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
  settings: z.optional(ConversationSettingsSchema),
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
  settings?: ConversationSettings;
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
    ...(facts.settings !== undefined ? { settings: definedOnly(facts.settings) } : {}),
  };
}

/** The settings a continued conversation reuses: the last turn's (undefined for a log written before they were kept). */
export function lastSettings(turns: readonly TurnRecord[]): ConversationSettings | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.settings !== undefined) return turns[i]!.settings;
  return undefined;
}

function definedOnly(settings: ConversationSettings): ConversationSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as ConversationSettings;
}
