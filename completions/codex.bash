# bash completion for codex and codex-oauth (the same program).
# Install: `source <(codex completion bash)` in ~/.bashrc, or save it as
# ~/.local/share/bash-completion/completions/codex.
# The block between "BEGIN GENERATED" and "END GENERATED" comes from the commander program: `npm run gen`.

# BEGIN GENERATED data
_codex_commands='ask image models login logout status usage refresh doctor serve config template completion log chat help'
_codex_global_options='-V --version --config-dir --base-url --issuer --profile -v --verbose --color --no-color -h --help'
_codex_builtin_models='gpt-6.2-sol gpt-6.2-astra gpt-6.1-terra gpt-6.1-sol gpt-6-astra gpt-6-sol gpt-6-luna gpt-5.6-sol gpt-5.6-terra gpt-5.6-luna gpt-5.5'
_codex_config_keys='model effort verbosity system base_url issuer client_version responses_layout default_profile log credential_store fast alias.'
# The options of a command (global options are added by the caller).
_codex_command_options() {
  case $1 in
    ask) echo '-m --model -t --template -s --system --system-file -e --effort --verbosity --fast --no-fast --reasoning --json --raw -o --output --timeout --idle-timeout --max-retries -n --no-stdin -i --image -f --file --schema --tool --max-turns --search --web --search-domain --image-out -u --usage --min-remaining --wait-for-reset -c --continue --cid --no-log' ;;
    image) echo '-o --output --edit --size --quality --background --json' ;;
    models) echo '--json --all' ;;
    login) echo '--no-browser --device --import --paste --with-access-token --port --timeout --json --expect-email' ;;
    logout) echo '' ;;
    status) echo '--json --all --check' ;;
    usage) echo '--json --redeem -y --yes' ;;
    refresh) echo '--json --if-expiring' ;;
    doctor) echo '--json --probe' ;;
    serve) echo '--host --port --api-key --cors' ;;
    config) echo '--json --show-origin' ;;
    template) echo '--system -m --model -e --effort --fast' ;;
    completion) echo '' ;;
    log) echo '--json --purge -y --yes -n --limit' ;;
    chat) echo '--cid -m --model -e --effort -s --system' ;;
    help) echo '' ;;
  esac
}
# What the value of option $2 of command $1 is: file, dir, model, text, "choice A B …", optional-file;
# nothing for a flag.
_codex_option_value() {
  case "$1 $2" in
    "ask -m"|"ask --model") echo 'model' ;;
    "ask -t"|"ask --template") echo 'template' ;;
    "ask -s"|"ask --system") echo 'text' ;;
    "ask --system-file") echo 'file' ;;
    "ask -e"|"ask --effort") echo 'choice none minimal low medium high xhigh max ultra' ;;
    "ask --verbosity") echo 'choice low medium high' ;;
    "ask -o"|"ask --output") echo 'file' ;;
    "ask --timeout") echo 'text' ;;
    "ask --idle-timeout") echo 'text' ;;
    "ask --max-retries") echo 'text' ;;
    "ask -i"|"ask --image") echo 'file' ;;
    "ask -f"|"ask --file") echo 'file' ;;
    "ask --schema") echo 'file' ;;
    "ask --tool") echo 'file' ;;
    "ask --max-turns") echo 'text' ;;
    "ask --search-domain") echo 'text' ;;
    "ask --image-out") echo 'dir' ;;
    "ask --min-remaining") echo 'optional-text' ;;
    "ask --cid") echo 'conversation' ;;
    "image -o"|"image --output") echo 'file' ;;
    "image --edit") echo 'text' ;;
    "image --size") echo 'text' ;;
    "image --quality") echo 'choice low medium high auto' ;;
    "image --background") echo 'choice transparent opaque auto' ;;
    "login --import") echo 'optional-file' ;;
    "login --port") echo 'text' ;;
    "login --timeout") echo 'text' ;;
    "login --expect-email") echo 'text' ;;
    "refresh --if-expiring") echo 'text' ;;
    "serve --host") echo 'text' ;;
    "serve --port") echo 'text' ;;
    "serve --api-key") echo 'text' ;;
    "serve --cors") echo 'text' ;;
    "template --system") echo 'text' ;;
    "template -m"|"template --model") echo 'model' ;;
    "template -e"|"template --effort") echo 'choice none minimal low medium high xhigh max ultra' ;;
    "log -n"|"log --limit") echo 'text' ;;
    "chat --cid") echo 'conversation' ;;
    "chat -m"|"chat --model") echo 'model' ;;
    "chat -e"|"chat --effort") echo 'choice none minimal low medium high xhigh max ultra' ;;
    "chat -s"|"chat --system") echo 'text' ;;
    "* --config-dir") echo 'dir' ;;
    "* --base-url") echo 'text' ;;
    "* --issuer") echo 'text' ;;
    "* --profile") echo 'text' ;;
    "* --color") echo 'choice always never auto' ;;
  esac
}
# What positional argument $2 (1, 2) of command $1 is; $3 is the first one (the action word).
_codex_argument_value() {
  case "$1 $2" in
    "config 1") echo 'choice get set unset list path' ;;
    "config 2") case $3 in get|set|unset) echo 'config-key' ;; esac ;;
    "template 1") echo 'choice list show set edit rm' ;;
    "template 2") case $3 in show|set|edit|rm) echo 'template' ;; esac ;;
    "completion 1") echo 'choice bash zsh fish' ;;
    "log 1") echo 'choice list show rm path search' ;;
    "log 2") case $3 in show|rm|path) echo 'conversation' ;; esac ;;
    "help 1") echo 'command' ;;
  esac
}
# END GENERATED data

