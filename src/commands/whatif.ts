// `kubectl ds-inspect what-if apply|taint|label|cordon|uncordon`: which DaemonSet pods a change will
// create, delete, replace or leave misscheduled, before it is made.

import type { Command } from 'commander';
import type { CliIO } from '../runtime.ts';
import { addConnectionOptions, addFilenameOption, addGlobalOptions, addOutputOption, addReadOptions } from './flags.ts';
import { completeWhatIf, WHATIF_FORMATS, type RawFlags } from './options.ts';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const FAIL_ON_HELP = 'exit 3 when the change would do any of: delete, misschedule, unschedulable, create, replace (comma-separated)';

export function registerWhatIf(program: Command, io: CliIO): void {
  const whatIf = program
    .command('what-if')
    .summary('before a change: which DaemonSet pods it creates, deletes, replaces or leaves misscheduled')
    .description("Apply a change to a copy of the cluster state and compare, node by node and DaemonSet by DaemonSet, what the DaemonSet controller will do (its own rules: NoExecute versus NoSchedule, the default tolerations, hostNetwork), and whether new pods fit (the scheduler's resources and host ports). Nothing is changed. Every namespace is looked at unless -n is given.");
  const sub = (name: 'apply' | 'taint' | 'label' | 'cordon' | 'uncordon', args: string, summary: string, examples: string[]): void => {
    const cmd = whatIf.command(name).summary(summary);
    if (args) cmd.argument(args);
    if (name === 'apply') addFilenameOption(cmd, 'the manifests (repeatable; a directory; - for stdin)');
    else cmd.option('-l, --selector <selector>', 'the nodes, by label selector (instead of names)');
    cmd.option('--fail-on <actions>', FAIL_ON_HELP, collect);
    addOutputOption(cmd, WHATIF_FORMATS);
    addReadOptions(cmd);
    addConnectionOptions(cmd);
    addGlobalOptions(cmd);
    cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`).action(async (...a: unknown[]) => {
      const raw = a[a.length - 2] as RawFlags;
      const positional = a.slice(0, -2).flat() as string[];
      const opts = completeWhatIf(name, positional, raw);
      await (await import('./whatif-run.ts')).runWhatIf(opts, io);
    });
  };
  sub('apply', '', 'what applying DaemonSet or Node manifests will do', ['kubectl ds-inspect what-if apply -f cilium.yaml', 'kubectl ds-inspect what-if apply -f manifests/ --fail-on delete,unschedulable', 'helm template cilium cilium/cilium | kubectl ds-inspect what-if apply -f -']);
  sub('taint', '[args...]', 'what a taint (KEY[=VALUE]:EFFECT) or its removal (KEY[:EFFECT]-) will do', ['kubectl ds-inspect what-if taint worker-7 dedicated=gpu:NoExecute', 'kubectl ds-inspect what-if taint -l pool=spot spot=true:NoSchedule', 'kubectl ds-inspect what-if taint node/worker-7 dedicated:NoExecute-']);
  sub('label', '[args...]', 'what setting (KEY=VALUE) or removing (KEY-) a node label will do', ['kubectl ds-inspect what-if label worker-7 nvidia.com/gpu.present-', 'kubectl ds-inspect what-if label -l pool=a disktype=ssd']);
  sub('cordon', '[nodes...]', 'what cordoning nodes will do (DaemonSet pods tolerate it by default)', ['kubectl ds-inspect what-if cordon worker-7']);
  sub('uncordon', '[nodes...]', 'what uncordoning nodes will do', ['kubectl ds-inspect what-if uncordon -l pool=a']);
}
