// A Codex model as an AI SDK language model (spec v4, or v3 for `ai` 6). Each doGenerate / doStream is one
// backend turn through the Codex facade (sign-in, lock, refresh, catalog, retries); the AI SDK runs the tools
// and calls again with the results, and the reasoning items of each step ride along in provider metadata.
import type {
  JSONObject,
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
} from '@ai-sdk/provider';
import type { CodexEvent, RateLimitSnapshot, Usage } from '../client/events.js';
import type { OutputItem, TurnOutcome } from '../client/response-turn.js';
import { DEFAULT_BASE_URL } from '../config/resolve.js';
import type { Codex } from '../library/codex.js';
import { prepareCall } from './call-options.js';
import { toAiSdkError } from './errors.js';
import { PROVIDER_KEY } from './prompt.js';

export interface CodexModelConfig {
  /** The AI SDK's provider name (`codex`). */
  provider: string;
  /** The facade, made on first use. */
  codex: () => Codex;
}

const OUTPUT_EVENTS = new Set(['text.delta', 'reasoning.delta']);
/** Stream parts held for a slow reader before the backend's stream is paused. */
const HIGH_WATER = 64;

function usageOf(usage: Usage): LanguageModelV4Usage {
  return {
    inputTokens: {
      total: usage.input_tokens,
      noCache: usage.input_tokens - usage.cached_input_tokens,
      cacheRead: usage.cached_input_tokens,
      cacheWrite: undefined,
    },
    outputTokens: { total: usage.output_tokens, text: usage.output_tokens - usage.reasoning_tokens, reasoning: usage.reasoning_tokens },
    raw: { ...usage },
  };
}

function finishOf(outcome: TurnOutcome): LanguageModelV4FinishReason {
  return outcome.functionCalls.length > 0 ? { unified: 'tool-calls', raw: 'function_call' } : { unified: 'stop', raw: 'completed' };
}

function metadataOf(outcome: TurnOutcome, rateLimits: RateLimitSnapshot | undefined): SharedV4ProviderMetadata {
  return {
    [PROVIDER_KEY]: {
      responseId: outcome.responseId,
      model: outcome.model,
      ...(rateLimits ? { rateLimits: rateLimits as JSONObject } : {}),
    },
  };
}

/** A reasoning item's summary text, and the item itself to send back in the next step. */
function reasoningParts(outcome: TurnOutcome): { text: string; providerMetadata: SharedV4ProviderMetadata }[] {
  return outcome.replayItems
    .filter((item) => item.type === 'reasoning')
    .map((item: OutputItem) => ({
      text: (item.summary ?? []).map((part) => part.text ?? '').join('\n\n'),
      providerMetadata: { [PROVIDER_KEY]: { item: item as JSONObject } },
    }));
}

function snapshotOf(event: CodexEvent): RateLimitSnapshot | undefined {
  if (event.type !== 'rate_limits') return undefined;
  const { type: _type, ...snapshot } = event;
  return snapshot;
}

export class CodexLanguageModel implements Omit<LanguageModelV4, 'specificationVersion'> {
  readonly supportedUrls: Record<string, RegExp[]> = { 'image/*': [/^https:\/\//] };

  constructor(
    readonly specificationVersion: 'v4' | 'v3',
    readonly modelId: string,
    private readonly config: CodexModelConfig,
  ) {}

  get provider(): string {
    return this.config.provider;
  }

  private errorContext(options: LanguageModelV4CallOptions) {
    let baseUrl = DEFAULT_BASE_URL;
    try {
      baseUrl = this.config.codex().baseUrl;
    } catch {
      // The facade could not be made (a bad profile name, say): that error is the one reported.
    }
    return {
      url: `${baseUrl}/responses`,
      modelId: this.modelId,
      requestBodyValues: { model: this.modelId },
      ...(options.abortSignal ? { signal: options.abortSignal } : {}),
    };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    try {
      const { request, warnings } = prepareCall(this.modelId, options);
      let rateLimits: RateLimitSnapshot | undefined;
      const outcome = await this.config.codex().turn(request, undefined, {
        onEvent: (event) => {
          rateLimits = snapshotOf(event) ?? rateLimits;
        },
      });
      const content: LanguageModelV4Content[] = [
        ...reasoningParts(outcome).map((part) => ({ type: 'reasoning' as const, ...part })),
        ...(outcome.text !== '' ? [{ type: 'text' as const, text: outcome.text }] : []),
        ...outcome.functionCalls.map((call) => ({ type: 'tool-call' as const, toolCallId: call.call_id, toolName: call.name, input: call.arguments })),
      ];
      return {
        content,
        finishReason: finishOf(outcome),
        usage: usageOf(outcome.usage),
        providerMetadata: metadataOf(outcome, rateLimits),
        request: { body: { model: request.model } },
        response: { id: outcome.responseId, modelId: outcome.model, timestamp: new Date() },
        warnings,
      };
    } catch (error) {
      throw toAiSdkError(error, this.errorContext(options));
    }
  }

  /**
   * Resolves once the turn has produced output (or ended), so a failure before any output (a usage limit, no
   * sign-in) rejects here as the AI SDK expects. Tool calls arrive whole at the end of the turn: each is sent as
   * tool-input-start / -delta / -end and then the tool-call.
   */
  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const context = this.errorContext(options);
    let prepared: ReturnType<typeof prepareCall>;
    let codex: Codex;
    try {
      prepared = prepareCall(this.modelId, options);
      codex = this.config.codex();
    } catch (error) {
      throw toAiSdkError(error, context);
    }
    const { warnings } = prepared;
    // Cancelling the AI SDK's stream (or breaking out of it) aborts the backend turn.
    const cancel = new AbortController();
    const request = { ...prepared.request, signal: options.abortSignal ? AbortSignal.any([cancel.signal, options.abortSignal]) : cancel.signal };

    const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings }];
    let wake: (() => void) | undefined;
    let ended: { error?: unknown } | undefined;
    let output = false;
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    let resumeTurn: (() => void) | undefined;
    const push = (part: LanguageModelV4StreamPart) => {
      parts.push(part);
      wake?.();
    };

