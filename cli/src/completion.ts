/**
 * `cmf-pools completion bash|zsh|fish`: a completion script for the shell, made from the command table
 * (commands.ts): the commands, each command's flags, the values of `--format` and `-o`, `completion`'s shells, and
 * file names where a command takes files (`lint`'s arguments, `-f`, `--settings`, the TLS files).
 */
import { parse, UsageError } from './args';
import { COMMANDS, FILE_OPTIONS, SHELLS, type CommandInfo } from './commands';
import type { CliIo } from './main';

const COMPLETION_HELP = `Usage: cmf-pools completion bash|zsh|fish

Prints a shell completion script for cmf-pools: its commands, each command's flags, the values of
--format and -o/--output, and file names where a command takes files.

  bash   source <(cmf-pools completion bash)          (in ~/.bashrc; bash 4 or later)
  zsh    source <(cmf-pools completion zsh)           (in ~/.zshrc, after compinit), or save it as
         _cmf-pools in a folder of $fpath
  fish   cmf-pools completion fish > ~/.config/fish/completions/cmf-pools.fish

Options:
  -h, --help   show this help

Exit status: 0 printed; 2 usage errors.
`;

export async function completionCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { help: { type: 'boolean', short: 'h', default: false } });
  if (values.help) {
    io.out(COMPLETION_HELP);
    return 0;
  }
  const shell = positionals[0];
  if (positionals.length !== 1 || !SHELLS.includes(shell as (typeof SHELLS)[number])) {
    throw new UsageError(`name one shell: ${SHELLS.join(', ')}${shell ? ` (got "${positionals.join(' ')}")` : ''}.`);
  }
  io.out(shell === 'bash' ? bashScript() : shell === 'zsh' ? zshScript() : fishScript());
  return 0;
}

interface Flag {
  long: string;
  short?: string;
  takesValue: boolean;
  multiple: boolean;
  /** A fixed list of values, or 'files'. */
  values?: readonly string[] | 'files';
}

function flagsOf(c: CommandInfo): Flag[] {
  return Object.entries(c.options).map(([name, o]) => ({
    long: name,
    short: o.short,
    takesValue: o.type === 'string',
    multiple: !!o.multiple,
    values: c.values?.[name] ?? (FILE_OPTIONS.has(name) ? 'files' : undefined),
  }));
}

const GLOBAL_FLAGS = ['--help', '-h', '--version', '-v'];
const flagWords = (f: Flag) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])];

function bashScript(): string {
  const cases = COMMANDS.map((c) => {
    const flags = flagsOf(c);
    const valueCases = flags
      .filter((f) => f.takesValue)
      .map((f) => {
        const pattern = flagWords(f).join('|');
        if (f.values === 'files') return `        ${pattern}) _cmf_pools_files; return ;;`;
        if (f.values) return `        ${pattern}) COMPREPLY=($(compgen -W "${f.values.join(' ')}" -- "$cur")); return ;;`;
        return `        ${pattern}) return ;;`;
      });
    const args =
      c.args === 'files'
        ? '      _cmf_pools_files'
        : Array.isArray(c.args)
          ? `      [[ $COMP_CWORD -eq 2 ]] && COMPREPLY=($(compgen -W "${(c.args as readonly string[]).join(' ')}" -- "$cur"))`
          : '      :';
    return [
      `    ${c.name})`,
      ...(valueCases.length ? ['      case "$prev" in', ...valueCases, '      esac'] : []),
      `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flags.flatMap(flagWords).join(' ')}" -- "$cur")); return; fi`,
      args,
      '      ;;',
    ].join('\n');
  });
  return `# bash completion for cmf-pools. Load it with: source <(cmf-pools completion bash)
_cmf_pools_files() {
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$cur"))
}

_cmf_pools() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  COMPREPLY=()
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${COMMANDS.map((c) => c.name).join(' ')} ${GLOBAL_FLAGS.join(' ')}" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
}
complete -F _cmf_pools cmf-pools
`;
}

/** A zsh _arguments description: brackets and colons escaped. */
const zshText = (s: string) => s.replace(/[[\]:\\]/g, '\\$&').replace(/'/g, "'\\''");

function zshScript(): string {
  const cases = COMMANDS.map((c) => {
    const specs = flagsOf(c).map((f) => {
      const action = f.values === 'files' ? ':file:_files' : f.values ? `:${f.long}:(${f.values.join(' ')})` : f.takesValue ? `:${f.long}: ` : '';
      const repeat = f.multiple ? '*' : '';
      // A repeatable flag may come again; a single one is offered once (its exclusion list names both spellings).
      if (f.short) return `'${f.multiple ? '*' : `(-${f.short} --${f.long})`}'{-${f.short},--${f.long}}'[${zshText(f.long)}]${action}'`;
      return `'${repeat}--${f.long}[${zshText(f.long)}]${action}'`;
    });
    const args = c.args === 'files' ? `'*:file:_files'` : c.args === 'pool' ? `':compute pool name: '` : Array.isArray(c.args) ? `':shell:(${(c.args as readonly string[]).join(' ')})'` : '';
    return `    ${c.name})\n      _arguments -s ${[...specs, args].filter(Boolean).join(' \\\n        ')}\n      ;;`;
  });
  return `#compdef cmf-pools
# zsh completion for cmf-pools. Load it with: source <(cmf-pools completion zsh) (after compinit),
# or save it as _cmf-pools in a folder of $fpath.
_cmf_pools() {
  local -a commands
  commands=(
${COMMANDS.map((c) => `    '${c.name}:${zshText(c.summary)}'`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'cmf-pools command' commands
    _arguments '(- *)'{--help,-h}'[show the help]' '(- *)'{--version,-v}'[print the version]'
    return
  fi
  local command=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $command in
${cases.join('\n')}
  esac
}
if [[ "\${funcstack[1]}" == _cmf_pools ]]; then
  _cmf_pools "$@"
else
  compdef _cmf_pools cmf-pools
fi
`;
}

const fishText = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishScript(): string {
  const lines = [
    '# fish completion for cmf-pools. Install it with: cmf-pools completion fish > ~/.config/fish/completions/cmf-pools.fish',
    'complete -c cmf-pools -f',
    `complete -c cmf-pools -n __fish_use_subcommand -s h -l help -d 'show the help'`,
    `complete -c cmf-pools -n __fish_use_subcommand -s v -l version -d 'print the version'`,
    ...COMMANDS.map((c) => `complete -c cmf-pools -n __fish_use_subcommand -a ${c.name} -d ${fishText(c.summary)}`),
  ];
  for (const c of COMMANDS) {
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    for (const f of flagsOf(c)) {
      const names = `${f.short ? `-s ${f.short} ` : ''}-l ${f.long}`;
      const value = f.values === 'files' ? ' -r -F' : f.values ? ` -x -a ${fishText(f.values.join(' '))}` : f.takesValue ? ' -x' : '';
      lines.push(`complete -c cmf-pools ${when} ${names}${value}`);
    }
    if (c.args === 'files') lines.push(`complete -c cmf-pools ${when} -F`);
    else if (Array.isArray(c.args)) lines.push(`complete -c cmf-pools ${when} -a ${fishText((c.args as readonly string[]).join(' '))}`);
  }
  return lines.join('\n') + '\n';
}
