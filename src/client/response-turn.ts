import { ApiError, type ErrorCode, RefusedError, StreamError, UnsupportedToolCallError } from '../shared/errors.js';
import { clip, errorInfoFrom, usageLimitError, usageNotIncludedError } from '../transport/api-error.js';
import type { Citation, CodexEvent, RateLimitSnapshot, Usage } from './events.js';
import { imageFromCallItem, undeliveredImageEvent } from './generated-images.js';
import { rateLimitsFromFrame } from './rate-limits.js';
import { TextGatherer, type TextPiece, withTextPieces } from './text-pieces.js';
import { annotationCitations, hostedSearchEvent } from './web-search.js';
import {
  CodexRateLimitsEventSchema,
  type DeltaFrame,
  FunctionCallItemSchema,
  isDeltaFrame,
  MessageItemSchema,
  type OutputItem,
  OutputItemEventSchema,
  RefusalEventSchema,
  ResponseEnvelopeSchema,
  StreamErrorEventSchema,
  SummaryPartAddedSchema,
} from './wire.js';

export type { OutputItem } from './wire.js';

export interface FunctionCall {
  call_id: string;
  name: string;
  arguments: string;
  /** The function's namespace when it is not `functions` (`web` for `web.run`). */
  namespace?: string;
}

export interface TurnOutcome {
  responseId: string;
  model: string;
  text: string;
  usage: Usage;
  /** Reasoning, message and function_call items, in their order, to send back in a follow-up turn. */
  replayItems: OutputItem[];
  functionCalls: FunctionCall[];
  /** The quota as the headers of the answer said it (the last attempt that had them), when they did. */
  rateLimits?: RateLimitSnapshot;
  /**
   * The answer's `url_citation` annotations, in order (absent when there are none); after a search turn
   * (`turnWithSearch`), its sources: one per URL, the annotations or else the answer's links.
   */
  citations?: Citation[];
}

const FAILED_CODES: Record<string, ErrorCode> = {
  context_length_exceeded: 'context_length_exceeded',
  insufficient_quota: 'usage_limit_reached',
  rate_limit_exceeded: 'rate_limited',
  // Transient, like a 503 ("Selected model is at capacity"): retried while nothing has been shown.
  server_is_overloaded: 'server_error',
  server_error: 'server_error',
  slow_down: 'server_error',
};

/**
 * Item types that ask the client to run something it was never offered. Hosted tools the backend runs itself
 * (web search, image generation, MCP …) and bookkeeping items (compaction) are simply ignored.
 */
const CLIENT_CALL_TYPES = new Set(['local_shell_call', 'shell_call', 'custom_tool_call', 'computer_call', 'apply_patch_call']);

/** What the turns of one run share, so text of consecutive messages and turns is separated, never glued. */
export interface RunContinuity {
  /** Answer text has been emitted; `answerTail` is its last delta. */
  answered: boolean;
  answerTail: string;
  commented: boolean;
  reasoned: boolean;
}

export function newContinuity(): RunContinuity {
  return { answered: false, answerTail: '', commented: false, reasoned: false };
}

/** A blank line between two answer messages, counting the newlines the first one already ends with. */
function separatorAfter(tail: string): string {
  return tail.endsWith('\n\n') ? '' : tail.endsWith('\n') ? '\n' : '\n\n';
}

interface MessageState {
  commentary: boolean;
  /** Characters emitted for this message (after its separator). */
  length: number;
  /** What was emitted (with keepText, or for commentary). */
  text: TextGatherer | undefined;
  /**
   * Without `text`: what was emitted, while it is at most CHECK_CHARS long, so that a done text can still be
   * checked against it; undefined past that.
   */
  check: string[] | undefined;
  /** The separator emitted before this message's first text. */
  separator: string;
}

const TRY_AGAIN_IN = /try again in (\d+(?:\.\d+)?)\s*s/i;

/** How much of a message whose text is not kept is kept anyway, to check its done text against (MessageState.check). */
const CHECK_CHARS = 64 * 1024;

const EMPTY_USAGE: Usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };

function badStream(message: string): StreamError {
  return new StreamError('bad_stream', message);
}

function piecesWithSeparator(message: MessageState): TextPiece[] {
  const pieces = message.text?.textPieces() ?? [];
  if (message.separator !== '') pieces.unshift(message.separator);
  return pieces;
}

