// A conversation of the library, kept in the CLI's log: what `codex ask --cid NAME` continues, an agent on the
// library continues too, and the other way round.
import type { CodexEvent, ResultEvent } from '../client/events.js';
import type { InputItem } from '../client/request.js';
import { REQUEST_BUDGET_BYTES } from '../client/request-budget.js';
import { fitHistory } from '../conversations/history.js';
import { type ConversationHeader, type ToolRecord, type TurnRecord, turnRecord } from '../conversations/records.js';
import { type ConversationStore, checkConversationRef, newConversationId } from '../conversations/store.js';
import type { Codex, CodexRequest, CompleteResult, ConversationHooks } from './codex.js';

export type { ToolRecord, TurnRecord } from '../conversations/records.js';
export type { ConversationSummary } from '../conversations/store.js';

export async function openConversation(transport: Codex, store: ConversationStore, nameOrId?: string): Promise<Conversation> {
  if (nameOrId !== undefined) checkConversationRef(nameOrId);
  const header =
    nameOrId === undefined ? await store.findOrCreate({ id: newConversationId() }) : ((await store.find(nameOrId)) ?? (await store.findOrCreate({ name: nameOrId })));
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

  /** As `Codex.stream`, continuing this conversation; `start` and `result` carry `conversation_id`. */
  async *stream(request: CodexRequest): AsyncGenerator<CodexEvent, ResultEvent, undefined> {
    const exchange = await this.begin(request);
    try {
      let result: ResultEvent | undefined;
      for await (const event of this.transport.stream(request, exchange.hooks)) {
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
      const done = await this.transport.complete(request, exchange.hooks);
      await exchange.record({ type: 'result', response_id: done.responseId, model: done.model, text: done.text, usage: done.usage });
      return done;
    } finally {
      await exchange.release();
    }
  }

  private async begin(request: CodexRequest) {
    const release = await this.store.hold(this.id);
    const startedAt = Date.now();
    const exchangeItems: { value?: InputItem[] } = {};
    const tools = new Map<string, ToolRecord>();
    let model = request.model ?? '';
    try {
      const turns = await this.turns();
      const hooks: ConversationHooks = {
        promptCacheKey: this.header.cache_key,
        exchangeItems,
        history: (contextWindow, newBytes) => fitHistory(turns, { newBytes, budgetBytes: REQUEST_BUDGET_BYTES, contextWindow, model: model || 'the model' }).items,
      };
      return {
        hooks,
        release,
        observe: (event: CodexEvent) => {
          if (event.type === 'start') model = event.model;
          if (event.type === 'tool_call') tools.set(event.call_id, { call_id: event.call_id, name: event.name, arguments: event.arguments, output: '', is_error: false });
          if (event.type === 'tool_result') Object.assign(tools.get(event.call_id) ?? {}, { output: event.output, is_error: event.is_error });
        },
        record: async (result: Pick<ResultEvent, 'response_id' | 'model' | 'text' | 'usage'> & { type: 'result' }) => {
          const items = exchangeItems.value ?? [];
          const turn = turnRecord({
            startedAt,
            model: result.model,
            ...(request.effort !== undefined ? { effort: request.effort } : {}),
            sessionId: this.transport.client.sessionId,
            responseId: result.response_id,
            prompt: request.prompt ?? '',
            images: request.images?.length ?? 0,
            answer: result.text,
            usage: result.usage,
            tools: tools.size > 0 ? [...tools.values()] : toolsOf(items),
            items,
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
