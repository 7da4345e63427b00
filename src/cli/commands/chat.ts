import { ConversationStore, checkConversationRef, newConversationId } from '../../conversations/store.js';
import type { ModelsResult } from '../../library/codex.js';
import { EFFORTS } from '../../shared/efforts.js';
import { CodexError, UsageError } from '../../shared/errors.js';
import { checkModelChoice } from '../ask/model-check.js';
import { chosenConversation, logging, recordedSettings } from '../ask/session-log.js';
import type { CliContext } from '../context.js';
import { chatInput } from '../io/chat-input.js';
import { openCodex } from '../open-codex.js';
import { type AskOptions, runAsk } from './ask.js';

export interface ChatOptions {
  cid?: string;
  model?: string;
  effort?: string;
  system?: string;
}

/**
 * The chat loop: one readline prompt per question, closed while the answer streams, so the terminal is in its
 * normal mode then and Ctrl-C reaches the ask as SIGINT (it cancels that answer; the session goes on). Each
 * question is an `ask` of the same conversation, with the same renderers and log.
 */
export async function runChat(ctx: CliContext, options: ChatOptions): Promise<void> {
  if (ctx.stdin.isTTY !== true) {
    throw new UsageError(`${ctx.name} chat needs a terminal on stdin; in scripts use \`codex ask -c "…"\` or \`codex ask --cid NAME "…"\``);
  }
  if (!logging(ctx, {})) throw new UsageError('codex chat keeps its conversation in the log, which config.json turns off ("log": false)');
  const conversation: AskOptions = options.cid !== undefined ? { cid: checkConversationRef(options.cid, '--cid') } : { conversationId: newConversationId() };
  let model = options.model;
  let effort = options.effort;
  const store = ConversationStore.inDataDir(ctx.config.dataDir);
  const existing = options.cid !== undefined ? await chosenConversation(store, conversation) : undefined;
  const turns = existing ? ((await store.load(existing.id))?.turns.length ?? 0) : 0;
  const say = (text: string) => ctx.stderr.write(`${ctx.name} chat: ${text}\n`);
  say(
    `${existing ? `conversation ${existing.name ?? existing.id}, ${turns} turn${turns === 1 ? '' : 's'} so far` : 'a new conversation'}` +
      ' · /help lists commands · a line ending in \\ goes on · Ctrl-C stops an answer, Ctrl-D ends',
  );
  let catalog: Promise<ModelsResult | undefined> | undefined;
  const models = () =>
    (catalog ??= openCodex(ctx).then(
      (codex) => codex.fetchModels({ signal: AbortSignal.timeout(10_000) }).catch(() => undefined),
      () => undefined,
    ));
  /** The model the next question goes to: /model or -m, else the conversation's, else the configured or catalog default. */
  const modelInUse = async (): Promise<string> => {
    if (model !== undefined) return ctx.chosenModel(model)!;
    const recorded = await recordedSettings(ctx, conversation).catch(() => undefined);
    return recorded?.model ?? ctx.chosenModel() ?? (await models())?.defaultModel ?? ctx.model();
  };
  const input = chatInput(ctx.stdin, ctx.stdout);
  // SIGINT between two prompts (the terminal is in its normal mode then) must not end the session.
  const ignore = () => undefined;
  ctx.signals.on('SIGINT', ignore);
  try {
    for (;;) {
      const message = await input.read();
      if (message === undefined) break;
      const text = message.trim();
      if (text === '') continue;
      if (text.startsWith('/') && !text.includes('\n')) {
        const [command, ...rest] = text.split(/\s+/);
        const value = rest.join(' ');
        if (command === '/exit' || command === '/quit') break;
        if (command === '/help') {
          ctx.stderr.write(HELP);
          continue;
        }
        if (command === '/model') {
          if (value !== '') {
            try {
              await checkModelChoice(ctx, ctx.chosenModel(value)!, '/model');
            } catch (error) {
              if (!(error instanceof CodexError)) throw error;
              ctx.report(error);
              continue;
            }
            model = value;
          }
          say(`model ${await modelInUse()}`);
          continue;
        }
        if (command === '/effort') {
          if (value !== '') {
            const problem = await effortProblem(value, await modelInUse(), models);
            if (problem !== undefined) {
              ctx.warn(problem);
              continue;
            }
            effort = value;
          }
          const recorded = effort === undefined ? await recordedSettings(ctx, conversation).catch(() => undefined) : undefined;
          say(`effort ${effort ?? recorded?.effort ?? "the model's own"}`);
          continue;
        }
        ctx.warn(`unknown command ${command}; /help lists the commands (a question starting with / : put a space first)`);
        continue;
      }
      try {
        await runAsk(ctx, [message], {
          ...conversation,
          stdin: false,
          ...(model !== undefined ? { model } : {}),
          ...(effort !== undefined ? { effort } : {}),
          ...(options.system !== undefined ? { system: options.system } : {}),
        });
      } catch (error) {
        // One failed or cancelled answer ends that answer, not the chat.
        if (!(error instanceof CodexError)) throw error;
        ctx.report(error);
      }
    }
  } finally {
    ctx.signals.off('SIGINT', ignore);
  }
}

const HELP = `commands:
  /model [SLUG]    use another model from the next question on (alone: the model in use)
  /effort [LEVEL]  set the reasoning effort (alone: the one in use)
  /help            this list
  /exit            end the chat (as Ctrl-D)
input: a pasted block is one message; a line ending in \\ goes on on the next line.
`;

/** Why LEVEL cannot be used with this model (checked against the catalog when it can be had), if it cannot. */
async function effortProblem(level: string, model: string, models: () => Promise<ModelsResult | undefined>): Promise<string | undefined> {
  if (!(EFFORTS as readonly string[]).includes(level)) return `/effort takes one of ${EFFORTS.join(', ')}; not ${level}`;
  const info = (await models())?.models.find((entry) => entry.id === model);
  if (info && info.reasoning_levels.length > 0 && !info.reasoning_levels.includes(level)) {
    return `${model} takes reasoning effort ${info.reasoning_levels.join(', ')}; not ${level}`;
  }
  return undefined;
}
