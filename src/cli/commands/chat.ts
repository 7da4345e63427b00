import { createInterface } from 'node:readline';
import { ConversationStore, checkConversationRef, newConversationId } from '../../conversations/store.js';
import { EFFORTS } from '../../efforts.js';
import { CodexError, UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { logging } from '../conversation.js';
import { type AskOptions, runAsk } from './ask.js';

export interface ChatOptions {
  cid?: string;
  model?: string;
  effort?: string;
  system?: string;
}

const HISTORY_SIZE = 500;

/**
 * The chat loop: one readline prompt per question, closed while the answer streams, so the terminal is in its
 * normal mode then and Ctrl-C reaches the ask as SIGINT (it cancels that answer; the session goes on). Each
 * question is an `ask` of the same conversation, with the same renderers and log.
 */
export async function runChat(ctx: CliContext, options: ChatOptions): Promise<void> {
  if (process.stdin.isTTY !== true) {
    throw new UsageError('codex chat needs a terminal on stdin; in scripts use `codex ask -c "…"` or `codex ask --cid NAME "…"`');
  }
  if (!logging(ctx, {})) throw new UsageError('codex chat keeps its conversation in the log, which config.json turns off ("log": false)');
  const conversation: AskOptions = options.cid !== undefined ? { cid: checkConversationRef(options.cid, '--cid') } : { conversationId: newConversationId() };
  let model = options.model;
  let effort = options.effort;
  const store = ConversationStore.inDataDir(ctx.config.dataDir);
  const existing = options.cid !== undefined ? await store.find(options.cid) : undefined;
  const turns = existing ? ((await store.load(existing.id))?.turns.length ?? 0) : 0;
  ctx.stderr.write(
    `codex chat: ${existing ? `conversation ${existing.name ?? existing.id}, ${turns} turn${turns === 1 ? '' : 's'} so far` : 'a new conversation'}` +
      ` · /model, /effort, /exit · Ctrl-C stops an answer, Ctrl-D ends\n`,
  );
  // SIGINT between two prompts (the terminal is in its normal mode then) must not end the session.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  let history: string[] = [];
  try {
    for (;;) {
      const line = await readLine(history, (saved) => (history = saved));
      if (line === undefined) break;
      const text = line.trim();
      if (text === '') continue;
      if (text.startsWith('/')) {
        const [command, ...rest] = text.split(/\s+/);
        const value = rest.join(' ');
        if (command === '/exit' || command === '/quit') break;
        if (command === '/model') {
          if (value !== '') model = value;
          ctx.stderr.write(`codex chat: model ${model ?? "the default (the catalog's top model)"}\n`);
          continue;
        }
        if (command === '/effort') {
          if (value !== '' && !(EFFORTS as readonly string[]).includes(value)) {
            ctx.stderr.write(`codex: /effort takes one of ${EFFORTS.join(', ')}\n`);
            continue;
          }
          if (value !== '') effort = value;
          ctx.stderr.write(`codex chat: effort ${effort ?? "the model's own"}\n`);
          continue;
        }
        ctx.stderr.write(`codex: unknown command ${command}; /model, /effort and /exit are known (a question starting with / : put a space first)\n`);
        continue;
      }
      try {
        await runAsk(ctx, [line], {
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
    process.off('SIGINT', ignore);
  }
}

/** One line from a fresh readline (with the lines so far as its history); undefined at Ctrl-D or /exit's end of input. */
function readLine(history: string[], keep: (history: string[]) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
      history,
      historySize: HISTORY_SIZE,
      removeHistoryDuplicates: true,
      prompt: '> ',
    });
    let answered = false;
    rl.on('line', (line) => {
      answered = true;
      keep([...(rl as unknown as { history: string[] }).history]);
      rl.close();
      resolve(line);
    });
    rl.on('SIGINT', () => {
      // Ctrl-C at the prompt drops what was typed, as a shell does.
      rl.write(null, { ctrl: true, name: 'u' });
      process.stdout.write('^C\n');
      rl.prompt();
    });
    rl.on('close', () => {
      if (answered) return;
      process.stdout.write('\n');
      resolve(undefined);
    });
    rl.prompt();
  });
}
