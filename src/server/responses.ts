// POST /v1/responses as a pass-through: the client's body goes to the backend as it is, with only what the backend
// requires added (store:false, stream:true, the encrypted reasoning this server keeps) and what it refuses dropped.
// `previous_response_id` and `item_reference` are answered from the server's own store of recent responses.
import * as z from 'zod/mini';
import { CodexError, type ErrorCode, StreamError } from '../shared/errors.js';
import type { SseMessage } from '../transport/sse.js';
import { RequestError } from './http-errors.js';
import type { ResponseStore } from './response-store.js';
import { parseBody, REJECTED_PARAMETERS } from './wire.js';

const Item = z.looseObject({ type: z.optional(z.string()), role: z.optional(z.string()), id: z.optional(z.nullable(z.string())) });

export const ResponsesRequestSchema = z.looseObject({
  model: z.optional(z.nullable(z.string())),
  input: z.union([z.string(), z.array(Item)]),
  stream: z.optional(z.nullable(z.boolean())),
  store: z.optional(z.nullable(z.boolean())),
  include: z.optional(z.nullable(z.array(z.string()))),
  previous_response_id: z.optional(z.nullable(z.string())),
});

const ENCRYPTED_REASONING = 'reasoning.encrypted_content';

export interface PreparedResponses {
  /** The body for the backend, without its model (the caller resolves it against the catalog). */
  body: Record<string, unknown>;
  model: string | undefined;
  warnings: string[];
  stream: boolean;
  /** The client asked for `reasoning.encrypted_content`; otherwise it is taken out of what the client sees. */
  wantsEncrypted: boolean;
  /** The input items sent, as the store keeps them. */
  input: unknown[];
  /** An upper bound of the JSON size of the whole context (the stored history and the client's body). */
  bytes: number;
}

/**
 * The client's body made fit for the backend: `previous_response_id` and `item_reference` replaced by the kept
 * items (an unknown or evicted id is a 400), system messages sent as developer messages, refused parameters left
 * out; everything else (tools of every type, input items, `include`, `reasoning`, `text`, `prompt_cache_key`, …)
 * as it came.
 */
export function prepareResponses(raw: unknown, bodyBytes: number, store: ResponseStore, budgetBytes: number): PreparedResponses {
  const parsed = parseBody(ResponsesRequestSchema, raw);
  const warnings: string[] = [];
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== null && value !== undefined) body[key] = value;

  let bytes = bodyBytes;
  const history: unknown[] = [];
  const previousId = parsed.previous_response_id;
  delete body.previous_response_id;
  // An empty id names no kept response either: answering without the history would be the silent 200.
  if (typeof previousId === 'string') {
    const previous = store.get(previousId);
    if (!previous) {
      throw new RequestError(
        `previous_response_id: no response ${previousId} is kept by this server (unknown, or evicted: it keeps the last ${store.limits.maxResponses} responses, ${Math.round(store.limits.maxBytes / 1024 / 1024)} MiB at most, until it restarts); send the whole conversation as input instead`,
        'previous_response_not_found',
        'previous_response_id',
      );
    }
    history.push(...previous.items);
    bytes += previous.bytes;
  }

  const given = typeof parsed.input === 'string' ? [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: parsed.input }] }] : parsed.input;
  let systemMessages = 0;
  const input = [
    ...history,
    ...given.map((item, index) => {
      if (item.type === 'item_reference') {
        const found = item.id ? store.item(item.id) : undefined;
        if (found === undefined) {
          throw new RequestError(
            `input[${index}]: item_reference ${item.id ?? '(no id)'} names no item this server keeps (unknown, or evicted with its response); send the item itself`,
            'item_not_found',
            `input[${index}].id`,
          );
        }
        bytes += Buffer.byteLength(JSON.stringify(found));
        return found;
      }
      // The backend refuses system messages in the input; a developer message is its place for them.
      if ((item.type === undefined || item.type === 'message') && item.role === 'system') {
        systemMessages++;
        return { ...item, role: 'developer' };
      }
      return item;
    }),
  ];
  if (input.length === 0) throw new RequestError('input: at least one item is needed', 'invalid_value', 'input');
  if (bytes > budgetBytes) {
    const by = typeof previousId === 'string' ? 'previous_response_id' : 'input';
    throw new RequestError(
      `the conversation with its replayed ${by === 'input' ? 'item_reference items' : 'previous_response_id'} is over ${budgetBytes} bytes, the backend's budget for one request`,
      'context_length_exceeded',
      by,
    );
  }
  body.input = input;
  if (systemMessages > 0) warnings.push('input: system messages sent as developer messages (the backend refuses the system role)');

  const dropped = REJECTED_PARAMETERS.filter((name) => name !== 'previous_response_id' && body[name] !== undefined);
  for (const name of dropped) delete body[name];
  if (dropped.length > 0) warnings.push(`dropped parameters the backend rejects: ${dropped.join(', ')}`);
  if (parsed.store === true) warnings.push('store: the backend keeps nothing; sent as false (this server keeps recent responses for previous_response_id)');
  body.store = false;
  body.stream = true;
  const include = parsed.include ?? [];
  const wantsEncrypted = include.includes(ENCRYPTED_REASONING);
  // Always asked for: the kept responses replay the model's reasoning.
  body.include = wantsEncrypted ? include : [...include, ENCRYPTED_REASONING];
  const model = body.model as string | undefined;
  delete body.model;
  return { body, model, warnings, stream: parsed.stream === true, wantsEncrypted, input, bytes };
}

