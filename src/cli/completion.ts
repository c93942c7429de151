/**
 * Shell completion scripts (bash, and zsh through its bash compatibility) for every command and every stock tool
 * name: command and topic names after `vrouter-utils`, and each command's options — for the stock-compatible tools
 * their getopt tables (long and short options, our additions included), which oclif's own completion cannot see.
 */

export interface CompletionEntry {
  /** The command's id, topic parts joined with ':' (`emulator:start`). */
  readonly id: string
  readonly options: readonly string[]
}

const FUNCTION = '_vrouter_utils_complete'

/** A word list as one shell-safe string (option names and ids are plain words). */
const words = (list: readonly string[]) => list.filter((w) => /^[\w:.-]+$/.test(w)).join(' ')

/**
 * The bash script. `toolNames` are the names the binary answers to as a link (`vif`, `rt`, …): completing after
 * one of them completes that tool's options.
 */
export function bashCompletion(entries: readonly CompletionEntry[], toolNames: readonly string[]): string {
  const topLevel = [...new Set(entries.map((e) => e.id.split(':')[0]))].sort()
  const topics = [...new Set(entries.filter((e) => e.id.includes(':')).map((e) => e.id.split(':')[0]))].sort()
  const cases = entries.map((e) => `    ${e.id}) options="${words(e.options)}" ;;`).join('\n')
  const topicCases = topics
    .map((t) => `      ${t}) subcommands="${words(entries.filter((e) => e.id.startsWith(`${t}:`)).map((e) => e.id.slice(t.length + 1)))}" ;;`)
    .join('\n')
  return `# vrouter-utils completion for bash (source it: source <(vrouter-utils completion bash))
${FUNCTION}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" command="\${COMP_WORDS[0]##*/}" options="" subcommands="" next=1
  command="\${command%.exe}"
  if [[ "$command" == vrouter-utils ]]; then
    if (( COMP_CWORD == 1 )); then
      COMPREPLY=($(compgen -W "${words(topLevel)}" -- "$cur"))
      return
    fi
    command="\${COMP_WORDS[1]}"
    next=2
    case "$command" in
${topicCases}
    esac
    if [[ -n "$subcommands" ]]; then
      if (( COMP_CWORD == 2 )); then
        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
        return
      fi
      command="$command:\${COMP_WORDS[2]}"
      next=3
    fi
  fi
  (( COMP_CWORD < next )) && return
  case "$command" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
  fi
}
complete -o default -F ${FUNCTION} vrouter-utils ${words(toolNames)}
`
}

/** The zsh script: zsh's bash completion layer running the bash script. */
export function zshCompletion(entries: readonly CompletionEntry[], toolNames: readonly string[]): string {
  return `# vrouter-utils completion for zsh (source it: source <(vrouter-utils completion zsh))
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(entries, toolNames).split('\n').slice(1).join('\n')}`
}