/** Folds one response's SSE events into normalized events and, at the end, the turn's outcome. */
export class TurnState {
  /** True once answer text (or an image) of this response reached the caller: from then on it must not be retried. */
  emittedAnswer = false;
  /** True once reasoning, commentary or a search did: a retry is safe only where those are not shown. */
  emittedAside = false;
  private completed = false;
  private responseId = '';
  private usage: Usage = EMPTY_USAGE;
  /**
   * Open message items, keyed by output_index (stable) or else item id: some gateways change the ids between
   * the added, delta and done events.
   */
  private readonly messages = new Map<number | string, MessageState>();
  /** The message added or written to last and not yet done: where events with an unknown key belong. */
  private open: MessageState | undefined;
  /** The answer's messages, each as its separator and its pieces. */
  private readonly messageTexts: TextPiece[][] = [];
  private readonly replayItems: OutputItem[] = [];
  private readonly functionCalls: FunctionCall[] = [];
  private reasoningBreak: boolean;
  private readonly citations: Citation[] = [];
  private refusalDeltas = '';
  private refusalDone: string | undefined;
  private unsupported: UnsupportedToolCallError | undefined;

  constructor(
    private model: string,
    /** Keep the streamed text for the result (needed when a done item comes without content). */
    private readonly keepText = true,
    private readonly continuity: RunContinuity = newContinuity(),
  ) {
    // Reasoning of a later tool turn starts a new paragraph.
    this.reasoningBreak = continuity.reasoned;
  }

  get isCompleted(): boolean {
    return this.completed;
  }

  handle(eventName: string, data: string, emit: (event: CodexEvent) => void): void {
    if (data === '[DONE]') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      throw badStream(`the backend sent an unreadable event${eventName ? ` (${eventName})` : ''}: not JSON`);
    }
    if (typeof json !== 'object' || json === null) throw badStream('the backend sent an event that is not a JSON object');
    const type = typeof (json as { type?: unknown }).type === 'string' ? (json as { type: string }).type : eventName;