type Json = Record<string, unknown>;

/** Output item and response frames are read; the rest (deltas) pass as they came. */
const READ = new Set(['response.created', 'response.output_item.done', 'response.completed', 'response.incomplete', 'response.failed', 'error']);
const TYPE_PREFIX = /^\s*\{\s*"type"\s*:\s*"([^"]+)"/;

const FAILED: Record<string, ErrorCode> = {
  context_length_exceeded: 'context_length_exceeded',
  insufficient_quota: 'usage_limit_reached',
  usage_limit_reached: 'usage_limit_reached',
  usage_not_included: 'usage_limit_reached',
  rate_limit_exceeded: 'rate_limited',
};

function withoutEncrypted(item: unknown): unknown {
  if ((item as Json | null)?.type !== 'reasoning' || !('encrypted_content' in (item as Json))) return item;
  const { encrypted_content: _, ...rest } = item as Json;
  return rest;
}

/** The text of the message items, as openai's `output_text` convenience field has it. */
function outputText(output: readonly unknown[]): string {
  let text = '';
  for (const item of output as { type?: unknown; content?: { type?: unknown; text?: unknown }[] }[]) {
    if (item?.type !== 'message' || !Array.isArray(item.content)) continue;
    for (const part of item.content) if (part?.type === 'output_text' && typeof part.text === 'string') text += part.text;
  }
  return text;
}

/**
 * Watches the frames of one answer: gathers its output items (for the store and a non-streamed answer), fills a
 * `response.completed` whose output is empty, and takes the encrypted reasoning out when the client did not ask.
 */
export class ResponseRecorder {
  readonly output: unknown[] = [];
  outputBytes = 0;
  responseId: string | undefined;
  terminal: { type: string; data: Json } | undefined;
  totalTokens: number | undefined;

  constructor(private readonly wantsEncrypted: boolean) {}

  /** The frame as the client gets it. */
  frame(message: SseMessage): string {
    const type = message.event || TYPE_PREFIX.exec(message.data.slice(0, 200))?.[1] || '';
    const data = READ.has(type) ? this.read(type, message.data) : message.data;
    return `event: ${type}\ndata: ${data}\n\n`;
  }

  private read(type: string, text: string): string {
    let data: Json;
    try {
      data = JSON.parse(text) as Json;
    } catch {
      return text;
    }
    const response = data.response as Json | undefined;
    if (typeof response?.id === 'string') this.responseId = response.id;
    if (type === 'response.output_item.done') {
      this.output.push(data.item);
      // Bytes, as the backend's budget counts them (a character of CJK text is three).
      this.outputBytes += Buffer.byteLength(text);
      if (this.wantsEncrypted || data.item === withoutEncrypted(data.item)) return text;
      return JSON.stringify({ ...data, item: withoutEncrypted(data.item) });
    }
    if (type === 'response.created') return text;
    if (response && (type === 'response.completed' || type === 'response.incomplete')) {
      const usage = response.usage as { total_tokens?: unknown } | undefined;
      if (typeof usage?.total_tokens === 'number') this.totalTokens = usage.total_tokens;
      // Streams may end with an empty output: the items are those of the output_item.done events.
      const output = Array.isArray(response.output) && response.output.length > 0 ? response.output : this.output;
      const filled = { ...data, response: { ...response, output: this.wantsEncrypted ? output : output.map(withoutEncrypted) } };
      this.terminal = { type, data: filled };
      return JSON.stringify(filled);
    }
    this.terminal = { type, data };
    return text;
  }

  /** Whether the answer completed (and so may be kept). */
  get completed(): boolean {
    return this.terminal?.type === 'response.completed';
  }

  /** The response object of a non-streamed answer, or the failure it ended with. */
  result(): Json {
    const terminal = this.terminal;
    if (!terminal) throw new StreamError('stream_closed', 'the backend stream closed before response.completed');
    if (terminal.type === 'response.completed' || terminal.type === 'response.incomplete') {
      const response = terminal.data.response as Json;
      return { ...response, output_text: outputText(response.output as unknown[]) };
    }
    const error = ((terminal.data.response as Json | undefined)?.error ?? terminal.data.error ?? terminal.data) as Json;
    const code = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : '';
    const message = typeof error.message === 'string' ? error.message : 'the backend failed the response';
    throw new CodexError(FAILED[code] ?? 'server_error', message);
  }
}
