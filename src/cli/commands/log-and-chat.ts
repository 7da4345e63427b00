import { type Command, Option } from 'commander';
import { EFFORTS } from '../../shared/efforts.js';
import { commandAction } from '../command-action.js';
import type { Runner } from '../program.js';

export const LOG_ACTIONS = ['list', 'show', 'rm', 'path', 'search'] as const;

/** `codex log`: the conversation log (list, show, rm, path, search). */
export function registerLog(program: Command, run: Runner): void {
  program
    .command('log')
    .summary('list, show, search and remove logged conversations')
    .description(
      'Every ask is logged as a conversation (files 0600 in a 0700 dir under the data dir) that `ask -c`, ' +
        '`ask --cid` and `codex chat` continue. list: the most recent first, with name, model, turns and last time; ' +
        'show: the settings a continued turn reuses, and a transcript (without ID or NAME: the most recent); rm: delete one ' +
        '(--purge: all); path: where the log lives; search: turns whose prompt or answer has TEXT. An id may be shortened ' +
        'to any unique start (c_3f9a).',
    )
    .addArgument(program.createArgument('<action>', 'what to do').choices([...LOG_ACTIONS]))
    .argument('[ref-or-text...]', 'ID or NAME (show, rm, path), TEXT (search)')
    .option('--json', 'list, show, search: JSON on stdout')
    .option('--purge', 'rm: remove every conversation (asks first on a terminal)')
    .option('-y, --yes', 'rm --purge: do not ask (needed when not on a terminal)')
    .option('-n, --limit <n>', 'list, search: at most this many (default: all)')
    .addHelpText(
      'after',
      `
Text output is tab-separated on a pipe (id, name or -, model, turns, last time in UTC, the
first prompt's start) and a table with a header on a terminal.

Examples:
  codex log list
  codex log show                # the most recent conversation
  codex log show review --json | jq -r '.turns[].answer'
  codex log search "pipefail"
  codex log rm review
  codex log rm --purge          # forget every conversation (asks; --yes in scripts)
  ls -l "$(codex log path)"`,
    )
    .action(commandAction(run, () => import('./log.js'), 'runLog'));
}

/** `codex chat`: an interactive conversation on a terminal. */
export function registerChat(program: Command, run: Runner): void {
  program
    .command('chat')
    .summary('talk with the model on a terminal (logged)')
    .description(
      'An interactive conversation on a terminal, kept in the same log as `ask -c` (with --cid, that conversation, with ' +
        'its model, effort and system prompt unless flags give others; else a new one). A pasted block is one message; a ' +
        'line ending in \\ goes on on the next line. Up and down recall earlier lines; Ctrl-C stops the answer being ' +
        'streamed, Ctrl-D ends the chat. Refuses to start when stdin is not a terminal: use `codex ask -c` in scripts.',
    )
    .option('--cid <name|id>', 'continue this conversation, or start one under this name')
    .option('-m, --model <slug>', 'model to use (default as for ask)')
    .addOption(new Option('-e, --effort <level>', 'reasoning effort').choices([...EFFORTS]))
    .option('-s, --system <text>', 'system prompt')
    .addHelpText(
      'after',
      `
Commands inside the chat:
  /model SLUG     use another model from the next question on, checked against the model list
                  (/model alone: the model in use)
  /effort LEVEL   set the reasoning effort, checked against the model's levels (alone: the one in use)
  /help           list these commands
  /exit           end the chat (as Ctrl-D)

Examples:
  codex chat
  codex chat --cid release-notes -m gpt-6-luna`,
    )
    .action(commandAction(run, () => import('./chat.js'), 'runChat'));
}
