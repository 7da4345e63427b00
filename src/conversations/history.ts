import type { InputItem } from '../client/request.js';
import { UsageError } from '../shared/errors.js';
import type { TurnRecord } from './records.js';

/** A rough token count: about four bytes of JSON per token (an estimate, not a tokenizer). */
export const BYTES_PER_TOKEN = 4;
/** Of the model's context window, this share may be input; the rest stays free for reasoning and the answer. */
export const INPUT_SHARE = 0.9;
/** Room for the parts of a body that are neither history nor prompt (keys, tools, the schema). */
const BODY_OVERHEAD_BYTES = 16 * 1024;

export interface FittedHistory {
  items: InputItem[];
  /** How many of the oldest turns were left out. */
  dropped: number;
}

const bytesOf = (items: readonly unknown[]) => Buffer.byteLength(JSON.stringify(items));

/**
 * The items of the earlier turns that fit beside the new request (`newBytes`: its prompt, attachments, images,
 * system prompt): whole turns, the oldest dropped first, within both the request byte budget and the model's
 * context window. When the new request alone exceeds the context window, that is a usage error.
 */
export function fitHistory(turns: readonly TurnRecord[], limits: { newBytes: number; budgetBytes: number; contextWindow?: number | null; model: string }): FittedHistory {
  const tokenBytes = limits.contextWindow ? Math.floor(limits.contextWindow * INPUT_SHARE) * BYTES_PER_TOKEN : Infinity;
  const room = Math.min(limits.budgetBytes - BODY_OVERHEAD_BYTES, tokenBytes) - limits.newBytes;
  if (limits.newBytes > tokenBytes) {
    throw new UsageError(
      `the prompt alone is about ${Math.ceil(limits.newBytes / BYTES_PER_TOKEN)} tokens, more than ${limits.model} takes ` +
        `(a ${limits.contextWindow}-token context window); send less, or a model with a larger window (\`codex models\`)`,
    );
  }
  const sizes = turns.map((turn) => bytesOf(turn.items) - 1);
  let kept = turns.length;
  let used = sizes.reduce((sum, size) => sum + size, 0);
  while (kept > 0 && used > room) {
    used -= sizes[turns.length - kept]!;
    kept--;
  }
  const chosen = turns.slice(turns.length - kept);
  return { items: chosen.flatMap((turn) => turn.items as InputItem[]), dropped: turns.length - kept };
}