    let rateLimits: RateLimitSnapshot | undefined;
    let textOpen = false;
    let reasoningOpen = false;
    request.signal.addEventListener('abort', () => resumeTurn?.(), { once: true });
    const onEvent = (event: CodexEvent): Promise<void> | undefined => {
      rateLimits = snapshotOf(event) ?? rateLimits;
      if (event.type === 'reasoning.delta') {
        if (!reasoningOpen) push({ type: 'reasoning-start', id: 'reasoning-0' });
        reasoningOpen = true;
        push({ type: 'reasoning-delta', id: 'reasoning-0', delta: event.delta });
      } else if (event.type === 'text.delta') {
        if (!textOpen) push({ type: 'text-start', id: 'text-0' });
        textOpen = true;
        push({ type: 'text-delta', id: 'text-0', delta: event.delta });
      }
      if (OUTPUT_EVENTS.has(event.type)) {
        output = true;
        markStarted();
      }
      // A reader that is behind pauses the backend's stream (the core's EventSink contract); one that has gone
      // never does, or the turn would not see its abort.
      if (request.signal.aborted || parts.length < HIGH_WATER) return undefined;
      return new Promise<void>((resolve) => (resumeTurn = resolve));
    };

    const finish = (outcome: TurnOutcome) => {
      // The reasoning item (its encrypted content) is known only now: the streamed reasoning ends with it.
      const reasoning = reasoningParts(outcome);
      reasoning.forEach((part, index) => {
        const id = `reasoning-${index}`;
        if (index > 0 || !reasoningOpen) {
          push({ type: 'reasoning-start', id });
          if (!reasoningOpen && part.text !== '') push({ type: 'reasoning-delta', id, delta: part.text });
        }
        push({ type: 'reasoning-end', id, providerMetadata: part.providerMetadata });
      });
      if (reasoning.length === 0 && reasoningOpen) push({ type: 'reasoning-end', id: 'reasoning-0' });
      if (textOpen) push({ type: 'text-end', id: 'text-0' });
      for (const call of outcome.functionCalls) {
        push({ type: 'tool-input-start', id: call.call_id, toolName: call.name });
        push({ type: 'tool-input-delta', id: call.call_id, delta: call.arguments });
        push({ type: 'tool-input-end', id: call.call_id });
        push({ type: 'tool-call', toolCallId: call.call_id, toolName: call.name, input: call.arguments });
      }
      push({ type: 'response-metadata', id: outcome.responseId, modelId: outcome.model, timestamp: new Date() });
      push({ type: 'finish', finishReason: finishOf(outcome), usage: usageOf(outcome.usage), providerMetadata: metadataOf(outcome, rateLimits) });
    };

    codex
      .turn(request, undefined, { onEvent })
      .then(
        (outcome) => {
          finish(outcome);
          ended = {};
        },
        (error: unknown) => {
          ended = { error: toAiSdkError(error, context) };
        },
      )
      .finally(() => {
        markStarted();
        wake?.();
      });

    await started;
    if (ended?.error !== undefined && !output) throw ended.error;

    const resume = () => {
      if (parts.length >= HIGH_WATER / 2) return;
      resumeTurn?.();
      resumeTurn = undefined;
    };
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async pull(controller) {
        for (;;) {
          const part = parts.shift();
          if (part) {
            controller.enqueue(part);
            resume();
            return;
          }
          if (ended) {
            const error = ended.error;
            if (error === undefined) controller.close();
            else if (options.abortSignal?.aborted) controller.error(error);
            else {
              controller.enqueue({ type: 'error', error });
              controller.close();
            }
            return;
          }
          resume();
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
      cancel() {
        cancel.abort(new DOMException('The stream was cancelled', 'AbortError'));
        resumeTurn?.();
      },
    });
    return { stream, request: { body: { model: request.model } } };
  }
}
