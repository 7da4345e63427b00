import type { CodexEvent, ResultEvent } from '../../client/events.js';
import { assistantMessage, type InputItem } from '../../client/request.js';
import { REQUEST_BUDGET_BYTES } from '../../client/request-budget.js';
import { TextGatherer, withFields } from '../../client/text-pieces.js';
import { fitHistory } from '../../conversations/history.js';
import { type ConversationSettings, lastSettings, type ToolRecord, turnRecord } from '../../conversations/records.js';
import { CONVERSATION_ID_PREFIX, ConversationStore, checkConversationRef, newConversationId } from '../../conversations/store.js';
import { CodexError, ConversationError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';

export interface ConversationOptions {
  /** `-c`: the most recent conversation. */
  continue?: boolean;
  /** `--cid NAME|ID`: that conversation, created (named) when there is none. */
  cid?: string;
  /** `false` (`--no-log`): record nothing. */
  log?: boolean;
  /** `codex chat`: a conversation id made by chat, created on its first turn. */
  conversationId?: string;
}

interface ExchangeFacts {
  model: string;
  effort?: string;
  contextWindow?: number | null;
  /** The new request's own bytes: prompt, attachments, images, system prompt. */
  newBytes: number;
  prompt: string;
  images: number;
  sessionId: string;
  /** Whether the client keeps the answer's text for `result` (else the log gathers it from the deltas). */
  keepsText: boolean;
  /** What this turn was asked with, recorded for the turns that continue it. */
  settings: ConversationSettings;
}

/**
 * An answer longer than this (in characters) is not logged: it could never be sent back within the request byte
 * budget, and holding it for the log would make memory grow with the answer.
 */
const LOGGED_ANSWER_MAX_CHARS = REQUEST_BUDGET_BYTES;

/** One ask's part in a conversation: the history it sends, and the turn it appends before `result`. */
export interface AskConversation {
  /** Set when a conversation is in use: events carry it. */
  shownId: string | undefined;
  /** Sent as `prompt_cache_key`. */
  cacheKey: string | undefined;
  history: InputItem[];
  /** Given the items the exchange added (the client calls it before the `result` event). */
  onExchange: (items: InputItem[]) => void;
  /** Sees every event of the run; adds `conversation_id` to `start` and `result`. */
  event(event: CodexEvent): CodexEvent;
  /** Appends the turn (before `result` is written: a log that cannot be written fails the ask). */
  record(result: ResultEvent): Promise<void>;
  release(): Promise<void>;
}

/** Whether this run records its exchange: `--no-log` and config.json `"log": false` turn it off. */
export function logging(ctx: CliContext, options: ConversationOptions): boolean {
  return ctx.config.setting('log', { value: options.log === false ? false : undefined }).value !== false;
}

/** -c, --cid or a chat: the ask continues (or names) a conversation, rather than only being logged. */
export function choosesConversation(options: ConversationOptions): boolean {
  return options.continue === true || options.cid !== undefined || options.conversationId !== undefined;
}

/**
 * The conversation -c / --cid / chat continues, when it exists. A --cid that looks like an id (or the start of one)
 * must name one: a mistyped id would silently start a new conversation (exit 2).
 */
export async function chosenConversation(store: ConversationStore, options: ConversationOptions) {
  if (options.conversationId !== undefined) return store.find(options.conversationId);
  if (options.cid === undefined) return store.latest();
  const ref = checkConversationRef(options.cid, '--cid');
  const header = await store.find(ref);
  if (!header && CONVERSATION_ID_PREFIX.test(ref)) {
    throw new ConversationError(
      'conversation_not_found',
      `--cid: no conversation ${ref} (\`codex log list\` lists them); a new conversation needs a name that does not look like an id`,
    );
  }
  return header;
}

/** The settings the chosen conversation's last turn was asked with (undefined: none chosen, new, or an old log). */
export async function recordedSettings(ctx: CliContext, options: ConversationOptions): Promise<ConversationSettings | undefined> {
  if (!choosesConversation(options)) return undefined;
  const store = ConversationStore.inDataDir(ctx.config.dataDir);
  const header = await chosenConversation(store, options);
  if (!header) return undefined;
  return lastSettings((await store.load(header.id))?.turns ?? []);
}

/**
 * Opens the ask's conversation: with `-c` / `--cid` / chat, loads its turns (holding its lock until release, so
 * a parallel ask of the same conversation waits) and fits them into the request; without, a plain ask is
 * recorded as a new conversation that `-c` continues. Undefined when there is nothing to load or record.
 */

export async function openAskConversation(ctx: CliContext, options: ConversationOptions, facts: ExchangeFacts): Promise<AskConversation | undefined> {
  const record = logging(ctx, options);
  const chosen = choosesConversation(options);
  if (!record && !chosen) return undefined;
  const store = ConversationStore.inDataDir(ctx.config.dataDir);
  const startedAt = Date.now();
  let release: () => Promise<void> = async () => {};
  let id: string | undefined;
  let cacheKey: string | undefined;
  let history: InputItem[] = [];
  if (chosen) {
    const ref = options.cid !== undefined ? checkConversationRef(options.cid, '--cid') : undefined;
    let header = await chosenConversation(store, options);
    if (!header && record) {
      header = await store.findOrCreate(
        options.conversationId !== undefined ? { id: options.conversationId, cacheKey: options.conversationId } : ref !== undefined ? { name: ref } : {},
      );
    }
    if (header) {
      id = header.id;
      cacheKey = header.cache_key;
      if (record) release = await store.hold(header.id, () => ctx.warn(`waiting for another codex continuing conversation ${header!.name ?? header!.id}…`));
      try {
        const loaded = await store.load(header.id);
        for (const warning of loaded?.warnings ?? []) ctx.warn(warning);
        const fitted = fitHistory(loaded?.turns ?? [], {
          newBytes: facts.newBytes,
          budgetBytes: REQUEST_BUDGET_BYTES,
          contextWindow: facts.contextWindow,
          model: facts.model,
        });
        if (fitted.dropped > 0) {
          ctx.warn(
            `left out the ${fitted.dropped} oldest of ${loaded!.turns.length} turns of this conversation: they do not fit ${facts.model}'s context window or the request size limit`,
          );
        }
        history = fitted.items;
      } catch (error) {
        await release();
        throw error;
      }
    }
  }
  const tools = new Map<string, ToolRecord>();
  let exchangeItems: InputItem[] = [];
  // A plain ask's conversation is made when its turn is recorded; its id is known from the start.
  const plannedId = id === undefined && record ? newConversationId() : undefined;
  const shownId = id ?? plannedId;
  let answerChars = 0;
  let answerText: TextGatherer | undefined = facts.keepsText ? undefined : new TextGatherer();
  return {
    shownId,
    cacheKey,
    history,
    onExchange: (items) => {
      exchangeItems = items;
    },
    event(event) {
      if (event.type === 'text.delta') {
        answerChars += event.delta.length;
        // An answer past the limit is not logged: what was gathered for it goes now, not at the end.
        if (answerChars > LOGGED_ANSWER_MAX_CHARS) answerText = undefined;
        answerText?.add(event.delta);
      }
      if (event.type === 'tool_call') tools.set(event.call_id, { call_id: event.call_id, name: event.name, arguments: event.arguments, output: '', is_error: false });
      if (event.type === 'tool_result') {
        const call = tools.get(event.call_id);
        if (call) Object.assign(call, { output: event.output, is_error: event.is_error });
      }
      if (shownId === undefined) return event;
      if (event.type === 'start') return { ...event, conversation_id: shownId };
      // Not a spread: the text of a long answer stays in its pieces (text-pieces.ts).
      if (event.type === 'result') return withFields(event, { conversation_id: shownId });
      return event;
    },
    async record(result) {
      if (!record) return;
      if (answerChars > LOGGED_ANSWER_MAX_CHARS) {
        ctx.warn(`this answer is not logged: at ${(answerChars / 1048576).toFixed(1)} M characters it is larger than a request could send back`);
        return;
      }
      let target = id;
      if (target === undefined) {
        // A plain ask: a new conversation whose cache key is this run's session id (what its request used). Nobody
        // asked to continue anything, so a log that cannot be written costs a warning, not the answer.
        try {
          const header = await store.findOrCreate({ id: plannedId ?? newConversationId(), cacheKey: facts.sessionId });
          target = header.id;
          release = await store.hold(target);
        } catch (error) {
          if (!(error instanceof CodexError)) throw error;
          ctx.warn(`${error.message}; this answer is not logged`);
          delete (result as { conversation_id?: string }).conversation_id;
          return;
        }
      }
      // Without the client's copy of the text, the answer is the deltas gathered here, and it is sent back as such.
      const answer = facts.keepsText ? result.text : (answerText?.text() ?? '');
      const items = exchangeItems;
      if (!facts.keepsText && answer !== '') items.push(assistantMessage(answer));
      const turn = turnRecord({
        startedAt,
        model: result.model,
        ...(facts.effort !== undefined ? { effort: facts.effort } : {}),
        sessionId: facts.sessionId,
        responseId: result.response_id,
        prompt: facts.prompt,
        images: facts.images,
        answer,
        usage: result.usage,
        tools: [...tools.values()],
        items,
        settings: facts.settings,
      });
      await store.append(target, turn);
    },
    release: () => release(),
  };
}
