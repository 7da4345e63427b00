import { ApiError, StreamError, type ErrorCode } from '../errors.js';
import {
  DeltaEventSchema,
  OutputItemDoneSchema,
  ResponseEnvelopeSchema,
  StreamErrorEventSchema,
  SummaryPartAddedSchema,
  type CodexEvent,
  type OutputItem,
  type Usage,
} from './events.js';

export interface FunctionCall {
  call_id: string;
  name: string;
  arguments: string;
}

export interface TurnOutcome {
  responseId: string;
  model: string;
  text: string;
  usage: Usage;
  /** Reasoning and function_call items, to send back in a follow-up turn. */
  replayItems: OutputItem[];
  functionCalls: FunctionCall[];
}

const FAILED_CODES: Record<string, ErrorCode> = {
  context_length_exceeded: 'context_length_exceeded',
  insufficient_quota: 'usage_limit_reached',
  usage_not_included: 'usage_limit_reached',
  usage_limit_reached: 'usage_limit_reached',
  rate_limit_exceeded: 'rate_limited',
};

const TRY_AGAIN_IN = /try again in (\d+(?:\.\d+)?)\s*s/i;

const EMPTY_USAGE: Usage = { input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_tokens: 0, total_tokens: 0 };

function badStream(message: string): StreamError {
  return new StreamError('bad_stream', message);
}

/**
 * Collects many small deltas without a rope of millions of tiny strings: pieces are joined into one flat string
 * every ~64 KiB, so a 100 MB answer costs about 100 MB, not several times that.
 */
class TextAccumulator {
  private static readonly FLATTEN_AT = 64 * 1024;
  private readonly flat: string[] = [];
  private pieces: string[] = [];
  private piecesLength = 0;

  add(piece: string): void {
    this.pieces.push(piece);
    this.piecesLength += piece.length;
    if (this.piecesLength >= TextAccumulator.FLATTEN_AT) this.flush();
  }

  private flush(): void {
    if (this.pieces.length === 0) return;
    this.flat.push(this.pieces.join(''));
    this.pieces = [];
    this.piecesLength = 0;
  }

  text(): string {
    this.flush();
    const whole = this.flat.join('');
    // Keep the one flat copy, not the pieces beside it.
    this.flat.length = 0;
    this.flat.push(whole);
    return whole;
  }
}

/** Folds one response's SSE events into normalized events and, at the end, the turn's outcome. */
export class TurnState {
  /** True once anything of this response reached the caller: from then on it must not be retried. */
  emittedOutput = false;
  private completed = false;
  private responseId = '';
  private usage: Usage = EMPTY_USAGE;
  /** Per message item: how many characters its deltas carried, and (with keepText) the text itself. */
  private readonly streamed = new Map<string, { length: number; text: TextAccumulator | undefined }>();
  private readonly messageTexts: string[] = [];
  private readonly replayItems: OutputItem[] = [];
  private readonly functionCalls: FunctionCall[] = [];
  private reasoningParts = 0;

  constructor(
    private model: string,
    /** Keep the streamed text for the result (needed when a done item comes without content). */
    private readonly keepText = true,
  ) {}

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
        const event = this.parse(DeltaEventSchema, json, type);
        if (event.delta === '') return;
        const id = event.item_id ?? '';
        let item = this.streamed.get(id);
        if (!item) this.streamed.set(id, (item = { length: 0, text: this.keepText ? new TextAccumulator() : undefined }));
        item.length += event.delta.length;
        item.text?.add(event.delta);
        this.emittedOutput = true;
        emit({ type: 'text.delta', delta: event.delta });
        return;
      }
      case 'response.reasoning_summary_text.delta': {
        const event = this.parse(DeltaEventSchema, json, type);
        if (event.delta === '') return;
        this.emittedOutput = true;
        emit({ type: 'reasoning.delta', delta: event.delta });
        return;
      }
      case 'response.reasoning_summary_part.added': {
        this.parse(SummaryPartAddedSchema, json, type);
        if (this.reasoningParts++ > 0) emit({ type: 'reasoning.delta', delta: '\n\n' });
        return;
      }
      case 'response.created': {
        const event = this.parse(ResponseEnvelopeSchema, json, type);
        this.responseId = event.response.id ?? this.responseId;
        this.model = event.response.model ?? this.model;
        return;
      }
      case 'response.output_item.done': {
        this.itemDone(this.parse(OutputItemDoneSchema, json, type).item, emit);
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
        throw this.failure(response.error?.code ?? undefined, response.error?.message ?? undefined);
      }
      case 'response.incomplete': {
        const { response } = this.parse(ResponseEnvelopeSchema, json, type);
        const reason = response.incomplete_details?.reason ?? 'unknown reason';
        throw new ApiError('response_failed', `the answer is incomplete (${reason})`);
      }
      case 'error': {
        const event = this.parse(StreamErrorEventSchema, json, type);
        throw this.failure(event.code ?? event.error?.code ?? undefined, event.message ?? event.error?.message ?? undefined);
      }
      default:
        return;
    }
  }

  private parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, json: unknown, type: string): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw badStream(`the backend sent a malformed ${type} event`);
    return parsed.data;
  }

  private failure(code: string | undefined, message: string | undefined): ApiError {
    const mapped: ErrorCode = (code ? FAILED_CODES[code] : undefined) ?? 'response_failed';
    const text = message ?? code ?? 'no reason given';
    // A rate limit says when to come back ("Please try again in 11.054s"): that is the retry's wait.
    const tryAgain = mapped === 'rate_limited' ? TRY_AGAIN_IN.exec(text) : null;
    return new ApiError(mapped, `the backend failed the response: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`, {
      ...(tryAgain ? { retryAfterMs: Math.ceil(Number(tryAgain[1]) * 1000) } : {}),
    });
  }

  private itemDone(item: OutputItem, emit: (event: CodexEvent) => void): void {
    switch (item.type) {
      case 'message': {
        const streamed = this.streamed.get(item.id ?? '');
        const streamedText = streamed?.text?.text() ?? '';
        const parts = (item.content ?? []).filter((part) => part.type === 'output_text' && part.text !== undefined);
        const full = parts.length > 0 ? parts.map((part) => part.text).join('') : streamedText;
        // Text the deltas did not carry (a backend that sends only the done item) still reaches the reader.
        const streamedLength = streamed?.length ?? 0;
        if (full.length > streamedLength && (streamed?.text === undefined || full.startsWith(streamedText))) {
          this.emittedOutput = true;
          emit({ type: 'text.delta', delta: full.slice(streamedLength) });
        }
        if (this.keepText) this.messageTexts.push(full);
        this.streamed.delete(item.id ?? '');
        return;
      }
      case 'reasoning':
        this.replayItems.push(item);
        return;
      case 'function_call':
        if (item.call_id && item.name !== undefined) {
          this.replayItems.push(item);
          this.functionCalls.push({ call_id: item.call_id, name: item.name, arguments: item.arguments ?? '' });
        }
        return;
      default:
        return;
    }
  }

  finish(): TurnOutcome {
    if (!this.completed) throw new StreamError('stream_closed', 'the stream closed before response.completed');
    // Messages whose done item never came still count with what their deltas said.
    const pending = [...this.streamed.values()].map((item) => item.text?.text() ?? '');
    return {
      responseId: this.responseId,
      model: this.model,
      text: [...this.messageTexts, ...pending].join(''),
      usage: this.usage,
      replayItems: this.replayItems,
      functionCalls: this.functionCalls,
    };
  }
}
