# bash completion for codex and codex-oauth (the same program).
# Install: `source <(codex completion bash)` in ~/.bashrc, or save it as
# ~/.local/share/bash-completion/completions/codex.
# The block between "BEGIN GENERATED" and "END GENERATED" comes from the commander program: `npm run gen`.

# BEGIN GENERATED data
_codex_commands='ask models login logout status usage refresh doctor serve config template completion log chat help'
_codex_global_options='-V --version --config-dir --base-url --issuer --profile -v --verbose --color --no-color -h --help'
_codex_builtin_models='gpt-6.2-sol gpt-6.2-astra gpt-6.1-terra gpt-6.1-sol gpt-6-astra gpt-6-sol gpt-6-luna gpt-5.6-sol gpt-5.6-terra gpt-5.6-luna gpt-5.5'
# The options of a command (global options are added by the caller).
_codex_command_options() {
  case $1 in
    ask) echo '-m --model -t --template -s --system --system-file -e --effort --verbosity --reasoning --json --raw -o --output --timeout --idle-timeout --max-retries -n --no-stdin -i --image -f --file --schema --tool --max-turns -u --usage --min-remaining --wait-for-reset -c --continue --cid --no-log' ;;
    models) echo '--json --all' ;;
    login) echo '--no-browser --device --import --paste --with-access-token --port --timeout --json --expect-email' ;;
    logout) echo '' ;;
    status) echo '--json --all --check' ;;
    usage) echo '--json' ;;
    refresh) echo '--json --if-expiring' ;;
    doctor) echo '--json --probe' ;;
    serve) echo '--host --port --api-key --cors' ;;
    config) echo '--json' ;;
    template) echo '--system -m --model -e --effort' ;;
    completion) echo '' ;;
    log) echo '--json --purge -n --limit' ;;
    chat) echo '--cid -m --model -e --effort -s --system' ;;
    help) echo '' ;;
  esac
}
# What the value of option $2 of command $1 is: file, dir, model, text, "choice A B …", optional-file;
# nothing for a flag.
_codex_option_value() {
  case "$1 $2" in
    "ask -m"|"ask --model") echo 'model' ;;
    "ask -t"|"ask --template") echo 'text' ;;
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
    "ask --min-remaining") echo 'text' ;;
    "ask --cid") echo 'text' ;;
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
    "chat --cid") echo 'text' ;;
    "chat -m"|"chat --model") echo 'model' ;;
    "chat -e"|"chat --effort") echo 'choice none minimal low medium high xhigh max ultra' ;;
    "chat -s"|"chat --system") echo 'text' ;;
    "* --config-dir") echo 'dir' ;;
    "* --base-url") echo 'text' ;;
    "* --issuer") echo 'text' ;;
    "* --profile") echo 'text' ;;
  esac
}
# What the positional arguments of command $1 are.
_codex_argument_value() {
  case $1 in
    config) echo 'choice get set unset list path' ;;
    template) echo 'choice list show set edit rm' ;;
    completion) echo 'choice bash zsh fish' ;;
    log) echo 'choice list show rm path search' ;;
    help) echo 'command' ;;
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

# Completes the value of kind $1 for the word $2.
_codex_complete_value() {
  local kind=$1 cur=$2
  case $kind in
    file | optional-file) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null ;;
    dir) COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null ;;
    model) COMPREPLY=($(compgen -W "$(_codex_models)" -- "$cur")) ;;
    command) COMPREPLY=($(compgen -W "$_codex_commands" -- "$cur")) ;;
    choice\ *) COMPREPLY=($(compgen -W "${kind#choice }" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_codex() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local command= i word kind
  # Find the command: the first word that is not an option or an option's value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      [[ $word == *=* ]] && continue
      kind=$(_codex_option_value "${command:-*}" "$word")
      [[ -z $kind ]] && kind=$(_codex_option_value '*' "$word")
      [[ -n $kind && $kind != optional-* ]] && ((i++))
    elif [[ -z $command ]]; then
      command=$word
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
    kind=$(_codex_argument_value "$command")
    [[ -n $kind ]] && _codex_complete_value "$kind" "$cur"
  fi
}

complete -F _codex codex codex-oauth
