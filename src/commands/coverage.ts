// `kubectl ds-inspect coverage [DAEMONSET...]`: flags, then complete/validate (pure), then the work,
// loaded on demand so `--help` and `--version` start fast.

import type { Command } from 'commander';
import type { CliIO } from '../runtime.ts';
import { addBoolean, addConnectionOptions, addFilenameOption, addOptionalValue, addGlobalOptions, addNoHeaders, addOutputOption, addReadOptions } from './flags.ts';
import { COVERAGE_FORMATS, completeCoverage, type RawFlags } from './options.ts';

const EXAMPLES = `
Examples:
  # Every DaemonSet of the cluster, node by node
  kubectl ds-inspect coverage -A

  # Two DaemonSets in kube-system, only nodes with a problem, with reasons
  kubectl ds-inspect coverage -n kube-system ds/calico-node ds/kube-proxy --problems -o wide

  # GPU nodes only, with their pool label as a column; as JSON for scripts
  kubectl ds-inspect coverage -A --nodes nvidia.com/gpu.present=true -L cloud.google.com/gke-nodepool
  kubectl ds-inspect coverage -A -o jsonpath='{range .cells[?(@.state=="Missing")]}{.node}{" "}{.daemonSet}{"\\n"}{end}'

  # Node pools instead of 2,000 rows; a CI gate (exit 3) on the GPU pool
  kubectl ds-inspect coverage -A --group-by cloud.google.com/gke-nodepool
  kubectl ds-inspect coverage -n gpu --expect-nodes nvidia.com/gpu.present=true --fail-on

  # Watch calico-node: the matrix redrawn as cells change; in a pipe, one JSON object per changed cell
  kubectl ds-inspect coverage -n kube-system ds/calico-node --watch
  kubectl ds-inspect coverage -A --watch-only -o json

  # From a snapshot instead of the API (judged at the time it was taken)
  kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml > cluster.yaml
  kubectl ds-inspect coverage --snapshot cluster.yaml`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function registerCoverage(program: Command, io: CliIO): void {
  const cmd = program
    .command('coverage')
    .argument('[daemonset...]', 'DaemonSets: NAME, ds/NAME, daemonset/NAME, or "daemonset NAME..."; all in scope when omitted')
    .summary('node × DaemonSet matrix: which nodes run, miss, wait for or wrongly run each DaemonSet')
    .description(
      'Show, for every node and DaemonSet, exactly one state: Ready, Outdated, Pending, NotReady, Missing, Misscheduled or Excluded, computed as the DaemonSet controller does. The sums equal the DaemonSet status counters.',
    );
  addOutputOption(cmd, COVERAGE_FORMATS);
  cmd.option('-l, --selector <selector>', 'label selector for the DaemonSets, e.g. app=fluentd,tier!=test').option('--nodes <selector>', 'label selector for the nodes, e.g. node-role.kubernetes.io/worker');
  addBoolean(cmd, '--problems', 'only nodes with a cell that is not Ready or Excluded');
  addNoHeaders(cmd);
  addBoolean(cmd, '--show-labels', 'show the node labels as the last column');
  cmd.option('-L, --label-columns <key>', 'node labels to show as columns (comma-separated, repeatable)', collect);
  cmd.option('--group-by <label>', 'one row per node pool: nodes grouped by this label (repeatable), e.g. topology.kubernetes.io/zone', collect);
  cmd.option('--layout <layout>', 'matrix, list (a block per DaemonSet) or auto: the list when the matrix is wider than the terminal (120 columns in a pipe)', 'auto');
  addOptionalValue(cmd, '--fail-on', '--fail-on[=STATES]', 'a CI gate: exit 3 when a cell is in one of these states (bare: Missing,Pending,NotReady,Misscheduled); failing nodes on stderr');
  cmd.option('--expect-nodes <selector>', 'a CI gate: every node matching SELECTOR must run every DaemonSet in scope Ready and up to date (exit 3)');
  addBoolean(cmd, '-w, --watch', 'after the matrix, watch the cluster and show each cell that changes state until Ctrl-C (live only; -o json: one object per changed cell)');
  addBoolean(cmd, '--watch-only', 'as --watch, without the first matrix');
  addFilenameOption(cmd, 'evaluate the DaemonSets and Nodes of FILE as if applied (repeatable; a directory; - for stdin)');
  addReadOptions(cmd);
  addConnectionOptions(cmd);
  addGlobalOptions(cmd);
  cmd.addHelpText('after', EXAMPLES).action(async (args: string[], raw: RawFlags) => {
    const opts = completeCoverage(args, raw);
    if (opts.watch) await (await import('./coverage-watch.ts')).runCoverageWatch(opts, io);
    else await (await import('./coverage-run.ts')).runCoverage(opts, io);
  });
}
