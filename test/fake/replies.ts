import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a scripted reply sees: the request (already read) and the response to write. */
export interface ReplyContext {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  /** Resolves when the client goes away. */
  closed: Promise<void>;
}

export type Reply = (ctx: ReplyContext) => Promise<void> | void;

export interface SseEvent {
  type: string;
  [key: string]: unknown;
}

export interface AnswerOptions {
  text?: string;
  /** Paragraphs of the reasoning summary. */
  reasoning?: string[];
  /** Characters per text delta (default 4, like token-sized pieces). */
  chunk?: number;
  model?: string;
  headers?: Record<string, string>;
  /**
   * Function calls the model makes in this turn (instead of or before a message); `namespace` other than `functions`.
   * `argumentsText` is sent as it is instead of `arguments` as JSON: a model can write arguments that are not JSON.
   */
  functionCalls?: { name: string; arguments: unknown; argumentsText?: string; call_id?: string; namespace?: string }[];
  /** Hosted web searches the backend ran before the message (classic models' `web_search` tool). */
  webSearches?: { query: string; sources: string[] }[];
  /** `url_citation` annotations of the message's text. */
  annotations?: { url: string; title: string; start_index: number; end_index: number }[];
  /** Frame with \r\n line endings. */
  crlf?: boolean;
  /** Write each frame in pieces of this many bytes (tests the client's reassembly). */
  splitBytes?: number;
  /** Pause between frames. */
  delayMs?: number;
  /** After this many events: `drop` closes the socket, `stall` goes silent (keeps the socket open). */
  after?: { events: number; then: 'drop' | 'stall' | 'drop-mid-frame' | 'end' };
  /** The message's done item carries no content (its text is only in the deltas). */
  doneWithoutContent?: boolean;
  /** `false`: no response.output_text.delta events; the text is only in the done events and the done item. */
  deltas?: boolean;
  /** Before writing the event at this index, wait until `until` resolves (or the client goes away). */
  pauseAt?: { events: number; until: Promise<unknown> };
  /** Extra events (unknown types, keep-alive comments) spliced in after response.created. */
  extra?: (SseEvent | string)[];
  usage?: Partial<Record<'input_tokens' | 'cached_tokens' | 'output_tokens' | 'reasoning_tokens', number>>;
  /** End with this event instead of response.completed. */
  terminal?: SseEvent;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const obfuscation = () =>
  randomBytes(6)
    .toString('base64url')
    .slice(0, 1 + Math.floor(Math.random() * 8));

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** The event sequence the real backend sends for one response (protocol §6, with the extras real streams carry). */
export function answerEvents(options: AnswerOptions = {}): SseEvent[] {
  const responseId = id('resp');
  const model = options.model ?? 'gpt-6.2-sol';
  const text = options.text ?? '';
  const size = options.chunk ?? 4;
  const created = Math.floor(Date.now() / 1000);
  const events: SseEvent[] = [];
  const shell = (status: string, extra: Record<string, unknown> = {}) => ({
    id: responseId,
    object: 'response',
    created_at: created,
    status,
    model,
    output: [],
    parallel_tool_calls: true,
    store: false,
    ...extra,
  });
  events.push({ type: 'response.created', response: shell('in_progress') });
  events.push({ type: 'response.in_progress', response: shell('in_progress') });
  let outputIndex = 0;

  if (options.reasoning && options.reasoning.length > 0) {
    const itemId = id('rs');
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: { id: itemId, type: 'reasoning', summary: [] } });
    options.reasoning.forEach((paragraph, summaryIndex) => {
      events.push({
        type: 'response.reasoning_summary_part.added',
        item_id: itemId,
        output_index: outputIndex,
        summary_index: summaryIndex,
        part: { type: 'summary_text', text: '' },
      });
      for (const delta of chunks(paragraph, size)) {
        events.push({
          type: 'response.reasoning_summary_text.delta',
          item_id: itemId,
          output_index: outputIndex,
          summary_index: summaryIndex,
          delta,
          obfuscation: obfuscation(),
        });
      }
      events.push({ type: 'response.reasoning_summary_text.done', item_id: itemId, output_index: outputIndex, summary_index: summaryIndex, text: paragraph });
      events.push({
        type: 'response.reasoning_summary_part.done',
        item_id: itemId,
        output_index: outputIndex,
        summary_index: summaryIndex,
        part: { type: 'summary_text', text: paragraph },
      });
    });
    events.push({
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: {
        id: itemId,
        type: 'reasoning',
        summary: options.reasoning.map((paragraph) => ({ type: 'summary_text', text: paragraph })),
        encrypted_content: `gAAAAA${randomBytes(48).toString('base64url')}`,
      },
    });
    outputIndex++;
  }

  for (const search of options.webSearches ?? []) {
    const itemId = id('ws');
    events.push({ type: 'response.output_item.added', output_index: outputIndex, item: { id: itemId, type: 'web_search_call', status: 'in_progress' } });
    for (const step of ['in_progress', 'searching', 'completed']) events.push({ type: `response.web_search_call.${step}`, output_index: outputIndex, item_id: itemId });
    events.push({
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: {
        id: itemId,
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', query: search.query, sources: search.sources.map((url) => ({ type: 'url', url })) },
      },
    });
    outputIndex++;
  }

  for (const call of options.functionCalls ?? []) {
    const itemId = id('fc');
    const callId = call.call_id ?? id('call');
    const args = call.argumentsText ?? JSON.stringify(call.arguments);
    // A lite call in a namespace other than `functions` names it (the client must send it back with it).
    const namespace = call.namespace ? { namespace: call.namespace } : {};
    events.push({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { id: itemId, type: 'function_call', status: 'in_progress', call_id: callId, name: call.name, ...namespace, arguments: '' },
    });
    for (const delta of chunks(args, 8)) {
      events.push({ type: 'response.function_call_arguments.delta', item_id: itemId, output_index: outputIndex, delta, obfuscation: obfuscation() });
    }
    events.push({ type: 'response.function_call_arguments.done', item_id: itemId, output_index: outputIndex, arguments: args });
    events.push({
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: { id: itemId, type: 'function_call', status: 'completed', call_id: callId, name: call.name, ...namespace, arguments: args },
    });
    outputIndex++;
  }

  if (options.text !== undefined || !options.functionCalls?.length) {
    const itemId = id('msg');
    events.push({
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { id: itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [], phase: 'final_answer' },
    });
    events.push({
      type: 'response.content_part.added',
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
    for (const delta of options.deltas === false ? [] : chunks(text, size)) {
      events.push({
        type: 'response.output_text.delta',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        delta,
        logprobs: [],
        obfuscation: obfuscation(),
      });
    }
    const annotations = (options.annotations ?? []).map((annotation) => ({ type: 'url_citation', ...annotation }));
    for (const [annotationIndex, annotation] of annotations.entries()) {
      events.push({
        type: 'response.output_text.annotation.added',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        annotation_index: annotationIndex,
        annotation,
      });
    }
    events.push({ type: 'response.output_text.done', item_id: itemId, output_index: outputIndex, content_index: 0, text, logprobs: [] });
    events.push({
      type: 'response.content_part.done',
      item_id: itemId,
      output_index: outputIndex,
      content_index: 0,
      part: { type: 'output_text', text, annotations, logprobs: [] },
    });
    events.push({
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: {
        id: itemId,
        type: 'message',
        status: 'completed',
        role: 'assistant',
        phase: 'final_answer',
        content: options.doneWithoutContent ? [] : [{ type: 'output_text', text, annotations, logprobs: [] }],
      },
    });
  }

  const usage = options.usage ?? {};
  const inputTokens = usage.input_tokens ?? 42;
  const outputTokens = usage.output_tokens ?? Math.max(1, Math.ceil(text.length / 4));
  events.push(
    options.terminal ?? {
      type: 'response.completed',
      response: shell('completed', {
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: usage.reasoning_tokens ?? 0 },
          total_tokens: inputTokens + outputTokens,
        },
      }),
    },
  );
  if (options.extra?.length) events.splice(1, 0, ...(options.extra as SseEvent[]));
  return events.map((event, index) => (typeof event === 'string' ? event : { ...event, sequence_number: index }));
}

