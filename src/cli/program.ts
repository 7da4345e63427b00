import { Command, Option } from 'commander';
import { DEFAULT_INSTRUCTIONS } from '../client/request.js';
import { VERSION } from '../config/resolve.js';
import { settingsHelp } from '../config/settings-docs.js';
import { EFFORTS } from '../shared/efforts.js';
import { EXIT_CODES } from '../shared/errors.js';
import { ASK_OPTIONS, GLOBAL_OPTIONS, type OptionSpec } from './ask/options.js';
import { commandAction } from './command-action.js';
import { commandIndexIn } from './command-word.js';
import { registerChat, registerLog } from './commands/log-and-chat.js';
import type { CliContext, CliIo } from './context.js';
import { invokedName, renamed } from './io/program-name.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** The options of a table (src/cli/ask/options.ts) on a command, as `.option()` would add them. */
function addOptions(command: Command, specs: readonly OptionSpec[]): void {
  for (const spec of specs) {
    const option = new Option(spec.flags, spec.description);
    if (spec.choices) option.choices([...spec.choices]);
    if (spec.conflicts) option.conflicts(spec.conflicts);
    if (spec.repeatable) option.argParser(collect);
    command.addOption(option);
  }
}

/** commander's error text as one line (it ends with a newline, and may carry a suggestion on a second line). */
export function oneLineUsageError(text: string): string {
  return `${text
    .replace(/^error: /, '')
    .replace(/\s*\n(?=.)/g, ' ')
    .trimEnd()}\n`;
}

/** Runs a command's body with its context; main supplies it (error reporting, exit codes). */
export type Runner = (command: Command, body: (ctx: CliContext) => Promise<void>) => Promise<void>;

/**
 * Builds the commander program. With `only`, just that command is defined (the others' definitions cost start-up
 * time for nothing); each command's module is imported only when it runs.
 */
export function buildProgram(run: Runner, only?: string, io?: Pick<CliIo, 'stdout' | 'stderr' | 'programPath'>): Command {
  const name = invokedName(io?.programPath);
  const program = new Command(name)
    .description('Use your ChatGPT subscription from scripts: sign in once, then stream answers from Codex.')
    .version(`codex-oauth ${VERSION}`, '-V, --version', 'print the name and version')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    // Settings made here are inherited by every command added below.
    .exitOverride()
    // One line, like every other error: commander's "(Did you mean …?)" goes on the same line.
    // Help, usage lines and examples name the program as it was run (`codex` or `codex-oauth`).
    .configureOutput({
      outputError: (text, write) => write(`${name}: ${oneLineUsageError(text)}`),
      // Without io (docgen, tests of the definitions), commander's own writers: nothing is run then.
      ...(io ? { writeOut: (text: string) => io.stdout.write(renamed(text, name)), writeErr: (text: string) => io.stderr.write(renamed(text, name)) } : {}),
    });

  addOptions(program, GLOBAL_OPTIONS);
  for (const [name, register] of Object.entries(COMMANDS)) {
    if (only === undefined || only === name) register(program, run);
  }
  return program;
}

