// `kubectl ds-inspect overhead [DAEMONSET...]`: flags, then complete/validate (pure), then the work,
// loaded on demand so `--help` and `--version` start fast.

import type { Command } from 'commander';
import type { CliIO } from '../runtime.ts';
import { addConnectionOptions, addGlobalOptions, addNoHeaders, addOutputOption, addReadOptions } from './flags.ts';
import { OVERHEAD_FORMATS, completeOverhead, type RawFlags } from './options.ts';

const EXAMPLES = `
Examples:
  # What the DaemonSets of the cluster take on each node, and what is left
  kubectl ds-inspect overhead -A

  # Per node pool (nodes without the label form their own group)
  kubectl ds-inspect overhead -A --group-by karpenter.sh/nodepool

  # The per-node tax of GPU nodes as JSON, from a snapshot
  kubectl ds-inspect overhead --snapshot cluster.yaml --nodes nvidia.com/gpu.present=true -o json
  kubectl ds-inspect overhead -A -o jsonpath='{range .nodes[*]}{.name}{" "}{.total.cpu}{" "}{.left.cpu}{"\\n"}{end}'`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerOverhead(program: Command, io: CliIO): void {
  const cmd = program
    .command('overhead')
    .argument('[daemonset...]', 'DaemonSets: NAME, ds/NAME, daemonset/NAME, or "daemonset NAME..."; all in scope when omitted')
    .summary('the DaemonSet tax: what DaemonSet pods request on each node (or node group) and what is left of allocatable')
    .description(
      "Show, per node or per group of nodes, the cpu, memory, pods, extended resources and host ports that DaemonSet pods take, DaemonSet by DaemonSet, and what is left of allocatable. Requests are the scheduler's effective requests (init containers, sidecars, pod overhead; limits stand in for absent requests), read from the real pod where one exists and from the template where the node should run one and has none yet.",
    );
  addOutputOption(cmd, OVERHEAD_FORMATS);
  cmd.option('-l, --selector <selector>', 'label selector for the DaemonSets, e.g. app=fluentd,tier!=test').option('--nodes <selector>', 'label selector for the nodes, e.g. node-role.kubernetes.io/worker');
  cmd.option('--group-by <key>', 'sum per value of this node label (comma-separated, repeatable: one group per combination)', collect);
  addNoHeaders(cmd);
  addReadOptions(cmd);
  addConnectionOptions(cmd);
  addGlobalOptions(cmd);
  cmd.addHelpText('after', EXAMPLES).action(async (args: string[], raw: RawFlags) => {
    const opts = completeOverhead(args, raw);
    await (await import('./overhead-run.ts')).runOverhead(opts, io);
  });
}
