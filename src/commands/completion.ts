// Shell completion. `completion bash|zsh|fish` prints a script for the `kubectl-ds_inspect` command;
// `__complete WORDS...` answers in cobra's protocol (candidates one per line, optionally
// "candidate<TAB>description", then ":<directive>"), which is what kubectl (1.26+) expects from
// kubectl_complete-ds_inspect for `kubectl ds-inspect ...<TAB>` and what the scripts read.
// It walks commander's Command tree (subcommands, options, option and argument choices), so new
// commands and flags complete without changes here. Names come from a NameReader (src/io/names.ts):
// DaemonSets for DaemonSet arguments, nodes for node arguments, namespaces for -n, revision numbers
// for --to-revision/--revision, kubeconfig contexts for --context.

import { Argument, type Command, type Option } from 'commander';
import type { CliIO } from '../runtime.ts';
import type { NameKind, NameReader, NameSource } from '../io/names.ts';
import { append } from '../util/array.ts';

/** cobra's ShellCompDirective bits. */
const Directive = { Default: 0, Error: 1, NoSpace: 2, NoFileComp: 4, FilterFileExt: 8, KeepOrder: 32 } as const;

/** Which names complete an argument (by its name) or an option value (by its attribute name). */
const ARGUMENT_NAMES: Record<string, NameKind> = { daemonset: 'daemonsets', node: 'nodes' };
const OPTION_NAMES: Record<string, NameKind> = { namespace: 'namespaces', toRevision: 'revisions', revision: 'revisions', context: 'contexts' };
/** Options whose value is a file: the shell completes paths (only these extensions, when given). */
const FILE_OPTIONS: Record<string, string[]> = { snapshot: ['yaml', 'yml', 'json'], kubeconfig: [] };

interface Parsed {
  cmd: Command;
  operands: string[];
  values: Map<string, string[]>;
  /** The option whose value is being typed (the word before the cursor is a flag that takes one). */
  pendingOption?: Option;
}

function allOptions(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) append(out, c.createHelp().visibleOptions(c));
  return out;
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return allOptions(cmd).find((o) => o.long === flag || o.short === flag);
}

function subcommand(cmd: Command, name: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

function parseWords(program: Command, words: readonly string[]): Parsed {
  const p: Parsed = { cmd: program, operands: [], values: new Map() };
  const record = (o: Option, v: string): void => {
    const k = o.attributeName();
    p.values.set(k, [...(p.values.get(k) ?? []), v]);
  };
  let onlyOperands = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!onlyOperands && w === '--') {
      onlyOperands = true;
      continue;
    }
    if (!onlyOperands && w.startsWith('-') && w !== '-') {
      const eq = w.indexOf('=');
      const o = findOption(p.cmd, eq > 0 ? w.slice(0, eq) : w);
      if (!o) continue;
      if (eq > 0) record(o, w.slice(eq + 1));
      else if (o.required) {
        if (i + 1 < words.length) record(o, words[++i]!);
        else p.pendingOption = o;
      } else if (o.optional && i + 1 < words.length && !words[i + 1]!.startsWith('-')) {
        record(o, words[++i]!);
      } else {
        record(o, 'true');
      }
      continue;
    }
    const sub = p.operands.length === 0 ? subcommand(p.cmd, w) : undefined;
    if (sub) {
      p.cmd = sub;
      p.operands = [];
    } else {
      p.operands.push(w);
    }
  }
  return p;
}

function source(p: Parsed): NameSource {
  const one = (k: string): string | undefined => p.values.get(k)?.at(-1);
  return { snapshot: p.values.get('snapshot') ?? [], kubeconfig: one('kubeconfig'), context: one('context'), cluster: one('cluster'), user: one('user') };
}

interface Answer {
  candidates: string[];
  directive: number;
}

const describe = (name: string, text: string): string => (text ? `${name}\t${text.split('\n')[0]}` : name);

