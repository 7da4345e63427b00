# fish completion for codex and codex-oauth (the same program).
# Install: codex completion fish > ~/.config/fish/completions/codex.fish
# The block between "BEGIN GENERATED" and "END GENERATED" comes from the commander program: `npm run gen`.

# Names the program itself knows (from local files, no request): saved templates, logged conversations.
function __codex_names
    set -l program (commandline -opc)[1]
    switch $argv[1]
        case template
            command $program template list 2>/dev/null
        case conversation
            command $program log list 2>/dev/null | string split -f1,2 \t | string match -v -- -
    end
end

# Model slugs: from the cached model list of the config dir in use, else the built-in ones.
function __codex_models
    set -l dir
    if set -q CODEX_CONFIG_DIR
        set dir $CODEX_CONFIG_DIR
    else if set -q XDG_CONFIG_HOME
        set dir $XDG_CONFIG_HOME/codex-oauth
    else
        set dir ~/.config/codex-oauth
    end
    set -l words (commandline -opc)
    for i in (seq (count $words))
        switch $words[$i]
            case --config-dir
                set -q words[(math $i + 1)]; and set dir $words[(math $i + 1)]
            case '--config-dir=*'
                set dir (string replace -- --config-dir= '' $words[$i])
        end
    end
    set -l slugs
    if test -r $dir/models-cache.json
        set slugs (string match -r -a -g '"slug"\s*:\s*"([^"]+)"' <$dir/models-cache.json)
    end
    if test (count $slugs) -eq 0
        set slugs $__codex_builtin_models
    end
    printf '%s\n' $slugs
end

# No file names unless an option asks for one.
complete -c codex -f

