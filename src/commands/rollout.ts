// `kubectl ds-inspect rollout status|history|undo|pause|resume|restart`: the command tree. The work lives
// in rollout-run.ts and is loaded on demand, so `--help` and `--version` start fast.

import { Option, type Command } from 'commander';
import { addCommonOptions, outputOption } from './common.ts';
import type { CliIO } from './context.ts';
import type { HistoryFlags, StatusFlags, WriteFlags } from './rollout-run.ts';

const run = (): Promise<typeof import('./rollout-run.ts')> => import('./rollout-run.ts');

const EXAMPLES = `
Examples:
  kubectl ds-inspect rollout status -n kube-system kube-proxy            # wait, with a live progress view
  kubectl ds-inspect rollout status -n kube-system kube-proxy --watch=false
  kubectl ds-inspect rollout status -n logging -l app=fluent-bit --timeout 5m
  kubectl ds-inspect rollout history -n kube-system kube-proxy -o wide
  kubectl ds-inspect rollout history -n kube-system kube-proxy --diff      # previous vs current template
  kubectl ds-inspect rollout undo -n kube-system kube-proxy --to-revision 1 --dry-run=server
  kubectl ds-inspect rollout pause -n kube-system kube-proxy
  kubectl ds-inspect rollout resume -n kube-system kube-proxy
  kubectl ds-inspect rollout restart -n monitoring node-exporter`;

function dryRunOption(): Option {
  return new Option('--dry-run [strategy]', 'none, client (print what would change) or server (the API server validates, nothing is stored)').preset('client');
}

export function registerRollout(program: Command, io: CliIO): void {
  const rollout = program
    .command('rollout')
    .summary('DaemonSet rollouts through ControllerRevisions: status, history, undo, pause, resume, restart')
    .description('Manage DaemonSet rollouts. Unlike kubectl, status works for OnDelete and paused DaemonSets and pause/resume work at all.')
    .addHelpText('after', EXAMPLES);

  const status = rollout
    .command('status')
    .argument('[daemonset...]', 'DaemonSets (NAME or daemonset/NAME)')
    .summary('wait for a rollout and show which nodes hold it up')
    .description('kubectl\'s rollout status algorithm and messages, plus the budget in effect and the nodes that block progress. OnDelete and paused DaemonSets report which nodes still run an older revision (exit 0).')
    .option('-l, --selector <selector>', 'wait for every DaemonSet matching this label selector')
    .option('-w, --watch [bool]', 'keep watching until done (default true; --watch=false takes one look)')
    .option('--timeout <duration>', 'give up after this long (exit 1), e.g. 5m; 0 waits forever', '0')
    .option('--interval <duration>', 'how often to look again while watching', '2s')
    .addOption(outputOption(['json', 'yaml']))
    .addHelpText('after', EXAMPLES);
  addCommonOptions(status).action(async (names: string[], flags: StatusFlags) => (await run()).runStatus(names, flags, io));

  const history = rollout
    .command('history')
    .argument('<daemonset>', 'DaemonSet (NAME or daemonset/NAME)')
    .summary('revisions with images, change-cause and how many pods run each')
    .option('--revision <n>', 'print the pod template of revision N')
    .option('--diff [revisions...]', 'unified diff of two revisions\' templates (--diff A B); default previous versus current')
    .addOption(outputOption(['wide', 'json', 'yaml']))
    .addHelpText('after', EXAMPLES);
  addCommonOptions(history).action(async (name: string, flags: HistoryFlags) => (await run()).runHistory(name, flags, io));

  const undo = rollout
    .command('undo')
    .argument('<daemonset>', 'DaemonSet (NAME or daemonset/NAME)')
    .summary('roll back to a previous revision, as kubectl does, without losing a concurrent change')
    .option('--to-revision <n>', 'the revision to restore; 0 or absent = the previous one', '0')
    .addOption(dryRunOption())
    .addHelpText('after', EXAMPLES);
  addCommonOptions(undo).action(async (name: string, flags: WriteFlags) => (await run()).runUndo(name, flags, io));

  for (const which of ['pause', 'resume'] as const) {
    const cmd = rollout
      .command(which)
      .argument('<daemonset...>', 'DaemonSets (NAME or daemonset/NAME)')
      .summary(which === 'pause' ? 'freeze a rollout (updateStrategy OnDelete, previous strategy saved)' : 'continue a paused rollout with its saved strategy restored exactly')
      .addOption(dryRunOption())
      .addHelpText('after', EXAMPLES);
    addCommonOptions(cmd).action(async (names: string[], flags: WriteFlags) => (await run()).runPauseResume(which, names, flags, io));
  }

  const restart = rollout
    .command('restart')
    .argument('<daemonset...>', 'DaemonSets (NAME or daemonset/NAME)')
    .summary('restart every pod through a rollout (restartedAt annotation, as kubectl)')
    .addOption(dryRunOption())
    .addHelpText('after', EXAMPLES);
  addCommonOptions(restart).action(async (names: string[], flags: WriteFlags) => (await run()).runRestart(names, flags, io));
}
