// `kubectl ds-inspect why-not NODE [DAEMONSET...]`: the verdict and reasons for one node.

import type { Command } from 'commander';
import { addCommonOptions, outputOption } from './common.ts';
import type { CliIO } from './context.ts';
import type { WhyNotFlags } from './whynot-run.ts';

const EXAMPLES = `
Examples:
  # Why does this node lack (or wrongly run) each DaemonSet's pod?
  kubectl ds-inspect why-not worker-7 -A

  # One DaemonSet, as JSON
  kubectl ds-inspect why-not gpu-3 -n monitoring dcgm-exporter -o json`;

export function registerWhyNot(program: Command, io: CliIO): void {
  const cmd = program
    .command('why-not')
    .argument('<node>', 'node name')
    .argument('[daemonset...]', 'DaemonSet names (NAME or daemonset/NAME); all in scope when omitted')
    .summary('explain, for one node, why each DaemonSet does (not) run there or is not healthy')
    .description(
      'Explain, in the DaemonSet controller\'s terms, why a node is excluded (template nodeName, nodeSelector, required node affinity, taints versus tolerations including the controller\'s defaults), then why an eligible pod is not Ready (scheduler: resources, host ports; kubelet: NotReady node, waiting containers).',
    )
    .addOption(outputOption(['json', 'yaml']))
    .option('-l, --selector <selector>', 'label selector for the DaemonSets')
    .addHelpText('after', EXAMPLES);
  // The work is loaded on demand, so `--help` and `--version` start fast.
  addCommonOptions(cmd).action(async (nodeName: string, names: string[], flags: WhyNotFlags) => (await import('./whynot-run.ts')).runWhyNot(nodeName, names, flags, io));
}
