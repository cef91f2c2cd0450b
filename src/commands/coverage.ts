// `kubectl ds-inspect coverage [DAEMONSET...]`: thin glue from flags to loader, model and renderer.

import type { Command } from 'commander';
import { addCommonOptions, outputOption } from './common.ts';
import type { CliIO } from './context.ts';
import type { CoverageFlags } from './coverage-run.ts';

const EXAMPLES = `
Examples:
  # Every DaemonSet of the cluster, node by node
  kubectl ds-inspect coverage -A

  # Two DaemonSets in kube-system, only nodes with a problem, with reasons
  kubectl ds-inspect coverage -n kube-system calico-node kube-proxy --problems -o wide

  # GPU nodes only, as JSON for scripts
  kubectl ds-inspect coverage -A --nodes nvidia.com/gpu.present=true -o json

  # From a snapshot instead of the API
  kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml > cluster.yaml
  kubectl ds-inspect coverage --snapshot cluster.yaml`;

export function registerCoverage(program: Command, io: CliIO): void {
  const cmd = program
    .command('coverage')
    .argument('[daemonset...]', 'DaemonSet names (NAME or daemonset/NAME); all in scope when omitted')
    .summary('node × DaemonSet matrix: which nodes run, miss, wait for or wrongly run each DaemonSet')
    .description(
      'Show, for every node and DaemonSet, exactly one state: Ready, Outdated, Pending, NotReady, Missing, Misscheduled or Excluded, computed as the DaemonSet controller does. The sums equal the DaemonSet status counters.',
    )
    .addOption(outputOption(['wide', 'json', 'yaml']))
    .option('-l, --selector <selector>', 'label selector for the DaemonSets, e.g. app=fluentd,tier!=test')
    .option('--nodes <selector>', 'label selector for the nodes, e.g. node-role.kubernetes.io/worker')
    .option('--problems', 'only nodes with a cell that is not Ready or Excluded')
    .option('--no-headers', 'no header, summary row, legend or counters (table output)')
    .addHelpText('after', EXAMPLES);
  // The work is loaded on demand, so `--help` and `--version` start fast.
  addCommonOptions(cmd).action(async (names: string[], flags: CoverageFlags) => (await import('./coverage-run.ts')).runCoverage(names, flags, io));
}
