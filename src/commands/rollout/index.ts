// `kubectl ds-inspect rollout status|history|undo|pause|resume|restart|advance`: the command tree. Options are
// completed and validated here (pure) before the work, which is loaded on demand.

import { Option, type Command } from 'commander';
import type { CliIO } from '../../runtime.ts';
import { addBoolean, addConnectionOptions, addDryRunOption, addGlobalOptions, addNamespaceOption, addNoHeaders, addOptionalValue, addOutputOption, addReadOptions } from '../flags.ts';
import { completeAdvance, completeHistory, completePauseResume, completeRestart, completeStatus, completeUndo, HISTORY_FORMATS, POLICY_VALUES, STATUS_FORMATS, WRITE_FORMATS, type RawFlags } from '../options.ts';

const examples = (lines: string[]): string => `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}`;

function readCommand(cmd: Command): Command {
  addReadOptions(cmd);
  addConnectionOptions(cmd);
  return addGlobalOptions(cmd);
}

function writeCommand(cmd: Command): Command {
  addDryRunOption(cmd);
  addOutputOption(cmd, WRITE_FORMATS);
  addNamespaceOption(cmd);
  addConnectionOptions(cmd);
  return addGlobalOptions(cmd);
}

export function registerRollout(program: Command, io: CliIO): void {
  const rollout = program
    .command('rollout')
    .summary('DaemonSet rollouts through ControllerRevisions: status, history, undo, pause, resume, restart, advance')
    .description('Manage DaemonSet rollouts. Unlike kubectl, status works for OnDelete and paused DaemonSets and pause/resume work at all.')
    .addHelpText('after', examples(['kubectl ds-inspect rollout status -n kube-system kube-proxy', 'kubectl ds-inspect rollout history -n kube-system ds/kube-proxy', 'kubectl ds-inspect rollout undo -n kube-system kube-proxy --to-revision=1']));

  const status = rollout
    .command('status')
    .argument('[daemonset...]', 'DaemonSets: NAME or ds/NAME')
    .summary('wait for a rollout and show which nodes hold it up')
    .description("kubectl's rollout status algorithm and messages, plus the budget in effect and the nodes that block progress. OnDelete and paused DaemonSets report which nodes still run an older revision (exit 0).");
  status.option('-l, --selector <selector>', 'wait for every DaemonSet matching this label selector');
  addBoolean(status, '-w, --watch', 'keep watching until done (the default; --watch=false takes one look)');
  status.option('--timeout <duration>', 'give up after this long (exit 1), e.g. 5m; 0 waits forever', '0').option('--interval <duration>', 'while watching, how often to re-judge without a change (re-list with a watch refused)', '2s');
  // Hidden: re-list every --interval instead of watching, for the benchmark (polling versus watching) and diagnosis.
  status.addOption(new Option('--poll').hideHelp());
  const policy = new Option('--policy <policy>', "whose definition of done to wait for: kubectl, helm (Helm 3's --wait), kstatus (Flux, Pulumi, Helm 4), argocd; all compares them in one look").default('kubectl');
  // For completion only (completeStatus validates, with a one-line usage error): argChoices without commander's choices() parser.
  policy.argChoices = [...POLICY_VALUES];
  status.addOption(policy);
  addOutputOption(status, STATUS_FORMATS);
  readCommand(status)
    .addHelpText('after', examples(['kubectl ds-inspect rollout status -n kube-system kube-proxy            # wait, with a live progress view', 'kubectl ds-inspect rollout status -n kube-system kube-proxy --watch=false', 'kubectl ds-inspect rollout status -n logging -l app=fluent-bit --timeout 5m', 'kubectl ds-inspect rollout status -n kube-system kube-proxy --policy all   # kubectl, Helm, kstatus and Argo CD side by side']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completeStatus(args, raw);
      await (await import('./status.ts')).runStatus(opts, io);
    });

  const history = rollout
    .command('history')
    .argument('<daemonset...>', 'the DaemonSet: NAME, ds/NAME or "daemonset NAME"')
    .summary('revisions with images, change-cause and how many pods run each')
    .option('--revision <n>', 'print the pod template of revision N');
  addOptionalValue(history, '--diff', '--diff[=A,B]', "unified diff of two revisions' templates (--diff=A,B); bare --diff: previous versus current");
  addOutputOption(history, HISTORY_FORMATS);
  addNoHeaders(history);
  readCommand(history)
    .addHelpText('after', examples(['kubectl ds-inspect rollout history -n kube-system kube-proxy -o wide', 'kubectl ds-inspect rollout history -n kube-system kube-proxy --diff        # previous vs current template', 'kubectl ds-inspect rollout history -n kube-system kube-proxy --revision=2']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completeHistory(args, raw);
      await (await import('./history.ts')).runHistory(opts, io);
    });

  const undo = rollout
    .command('undo')
    .argument('<daemonset...>', 'the DaemonSet: NAME, ds/NAME or "daemonset NAME"')
    .summary('roll back to a previous revision, as kubectl does, without losing a concurrent change')
    .option('--to-revision <n>', 'the revision to restore; 0 or absent = the previous one');
  writeCommand(undo)
    .addHelpText('after', examples(['kubectl ds-inspect rollout undo -n kube-system kube-proxy', 'kubectl ds-inspect rollout undo -n kube-system kube-proxy --to-revision=1 --dry-run=server']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completeUndo(args, raw);
      await (await import('./write.ts')).runUndo(opts, io);
    });

  const pause = rollout
    .command('pause')
    .argument('<daemonset...>', 'DaemonSets: NAME or ds/NAME')
    .summary('freeze a rollout (updateStrategy OnDelete, previous strategy saved)');
  writeCommand(pause)
    .addHelpText('after', examples(['kubectl ds-inspect rollout pause -n kube-system kube-proxy', 'kubectl ds-inspect rollout pause -n kube-system kube-proxy --dry-run=server']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completePauseResume('pause', args, raw);
      await (await import('./write.ts')).runPauseResume('pause', opts, io);
    });

  const resume = rollout
    .command('resume')
    .argument('<daemonset...>', 'DaemonSets: NAME or ds/NAME')
    .summary('continue a paused rollout with its saved strategy restored exactly')
    .option('--strategy <json>', 'restore this updateStrategy by hand (when the saved one was lost), e.g. \'{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}\'');
  addBoolean(resume, '--force', 'resume even though the strategy was changed while paused (writes the saved one)');
  writeCommand(resume)
    .addHelpText('after', examples(['kubectl ds-inspect rollout resume -n kube-system kube-proxy', 'kubectl ds-inspect rollout resume -n kube-system kube-proxy --strategy=\'{"type":"RollingUpdate"}\'']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completePauseResume('resume', args, raw);
      await (await import('./write.ts')).runPauseResume('resume', opts, io);
    });

  const restart = rollout
    .command('restart')
    .argument('<daemonset...>', 'DaemonSets: NAME or ds/NAME')
    .summary('restart every pod through a rollout (restartedAt annotation, as kubectl)');
  writeCommand(restart)
    .addHelpText('after', examples(['kubectl ds-inspect rollout restart -n monitoring node-exporter', 'kubectl ds-inspect rollout restart -n monitoring ds/node-exporter --dry-run=server']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completeRestart(args, raw);
      await (await import('./write.ts')).runRestart(opts, io);
    });
  const advance = rollout
    .command('advance')
    .argument('<daemonset...>', 'the DaemonSet: NAME, ds/NAME or "daemonset NAME"')
    .summary('walk an OnDelete or paused DaemonSet to its current revision, node by node, within a budget')
    .description(
      'Delete old-revision pods wave by wave (the controller creates the new pod on each node), waiting until each new pod is Ready and available. Never more nodes without an available pod than --max-unavailable, counting nodes already down. One walk at a time: a lock annotation on the DaemonSet.',
    )
    .option('--max-unavailable <n>', 'most nodes without an available pod at any time, counting nodes already down: N or N% of desired (rounded up)', '1')
    .option('--nodes <selector>', 'advance only nodes matching this label selector (a canary pool)')
    .option('--partition <n>', 'stop when N nodes still run an older revision (as OpenKruise)')
    .option('--limit <n>', 'advance at most N nodes in this run')
    .option('--node-timeout <duration>', 'stop the walk when a new pod is not Ready and available after this long', '5m')
    .option('--lock-ttl <duration>', 'the lock expires when not renewed for this long (a killed run); renewed every third of it', '2m');
  addDryRunOption(advance);
  addNamespaceOption(advance);
  addConnectionOptions(advance);
  addGlobalOptions(advance)
    .addHelpText('after', examples(['kubectl ds-inspect rollout advance -n kube-system kube-proxy --dry-run', 'kubectl ds-inspect rollout advance -n kube-system kube-proxy --max-unavailable 25%', 'kubectl ds-inspect rollout advance -n kube-system kube-proxy --nodes pool=canary --limit 2', 'kubectl ds-inspect rollout advance -n kube-system kube-proxy --partition 3']))
    .action(async (args: string[], raw: RawFlags) => {
      const opts = completeAdvance(args, raw);
      await (await import('./advance.ts')).runAdvance(opts, io);
    });
}