    switch (type) {
      case 'response.output_text.delta': {
        const event = this.delta(json, type);
        if (event.delta === '') return;
        this.messageText(this.messageFor(event.output_index ?? event.item_id ?? ''), event.delta, emit);
        return;
      }
      case 'response.reasoning_summary_text.delta': {
        const event = this.delta(json, type);
        if (event.delta === '') return;
        if (this.reasoningBreak) {
          this.reasoningBreak = false;
          emit({ type: 'reasoning.delta', delta: '\n\n' });
        }
        this.continuity.reasoned = true;
        this.emittedAside = true;
        emit({ type: 'reasoning.delta', delta: event.delta });
        return;
      }
      case 'response.reasoning_summary_part.added': {
        this.parse(SummaryPartAddedSchema, json, type);
        if (this.continuity.reasoned) this.reasoningBreak = true;
        return;
      }
      case 'response.output_item.added': {
        const parsed = OutputItemEventSchema.safeParse(json);
        if (!parsed.success || parsed.data.item.type !== 'message') return;
        const { output_index: index, item } = parsed.data;
        this.openMessage(index ?? (typeof item.id === 'string' ? item.id : ''), item.phase === 'commentary');
        return;
      }
      case 'response.output_text.annotation.added': {
        const annotation = (json as { annotation?: unknown }).annotation;
        const key = (json as { output_index?: unknown }).output_index;
        const message = typeof key === 'number' ? this.messages.get(key) : undefined;
        if (!message?.commentary) this.citations.push(...annotationCitations([{ annotations: [annotation] }]));
        return;
      }
      case 'response.refusal.delta': {
        this.refusalDeltas += this.parse(RefusalEventSchema, json, type).delta ?? '';
        return;
      }
      case 'response.refusal.done': {
        this.refusalDone = this.parse(RefusalEventSchema, json, type).refusal ?? this.refusalDone;
        return;
      }
      case 'codex.rate_limits': {
        const parsed = CodexRateLimitsEventSchema.safeParse(json);
        const limits = parsed.success ? rateLimitsFromFrame(parsed.data) : undefined;
        if (limits) emit(limits);
        return;
      }
      case 'response.created': {
        const event = this.parse(ResponseEnvelopeSchema, json, type);
        this.responseId = event.response.id ?? this.responseId;
        this.model = event.response.model ?? this.model;
        return;
      }
      case 'response.output_item.done': {
        const { output_index: index, item } = this.parse(OutputItemEventSchema, json, type);
        this.itemDone(index ?? (typeof item.id === 'string' ? item.id : ''), item, emit);
        return;
      }
      case 'response.completed': {
        const { response } = this.parse(ResponseEnvelopeSchema, json, type);
        this.responseId = response.id ?? this.responseId;
        const usage = response.usage;
        if (usage) {
          this.usage = {
            input_tokens: usage.input_tokens ?? 0,
            cached_input_tokens: usage.input_tokens_details?.cached_tokens ?? 0,
            output_tokens: usage.output_tokens ?? 0,
            reasoning_tokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
            total_tokens: usage.total_tokens ?? (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0),
          };
        }
        this.completed = true;
        return;
      }
      case 'response.failed': {
        const { response } = this.parse(ResponseEnvelopeSchema, json, type);
        const error = response.error;
        throw this.failure(error?.code ?? error?.type ?? undefined, error?.message ?? undefined, errorInfoFrom({ error: error ?? undefined }));
      }
      case 'response.incomplete': {
        const { response } = this.parse(ResponseEnvelopeSchema, json, type);
        const reason = response.incomplete_details?.reason ?? 'unknown reason';
        throw new ApiError('response_failed', `the answer is incomplete (${reason})`);
      }
      case 'error': {
        const event = this.parse(StreamErrorEventSchema, json, type);
        const error = event.error;
        throw this.failure(
          event.code ?? error?.code ?? error?.type ?? undefined,
          event.message ?? error?.message ?? undefined,
          errorInfoFrom({ error: error ?? undefined }),
        );
      }
      default:
        return;
    }
  }

  private delta(json: object, type: string): DeltaFrame {
    if (!isDeltaFrame(json)) throw badStream(`the backend sent a malformed ${type} event`);
    return json;
  }

  private parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, json: unknown, type: string): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw badStream(`the backend sent a malformed ${type} event`);
    return parsed.data;
  }

  private failure(code: string | undefined, message: string | undefined, info: ReturnType<typeof errorInfoFrom>): ApiError {
    // The same words, exit code and reset time as the HTTP 429 of a usage limit; never retried.
    if (code === 'usage_limit_reached' || info?.type === 'usage_limit_reached') return usageLimitError(info ?? {});
    if (code === 'usage_not_included' || info?.type === 'usage_not_included') return usageNotIncludedError(info ?? {});
    const mapped: ErrorCode = (code ? FAILED_CODES[code] : undefined) ?? 'response_failed';
    const text = clip(message ?? code ?? 'no reason given');
    // A rate limit says when to come back ("Please try again in 11.054s"): that is the retry's wait.
    const tryAgain = mapped === 'rate_limited' ? TRY_AGAIN_IN.exec(text) : null;
    const what = mapped === 'server_error' ? 'the backend could not answer now' : 'the backend failed the response';
    return new ApiError(mapped, `${what}: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`, {
      ...(tryAgain ? { retryAfterMs: Math.ceil(Number(tryAgain[1]) * 1000) } : {}),
    });
  }

  private openMessage(key: number | string, commentary: boolean): MessageState {
    const kept = this.keepText || commentary;
    const message: MessageState = { commentary, length: 0, text: kept ? new TextGatherer() : undefined, check: kept ? undefined : [], separator: '' };
    this.messages.set(key, message);
    this.open = message;
    return message;
  }

  private messageFor(key: number | string): MessageState {
    return this.messages.get(key) ?? this.open ?? this.openMessage(key, false);
  }

  /** Emits text of a message: the answer as text.delta, commentary as commentary.delta; a new message is set apart. */
  private messageText(message: MessageState, text: string, emit: (event: CodexEvent) => void): void {
    const shared = this.continuity;
    if (message.commentary) {
      if (message.length === 0 && shared.commented) emit({ type: 'commentary.delta', delta: '\n\n' });
      shared.commented = true;
      this.emittedAside = true;
      emit({ type: 'commentary.delta', delta: text });
    } else {
      if (message.length === 0 && shared.answered) {
        message.separator = separatorAfter(shared.answerTail);
        if (message.separator !== '') emit({ type: 'text.delta', delta: message.separator });
      }
      shared.answered = true;
      shared.answerTail = text;
      emit({ type: 'text.delta', delta: text });
    }
    message.length += text.length;
    message.text?.add(text);
    if (message.check !== undefined) {
      if (message.length <= CHECK_CHARS) message.check.push(text);
      else message.check = undefined;
    }
    if (!message.commentary) this.emittedAnswer = true;
  }

  private itemDone(key: number | string, item: { type: string; [key: string]: unknown }, emit: (event: CodexEvent) => void): void {
    switch (item.type) {
      case 'message': {
        const parsed = MessageItemSchema.safeParse(item);
        if (!parsed.success) throw badStream('the backend sent a malformed message item');
        let message = this.messages.get(key) ?? this.open;
        // A message whose done item comes alone: its phase says what it is.
        message ??= this.openMessage(key, item.phase === 'commentary');
        if (message.length === 0 && typeof item.phase === 'string') message.commentary = item.phase === 'commentary';
        let full: string | undefined;
        for (const part of parsed.data.content ?? []) {
          if (part.type === 'output_text' && typeof part.text === 'string') full = (full ?? '') + part.text;
          else if (part.type === 'refusal' && typeof part.refusal === 'string') this.refusalDone = part.refusal;
        }
        // What was streamed stands (it is on the screen already); text the deltas did not carry (a backend that
        // sends only the done item, or a done text that goes on) still reaches the reader. With no copy of what
        // was streamed (text not kept, and past CHECK_CHARS) only a message nothing was streamed of gets its done
        // text: a tail that cannot be checked could garble what is shown.
        if (full !== undefined && full.length > message.length) {
          const streamed = message.text?.text() ?? message.check?.join('');
          if (streamed !== undefined ? full.startsWith(streamed) : message.length === 0) this.messageText(message, full.slice(message.length), emit);
        }
        if (this.keepText && !message.commentary) this.messageTexts.push(piecesWithSeparator(message));
        if (!message.commentary) this.citations.push(...annotationCitations(parsed.data.content ?? []));
        // Sent back with the turn's reasoning and calls, as the official client replays every output item.
        if (full !== undefined) this.replayItems.push({ ...(item as OutputItem), ...(message.commentary ? { phase: 'commentary' } : {}) });
        this.close(key, message);
        return;
      }
      case 'reasoning':
        this.replayItems.push(item as OutputItem);
        return;
      case 'function_call': {
        const parsed = FunctionCallItemSchema.safeParse(item);
        if (!parsed.success) throw badStream('the backend sent a malformed function_call item');
        const { call_id: callId, name, namespace } = parsed.data;
        // Without a call id there is nothing to answer it with.
        if (!callId || typeof name !== 'string') return;
        const raw = parsed.data.arguments;
        const args = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
        const spaced = typeof namespace === 'string' && namespace !== '' && namespace !== 'functions' ? { namespace } : {};
        this.replayItems.push({ ...(item as OutputItem), call_id: callId, name, arguments: args });
        this.functionCalls.push({ call_id: callId, name, arguments: args, ...spaced });
        return;
      }
      case 'web_search_call': {
        // The backend searched itself (the hosted tool of classic models): shown, never answered.
        const event = hostedSearchEvent(item);
        if (event) {
          this.emittedAside = true;
          emit(event);
        }
        return;
      }
      case 'image_generation_call': {
        // The hosted image tool's picture (its partial_image frames before it are previews, not kept).
        const image = imageFromCallItem(item);
        if (image) {
          // Saved and shown: a retry would make (and pay for) the picture again.
          this.emittedAnswer = true;
          emit(undeliveredImageEvent(image));
        }
        return;
      }
      default:
        if (CLIENT_CALL_TYPES.has(item.type) && !this.unsupported) {
          this.unsupported = new UnsupportedToolCallError(item.type, typeof item.name === 'string' ? item.name : undefined);
        }
        return;
    }
  }

  private close(key: number | string, message: MessageState): void {
    if (this.messages.get(key) === message) this.messages.delete(key);
    else for (const [other, state] of this.messages) if (state === message) this.messages.delete(other);
    if (this.open === message) this.open = undefined;
  }

  finish(): TurnOutcome {
    if (!this.completed) throw new StreamError('stream_closed', 'the stream closed before response.completed');
    const refusal = this.refusalDone ?? this.refusalDeltas;
    if (refusal !== '') throw new RefusedError(refusal);
    if (this.unsupported) throw this.unsupported;
    // Messages whose done item never came still count with what their deltas said.
    const pending = [...this.messages.values()].filter((m) => !m.commentary).map(piecesWithSeparator);
    const outcome: TurnOutcome = {
      responseId: this.responseId,
      model: this.model,
      text: '',
      usage: this.usage,
      // A turn without calls ends the run: its answer goes back as one assistant message of the exchange instead.
      replayItems: this.functionCalls.length > 0 ? this.replayItems : this.replayItems.filter((item) => item.type !== 'message' || item.phase === 'commentary'),
      functionCalls: this.functionCalls,
      ...(this.citations.length > 0 ? { citations: this.citations } : {}),
    };
    return withTextPieces(outcome, [...this.messageTexts, ...pending].flat());
  }
}
