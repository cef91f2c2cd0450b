// `rollout undo|pause|resume|restart`: read, decide (src/model/rollout.ts), write, print. Every write
// carries the resourceVersion it was decided on, or cannot clobber a concurrent change.

import { RuntimeError, UsageError } from '../../errors.ts';
import type { LiveSession } from '../../io/live/session.ts';
import { patchDaemonSet } from '../../io/live/daemonsets.ts';
import { getDaemonSet, listRevisions } from '../../io/live/reads.ts';
import { openSource } from '../../io/source.ts';
import { revisionTemplate } from '../../model/revisions.ts';
import { managerWarnings, pauseDecision, pauseState, restartPatch, restoreCommand, resumeDecision, strategyText, undoDecision } from '../../model/rollout.ts';
import type { DaemonSet, Gap } from '../../model/types.ts';
import { templateDiff } from '../../render/rollout.ts';
import type { CliIO } from '../../runtime.ts';
import type { PauseResumeOptions, UndoOptions, WriteOptions } from '../options.ts';
import { chalkFor, warn } from '../terminal.ts';

/**
 * Read every named DaemonSet first (a typo in the third name changes nothing), then run `fn` on each,
 * over one session.
 */
async function forEachDaemonSet(opts: WriteOptions, io: CliIO, fn: (ds: DaemonSet, session: LiveSession) => Promise<void>): Promise<void> {
  const source = openSource({ kind: 'live', connection: opts.connection }, { env: io.env, readStdin: io.readStdin, log: { verbosity: opts.verbosity, write: (l) => io.stderr.write(l) } });
  try {
    const session = await source.session();
    const ns = opts.connection.namespace ?? session.conn.namespace;
    const all: DaemonSet[] = [];
    for (const name of opts.names) all.push(await getDaemonSet(session.client, ns, name));
    for (const ds of all) await fn(ds, session);
  } finally {
    source.close();
  }
}

function done(opts: WriteOptions, io: CliIO, ds: DaemonSet, text: string): void {
  io.stdout.write(opts.outputName ? `daemonset.apps/${ds.metadata.name ?? ''}\n` : `daemonset.apps/${ds.metadata.name ?? ''} ${text}\n`);
}

/** kubectl's words: "(dry run)" for client, "(server dry run)" for server. */
const suffix = (opts: WriteOptions): string => (opts.dryRun === 'none' ? '' : opts.dryRun === 'client' ? ' (dry run)' : ' (server dry run)');

export async function runUndo(opts: UndoOptions, io: CliIO): Promise<void> {
  const c = chalkFor(io, io.stdout, opts.color);
  await forEachDaemonSet(opts, io, async (ds, session) => {
    const name = ds.metadata.name ?? '';
    const gaps = new Map<string, Gap>();
    const revisions = await listRevisions(session.client, [ds.metadata.namespace ?? 'default'], gaps);
    const gap = gaps.get('controllerrevisions');
    if (gap) throw new RuntimeError(gap.message.replace(/: pods count as updated.*?;/, ': the revisions to roll back to are unknown;'));
    const d = undoDecision(ds, revisions, opts.toRevision);
    if (d.action === 'refuse') throw new UsageError(`daemonset "${name}": ${d.message}; see kubectl ds-inspect rollout history ${name}`);
    if (d.action === 'skip') {
      done(opts, io, ds, d.message);
      return;
    }
    for (const w of managerWarnings(ds, 'rollback')) warn(io, opts.color, `daemonset "${name}": ${w}`);
    if (opts.dryRun === 'client') {
      if (!opts.outputName) io.stdout.write(templateDiff('current template', ds.spec.template, `revision ${d.target.revision}`, revisionTemplate(d.target), c));
      done(opts, io, ds, `rolled back${suffix(opts)}`);
      return;
    }
    const after = await patchDaemonSet(session.client, ds, d.patch, 'strategic', { dryRunServer: opts.dryRun === 'server', env: io.env, verb: 'rollout undo' });
    if (opts.dryRun === 'server') {
      if (!opts.outputName) io.stdout.write(templateDiff('current template', ds.spec.template, `revision ${d.target.revision} (server dry run)`, after.spec.template, c));
      done(opts, io, ds, `rolled back${suffix(opts)}`);
      return;
    }
    done(opts, io, ds, 'rolled back');
    io.stderr.write(`revision ${d.target.revision}'s template is current again; the controller renumbers it as revision ${d.nextRevision} (revision ${d.target.revision} leaves the history)\n`);
  });
}

export async function runPauseResume(which: 'pause' | 'resume', opts: PauseResumeOptions, io: CliIO): Promise<void> {
  await forEachDaemonSet(opts, io, async (ds, session) => {
    const name = ds.metadata.name ?? '';
    const d = which === 'pause' ? pauseDecision(ds) : resumeDecision(ds, { force: opts.force, ...(opts.strategy ? { strategy: opts.strategy } : {}) });
    if (d.action === 'noop') {
      done(opts, io, ds, d.message);
      return;
    }
    if (d.action === 'refuse') throw new UsageError(`daemonset "${name}" ${d.message}`);
    if (which === 'pause') for (const w of managerWarnings(ds, 'pause')) warn(io, opts.color, `daemonset "${name}": ${w}`);
    if (d.note) warn(io, opts.color, `daemonset "${name}": ${d.note}`);
    if (opts.dryRun !== 'client') await patchDaemonSet(session.client, ds, d.patch, 'merge', { dryRunServer: opts.dryRun === 'server', env: io.env, verb: `rollout ${which}` });
    done(opts, io, ds, `${which === 'pause' ? 'paused' : 'resumed'}${suffix(opts)}`);
    if (which === 'pause' && opts.dryRun === 'none') {
      const saved = ds.spec.updateStrategy ?? { type: 'RollingUpdate' };
      const was = pauseState(ds);
      const strategy = was.state === 'reverted' ? was.current : saved;
      io.stderr.write(
        `pods are no longer replaced; a node that joins meanwhile still gets the newest template (see README "rollout pause")\n` +
          `saved strategy: ${strategyText(strategy)}; if the annotation is lost, restore it with: ${restoreCommand(ds, strategy)}\n`,
      );
    }
  });
}

export async function runRestart(opts: WriteOptions, io: CliIO): Promise<void> {
  await forEachDaemonSet(opts, io, async (ds, session) => {
    const name = ds.metadata.name ?? '';
    // kubectl apply does not manage the template annotation restart adds, so only GitOps tools matter.
    for (const w of managerWarnings(ds, 'restart').filter((x) => !x.includes('kubectl apply'))) warn(io, opts.color, `daemonset "${name}": ${w}`);
    if (opts.dryRun !== 'client') await patchDaemonSet(session.client, ds, restartPatch(io.now()), 'strategic', { dryRunServer: opts.dryRun === 'server', env: io.env, verb: 'rollout restart' });
    done(opts, io, ds, `restarted${suffix(opts)}`);
  });
}
