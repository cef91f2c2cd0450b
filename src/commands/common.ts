// Flags every command shares, named and behaving as kubectl's.

import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
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

/** kubectl's duration syntax for --request-timeout and --timeout: 0, 30, 30s, 2m, 1h, 1m30s. */
export function parseDuration(flag: string, value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of value.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
  }
  if (consumed !== value.length || value.length === 0) {
    throw new UsageError(`${flag}: invalid duration "${value}": use a number with a unit, e.g. 30s, 2m, 1h`);
  }
  return total;
}