/** The command argv runs, when it is one of ours. */
export function commandNameIn(argv: readonly string[]): string | undefined {
  const index = commandIndexIn(argv);
  const word = index >= 0 ? argv[index]! : undefined;
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

/** Every command, registered on demand: running one builds only that one. */
const COMMANDS: Record<string, (program: Command, run: Runner) => void> = {
  ask: (program, run) => {
    const ask = program
      .command('ask')
      .summary('ask a question and stream the answer')
      .description('Ask a question and stream the answer to stdout. Words and piped stdin make up the prompt.')
      .argument('[prompt...]', 'the prompt; `-` reads it from stdin only');
    addOptions(ask, ASK_OPTIONS);
    ask
      .addHelpText(
        'after',
        `
Options may follow the prompt (\`codex ask "hi" -m gpt-6-luna\`). When the prompt is several unquoted words, an
option that takes a value among them is refused (exit ${EXIT_CODES.usage}, nothing sent: quote the prompt), options
without a value there stay words, and a trailing run of long ones (--json) are options. After \`--\` everything is
prompt. A continued conversation (-c, --cid) keeps its model, effort, verbosity and system prompt unless flags give
others. Without -s (or --system-file, a template, config.json "system"), the built-in system prompt is sent:
  ${DEFAULT_INSTRUCTIONS}

Examples:
  codex ask "explain set -euo pipefail"
  git diff | codex ask "review this change"
  codex ask what does ls -la show
  codex ask "summarise" -f notes.md -o summary.md  # options after a quoted prompt
  codex ask --json "summarise" < notes.md | jq -r 'select(.type=="result").text'
  codex ask -- "explain the --json flag" --json   # the last --json is part of the prompt
  codex ask --min-remaining 20 --wait-for-reset --timeout 3600 "nightly report" < log.txt
  codex ask --cid review "and the tests?"          # continue (or start) the conversation "review"
  codex ask -c "shorter, please"                   # continue the most recent one
  codex ask --search "what changed in Node 24?"    # sources on stderr after the answer
  codex ask --search-domain nodejs.org --json "Node 24 release date" | jq -c 'select(.type=="result").citations'
  codex ask "draw a lighthouse" --image-out pics   # images the model makes land in pics/

With --search, each search shows as "searched: …" on a terminal's stderr, and the answer's sources follow it on
stderr as a numbered list ("[1] title <url>"); stdout stays the answer. A search the backend refuses for the
account exits ${EXIT_CODES.search_unavailable} (search_unavailable).`,
      )
      .action(commandAction(run, () => import('./commands/ask.js'), 'runAsk'));
  },
  image: (program, run) => {
    program
      .command('image')
      .summary('make an image from a prompt and write it to a file')
      .description(
        "Make one image (or edit one with --edit) on the backend's image endpoints and write it to -o FILE atomically. " +
          'It takes a minute or two; a terminal shows a spinner with the seconds waited.',
      )
      .argument('[prompt...]', 'what the image shows')
      .option('-o, --output <file|->', 'where to write the image (PNG unless the backend says otherwise); - is stdout, never a terminal')
      .option('--edit <image>', 'edit this image (a local PNG, JPEG, GIF or WebP file) instead of making a new one')
      .option('--size <WxH|auto>', 'the size asked for, e.g. 1024x1024, 1536x1024, 1024x1536 (the backend may normalise it)')
      .addOption(new Option('--quality <level>', 'image quality').choices(['low', 'medium', 'high', 'auto']))
      .addOption(new Option('--background <kind>', 'background').choices(['transparent', 'opaque', 'auto']))
      .option('--json', 'print one {"type":"result","path","format","size","quality","bytes","usage"} line on stdout')
      .addHelpText(
        'after',
        `
One image per call, about 60-120 s each; the backend may change the size (2048x2048 came back 1254x1254).
A plan without image generation (reported: Plus and above have it) exits ${EXIT_CODES.image_not_in_plan} (image_not_in_plan).

Examples:
  codex image "a red fox in the snow, watercolour" -o fox.png
  codex image "add a red scarf" --edit fox.png -o fox-scarf.png
  codex image "app icon, flat" --size 1024x1024 --background transparent -o - > icon.png
  codex image "a lighthouse at dusk" -o sea.png --json | jq .bytes`,
      )
      .action(commandAction(run, () => import('./commands/image.js'), 'runImage'));
  },
  models: (program, run) => {
    program
      .command('models')
      .summary('list the models your account can use')
      .description(
        'List the models the backend offers to your account, in its order (cached for an hour). When the list cannot be ' +
          'fetched, the built-in list is shown with a note on stderr.',
      )
      .option('--json', 'a JSON array with details of each model')
      .option('--all', 'include hidden models')
      .addHelpText(
        'after',
        `
Examples:
  codex models
  codex models --all --json | jq -r '.[] | "\\(.id)\\t\\(.context_window)"'
  codex ask -m "$(codex models | head -1)" "hello"`,
      )
      .action(commandAction(run, () => import('./commands/models.js'), 'runModels'));
  },
  login: (program, run) => {
    program
      .command('login')
      .summary('sign in with your ChatGPT account')
      .description('Sign in with your ChatGPT account and save the credentials to <config-dir>/auth.json (mode 0600), or to the Redis store of credential_store.')
      .option('--no-browser', 'print the sign-in URL but do not open a browser')
      .option('--device', 'sign in with a device code (headless machines)')
      .option('--import [path]', "import the official Codex CLI's auth.json")
      .option('--paste', 'read the pasted redirect URL from stdin even when it is not a TTY')
      .option('--with-access-token', 'read a Codex access token (at-) from stdin and save it; it is never refreshed')
      .option('--port <n>', 'callback port (default 1455, then 1457; 0 = any free port)')
      .option('--timeout <seconds>', `give up after this long (default 300; --device: 900) with exit ${EXIT_CODES.login_failed}`)
      .option('--json', 'print {"email","plan","account_id","expires_at"} on stdout')
      .option('--expect-email <address>', `save the sign-in only if it is this account (exit ${EXIT_CODES.login_failed} otherwise)`)
      .addHelpText(
        'after',
        `
Ways to sign in:
  browser (default)  OAuth with PKCE in your browser. The URL is always printed on stderr; a
                     callback server on loopback port 1455 (1457 if busy; 127.0.0.1 and ::1)
                     receives the redirect.
  pasted URL         Over SSH: approve in a browser anywhere, then paste the localhost URL it
                     was sent to (offered on a TTY; --paste reads it from stdin when piped).
  --device           Device code: open the URL shown on any device and type the code.
  --import [PATH]    Take over the official Codex CLI's sign-in
                     ($CODEX_HOME/auth.json, else ~/.codex/auth.json).
  --with-access-token
                     A Codex access token from your workspace admin, read from stdin
                     (never from the command line); never refreshed.

Exit status: 0 signed in, ${EXIT_CODES.usage} bad option or unreadable --import file, ${EXIT_CODES.login_failed} sign-in refused or
timed out, ${EXIT_CODES.cancelled} Ctrl-C (nothing saved).

Examples:
  codex login                      # opens the browser
  codex login --no-browser         # on a server over SSH: open the URL elsewhere, paste the redirect back
  codex login --device             # device code
  codex login --import             # reuse ~/.codex/auth.json
  printenv TOKEN | codex login --with-access-token
  codex login --json | jq -r .email
  codex login --profile work       # a second account, in <config-dir>/profiles/work/`,
      )
      .action(commandAction(run, () => import('./commands/login.js'), 'runLogin'));
  },
  logout: (program, run) => {
    program
      .command('logout')
      .summary('remove the stored sign-in')
      .description("Revoke the refresh token (best effort) and remove <config-dir>/auth.json (with --profile, that profile's). Exit 0 even when not logged in.")
      .addHelpText(
        'after',
        `
Examples:
  codex logout
  codex logout --profile work
  codex --config-dir ./ci-cache logout`,
      )
      .action(commandAction(run, () => import('./commands/logout.js'), 'runLogout'));
  },
  status: (program, run) => {
    program
      .command('status')
      .summary('show who is signed in')
      .description(
        `Show who is signed in: email, plan, account, access-token expiry and source (file, redis or env). Exit ${EXIT_CODES.not_logged_in} when not logged in.`,
      )
      .option('--json', 'print {"logged_in","email","plan","account_id","expires_at","source","usage"} on stdout')
      .option('--all', 'one line per profile (--json: an array)')
      .option('--check', `also ask the backend whether it still accepts the sign-in (one /models call); exit ${EXIT_CODES.unauthorized} when not`)
      .addHelpText(
        'after',
        `
The usage line is the last quota snapshot seen by \`codex usage\` or \`codex ask\` (status itself
makes no network request); \`codex usage\` fetches a fresh one.

Examples:
  codex status
  codex status --all
  codex status --json | jq -r .expires_at
  codex status >/dev/null 2>&1 || codex login
  codex status --check --json | jq -r .check   # "ok", or the code of what failed`,
      )
      .action(commandAction(run, () => import('./commands/status.js'), 'runStatus'));
  },
  usage: (program, run) => {
    program
      .command('usage')
      .summary('show the quota windows of your plan; redeem a reset credit')
      .description(
        'Show your plan, the 5-hour and weekly quota windows (percent used, window length, when each resets), the ' +
          "per-feature buckets, credits, spend limits and reset credits, from the backend's usage endpoint; when that " +
          'fails, from the rate-limit headers of a /models call. --redeem spends a reset credit.',
      )
      .option('--json', 'print {"source","fetched_at","plan_type","primary","secondary","credits","additional_limits","spend_control","reset_credits"} on stdout')
      .option('--redeem', 'redeem a reset credit (the one that expires first): asks first on a terminal, then shows what changed')
      .option('-y, --yes', '--redeem without the question (needed when not on a terminal)')
      .addHelpText(
        'after',
        `
--redeem exits ${EXIT_CODES.no_reset_credit} (no_reset_credit) when there is no credit to redeem; when no window is used the
backend keeps the credit and says so.

Examples:
  codex usage
  codex usage --json | jq .primary.used_percent
  codex usage --json | jq '.additional_limits[]? | {limit_name, primary}'
  codex usage --redeem
  codex usage --redeem --yes --json | jq .after.primary
  codex --profile work usage`,
      )
      .action(commandAction(run, () => import('./commands/usage.js'), 'runUsage'));
  },
  refresh: (program, run) => {
    program
      .command('refresh')
      .summary('refresh the access token now')
      .description('Refresh the access token now, or only when it expires within --if-expiring (for cron or a CI warm-up step).')
      .option('--json', 'print {"refreshed","expires_at","account_id"} on stdout')
      .option('--if-expiring <duration>', 'refresh only when expiring within this long (e.g. 30m, 12h, 2d)')
      .addHelpText(
        'after',
        `
Examples:
  codex refresh
  codex refresh --if-expiring 2d
  codex refresh --json | jq .expires_at`,
      )
      .action(commandAction(run, () => import('./commands/refresh.js'), 'runRefresh'));
  },
  doctor: (program, run) => {
    program
      .command('doctor')
      .summary('check what codex needs, with a fix for each problem')
      .description(
        'Check the config dir and file modes, the credentials and their expiry, the clock, proxy variables, the issuer ' +
          '(without spending the refresh token), the model catalog for this client version, workspace routing and, with ' +
          '--probe, a one-line answer. Each check prints ok, warn or fail with a fix; the exit code is that of the first failure.',
      )
      .option('--json', 'print {"ok","checks":[{"name","status","detail","fix","code"}]} on stdout')
      .option('--probe', 'also ask the default model for a one-word answer (uses a little of your quota)')
      .addHelpText(
        'after',
        `
Examples:
  codex doctor
  codex doctor --probe
  codex doctor --json | jq -r '.checks[] | select(.status != "ok") | "\\(.name): \\(.detail)"'`,
      )
      .action(commandAction(run, () => import('./commands/doctor.js'), 'runDoctor'));
  },
  serve: (program, run) => {
    program
      .command('serve')
      .summary('serve your subscription as a local OpenAI-compatible API')
      .description(
        'Serve the ChatGPT subscription as an OpenAI-compatible HTTP API (GET /v1/models, POST /v1/chat/completions, ' +
          'POST /v1/responses) for other programs on this machine, over the same sign-in and lock as the CLI. ' +
          'Binds 127.0.0.1; any other address needs an API key. Every request needs the API key: without one given, serve ' +
          'makes one, prints it once and keeps it in <config-dir>/serve-key (0600). Requests from web pages (an Origin ' +
          'header) are refused unless --cors allows that origin, as are requests sent to any host name but 127.0.0.1, ' +
          'localhost or [::1]. One access-log line per request on stderr.',
      )
      .option('--host <address>', 'address to listen on (default 127.0.0.1; others need an API key)')
      .option('--port <n>', 'port to listen on (default 8787; 0 = any free port)')
      .option(
        '--api-key <key>',
        'the key every request sends as Authorization: Bearer <key> (prefer env CODEX_SERVE_API_KEY: ps shows argv; default: <config-dir>/serve-key)',
      )
      .option('--cors <origin>', "allow browser requests from this origin, or '*' for any (default: none; a request with an Origin header is 403)")
      .addHelpText(
        'after',
        `
The listening URL is printed on stderr once the server accepts requests:
  codex serve: listening on http://127.0.0.1:8787/v1 (API key required)
Refused before anything reaches the backend: another Host (421), an Origin other than --cors (403), a missing or
wrong key (401), a method other than GET, HEAD, POST, OPTIONS (501), a POST that is not application/json (415), a
body over 1.2 MB (413). Headers must arrive within 10 s, the whole request within 60 s.
SIGTERM or Ctrl-C stops accepting, lets open requests finish (up to 10 s), then exits 0.

POST /v1/responses sends the client's body on as it is (tools and input items of every type, the lite header);
previous_response_id and item_reference are answered from the last 256 responses (64 MiB at most) kept in
memory until the server stops; an unknown or evicted id is a 400. Parameters the backend refuses are dropped and
named in the x-codex-warning header.

Examples:
  codex serve
  codex serve --port 9000 --cors http://localhost:3000
  OPENAI_BASE_URL=http://127.0.0.1:8787/v1 OPENAI_API_KEY=$(cat ~/.config/codex-oauth/serve-key) some-openai-program
  CODEX_SERVE_API_KEY=$(openssl rand -hex 16) codex serve --host 0.0.0.0`,
      )
      .action(commandAction(run, () => import('./commands/serve.js'), 'runServe'));
  },
  config: (program, run) => {
    program
      .command('config')
      .summary('read and change settings in config.json')
      .description(
        'Read and change <config-dir>/config.json without editing it: get, set and unset one key, list them all, or ' +
          'print the path. Values are checked as the commands that read them check them; writes are atomic (mode 0600).',
      )
      .addArgument(program.createArgument('<action>', 'what to do').choices(['get', 'set', 'unset', 'list', 'path']))
      .argument('[key-value...]', 'KEY (get, unset), KEY VALUE (set)')
      .option('--json', 'list: the whole file as one JSON object')
      .option('--show-origin', 'list: every setting that has a value, each after where it came from (flag:, env:, file:, default)')
      .addHelpText(
        'after',
        `
Keys:
${settingsHelp()}
An unknown key is refused (exit ${EXIT_CODES.usage}) with a suggestion; \`get\` of a key that is not set prints nothing.

Examples:
  codex config set model gpt-6.2-sol
  codex config set alias.fast gpt-6-luna   # then: codex ask -m fast "hello"
  codex config get effort
  codex config unset system
  codex config list --json | jq .aliases
  codex config list --show-origin
  $EDITOR "$(codex config path)"`,
      )
      .action(commandAction(run, () => import('./commands/config.js'), 'runConfig'));
  },
  template: (program, run) => {
    program
      .command('template')
      .summary('save system prompts for ask -t NAME')
      .description(
        'Manage saved prompts in <config-dir>/templates/: NAME.json holds {"system","model","effort","fast"} (all but system ' +
          'optional), NAME.md a system prompt alone. `codex ask -t NAME` uses one; flags given to ask win over it.',
      )
      .addArgument(program.createArgument('<action>', 'what to do').choices(['list', 'show', 'set', 'edit', 'rm']))
      .argument('[name]', 'the template (all but list)')
      .option('--system <text>', 'set: the system prompt')
      .option('-m, --model <slug>', 'set: the model (a slug or an alias)')
      .addOption(new Option('-e, --effort <level>', 'set: the reasoning effort').choices([...EFFORTS]))
      .option('--fast', 'set: ask for the model\'s "Fast" service tier')
      .addHelpText(
        'after',
        `
edit opens the file in $VISUAL or $EDITOR (a new template starts as {"system": ""}) and checks it afterwards.

Examples:
  codex template set reviewer --system "Review this diff; list bugs first." -m gpt-6-sol -e high
  codex template set quick --system "Answer in one line." --fast
  git diff | codex ask -t reviewer "anything risky?"
  codex template edit reviewer
  codex template list
  codex template show reviewer
  codex template rm reviewer`,
      )
      .action(commandAction(run, () => import('./commands/template.js'), 'runTemplate'));
  },
  completion: (program, run) => {
    program
      .command('completion')
      .summary('print a shell completion script')
      .description(
        'Print the completion script for bash, zsh or fish on stdout. It completes commands, options, closed sets of ' +
          'values, model slugs (from the cached model list), config keys, template and conversation names (asked of ' +
          '`codex template list` and `codex log list`, which read local files only) and file names.',
      )
      .addArgument(program.createArgument('<shell>', 'the shell to complete for').choices(['bash', 'zsh', 'fish']))
      .addHelpText(
        'after',
        `
Examples:
  source <(codex completion bash)              # bash: add this line to ~/.bashrc
  codex completion zsh > "\${fpath[1]}/_codex"  # zsh: a folder on $fpath
  codex completion fish > ~/.config/fish/completions/codex.fish`,
      )
      .action(commandAction(run, () => import('./commands/completion.js'), 'runCompletion'));
  },
};

COMMANDS.log = registerLog;
COMMANDS.chat = registerChat;

export const COMMAND_NAMES = Object.keys(COMMANDS);
