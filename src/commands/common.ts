// Flags every command shares, named and behaving as kubectl's.

import { Option, type Command } from 'commander';
import { buildScope, type Scope } from '../model/scope.ts';
import type { CommonFlags } from './context.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--snapshot <file>', 'read cluster state from FILE (output of `kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml`) instead of the API; repeatable, - for stdin', collect, [])
    .option('-n, --namespace <namespace>', 'namespace of the DaemonSets (default: the context\'s namespace; all namespaces for --snapshot)')
    .option('-A, --all-namespaces', 'DaemonSets of every namespace')
    .option('--kubeconfig <path>', 'path to the kubeconfig file (disables KUBECONFIG merging)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--cluster <name>', 'kubeconfig cluster to use')
    .option('--user <name>', 'kubeconfig user to use')
    .option('--request-timeout <duration>', 'timeout of a single request, e.g. 10s, 1m (0 = none)', '0')
    .option('-v, --v <level>', 'log level: 1 shows stack traces on errors, 6 logs every request')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)');
}

export function outputOption(choices: string[]): Option {
  return new Option('-o, --output <format>', `output format: ${choices.join('|')}`).choices(choices);
}

export function scopeFrom(flags: CommonFlags & { selector?: string; nodes?: string }, names: readonly string[]): Scope {
  return buildScope({
    namespace: flags.namespace,
    allNamespaces: flags.allNamespaces === true,
    names,
    selector: flags.selector,
    nodes: flags.nodes,
  });
}
