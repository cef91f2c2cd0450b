// `kubectl ds-inspect why-not NODE [DAEMONSET...]`: the verdict and reasons for one node.

import type { Command } from 'commander';
import type { CliIO } from '../runtime.ts';
import { addConnectionOptions, addFilenameOption, addGlobalOptions, addNoHeaders, addOutputOption, addReadOptions } from './flags.ts';
import { WHYNOT_FORMATS, completeWhyNot, type RawFlags } from './options.ts';

const EXAMPLES = `
Examples:
  # Why does this node lack (or wrongly run) each DaemonSet's pod?
  kubectl ds-inspect why-not worker-7 -A
  kubectl ds-inspect why-not node/worker-7 -A

  # One DaemonSet, as JSON
  kubectl ds-inspect why-not gpu-3 -n monitoring dcgm-exporter -o json`;

export function registerWhyNot(program: Command, io: CliIO): void {
  const cmd = program
    .command('why-not')
    .argument('<node>', 'the node: NAME, node/NAME, or "node NAME"')
    .argument('[daemonset...]', 'DaemonSets: NAME or ds/NAME; all in scope when omitted')
    .summary('explain, for one node, why each DaemonSet does (not) run there or is not healthy')
    .description(
      "Explain, in the DaemonSet controller's terms, why a node is excluded (template nodeName, nodeSelector, required node affinity, taints versus tolerations including the controller's defaults), then why an eligible pod is not Ready (scheduler: resources, host ports; kubelet: NotReady node, waiting containers).",
    );
  addOutputOption(cmd, WHYNOT_FORMATS);
  cmd.option('-l, --selector <selector>', 'label selector for the DaemonSets');
  addNoHeaders(cmd);
  addFilenameOption(cmd, 'evaluate the DaemonSets and Nodes of FILE as if applied (repeatable; a directory; - for stdin)');
  addReadOptions(cmd);
  addConnectionOptions(cmd);
  addGlobalOptions(cmd);
  cmd.addHelpText('after', EXAMPLES).action(async (node: string, rest: string[], raw: RawFlags) => {
    const opts = completeWhyNot([node, ...rest], raw);
    await (await import('./whynot-run.ts')).runWhyNot(opts, io);
  });
}
