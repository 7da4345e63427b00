import { type ConversationSettings, lastSettings, type TurnRecord } from '../../conversations/records.js';
import { ConversationStore, type ConversationSummary, checkConversationRef } from '../../conversations/store.js';
import { UsageError } from '../../shared/errors.js';
import type { CliContext } from '../context.js';
import { parseNonNegativeInt } from '../parse.js';
import { terminalSafe } from '../render/terminal-text.js';

export interface LogOptions {
  json?: boolean;
  purge?: boolean;
  yes?: boolean;
  limit?: string;
}

const ARITY: Record<string, [min: number, max: number, usage: string]> = {
  list: [0, 0, 'log list [--json] [-n N]'],
  show: [0, 1, 'log show [ID|NAME] [--json]'],
  rm: [0, 1, 'log rm ID|NAME, or log rm --purge [--yes]'],
  path: [0, 1, 'log path [ID|NAME]'],
  search: [1, Infinity, 'log search TEXT [--json] [-n N]'],
};

/** One line of text as a tab-separated field: no tabs or newlines inside. */
const field = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

export async function runLog(ctx: CliContext, action: string, args: string[], options: LogOptions): Promise<void> {
  const [min, max, usage] = ARITY[action]!;
  if (args.length < min || args.length > max) throw new UsageError(`usage: ${ctx.name} ${usage}`);
  if (options.json && !['list', 'show', 'search'].includes(action)) throw new UsageError('--json goes with log list, show and search');
  if (options.purge && action !== 'rm') throw new UsageError('--purge goes with `codex log rm`');
  if (options.yes && !options.purge) throw new UsageError('--yes goes with `codex log rm --purge`');
  if (options.limit !== undefined && action !== 'list' && action !== 'search') throw new UsageError('-n goes with log list and search');
  const limit = parseNonNegativeInt(options.limit, '-n');
  const store = ConversationStore.inDataDir(ctx.config.dataDir);
  const tty = ctx.stdout.isTTY === true;
  const out = (text: string) => ctx.stdout.write(text);

  switch (action) {
    case 'path': {
      if (args.length === 0) return void out(`${store.dir}\n`);
      const header = await store.get(checkConversationRef(args[0]!, 'log path'));
      return void out(`${store.dir}/${header.id}.jsonl\n`);
    }
    case 'list': {
      const all = await store.list();
      const shown = limit === undefined ? all : all.slice(0, limit);
      if (options.json) return void out(`${JSON.stringify(shown, null, 2)}\n`);
      return void out(
        tty
          ? table(shown, ctx.name, ctx.stdout.columns)
          : shown.map((c) => `${[c.id, field(c.name ?? '-'), c.model ?? '-', c.turns, c.updated_at, field(c.prompt ?? '')].join('\t')}\n`).join(''),
      );
    }
    case 'show': {
      // Without a ref: the most recently continued conversation, the one `ask -c` continues.
      const header = args.length > 0 ? await store.get(checkConversationRef(args[0]!, 'log show')) : await store.latest();
      if (!header) throw new UsageError(`no conversations yet (\`${ctx.name} ask\` logs each one)`);
      const loaded = await store.load(header.id);
      for (const warning of loaded?.warnings ?? []) ctx.warn(warning);
      const turns = loaded?.turns ?? [];
      const settings = lastSettings(turns);
      if (options.json) {
        const { type: _type, ...rest } = header;
        return void out(`${JSON.stringify({ ...rest, ...(settings ? { settings } : {}), turns }, null, 2)}\n`);
      }
      const safe = (text: string) => (tty ? terminalSafe(text) : text);
      return void out(safe(settingsLines(header.id, header.name, settings)) + turns.map((turn, index) => safe(transcript(turn, index + 1))).join('\n'));
    }
    case 'rm': {
      if (options.purge) {
        if (args.length > 0) throw new UsageError('log rm --purge removes everything; give no ID or NAME with it');
        if (!options.yes && !(await confirmPurge(ctx, (await store.list()).length, store.dir))) return void ctx.warn('nothing removed');
        const count = await store.purge();
        ctx.warn(`removed ${count} conversation${count === 1 ? '' : 's'} (${store.dir})`);
        return;
      }
      if (args.length === 0) throw new UsageError(`usage: ${ctx.name} ${usage}`);
      const header = await store.get(checkConversationRef(args[0]!, 'log rm'));
      await store.remove(header.id);
      return;
    }
    case 'search': {
      const text = args.join(' ');
      if (text.trim() === '') throw new UsageError('log search: give the TEXT to look for');
      const needle = text.toLowerCase();
      const hits: { id: string; name?: string; turn: number; at: string; prompt: string; answer: string }[] = [];
      for (const summary of await store.list()) {
        const loaded = await store.load(summary.id);
        loaded?.turns.forEach((turn, index) => {
          if (turn.prompt.toLowerCase().includes(needle) || turn.answer.toLowerCase().includes(needle)) {
            hits.push({
              id: summary.id,
              ...(summary.name !== undefined ? { name: summary.name } : {}),
              turn: index + 1,
              at: turn.at,
              prompt: turn.prompt,
              answer: turn.answer,
            });
          }
        });
      }
      const shown = limit === undefined ? hits : hits.slice(0, limit);
      if (options.json) return void out(`${JSON.stringify(shown, null, 2)}\n`);
      const line = (hit: (typeof hits)[number]) => `${[hit.id, field(hit.name ?? '-'), hit.turn, hit.at, field(snippet(hit.prompt, hit.answer, needle))].join('\t')}\n`;
      return void out(shown.map((hit) => (tty ? terminalSafe(line(hit)) : line(hit))).join(''));
    }
  }
}