# Model slugs: from the cached model list of the config dir in use, else the built-in ones.
_codex_models() {
  local dir=${CODEX_CONFIG_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/codex-oauth} i
  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
    case ${COMP_WORDS[i]} in
      --config-dir) dir=${COMP_WORDS[i + 1]} ;;
      --config-dir=*) dir=${COMP_WORDS[i]#--config-dir=} ;;
    esac
  done
  dir=${dir/#\~/$HOME}
  local slugs=
  if [[ -r $dir/models-cache.json ]]; then
    slugs=$(grep -o '"slug"[[:space:]]*:[[:space:]]*"[^"]*"' "$dir/models-cache.json" 2>/dev/null | sed 's/.*"\([^"]*\)"$/\1/')
  fi
  printf '%s\n' ${slugs:-$_codex_builtin_models}
}

# Names the program itself knows (it answers from local files, without a request): templates, conversations.
_codex_names() {
  local program=${COMP_WORDS[0]} i
  local -a globals=()
  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
    case ${COMP_WORDS[i]} in
      --config-dir | --profile) globals+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}") ;;
      --config-dir=* | --profile=*) globals+=("${COMP_WORDS[i]}") ;;
    esac
  done
  case $1 in
    template) "$program" "${globals[@]}" template list 2>/dev/null ;;
    conversation) "$program" "${globals[@]}" log list 2>/dev/null | cut -f1,2 | tr '\t' '\n' | grep -vx -- - ;;
  esac
}

# Completes the value of kind $1 for the word $2.
_codex_complete_value() {
  local kind=$1 cur=$2
  case $kind in
    file | optional-file) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
    dir) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
    model) COMPREPLY=($(compgen -W "$(_codex_models)" -- "$cur")) ;;
    command) COMPREPLY=($(compgen -W "$_codex_commands" -- "$cur")) ;;
    template | conversation) COMPREPLY=($(compgen -W "$(_codex_names "$kind")" -- "$cur")) ;;
    config-key) COMPREPLY=($(compgen -W "$_codex_config_keys" -- "$cur")); [[ ${COMPREPLY[*]} == alias. ]] && compopt -o nospace 2>/dev/null ;;
    choice\ *) COMPREPLY=($(compgen -W "${kind#choice }" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_codex() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local command= i word kind first= position=0
  # Find the command: the first word that is not an option or an option's value; count the words after it.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      [[ $word == *=* ]] && continue
      kind=$(_codex_option_value "${command:-*}" "$word")
      [[ -z $kind ]] && kind=$(_codex_option_value '*' "$word")
      [[ -n $kind && $kind != optional-* ]] && ((i++))
    elif [[ -z $command ]]; then
      command=$word
    else
      ((position++))
      [[ -z $first ]] && first=$word
    fi
  done

  # An option and its value in one word (name=value).
  if [[ $cur == --*=* ]]; then
    kind=$(_codex_option_value "${command:-*}" "${cur%%=*}")
    [[ -z $kind ]] && kind=$(_codex_option_value '*' "${cur%%=*}")
    _codex_complete_value "${kind#optional-}" "${cur#*=}"
    return
  fi

  # The value of the option before.
  if [[ $prev == -* ]]; then
    kind=$(_codex_option_value "${command:-*}" "$prev")
    [[ -z $kind ]] && kind=$(_codex_option_value '*' "$prev")
    if [[ -n $kind && ( $kind != optional-* || $cur != -* ) ]]; then
      _codex_complete_value "${kind#optional-}" "$cur"
      return
    fi
  fi

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$_codex_global_options ${command:+$(_codex_command_options "$command")}" -- "$cur"))
  elif [[ -z $command ]]; then
    COMPREPLY=($(compgen -W "$_codex_commands" -- "$cur"))
  else
    kind=$(_codex_argument_value "$command" $((position + 1)) "$first")
    [[ -n $kind ]] && _codex_complete_value "$kind" "$cur"
  fi
}

complete -F _codex codex codex-oauth
