// `kubectl ds-inspect why-not NODE [DAEMONSET...]`: the verdict and reasons for one node.

import type { Command } from 'commander';
import { loadState } from '../io/source.ts';
import { explainNode } from '../model/coverage.ts';
import { findNode } from '../model/scope.ts';
import { serialize } from '../render/output.ts';
import { renderWhyNot } from '../render/whynot.ts';
import { addCommonOptions, outputOption, scopeFrom } from './common.ts';
import { stdoutChalk, warn, type CliIO, type CommonFlags } from './context.ts';

interface WhyNotFlags extends CommonFlags {
  output?: 'json' | 'yaml';
  selector?: string;
}

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
  addCommonOptions(cmd).action(async (nodeName: string, names: string[], flags: WhyNotFlags) => {
    const scope = scopeFrom(flags, names);
    const { state } = await loadState(flags, { scope, node: nodeName, wantEvents: true }, io);
    const node = findNode(state.nodes, nodeName);
    for (const g of state.gaps) warn(io, flags, g.message);
    const report = explainNode(state, node, { nowMs: io.now() });
    if (flags.output === 'json' || flags.output === 'yaml') {
      io.stdout.write(serialize(report, flags.output));
      return;
    }
    io.stdout.write(renderWhyNot(report, stdoutChalk(io, flags)));
  });
}