/** The words around the first match, for one line of search output. */
function snippet(prompt: string, answer: string, needle: string): string {
  const text = prompt.toLowerCase().includes(needle) ? prompt : answer;
  const at = text.toLowerCase().indexOf(needle);
  const start = Math.max(0, at - 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, at + needle.length + 40)}${at + needle.length + 40 < text.length ? '…' : ''}`;
}

function transcript(turn: TurnRecord, number: number): string {
  const lines = [`--- turn ${number} · ${turn.at} · ${turn.model}${turn.effort ? ` (${turn.effort})` : ''}`, '', `> ${turn.prompt.replace(/\n/g, '\n> ')}`, ''];
  for (const tool of turn.tools) {
    lines.push(`[tool ${tool.name} ${JSON.stringify(tool.arguments)}${tool.is_error ? ' failed' : ''}: ${tool.output.trim().split('\n')[0] ?? ''}]`);
  }
  if (turn.tools.length > 0) lines.push('');
  lines.push(turn.answer.endsWith('\n') ? turn.answer.slice(0, -1) : turn.answer, '');
  return lines.join('\n');
}

/** `log show`'s head: what the conversation's next turn reuses (the last turn's settings), when the log has them. */
function settingsLines(id: string, name: string | undefined, settings: ConversationSettings | undefined): string {
  const lines = [`conversation ${id}${name !== undefined ? ` (${name})` : ''}`];
  if (settings !== undefined) {
    const parts = [
      `model ${settings.model ?? 'default'}`,
      `effort ${settings.effort ?? "the model's own"}`,
      `verbosity ${settings.verbosity ?? "the model's own"}`,
      ...(settings.template !== undefined ? [`template ${settings.template}`] : []),
    ];
    lines.push(parts.join(' · '), `system: ${settings.system !== undefined ? settings.system.replace(/\n/g, '\n  ') : 'the built-in one'}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** On a terminal, asks before removing everything; elsewhere --yes is needed (exit 2 without it). */
async function confirmPurge(ctx: CliContext, count: number, dir: string): Promise<boolean> {
  if (ctx.stdin.isTTY !== true || ctx.stderr.isTTY !== true) {
    throw new UsageError(`log rm --purge removes all ${count} conversation${count === 1 ? '' : 's'}; add --yes to do so when not on a terminal`);
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  try {
    const answer = await rl.question(`remove all ${count} conversation${count === 1 ? '' : 's'} in ${dir}? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function table(rows: ConversationSummary[], name: string, columns = 100): string {
  if (rows.length === 0) return `no conversations yet (\`${name} ask\` logs each one)\n`;
  const cells = [
    ['ID', 'NAME', 'MODEL', 'TURNS', 'LAST', 'PROMPT'],
    ...rows.map((c) => [c.id, c.name ?? '-', c.model ?? '-', String(c.turns), localTime(c.updated_at), c.prompt ?? '']),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  // The prompt column takes what the terminal has left (at least 20 characters).
  const room = Math.max(20, columns - widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0));
  for (const row of cells) if (row[5]!.length > room) row[5] = `${row[5]!.slice(0, room - 1)}…`;
  widths[5] = Math.min(widths[5]!, room);
  return cells
    .map(
      (row) =>
        `${terminalSafe(
          row
            .map((cell, column) => cell.padEnd(widths[column]!))
            .join('  ')
            .trimEnd(),
        )}\n`,
    )
    .join('');
}

function localTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