async function names(kind: NameKind, p: Parsed, read: NameReader): Promise<string[]> {
  return read(source(p), {
    kind,
    namespace: p.values.get('namespace')?.at(-1),
    allNamespaces: p.values.has('allNamespaces'),
    daemonSet: kind === 'revisions' ? p.operands[0]?.replace(/^daemonsets?(\.apps)?\//, '') : undefined,
  });
}

async function optionValues(o: Option, p: Parsed, read: NameReader): Promise<Answer> {
  const key = o.attributeName();
  if (o.argChoices) return { candidates: o.argChoices, directive: Directive.NoFileComp };
  const ext = FILE_OPTIONS[key];
  if (ext) return ext.length > 0 ? { candidates: ext, directive: Directive.FilterFileExt } : { candidates: [], directive: Directive.Default };
  const kind = OPTION_NAMES[key];
  if (!kind) return { candidates: [], directive: Directive.NoFileComp };
  const found = await names(kind, p, read);
  return { candidates: found, directive: Directive.NoFileComp | (kind === 'revisions' ? Directive.KeepOrder : 0) };
}

function argumentFor(cmd: Command, index: number): Argument | undefined {
  const args = cmd.registeredArguments;
  const last = args[args.length - 1];
  return args[index] ?? (last?.variadic ? last : undefined);
}

async function answer(program: Command, words: readonly string[], read: NameReader): Promise<Answer> {
  const before = words.slice(0, -1);
  const current = words[words.length - 1] ?? '';
  const p = parseWords(program, before);
  const byPrefix = (a: Answer, prefix = ''): Answer => ({
    ...a,
    candidates: a.candidates.filter((c) => (prefix + c).startsWith(current)).map((c) => prefix + c),
  });
  if (p.pendingOption) {
    const a = await optionValues(p.pendingOption, p, read);
    return a.directive & Directive.FilterFileExt ? a : byPrefix(a);
  }
  if (current.startsWith('-') && current.includes('=')) {
    const flag = current.slice(0, current.indexOf('='));
    const o = findOption(p.cmd, flag);
    if (!o || !(o.required || o.optional)) return { candidates: [], directive: Directive.NoFileComp };
    const a = await optionValues(o, p, read);
    return a.directive & Directive.FilterFileExt ? a : byPrefix(a, `${flag}=`);
  }
  if (current.startsWith('-')) {
    const flags: string[] = [];
    for (const o of p.cmd.createHelp().visibleOptions(p.cmd)) {
      for (const f of [o.long, o.short]) if (f) flags.push(describe(f, o.description));
    }
    return { candidates: flags.filter((f) => f.startsWith(current)), directive: Directive.NoFileComp };
  }
  if (p.operands.length === 0 && p.cmd.commands.length > 0) {
    const subs = p.cmd.createHelp().visibleCommands(p.cmd);
    return { candidates: subs.filter((c) => c.name().startsWith(current)).map((c) => describe(c.name(), c.summary() || c.description())), directive: Directive.NoFileComp };
  }
  const arg = argumentFor(p.cmd, p.operands.length);
  if (!arg) return { candidates: [], directive: Directive.NoFileComp };
  if (arg.argChoices) return byPrefix({ candidates: arg.argChoices, directive: Directive.NoFileComp });
  const kind = ARGUMENT_NAMES[arg.name()];
  if (!kind) return { candidates: [], directive: Directive.NoFileComp };
  const typed = new Set(p.operands);
  const found = (await names(kind, p, read)).filter((n) => !(kind === 'daemonsets' && typed.has(n)));
  return byPrefix({ candidates: found, directive: Directive.NoFileComp });
}

/** `__complete WORDS...`: the words after the plugin name, the last one being completed ("" for a new word). */
export async function complete(program: Command, words: readonly string[], io: CliIO, read?: NameReader): Promise<number> {
  const reader = read ?? (await import('../io/names.ts')).completionNames(io);
  const a = await answer(program, words.length > 0 ? words : [''], reader);
  io.stdout.write(a.candidates.map((c) => `${c}\n`).join('') + `:${a.directive}\n`);
  return 0;
}

const BASH = `# bash completion for kubectl-ds_inspect (kubectl ds-inspect). Load it with
#   source <(kubectl ds-inspect completion bash)
# \`kubectl ds-inspect ...<TAB>\` itself completes through kubectl and kubectl_complete-ds_inspect.
_kubectl_ds_inspect() {
  local line="\${COMP_LINE:0:COMP_POINT}" words out directive cands=() l
  read -ra words <<<"$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  out="$("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null)" || return 0
  directive="\${out##*:}"
  while IFS= read -r l; do
    [[ -z "$l" || "$l" == :* ]] && continue
    cands+=("\${l%%$'\\t'*}")
  done <<<"$out"
  COMPREPLY=("\${cands[@]}")
  (( directive & 2 )) && compopt -o nospace 2>/dev/null
  if (( \${#cands[@]} == 0 && (directive & 4) == 0 )); then
    compopt -o default 2>/dev/null
  fi
  return 0
}
complete -F _kubectl_ds_inspect kubectl-ds_inspect
`;

const ZSH = `#compdef kubectl-ds_inspect
# zsh completion for kubectl-ds_inspect (kubectl ds-inspect). Load it with
#   source <(kubectl ds-inspect completion zsh)
# \`kubectl ds-inspect ...<TAB>\` itself completes through kubectl and kubectl_complete-ds_inspect.
_kubectl_ds_inspect() {
  local out directive l
  local -a lines cands
  out="$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)" || return 1
  lines=("\${(@f)out}")
  directive="\${lines[-1]#:}"
  for l in "\${(@)lines[1,-2]}"; do
    if [[ "$l" == *$'\\t'* ]]; then cands+=("\${\${l%%$'\\t'*}//:/\\\\:}:\${l#*$'\\t'}"); else cands+=("\${l//:/\\\\:}"); fi
  done
  if (( \${#cands} > 0 )); then
    if (( directive & 2 )); then _describe 'kubectl ds-inspect' cands -S ''; else _describe 'kubectl ds-inspect' cands; fi
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
if [[ "$funcstack[1]" == "_kubectl_ds_inspect" ]]; then _kubectl_ds_inspect "$@"; else compdef _kubectl_ds_inspect kubectl-ds_inspect; fi
`;

const FISH = `# fish completion for kubectl-ds_inspect (kubectl ds-inspect). Load it with
#   kubectl ds-inspect completion fish | source
# \`kubectl ds-inspect ...<TAB>\` itself completes through kubectl and kubectl_complete-ds_inspect.
function __kubectl_ds_inspect_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    set -e out[-1]
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\\n' $out
end
complete -c kubectl-ds_inspect -f -a '(__kubectl_ds_inspect_complete)'
`;

export const COMPLETION_SCRIPTS: Record<string, string> = { bash: BASH, zsh: ZSH, fish: FISH };

export function registerCompletion(program: Command, io: CliIO): void {
  program
    .command('completion')
    .summary('print a shell completion script: bash, zsh or fish')
    .description(
      'Print a completion script for the kubectl-ds_inspect command. For `kubectl ds-inspect ...<TAB>`, kubectl (1.26+) runs kubectl_complete-ds_inspect from PATH instead; it ships beside the executable (README "Shell completion").',
    )
    .addArgument(new Argument('<shell>', 'the shell to print the script for').choices(Object.keys(COMPLETION_SCRIPTS)))
    .action((shell: string) => {
      io.stdout.write(COMPLETION_SCRIPTS[shell] ?? '');
    });
}