export function frame(event: SseEvent | string, crlf = false): string {
  const nl = crlf ? '\r\n' : '\n';
  if (typeof event === 'string') return `${event}${nl}${nl}`;
  return `event: ${event.type}${nl}data: ${JSON.stringify(event)}${nl}${nl}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The quota the fake reports by default (protocol §7, §10): a 5-hour primary and a weekly secondary window. Fixed
 * values, so tests can assert the `rate_limits` event exactly. The server sends them as `x-codex-*` headers on
 * every /responses and /models answer and from `wham/usage`; `fake.quota` changes them per test.
 */
const loadedS = Math.floor(Date.now() / 1000);
export const PRIMARY_RESET_AT = loadedS + 2 * 3600;
export const SECONDARY_RESET_AT = loadedS + 4 * 24 * 3600;

/** The `rate_limits` event the default quota must give. */
export const RATE_LIMITS_EVENT = {
  type: 'rate_limits',
  primary: { used_percent: 12, window_minutes: 300, resets_at: PRIMARY_RESET_AT },
  secondary: { used_percent: 34.5, window_minutes: 10080, resets_at: SECONDARY_RESET_AT },
  active_limit: 'codex',
  plan_type: 'plus',
  credits: { has_credits: false, unlimited: false, balance: 0 },
};

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-request-id': 'req_fake',
};

/** Writes SSE frames with optional pacing, splitting, and a scripted break. */
export async function writeSse(ctx: ReplyContext, given: (SseEvent | string)[], options: AnswerOptions = {}): Promise<void> {
  const { res } = ctx;
  const events = encryptedOnlyWhenAsked(ctx.body, given);
  res.writeHead(200, { ...SSE_HEADERS, ...options.headers });
  let gone = false;
  void ctx.closed.then(() => (gone = true));
  for (let index = 0; index < events.length; index++) {
    if (options.pauseAt && index === options.pauseAt.events) await Promise.race([options.pauseAt.until, ctx.closed]);
    if (gone) return;
    if (options.after && index === options.after.events) {
      const action = options.after.then;
      // A drop comes after what was written has reached the socket: the client sees the status, the frames
      // so far (and half a frame), then the connection going away.
      if (action === 'drop') {
        await flushed(res);
        res.socket?.destroy();
        return;
      }
      if (action === 'drop-mid-frame') {
        const next = frame(events[index]!, options.crlf);
        res.write(next.slice(0, Math.floor(next.length / 2)));
        await flushed(res);
        return void res.socket?.destroy();
      }
      if (action === 'end') return void res.end();
      return ctx.closed; // stall: silent until the client gives up
    }
    const text = frame(events[index]!, options.crlf);
    const writeOk = options.splitBytes ? writePieces(res, Buffer.from(text), options.splitBytes) : res.write(text);
    if (!writeOk) await new Promise((resolve) => res.once('drain', resolve));
    if (options.delayMs) await sleep(options.delayMs);
  }
  res.end();
}

/** The backend sends reasoning's `encrypted_content` only to a request whose `include` asks for it. */
function encryptedOnlyWhenAsked(body: unknown, events: (SseEvent | string)[]): (SseEvent | string)[] {
  const include = (body as { include?: unknown } | undefined)?.include;
  if (Array.isArray(include) && include.includes('reasoning.encrypted_content')) return events;
  const strip = (item: unknown) => {
    if ((item as { type?: unknown } | null)?.type !== 'reasoning') return item;
    const { encrypted_content: _, ...rest } = item as Record<string, unknown>;
    return rest;
  };
  return events.map((event) => {
    if (typeof event === 'string') return event;
    if (event.type === 'response.output_item.done') return { ...event, item: strip(event.item) };
    const response = event.response as { output?: unknown[] } | undefined;
    if (Array.isArray(response?.output)) return { ...event, response: { ...response, output: response.output.map(strip) } };
    return event;
  });
}

/** Resolves once everything written so far has been handed to the socket. */
function flushed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.write('', () => resolve()));
}

function writePieces(res: ServerResponse, bytes: Buffer, size: number): boolean {
  let ok = true;
  for (let i = 0; i < bytes.length; i += size) ok = res.write(bytes.subarray(i, i + size));
  return ok;
}

/* ---------- Real-world shapes (protocol §10): responses made of several items ---------- */

/** One output item of a response built by `itemEvents`. */
export type StreamItem =
  /** A message; `phase` null means a phase-less message (older backends). */
  | { message: string; phase?: 'final_answer' | 'commentary' | null; chunk?: number }
  | { reasoning: string[] }
  /** A function call; `namespace` as a lite call of a namespace other than `functions` carries it (`image_gen`). */
  | { call: { name: string; arguments: unknown; call_id?: string; namespace?: string } }
  /**
   * The hosted image tool's call (recorded shape: vercel/ai openai-image-generation-tool): in_progress, generating,
   * one `partial_image` frame per entry of `partials` (base64), completed, then the done item with `result`.
   */
  | { image: { result: string; partials?: string[]; output_format?: string; size?: string; quality?: string; revised_prompt?: string } }
  /** A refusal: `response.refusal.delta` / `.done` events and a `refusal` content part. */
  | { refusal: string }
  /** Any item as given (types we never offered, odd fields), sent as added + done. */
  | { item: Record<string, unknown> };

export interface ItemStreamOptions {
  /** Give every added, delta and done event of an item its own id (as some gateways do). */
  changingIds?: boolean;
  /** Leave output_index out of every event (then only ids tie events to items). */
  noOutputIndex?: boolean;
  /** End with this event instead of response.completed. */
  terminal?: SseEvent;
  model?: string;
}

/** The events of one response made of `items`, in order, framed as the real backend frames them. */
export function itemEvents(items: StreamItem[], options: ItemStreamOptions = {}): SseEvent[] {
  const responseId = id('resp');
  const model = options.model ?? 'gpt-6.2-sol';
  const created = Math.floor(Date.now() / 1000);
  const shell = (status: string, extra: Record<string, unknown> = {}) => ({
    id: responseId,
    object: 'response',
    created_at: created,
    status,
    model,
    output: [],
    ...extra,
  });
  const events: SseEvent[] = [{ type: 'response.created', response: shell('in_progress') }];
  items.forEach((entry, outputIndex) => {
    const base = id('item');
    let n = 0;
    const itemId = () => (options.changingIds ? `${base}_${n++}` : base);
    const at = (event: SseEvent): SseEvent => (options.noOutputIndex ? event : { ...event, output_index: outputIndex });
    if ('message' in entry) {
      const phase = entry.phase === undefined ? { phase: 'final_answer' } : entry.phase === null ? {} : { phase: entry.phase };
      events.push(at({ type: 'response.output_item.added', item: { id: itemId(), type: 'message', role: 'assistant', status: 'in_progress', content: [], ...phase } }));
      for (const delta of chunks(entry.message, entry.chunk ?? 4)) {
        events.push(at({ type: 'response.output_text.delta', item_id: itemId(), content_index: 0, delta, logprobs: [], obfuscation: obfuscation() }));
      }
      events.push(at({ type: 'response.output_text.done', item_id: itemId(), content_index: 0, text: entry.message, logprobs: [] }));
      events.push(
        at({
          type: 'response.output_item.done',
          item: {
            id: itemId(),
            type: 'message',
            role: 'assistant',
            status: 'completed',
            ...phase,
            content: [{ type: 'output_text', text: entry.message, annotations: [] }],
          },
        }),
      );
    } else if ('reasoning' in entry) {
      events.push(at({ type: 'response.output_item.added', item: { id: itemId(), type: 'reasoning', summary: [] } }));
      entry.reasoning.forEach((paragraph, summaryIndex) => {
        events.push(at({ type: 'response.reasoning_summary_part.added', item_id: itemId(), summary_index: summaryIndex, part: { type: 'summary_text', text: '' } }));
        for (const delta of chunks(paragraph, 4))
          events.push(at({ type: 'response.reasoning_summary_text.delta', item_id: itemId(), summary_index: summaryIndex, delta }));
      });
      events.push(
        at({
          type: 'response.output_item.done',
          item: { id: itemId(), type: 'reasoning', summary: entry.reasoning.map((text) => ({ type: 'summary_text', text })), encrypted_content: 'gAAAAAfake' },
        }),
      );
    } else if ('call' in entry) {
      const callId = entry.call.call_id ?? id('call');
      const args = JSON.stringify(entry.call.arguments);
      const namespace = entry.call.namespace !== undefined ? { namespace: entry.call.namespace } : {};
      events.push(
        at({ type: 'response.output_item.added', item: { id: itemId(), type: 'function_call', call_id: callId, name: entry.call.name, ...namespace, arguments: '' } }),
      );
      events.push(at({ type: 'response.function_call_arguments.delta', item_id: itemId(), delta: args }));
      events.push(
        at({
          type: 'response.output_item.done',
          item: { id: itemId(), type: 'function_call', status: 'completed', call_id: callId, name: entry.call.name, ...namespace, arguments: args },
        }),
      );
    } else if ('image' in entry) {
      const { result, partials = [], output_format: format = 'png', size = '1024x1024', quality = 'low', revised_prompt: revised } = entry.image;
      const itemId0 = itemId();
      const details = { size, quality, background: 'opaque', output_format: format };
      events.push(at({ type: 'response.output_item.added', item: { id: itemId0, type: 'image_generation_call', status: 'in_progress' } }));
      events.push(at({ type: 'response.image_generation_call.in_progress', item_id: itemId0 }));
      events.push(at({ type: 'response.image_generation_call.generating', item_id: itemId0 }));
      partials.forEach((partial, index) => {
        events.push(at({ type: 'response.image_generation_call.partial_image', item_id: itemId0, partial_image_index: index, partial_image_b64: partial, ...details }));
      });
      events.push(at({ type: 'response.image_generation_call.completed', item_id: itemId0 }));
      events.push(
        at({
          type: 'response.output_item.done',
          item: {
            id: itemId0,
            type: 'image_generation_call',
            status: 'completed',
            background: 'opaque',
            output_format: format,
            quality,
            result,
            ...(revised !== undefined ? { revised_prompt: revised } : {}),
            size,
          },
        }),
      );
    } else if ('refusal' in entry) {
      events.push(at({ type: 'response.output_item.added', item: { id: itemId(), type: 'message', role: 'assistant', content: [], phase: 'final_answer' } }));
      for (const delta of chunks(entry.refusal, 6)) events.push(at({ type: 'response.refusal.delta', item_id: itemId(), content_index: 0, delta }));
      events.push(at({ type: 'response.refusal.done', item_id: itemId(), content_index: 0, refusal: entry.refusal }));
      events.push(
        at({
          type: 'response.output_item.done',
          item: { id: itemId(), type: 'message', role: 'assistant', status: 'completed', phase: 'final_answer', content: [{ type: 'refusal', refusal: entry.refusal }] },
        }),
      );
    } else {
      events.push(at({ type: 'response.output_item.added', item: { ...entry.item, status: 'in_progress' } }));
      events.push(at({ type: 'response.output_item.done', item: entry.item }));
    }
  });
  events.push(
    options.terminal ?? {
      type: 'response.completed',
      response: shell('completed', { usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 5, total_tokens: 15 } }),
    },
  );
  return events.map((event, index) => ({ ...event, sequence_number: index }));
}

/** A response made of `items` (see StreamItem). */
export function itemsAnswer(items: StreamItem[], options: ItemStreamOptions & Pick<AnswerOptions, 'headers' | 'after'> = {}): Reply {
  return (ctx) => {
    // The response names the model the request asked for, as the backend does.
    const requested = (ctx.body as { model?: unknown } | undefined)?.model;
    const model = options.model ?? (typeof requested === 'string' ? requested : undefined);
    return writeSse(ctx, itemEvents(items, { ...options, ...(model ? { model } : {}) }), options);
  };
}

/** A `response.failed` stream carrying `error` (e.g. `{code: 'server_is_overloaded', message}`). */
export function failedStream(error: Record<string, unknown>): Reply {
  return itemsAnswer([], { terminal: { type: 'response.failed', response: { id: id('resp'), status: 'failed', error } } });
}

/** A stream that ends with an in-stream `error` event (its fields as given) instead of response.completed. */
export function errorEventStream(fields: Record<string, unknown>, before: StreamItem[] = []): Reply {
  return itemsAnswer(before, { terminal: { type: 'error', ...fields } });
}

/* ---------- Reply builders for tests ---------- */

/** A streamed answer; the response names the model the request asked for, as the backend does. */
export function answer(options: AnswerOptions = {}): Reply {
  return (ctx) => {
    const requested = (ctx.body as { model?: unknown } | undefined)?.model;
    const model = options.model ?? (typeof requested === 'string' ? requested : undefined);
    return writeSse(ctx, answerEvents({ ...options, ...(model ? { model } : {}) }), options);
  };
}

/** A stream of many small deltas totalling `bytes` (for throughput and memory tests). */
export function bulkAnswer(bytes: number, deltaSize = 16): Reply {
  return async (ctx) => {
    const head = answerEvents({ text: '' });
    const itemDone = head.findIndex((e) => e.type === 'response.output_text.delta' || e.type === 'response.output_text.done');
    const before = head.slice(0, itemDone);
    const after = head.slice(itemDone);
    ctx.res.writeHead(200, SSE_HEADERS);
    for (const event of before) ctx.res.write(frame(event));
    const piece = 'abcdefghijklmnopqrstuvwxyz012345'.repeat(Math.ceil(deltaSize / 32)).slice(0, deltaSize);
    const itemId = (before.at(-1) as { item_id?: string }).item_id ?? 'msg_bulk';
    const line = frame({ type: 'response.output_text.delta', item_id: itemId, output_index: 0, content_index: 0, delta: piece });
    const batch = line.repeat(256);
    let sent = 0;
    while (sent < bytes) {
      if (!ctx.res.write(batch)) await new Promise((resolve) => ctx.res.once('drain', resolve));
      sent += deltaSize * 256;
    }
    for (const event of after.filter((e) => e.type !== 'response.output_item.done' && e.type !== 'response.output_text.done')) ctx.res.write(frame(event));
    ctx.res.end();
  };
}

/**
 * A stream of about `streamBytes` bytes of token-sized text deltas (2–12 characters, the framing and fields the real
 * backend sends with each: item_id, indices, logprobs, obfuscation, sequence_number), with the done events that
 * carry the whole text. The same bytes every time (a fixed pseudo-random sequence), built once per size, so the
 * fake spends no time on them while a client is measured. For the bench: 20 MB is about 85,000 events.
 */
export function tokenStreamAnswer(streamBytes: number): Reply {
  return ({ res }) => {
    res.writeHead(200, SSE_HEADERS);
    res.end(tokenStreamBytes(streamBytes));
  };
}

const tokenStreams = new Map<number, Buffer>();
const PAD_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function tokenStreamBytes(streamBytes: number): Buffer {
  const cached = tokenStreams.get(streamBytes);
  if (cached) return cached;
  let seed = 0x2545f491;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const words = ['the', ' stream', ' of', ' tokens', ',', ' and', ' "quoted"', ' text', '.\n\n', ' `code`', ' über', ' 42', ' — ', 'ing', ' a'];
  const frames: string[] = [];
  const pieces: string[] = [];
  let size = 0;
  let sequence = 0;
  const push = (event: SseEvent) => {
    const text = frame({ ...event, sequence_number: sequence++ });
    frames.push(text);
    size += Buffer.byteLength(text);
  };
  const head = answerEvents({ text: '' });
  const firstDelta = head.findIndex((e) => e.type === 'response.output_text.delta' || e.type === 'response.output_text.done');
  const before = head.slice(0, firstDelta);
  const itemId = (before.at(-1) as { item_id?: string }).item_id ?? 'msg_bulk';
  for (const event of before) push(event);
  while (size < streamBytes) {
    const length = 2 + Math.floor(next() * 11);
    let delta = '';
    while (delta.length < length) delta += words[Math.floor(next() * words.length)]!;
    delta = delta.slice(0, length);
    pieces.push(delta);
    const pad = Array.from({ length: 1 + Math.floor(next() * 8) }, () => PAD_CHARS[Math.floor(next() * PAD_CHARS.length)]).join('');
    push({ type: 'response.output_text.delta', item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [], obfuscation: pad });
  }
  const text = pieces.join('');
  const part = { type: 'output_text', text, annotations: [], logprobs: [] };
  push({ type: 'response.output_text.done', item_id: itemId, output_index: 0, content_index: 0, text, logprobs: [] });
  push({ type: 'response.content_part.done', item_id: itemId, output_index: 0, content_index: 0, part });
  push({
    type: 'response.output_item.done',
    output_index: 0,
    item: { id: itemId, type: 'message', status: 'completed', role: 'assistant', phase: 'final_answer', content: [part] },
  });
  const completed = head.at(-1)!;
  push({
    ...completed,
    response: {
      ...(completed.response as object),
      usage: {
        input_tokens: 42,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: pieces.length,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 42 + pieces.length,
      },
    },
  });
  const bytes = Buffer.from(frames.join(''));
  tokenStreams.set(streamBytes, bytes);
  return bytes;
}

export function status(code: number, body: unknown = { detail: `HTTP ${code}` }, headers: Record<string, string> = {}): Reply {
  return ({ res }) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(code, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json', ...headers });
    res.end(text);
  };
}

export function usageLimit(plan = 'plus', resetsInSeconds = 7980): Reply {
  return status(429, {
    error: {
      type: 'usage_limit_reached',
      message: 'The usage limit has been reached',
      plan_type: plan,
      resets_at: Math.floor(Date.now() / 1000) + resetsInSeconds,
      resets_in_seconds: resetsInSeconds,
    },
  });
}

/** Raw bytes with any content type (HTML pages, JSON bodies on a 200, hand-made SSE). */
export function raw(text: string, contentType = 'text/event-stream', code = 200): Reply {
  return ({ res }) => {
    res.writeHead(code, { 'content-type': contentType });
    res.end(text);
  };
}

/** Closes the connection without answering. */
export function hangUp(): Reply {
  return ({ res }) => void res.socket?.destroy();
}

/* ---------- The demo's scripted model (`npm run fake`, `npm run demo`) ---------- */

/** A 1×1 PNG, base64 (the fake's FAKE_PNG). */
const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

interface OfferedTool {
  name: string;
  /** The lite namespace it was offered in, when not `functions`. */
  namespace?: string;
  description?: string;
  parameters?: JsonSchemaLike;
}

type JsonSchemaLike = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  items?: JsonSchemaLike;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaLike[];
  oneOf?: JsonSchemaLike[];
  minItems?: number;
};

type WireItem = { type?: string; role?: string; content?: { type?: string; text?: string }[]; call_id?: string; name?: string; output?: unknown; tools?: unknown[] };

/** The functions a request offers: `tools` (classic layout) or an `additional_tools` item (lite), namespaces flattened. */
function offeredTools(body: { tools?: unknown[]; input?: WireItem[] }): OfferedTool[] {
  const flatten = (tools: unknown[], namespace?: string): OfferedTool[] =>
    tools.flatMap((tool) => {
      const entry = tool as { type?: string; name?: string; tools?: unknown[] } & OfferedTool;
      if (entry.type === 'namespace' && Array.isArray(entry.tools)) return flatten(entry.tools, entry.name === 'functions' ? undefined : entry.name);
      return entry.type === 'function' && typeof entry.name === 'string' ? [{ ...entry, ...(namespace !== undefined ? { namespace } : {}) }] : [];
    });
  const lite = (body.input ?? []).filter((item) => item?.type === 'additional_tools' && Array.isArray(item.tools)).flatMap((item) => item.tools!);
  return flatten([...(body.tools ?? []), ...lite]);
}

const STOP_WORDS = new Set(['the', 'for', 'and', 'with', 'from', 'that', 'this', 'what', 'current', 'get', 'run', 'city', 'name']);

/** A tool the prompt asks for: its name, or a word of its name or description, appears in the prompt. */
function toolAskedFor(prompt: string, tools: readonly OfferedTool[]): OfferedTool | undefined {
  const words = new Set(prompt.toLowerCase().match(/[a-z0-9]+/g) ?? []);
  return tools.find((tool) => {
    if (prompt.toLowerCase().includes(tool.name.toLowerCase())) return true;
    const own = `${tool.name.replace(/[_-]/g, ' ')} ${tool.description ?? ''}`.toLowerCase().match(/[a-z0-9]+/g) ?? [];
    return own.some((word) => word.length >= 4 && !STOP_WORDS.has(word) && words.has(word));
  });
}

/** The last capitalised word of the prompt (a place, a name), else its last word: what a small model would pick. */
function subjectOf(prompt: string): string {
  const words = prompt.match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [];
  const named = words.filter((word, index) => index > 0 && /^\p{Lu}/u.test(word));
  return named.at(-1) ?? words.at(-1) ?? 'example';
}

/** A value that follows `schema` (the common keywords), filled from the prompt where it takes text. */
export function exampleFor(schema: JsonSchemaLike | undefined, prompt: string): unknown {
  if (!schema || typeof schema !== 'object') return subjectOf(prompt);
  if ('const' in schema) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (choice) return exampleFor(choice, prompt);
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : 'string')) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, exampleFor(property, prompt)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleFor(schema.items, prompt));
    case 'number':
    case 'integer':
      return Number(prompt.match(/\d+/)?.[0] ?? 42);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return subjectOf(prompt);
  }
}

/**
 * A small scripted model for trying the CLI by hand: when the request offers tools and the prompt asks for one,
 * it calls that tool (arguments filled from the prompt), then answers with what the tool returned; when the
 * request asks for JSON following a schema, it answers such a document; otherwise it repeats the prompt.
 */
/** The text of a call's output: a string, or (as the official 0.171 client sends it on Lite) a list of `input_text` parts. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output) && output.every((part) => part?.type === 'input_text' && typeof part.text === 'string')) return output.map((part) => part.text).join('\n');
  return JSON.stringify(output);
}

export function scriptedModel(body: unknown): Reply {
  const request = (body ?? {}) as { tools?: unknown[]; input?: WireItem[]; text?: { format?: { type?: string; schema?: JsonSchemaLike } } };
  const input = request.input ?? [];
  const summary = summaryWanted(request);
  const last = input.filter((item) => item?.type !== 'configuration_update').at(-1);
  if (last?.type === 'function_call_output') {
    const call = input.find((item) => item?.type === 'function_call' && item.call_id === last.call_id);
    const output = outputText(last.output).trim();
    return answer({ text: `The ${call?.name ?? 'tool'} tool says: ${output}`, ...summary });
  }
  const userText = [...input].reverse().find((item) => item?.type === 'message' && item.role === 'user');
  const prompt = userText?.content?.find((part) => part.type === 'input_text')?.text ?? '';
  const tool = toolAskedFor(prompt, offeredTools(request));
  if (tool) {
    const call = {
      name: tool.name,
      arguments: exampleFor(tool.parameters ?? { type: 'object' }, prompt),
      ...(tool.namespace !== undefined ? { namespace: tool.namespace } : {}),
    };
    return answer({ functionCalls: [call], ...summary });
  }
  // The hosted image tool (classic layout): a prompt that asks for a picture gets one (a 1×1 PNG).
  const hostedImage = (request.tools ?? []).some((entry) => (entry as { type?: unknown })?.type === 'image_generation');
  if (hostedImage && /\b(draw|image|picture|logo|icon|paint)\b/i.test(prompt)) {
    return itemsAnswer([{ image: { result: ONE_PIXEL_PNG, revised_prompt: prompt } }, { message: `Here is ${subjectOf(prompt)}.` }]);
  }
  const format = request.text?.format;
  if (format?.type === 'json_schema') return answer({ text: JSON.stringify(exampleFor(format.schema, prompt)), ...summary });
  return answer({ text: `You said: ${prompt}`, ...summary });
}

function summaryWanted(request: { reasoning?: { summary?: unknown }; input?: { type?: string; reasoning?: { summary?: unknown } }[] }) {
  const asked = (summary: unknown) => typeof summary === 'string' && summary !== 'none';
  const wanted = asked(request.reasoning?.summary) || (request.input ?? []).some((item) => item?.type === 'configuration_update' && asked(item.reasoning?.summary));
  return wanted ? { reasoning: ['Reading the prompt.'] } : {};
}
