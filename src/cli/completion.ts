/**
 * `squall completion bash|zsh`: scripts that complete command words and options from the
 * command table, and action refs for `run` / `action get` by asking the server.
 */
import type { Command } from './command.ts';

function tables(commands: readonly Command[]): {
  top: string[];
  subs: Map<string, string[]>;
  flags: Map<string, string[]>;
} {
  const top = new Set<string>(['serve', 'gc', 'completion', 'help']);
  const subs = new Map<string, string[]>();
  const flags = new Map<string, string[]>();
  const global = ['--url', '--api-key', '--token', '--config', '--json', '--yaml', '--no-color', '--help'];
  for (const c of commands) {
    const [head = '', sub] = c.name.split(' ');
    top.add(head);
    if (sub) subs.set(head, [...(subs.get(head) ?? []), sub]);
    // Patterns for the shells' case: one-word commands match whatever word follows them.
    flags.set(sub ? `${head}_${sub}` : `${head}|${head}_*`, [
      ...Object.keys(c.options).map((o) => `--${o}`),
      ...global,
    ]);
  }
  subs.set('completion', ['bash', 'zsh']);
  return { top: [...top], subs, flags };
}

export function bashCompletion(commands: readonly Command[]): string {
  const { top, subs, flags } = tables(commands);
  const subCases = [...subs].map(([g, s]) => `    ${g}) words="${s.join(' ')}" ;;`).join('\n');
  const flagCases = [...flags].map(([k, f]) => `    ${k}) flags="${f.join(' ')}" ;;`).join('\n');
  return `# squall bash completion: eval "$(squall completion bash)"
_squall() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" first="\${COMP_WORDS[1]}" second="\${COMP_WORDS[2]}" words="" flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${top.join(' ')}" -- "$cur")); return
  fi
  if [ "$COMP_CWORD" -eq 2 ]; then
    case "$first" in
${subCases}
      run) words="$(squall action list -q 2>/dev/null)" ;;
    esac
    if [ -n "$words" ] && [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi
  fi
  key="\${first}_\${second}"
  case "$key" in
${flagCases}
  esac
  if [ "$key" = "action_get" ] && [ "$COMP_CWORD" -eq 3 ] && [[ "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "$(squall action list -q 2>/dev/null)" -- "$cur")); return
  fi
  [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "$flags" -- "$cur"))
}
complete -F _squall squall
`;
}

export function zshCompletion(commands: readonly Command[]): string {
  const { top, subs, flags } = tables(commands);
  const subCases = [...subs].map(([g, s]) => `      ${g}) compadd -- ${s.join(' ')} ;;`).join('\n');
  const flagCases = [...flags].map(([k, f]) => `      ${k}) compadd -- ${f.join(' ')} ;;`).join('\n');
  return `#compdef squall
# squall zsh completion: squall completion zsh > "\${fpath[1]}/_squall", or eval "$(squall completion zsh)"
_squall() {
  if (( CURRENT == 2 )); then
    compadd -- ${top.join(' ')}
    return
  fi
  if (( CURRENT == 3 )) && [[ "\${words[CURRENT]}" != -* ]]; then
    case "\${words[2]}" in
${subCases}
      run) compadd -- \${(f)"$(squall action list -q 2>/dev/null)"} ;;
    esac
    return
  fi
  local key="\${words[2]}_\${words[3]}"
  if [[ "$key" == action_get ]] && (( CURRENT == 4 )) && [[ "\${words[CURRENT]}" != -* ]]; then
    compadd -- \${(f)"$(squall action list -q 2>/dev/null)"}
    return
  fi
  if [[ "\${words[CURRENT]}" == -* ]]; then
    case "$key" in
${flagCases}
    esac
  fi
}
if [[ "\${funcstack[1]}" == _squall ]]; then
  _squall "$@"
else
  compdef _squall squall
fi
`;
}