# BEGIN GENERATED data
set -g __codex_builtin_models gpt-6.2-sol gpt-6.2-astra gpt-6.1-terra gpt-6.1-sol gpt-6-astra gpt-6-sol gpt-6-luna gpt-5.6-sol gpt-5.6-terra gpt-5.6-luna gpt-5.5
set -g __codex_commands ask image models login logout status usage refresh doctor serve config template completion log chat help
complete -c codex -s V -l version -d 'print the name and version'
complete -c codex -l config-dir -x -a '(__fish_complete_directories)' -d 'where auth.json and config.json live (env CODEX_CONFIG_DIR)'
complete -c codex -l base-url -x -d 'Codex backend base URL (env CODEX_BASE_URL)'
complete -c codex -l issuer -x -d 'OAuth issuer (env CODEX_ISSUER)'
complete -c codex -l profile -x -d 'the account to use: <config-dir>/profiles/<name>/auth.json (env CODEX_PROFILE; default: auth.json)'
complete -c codex -s v -l verbose -d 'request, retry and refresh diagnostics on stderr (tokens redacted)'
complete -c codex -l color -x -a 'always never auto' -d 'colour: always, never or auto (on a terminal; the default); --color alone: always'
complete -c codex -l no-color -d 'never colour (as --color never)'
complete -c codex -s h -l help -d 'display help for command'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a ask -d 'ask a question and stream the answer'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a image -d 'make an image from a prompt and write it to a file'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a models -d 'list the models your account can use'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a login -d 'sign in with your ChatGPT account'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a logout -d 'remove the stored sign-in'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a status -d 'show who is signed in'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a usage -d 'show the quota windows of your plan; redeem a reset credit'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a refresh -d 'refresh the access token now'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a doctor -d 'check what codex needs, with a fix for each problem'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a serve -d 'serve your subscription as a local OpenAI-compatible API'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a config -d 'read and change settings in config.json'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a template -d 'save system prompts for ask -t NAME'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a completion -d 'print a shell completion script'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a log -d 'list, show, search and remove logged conversations'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a chat -d 'talk with the model on a terminal (logged)'
complete -c codex -n 'not __fish_seen_subcommand_from ask image models login logout status usage refresh doctor serve config template completion log chat help' -a help -d 'display help for command'
complete -c codex -n '__fish_seen_subcommand_from ask' -s m -l model -x -a '(__codex_models)' -d 'model to use (env CODEX_MODEL; default: the catalog\'s top model, see `codex models`)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s t -l template -x -a '(__codex_names template)' -d 'a saved prompt: its system prompt, model and effort (`codex template`); flags given here win'
complete -c codex -n '__fish_seen_subcommand_from ask' -s s -l system -x -d 'system prompt'
complete -c codex -n '__fish_seen_subcommand_from ask' -l system-file -r -F -d 'read the system prompt from a file'
complete -c codex -n '__fish_seen_subcommand_from ask' -s e -l effort -x -a 'none minimal low medium high xhigh max ultra' -d 'reasoning effort, within the model\'s levels (`codex models`; default: the model\'s own)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l verbosity -x -a 'low medium high' -d 'how long the answer is (default: the model\'s own)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l fast -d 'the model\'s "Fast" service tier: quicker answers for more of the quota (config.json "fast"; exit 2 for a model without one)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l no-fast -d 'the default tier, whatever config.json or the template says'
complete -c codex -n '__fish_seen_subcommand_from ask' -l reasoning -d 'show the reasoning summary and commentary on stderr, labelled (text mode)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l json -d 'JSON-lines events on stdout'
complete -c codex -n '__fish_seen_subcommand_from ask' -l raw -d 'on a terminal, print the answer\'s control characters too (escape sequences are dropped by default)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s o -l output -r -F -d 'also write the final answer to a file (atomically; a symlink is written through, a FIFO or device written into)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l timeout -x -d 'give up after this long in all (exit 124)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l idle-timeout -x -d 'give up when no event arrives for this long; keep-alive comments do not count (default 300, exit 5)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l max-retries -x -d 'retries for network errors, 5xx and rate limits (default 4)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s n -l no-stdin -d 'never read stdin (as ssh -n; for `while read` loops)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s i -l image -r -F -d 'attach an image file or URL (PNG, JPEG, GIF, WebP, up to 20 MB; repeatable)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s f -l file -r -F -d 'attach a text file to the prompt, under its name, fenced (- is stdin; repeatable)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l schema -r -F -d 'structured output: the answer is one JSON document following this JSON Schema'
complete -c codex -n '__fish_seen_subcommand_from ask' -l tool -r -F -d 'a tool the model may call: a JSON file naming a command (repeatable)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l max-turns -x -d 'stop a model that keeps calling tools after this many turns (default 10, exit 6)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l search -d 'let the model search the web; its sources follow the answer on stderr (--json: `search` events, result.citations)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l web -d 'the same as --search'
complete -c codex -n '__fish_seen_subcommand_from ask' -l search-domain -x -d 'search and open only pages of this domain and its subdomains (repeatable; implies --search)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l image-out -x -a '(__fish_complete_directories)' -d 'let the model make images, each saved as a new file in this directory (made 0700 if missing; files 0600)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s u -l usage -d 'after the answer, print token usage and the quota windows on stderr'
complete -c codex -n '__fish_seen_subcommand_from ask' -l min-remaining -x -d 'exit 4 (quota_low) before sending when less than this percent of a quota window is left (bucket=: a per-feature bucket of `codex usage`)'
complete -c codex -n '__fish_seen_subcommand_from ask' -l wait-for-reset -d 'when the usage limit is reached, wait for the reset and send once more (bounded by --timeout)'
complete -c codex -n '__fish_seen_subcommand_from ask' -s c -l continue -d 'continue the most recent conversation (`codex log list`), with its settings'
complete -c codex -n '__fish_seen_subcommand_from ask' -l cid -x -a '(__codex_names conversation)' -d 'continue this conversation (an id may be shortened), or start one under this name'
complete -c codex -n '__fish_seen_subcommand_from ask' -l no-log -d 'record nothing in the conversation log (config.json: "log": false)'
complete -c codex -n '__fish_seen_subcommand_from image' -s o -l output -r -F -d 'where to write the image (PNG unless the backend says otherwise); - is stdout, never a terminal'
complete -c codex -n '__fish_seen_subcommand_from image' -l edit -x -d 'edit this image (a local PNG, JPEG, GIF or WebP file) instead of making a new one'
complete -c codex -n '__fish_seen_subcommand_from image' -l size -x -d 'the size asked for, e.g. 1024x1024, 1536x1024, 1024x1536 (the backend may normalise it)'
complete -c codex -n '__fish_seen_subcommand_from image' -l quality -x -a 'low medium high auto' -d 'image quality'
complete -c codex -n '__fish_seen_subcommand_from image' -l background -x -a 'transparent opaque auto' -d 'background'
complete -c codex -n '__fish_seen_subcommand_from image' -l json -d 'print one {"type":"result","path","format","size","quality","bytes","usage"} line on stdout'
complete -c codex -n '__fish_seen_subcommand_from models' -l json -d 'a JSON array with details of each model'
complete -c codex -n '__fish_seen_subcommand_from models' -l all -d 'include hidden models'
complete -c codex -n '__fish_seen_subcommand_from login' -l no-browser -d 'print the sign-in URL but do not open a browser'
complete -c codex -n '__fish_seen_subcommand_from login' -l device -d 'sign in with a device code (headless machines)'
complete -c codex -n '__fish_seen_subcommand_from login' -l import -F -d 'import the official Codex CLI\'s auth.json'
complete -c codex -n '__fish_seen_subcommand_from login' -l paste -d 'read the pasted redirect URL from stdin even when it is not a TTY'
complete -c codex -n '__fish_seen_subcommand_from login' -l with-access-token -d 'read a Codex access token (at-) from stdin and save it; it is never refreshed'
complete -c codex -n '__fish_seen_subcommand_from login' -l port -x -d 'callback port (default 1455, then 1457; 0 = any free port)'
complete -c codex -n '__fish_seen_subcommand_from login' -l timeout -x -d 'give up after this long (default 300; --device: 900) with exit 3'
complete -c codex -n '__fish_seen_subcommand_from login' -l json -d 'print {"email","plan","account_id","expires_at"} on stdout'
complete -c codex -n '__fish_seen_subcommand_from login' -l expect-email -x -d 'save the sign-in only if it is this account (exit 3 otherwise)'
complete -c codex -n '__fish_seen_subcommand_from status' -l json -d 'print {"logged_in","email","plan","account_id","expires_at","source","usage"} on stdout'
complete -c codex -n '__fish_seen_subcommand_from status' -l all -d 'one line per profile (--json: an array)'
complete -c codex -n '__fish_seen_subcommand_from status' -l check -d 'also ask the backend whether it still accepts the sign-in (one /models call); exit 3 when not'
complete -c codex -n '__fish_seen_subcommand_from usage' -l json -d 'print {"source","fetched_at","plan_type","primary","secondary","credits","additional_limits","spend_control","reset_credits"} on stdout'
complete -c codex -n '__fish_seen_subcommand_from usage' -l redeem -d 'redeem a reset credit (the one that expires first): asks first on a terminal, then shows what changed'
complete -c codex -n '__fish_seen_subcommand_from usage' -s y -l yes -d '--redeem without the question (needed when not on a terminal)'
complete -c codex -n '__fish_seen_subcommand_from refresh' -l json -d 'print {"refreshed","expires_at","account_id"} on stdout'
complete -c codex -n '__fish_seen_subcommand_from refresh' -l if-expiring -x -d 'refresh only when expiring within this long (e.g. 30m, 12h, 2d)'
complete -c codex -n '__fish_seen_subcommand_from doctor' -l json -d 'print {"ok","checks":[{"name","status","detail","fix","code"}]} on stdout'
complete -c codex -n '__fish_seen_subcommand_from doctor' -l probe -d 'also ask the default model for a one-word answer (uses a little of your quota)'
complete -c codex -n '__fish_seen_subcommand_from serve' -l host -x -d 'address to listen on (default 127.0.0.1; others need an API key)'
complete -c codex -n '__fish_seen_subcommand_from serve' -l port -x -d 'port to listen on (default 8787; 0 = any free port)'
complete -c codex -n '__fish_seen_subcommand_from serve' -l api-key -x -d 'the key every request sends as Authorization: Bearer <key> (prefer env CODEX_SERVE_API_KEY: ps shows argv; default: <config-dir>/serve-key)'
complete -c codex -n '__fish_seen_subcommand_from serve' -l cors -x -d 'allow browser requests from this origin, or \'*\' for any (default: none; a request with an Origin header is 403)'
complete -c codex -n '__fish_seen_subcommand_from config' -l json -d 'list: the whole file as one JSON object'
complete -c codex -n '__fish_seen_subcommand_from config' -l show-origin -d 'list: every setting that has a value, each after where it came from (flag:, env:, file:, default)'
complete -c codex -n '__fish_seen_subcommand_from config' -a 'get set unset list path'
complete -c codex -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from get set unset' -x -a 'model effort verbosity system base_url issuer client_version responses_layout default_profile log credential_store fast alias.'
complete -c codex -n '__fish_seen_subcommand_from template' -l system -x -d 'set: the system prompt'
complete -c codex -n '__fish_seen_subcommand_from template' -s m -l model -x -a '(__codex_models)' -d 'set: the model (a slug or an alias)'
complete -c codex -n '__fish_seen_subcommand_from template' -s e -l effort -x -a 'none minimal low medium high xhigh max ultra' -d 'set: the reasoning effort'
complete -c codex -n '__fish_seen_subcommand_from template' -l fast -d 'set: ask for the model\'s "Fast" service tier'
complete -c codex -n '__fish_seen_subcommand_from template' -a 'list show set edit rm'
complete -c codex -n '__fish_seen_subcommand_from template; and __fish_seen_subcommand_from show set edit rm' -x -a '(__codex_names template)'
complete -c codex -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'
complete -c codex -n '__fish_seen_subcommand_from log' -l json -d 'list, show, search: JSON on stdout'
complete -c codex -n '__fish_seen_subcommand_from log' -l purge -d 'rm: remove every conversation (asks first on a terminal)'
complete -c codex -n '__fish_seen_subcommand_from log' -s y -l yes -d 'rm --purge: do not ask (needed when not on a terminal)'
complete -c codex -n '__fish_seen_subcommand_from log' -s n -l limit -x -d 'list, search: at most this many (default: all)'
complete -c codex -n '__fish_seen_subcommand_from log' -a 'list show rm path search'
complete -c codex -n '__fish_seen_subcommand_from log; and __fish_seen_subcommand_from show rm path' -x -a '(__codex_names conversation)'
complete -c codex -n '__fish_seen_subcommand_from chat' -l cid -x -a '(__codex_names conversation)' -d 'continue this conversation, or start one under this name'
complete -c codex -n '__fish_seen_subcommand_from chat' -s m -l model -x -a '(__codex_models)' -d 'model to use (default as for ask)'
complete -c codex -n '__fish_seen_subcommand_from chat' -s e -l effort -x -a 'none minimal low medium high xhigh max ultra' -d 'reasoning effort'
complete -c codex -n '__fish_seen_subcommand_from chat' -s s -l system -x -d 'system prompt'
complete -c codex -n '__fish_seen_subcommand_from help' -a 'ask image models login logout status usage refresh doctor serve config template completion log chat help'
# END GENERATED data

# The same program under its own name (beside OpenAI's `codex`).
complete -c codex-oauth --wraps codex
