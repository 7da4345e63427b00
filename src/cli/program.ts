import { Command, Option } from 'commander';
import { VERSION } from '../config.js';
import { EFFORTS } from '../client/request.js';
import type { CliContext } from './context.js';

/** Runs a command's body with its context; main supplies it (error reporting, exit codes). */
export type Runner = (command: Command, body: (ctx: CliContext) => Promise<void>) => Promise<void>;

/** Builds the commander program. Each command's module is imported only when that command runs. */
export function buildProgram(run: Runner): Command {
  const program = new Command('codex')
    .description('Use your ChatGPT subscription from scripts: sign in once, then stream answers from Codex.')
    .version(VERSION, '-V, --version')
    .option('--config-dir <dir>', 'where auth.json and config.json live (env CODEX_CONFIG_DIR)')
    .option('--base-url <url>', 'Codex backend base URL (env CODEX_BASE_URL)')
    .option('--issuer <url>', 'OAuth issuer (env CODEX_ISSUER)')
    .option('-v, --verbose', 'request, retry and refresh diagnostics on stderr (tokens redacted)')
    .option('--color', 'colour even when not on a TTY')
    .option('--no-color', 'never colour')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    // Settings made here are inherited by every command added below.
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`codex: ${text.replace(/^error: /, '')}`) });

  program
    .command('ask')
    .summary('ask a question and stream the answer')
    .description('Ask a question and stream the answer to stdout. Words and piped stdin make up the prompt.')
    .argument('[prompt...]', 'the prompt; `-` reads it from stdin only')
    .option('-m, --model <slug>', 'model to use (env CODEX_MODEL)')
    .option('-s, --system <text>', 'system prompt')
    .option('--system-file <file>', 'read the system prompt from a file')
    .addOption(new Option('-e, --effort <level>', 'reasoning effort').choices([...EFFORTS]))
    .option('--reasoning', 'also stream the reasoning summary (text mode)')
    .option('--json', 'JSON-lines events on stdout')
    .option('-o, --output <file>', 'also write the final answer to a file (atomically)')
    .option('--timeout <seconds>', 'give up after this long in all (exit 124)')
    .option('--idle-timeout <seconds>', 'give up when the stream is silent this long (default 300, exit 5)')
    .option('--max-retries <n>', 'retries for network errors, 5xx and rate limits (default 4)')
    .option('--no-stdin', 'never read stdin')
    .addHelpText(
      'after',
      `
Examples:
  codex ask "explain set -euo pipefail"
  git diff | codex ask "review this change"
  codex ask --json "summarise" < notes.md | jq -r 'select(.type=="result").text'`,
    )
    .action(async (words: string[], options, command: Command) => {
      await run(command, async (ctx) => {
        const { runAsk } = await import('./commands/ask.js');
        await runAsk(ctx, words, options);
      });
    });

  return program;
}
