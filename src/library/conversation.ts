// A conversation of the library, kept in the CLI's log: what `codex ask --cid NAME` continues, an agent on the
// library continues too, and the other way round.
import type { CodexEvent, ResultEvent } from '../client/events.js';
import type { InputItem } from '../client/request.js';
import { REQUEST_BUDGET_BYTES } from '../client/request-budget.js';
import { fitHistory } from '../conversations/history.js';
import { type ConversationHeader, type ConversationSettings, lastSettings, type ToolRecord, type TurnRecord, turnRecord } from '../conversations/records.js';
import { CONVERSATION_ID_PREFIX, type ConversationStore, checkConversationRef, newConversationId } from '../conversations/store.js';
import type { Effort } from '../shared/efforts.js';
import { ConversationError } from '../shared/errors.js';
import type { Codex } from './codex.js';
import { type ConversationHooks, internal } from './internal.js';
import type { CodexRequest, CompleteResult } from './types.js';

export type { ConversationSettings, ToolRecord, TurnRecord } from '../conversations/records.js';
export type { ConversationSummary } from '../conversations/store.js';

export async function openConversation(transport: Codex, store: ConversationStore, nameOrId?: string): Promise<Conversation> {
  if (nameOrId !== undefined) checkConversationRef(nameOrId);
  const found = nameOrId === undefined ? undefined : await store.find(nameOrId);
  // A mistyped id must not silently start a new conversation under that name.
  if (nameOrId !== undefined && !found && CONVERSATION_ID_PREFIX.test(nameOrId)) {
    throw new ConversationError('conversation_not_found', `no conversation ${nameOrId}; a new conversation needs a name that does not look like an id`);
  }
  const header = found ?? (await store.findOrCreate(nameOrId === undefined ? { id: newConversationId() } : { name: nameOrId }));
  return new Conversation(transport, store, header);
}

/**
 * One conversation: `stream` and `complete` take a request as the transport's do, send the earlier turns back
 * (the oldest left out first when they do not fit), and append the new turn. One exchange at a time per
 * conversation, across processes: a second one waits for the first.
 */
export class Conversation {
  constructor(
    private readonly transport: Codex,
    private readonly store: ConversationStore,
    private readonly header: ConversationHeader,
  ) {}

  get id(): string {
    return this.header.id;
  }

  get name(): string | undefined {
    return this.header.name;
  }

  /** The logged turns, oldest first (unreadable lines are skipped). */
  async turns(): Promise<TurnRecord[]> {
    return (await this.store.load(this.id))?.turns ?? [];
  }

  /** The model, effort, verbosity and system prompt the last turn was asked with, which the next one reuses. */
  async settings(): Promise<ConversationSettings | undefined> {
    return lastSettings(await this.turns());
  }

  /**
   * As `Codex.stream`, continuing this conversation; `start` and `result` carry `conversation_id`. The request's
   * `model`, `effort`, `verbosity` and `instructions` default to the conversation's (its last turn's).
   */
  async *stream(request: CodexRequest): AsyncGenerator<CodexEvent, ResultEvent, undefined> {
    const exchange = await this.begin(request);
    try {
      let result: ResultEvent | undefined;
      for await (const event of this.transport[internal].stream(exchange.request, exchange.hooks)) {
        exchange.observe(event);
        if (event.type === 'start' || event.type === 'result') {
          const shown = { ...event, conversation_id: this.id };
          if (shown.type === 'result') {
            await exchange.record(shown);
            result = shown;
          }
          yield shown;
        } else yield event;
      }
      return result!;
    } finally {
      await exchange.release();
    }
  }

  /** As `Codex.complete`, continuing this conversation. */
  async complete(request: CodexRequest): Promise<CompleteResult> {
    const exchange = await this.begin(request);
    try {
      const done = await this.transport[internal].complete(exchange.request, exchange.hooks);
      await exchange.record({ type: 'result', response_id: done.responseId, model: done.model, text: done.text, usage: done.usage });
      return done;
    } finally {
      await exchange.release();
    }
  }

  private async begin(given: CodexRequest) {
    const release = await this.store.hold(this.id);
    const startedAt = Date.now();
    let exchangeItems: InputItem[] = [];
    const tools = new Map<string, ToolRecord>();
    try {
      const turns = await this.turns();
      const request = withSettings(given, lastSettings(turns));
      let model = request.model ?? '';
      const hooks: ConversationHooks = {
        promptCacheKey: this.header.cache_key,
        onExchange: (items) => {
          exchangeItems = items;
        },
        history: (contextWindow, newBytes) => fitHistory(turns, { newBytes, budgetBytes: REQUEST_BUDGET_BYTES, contextWindow, model: model || 'the model' }).items,
      };
      return {
        request,
        hooks,
        release,
        observe: (event: CodexEvent) => {
          if (event.type === 'start') model = event.model;
          if (event.type === 'tool_call') tools.set(event.call_id, { call_id: event.call_id, name: event.name, arguments: event.arguments, output: '', is_error: false });
          if (event.type === 'tool_result') Object.assign(tools.get(event.call_id) ?? {}, { output: event.output, is_error: event.is_error });
        },
        record: async (result: Pick<ResultEvent, 'response_id' | 'model' | 'text' | 'usage'> & { type: 'result' }) => {
          const items = exchangeItems;
          const turn = turnRecord({
            startedAt,
            model: result.model,
            ...(request.effort !== undefined ? { effort: request.effort } : {}),
            sessionId: this.transport[internal].client.sessionId,
            responseId: result.response_id,
            prompt: request.prompt ?? '',
            images: request.images?.length ?? 0,
            answer: result.text,
            usage: result.usage,
            tools: tools.size > 0 ? [...tools.values()] : toolsOf(items),
            items,
            settings: {
              model: request.model ?? result.model,
              ...(request.effort !== undefined ? { effort: request.effort } : {}),
              ...(request.verbosity !== undefined ? { verbosity: request.verbosity } : {}),
              ...(request.instructions !== undefined ? { system: request.instructions } : {}),
            },
          });
          await this.store.append(this.id, turn);
        },
      };
    } catch (error) {
      await release();
      throw error;
    }
  }
}

/** The request with the conversation's settings where it gives none (a model given anew drops the recorded effort). */
function withSettings(request: CodexRequest, recorded: ConversationSettings | undefined): CodexRequest {
  if (recorded === undefined) return request;
  const keepsModel = request.model === undefined;
  return {
    ...request,
    ...(keepsModel && recorded.model !== undefined ? { model: recorded.model } : {}),
    ...(keepsModel && request.effort === undefined && recorded.effort !== undefined ? { effort: recorded.effort as Effort } : {}),
    ...(request.verbosity === undefined && recorded.verbosity !== undefined ? { verbosity: recorded.verbosity } : {}),
    ...(request.instructions === undefined && recorded.system !== undefined ? { instructions: recorded.system } : {}),
  };
}

/** The tool calls of an exchange from its items (`complete()` has no events to collect them from). */
function toolsOf(items: readonly InputItem[]): ToolRecord[] {
  const outputs = new Map(items.flatMap((item) => (item.type === 'function_call_output' ? [[item.call_id, item.output] as const] : [])));
  return items.flatMap((item) => {
    if (item.type !== 'function_call') return [];
    let args: unknown = item.arguments;
    try {
      args = JSON.parse(item.arguments);
    } catch {
      // kept as the string the model sent
    }
    return [{ call_id: item.call_id, name: item.name, arguments: args, output: outputs.get(item.call_id) ?? '', is_error: false }];
  });
}
