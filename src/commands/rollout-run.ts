// The work of the `rollout` subcommands, loaded only when one runs: glue between flags, the loaders
// (src/io), the pure rollout model and the renderers.

import { RuntimeError, UsageError } from '../errors.ts';
import { getDaemonSet, listRevisions, patchDaemonSet } from '../io/daemonsets.ts';
import type { LiveSession } from '../io/live.ts';
import { loadState } from '../io/source.ts';
import { computeCoverage } from '../model/coverage.ts';
import { currentRevision, revisionTemplate, templatesEqual } from '../model/revisions.ts';
import { historyRows, pauseDecision, resumeDecision, undoTarget } from '../model/rollout.ts';
import { rolloutStatusView, type RolloutStatusView } from '../model/rolloutStatus.ts';
import { parseDaemonSetArg } from '../model/scope.ts';
import type { ControllerRevision, DaemonSet } from '../model/types.ts';
import { serialize } from '../render/output.ts';
import { renderHistory, renderRolloutStatus, templateDiff, templateYaml } from '../render/rollout.ts';
import { parseDuration } from '../util/duration.ts';
import { scopeFrom } from './common.ts';
import { interactive, stdoutChalk, warn, type CliIO, type CommonFlags } from './context.ts';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface StatusFlags extends CommonFlags {
  selector?: string;
  watch?: string | boolean;
  timeout: string;
  output?: 'json' | 'yaml';
  interval: string;
}

function parseBool(flag: string, v: string | boolean | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new UsageError(`${flag}: expected true or false, got "${v}"`);
}

function dryRunMode(v: string | undefined): 'none' | 'client' | 'server' {
  if (v === undefined || v === 'none') return 'none';
  if (v === 'client' || v === 'server') return v;
  throw new UsageError(`--dry-run: must be "none", "server" or "client", got "${v}"`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function statusViews(flags: StatusFlags, names: string[], io: CliIO): Promise<RolloutStatusView[]> {
  const scope = scopeFrom(flags, names);
  const { state } = await loadState(flags, { scope, wantEvents: true }, io);
  if (state.daemonSets.length === 0) throw new UsageError(`no DaemonSets match${scope.namespace ? ` in namespace "${scope.namespace}"` : ''}`);
  const report = computeCoverage(state, { nowMs: io.now() });
  return state.daemonSets.map((ds) => {
    const summary = report.daemonSets.find((d) => d.name === ds.metadata.name && d.namespace === (ds.metadata.namespace ?? 'default'))!;
    return rolloutStatusView(ds, summary, report.cells);
  });
}

export async function runStatus(names: string[], flags: StatusFlags, io: CliIO): Promise<void> {
  if (names.length === 0 && !flags.selector) throw new UsageError('rollout status: name a DaemonSet (NAME or daemonset/NAME) or select some with -l');
  const timeoutMs = parseDuration('--timeout', flags.timeout);
  const intervalMs = Math.max(200, parseDuration('--interval', flags.interval));
  const machine = flags.output === 'json' || flags.output === 'yaml';
  const watch = parseBool('--watch', flags.watch, true) && flags.snapshot.length === 0;
  const live = watch && !machine && interactive(io) && io.stdout.isTTY === true;
  const c = stdoutChalk(io, flags);
  const started = io.now();
  let drawnLines = 0;
  let lastPrinted = '';
  for (;;) {
    const views = await statusViews(flags, names, io);
    const done = views.every((v) => v.done);
    if (machine) {
      if (done || !watch || (timeoutMs > 0 && io.now() - started >= timeoutMs)) {
        io.stdout.write(serialize({ kind: 'DaemonSetRolloutStatus', done, daemonSets: views }, flags.output as 'json' | 'yaml'));
        if (!done && watch) throw new RuntimeError(`timed out after ${flags.timeout} waiting for the rollout`);
        return;
      }
    } else {
      const text = views.map((v) => renderRolloutStatus(v, c, { verbose: !watch })).join('');
      if (live) {
        // Redraw in place: move up over the previous frame, clear to the end of the screen.
        if (drawnLines > 0) io.stdout.write(`\x1b[${drawnLines}F\x1b[J`);
        io.stdout.write(text);
        drawnLines = text.split('\n').length - 1;
      } else {
        const headline = views.map((v) => v.message).join('\n');
        if (headline !== lastPrinted) io.stdout.write(text);
        lastPrinted = headline;
      }
      if (done || !watch) return;
    }
    if (timeoutMs > 0 && io.now() - started >= timeoutMs) {
      const blocking = views.filter((v) => !v.done).flatMap((v) => v.blocking.map((b) => `${v.name}@${b.node}`));
      throw new RuntimeError(`timed out after ${flags.timeout} waiting for the rollout; blocking: ${blocking.slice(0, 8).join(', ') || 'status not observed yet'}${blocking.length > 8 ? ` and ${blocking.length - 8} more` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export interface HistoryFlags extends CommonFlags {
  output?: 'wide' | 'json' | 'yaml';
  revision?: string;
  diff?: string[] | boolean;
}

function parseRevisionNumber(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag}: "${v}" is not a revision number`);
  return Number(v);
}

function findRevision(revs: readonly ControllerRevision[], n: number, name: string): ControllerRevision {
  const r = revs.find((x) => x.revision === n);
  if (!r) throw new UsageError(`daemonset "${name}" has no revision ${n}; revisions: ${revs.map((x) => x.revision).join(', ') || '<none>'}`);
  return r;
}

export async function runHistory(name: string, flags: HistoryFlags, io: CliIO): Promise<void> {
  const scope = scopeFrom(flags, [name]);
  const { state } = await loadState(flags, { scope, wantEvents: false, wantNodes: false }, io);
  const ds = state.daemonSets[0];
  if (!ds) throw new UsageError(`daemonset "${name}" not found`);
  const revs = state.controllerRevisions.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === ds.metadata.uid)).sort((a, b) => a.revision - b.revision);
  const cur = currentRevision(ds, state.controllerRevisions);
  const rows = historyRows(ds, state.controllerRevisions, state.pods, cur?.metadata.name);
  const c = stdoutChalk(io, flags);
  const dsName = ds.metadata.name ?? '';
  if (flags.revision !== undefined) {
    const r = findRevision(revs, parseRevisionNumber('--revision', flags.revision), dsName);
    if (flags.output === 'json' || flags.output === 'yaml') {
      io.stdout.write(serialize(revisionTemplate(r) ?? {}, flags.output));
      return;
    }
    io.stdout.write(`daemonset.apps/${dsName} with revision #${r.revision}\nPod Template:\n${templateYaml(revisionTemplate(r)).replace(/^/gm, '  ')}`);
    return;
  }
  if (flags.diff !== undefined && flags.diff !== false) {
    const args = Array.isArray(flags.diff) ? flags.diff : [];
    let a: ControllerRevision;
    let b: ControllerRevision;
    if (args.length === 2) {
      a = findRevision(revs, parseRevisionNumber('--diff', args[0]!), dsName);
      b = findRevision(revs, parseRevisionNumber('--diff', args[1]!), dsName);
    } else if (args.length === 0) {
      if (!cur) throw new UsageError(`daemonset "${dsName}" has no revision matching its template yet`);
      const older = revs.filter((r) => r.revision < cur.revision);
      if (older.length === 0) throw new UsageError(`daemonset "${dsName}" has no revision before the current one (${cur.revision})`);
      a = older[older.length - 1]!;
      b = cur;
    } else {
      throw new UsageError('--diff takes two revision numbers (--diff A B), or none for previous versus current');
    }
    io.stdout.write(templateDiff(`revision ${a.revision}`, revisionTemplate(a), `revision ${b.revision}`, revisionTemplate(b), c));
    return;
  }
  if (flags.output === 'json' || flags.output === 'yaml') {
    const doc = {
      kind: 'DaemonSetHistory',
      namespace: ds.metadata.namespace ?? 'default',
      name: dsName,
      revisions: rows.map((r) => ({ revision: r.revision, hash: r.hash, current: r.current, changeCause: r.changeCause === '<none>' ? null : r.changeCause, images: r.images, pods: r.pods, nodes: r.nodes, name: r.name, createdAt: r.createdAt ?? null })),
    };
    io.stdout.write(serialize(doc, flags.output));
    return;
  }
  if (rows.length === 0) {
    io.stdout.write(`No rollout history found in daemonset.apps "${dsName}"\n`);
    return;
  }
  io.stdout.write(renderHistory(`daemonset.apps/${dsName}`, rows, c, { wide: flags.output === 'wide', nowMs: io.now() }));
}

export interface WriteFlags extends CommonFlags {
  dryRun?: string;
  toRevision?: string;
}

/** Who else manages this DaemonSet: an undo or restart here will be reverted or fought over. */
function managerWarnings(ds: DaemonSet): string[] {
  const a = ds.metadata.annotations ?? {};
  const l = ds.metadata.labels ?? {};
  const out: string[] = [];
  if (a[LAST_APPLIED] !== undefined) out.push('it is managed with `kubectl apply` (last-applied-configuration annotation): the next apply of its manifest will undo this change');
  if (a['argocd.argoproj.io/tracking-id'] !== undefined || l['argocd.argoproj.io/instance'] !== undefined || (l['app.kubernetes.io/instance'] !== undefined && a['argocd.argoproj.io/sync-options'] !== undefined)) {
    out.push('it is managed by Argo CD: auto-sync will revert this change unless you change the source in Git');
  }
  if (Object.keys(l).some((k) => k.startsWith('kustomize.toolkit.fluxcd.io/') || k.startsWith('helm.toolkit.fluxcd.io/'))) {
    out.push('it is managed by Flux: the next reconciliation will revert this change unless you change the source');
  }
  return out;
}

/** For each named DaemonSet (read fresh, in the namespace in scope), run `fn`; one connection pool for all. */
async function forEachDaemonSet(flags: CommonFlags, names: readonly string[], io: CliIO, fn: (ctx: { ds: DaemonSet; session: LiveSession; ns: string }) => Promise<void>): Promise<void> {
  if (flags.snapshot.length > 0) throw new UsageError('this command changes the cluster: it cannot run on --snapshot');
  if (flags.allNamespaces) throw new UsageError('-A/--all-namespaces does not apply here: name the DaemonSet and its namespace with -n');
  const parsed = names.map(parseDaemonSetArg);
  // Loaded on demand: the live client stays out of the start-up path of snapshot and help runs.
  const { openSession } = await import('../io/live.ts');
  const session = await openSession(flags, io);
  try {
    const ns = flags.namespace ?? session.conn.namespace;
    for (const name of parsed) {
      const ds = await getDaemonSet(session.client, ns, name);
      await fn({ ds, session, ns });
    }
  } finally {
    session.client.close();
  }
}

export async function runUndo(name: string, flags: WriteFlags, io: CliIO): Promise<void> {
  const mode = dryRunMode(flags.dryRun);
  const toRevision = flags.toRevision === undefined ? 0 : parseRevisionNumber('--to-revision', flags.toRevision);
  await forEachDaemonSet(flags, [name], io, async ({ ds, session }) => {
    const dsName = ds.metadata.name ?? '';
    const revs = (await listRevisions(session.client, ds)).filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === ds.metadata.uid));
    const target = undoTarget(revs, toRevision);
    if (typeof target === 'string') throw new UsageError(`daemonset "${dsName}": ${target}; see kubectl ds-inspect rollout history ${dsName}`);
    const c = stdoutChalk(io, flags);
    const targetTemplate = revisionTemplate(target);
    if (templatesEqual(targetTemplate, ds.spec.template)) {
      io.stdout.write(`daemonset.apps/${dsName} skipped rollback (current template already matches revision ${target.revision})\n`);
      return;
    }
    for (const w of managerWarnings(ds)) warn(io, flags, `daemonset "${dsName}": ${w}`);
    const maxRev = Math.max(...revs.map((r) => r.revision));
    // kubectl applies the revision's data (the template with "$patch": "replace") as a strategic merge
    // patch; the resourceVersion makes the server refuse it if the DaemonSet changed since we read it.
    const data = (target.data ?? {}) as Record<string, unknown>;
    const patch = { ...data, metadata: { resourceVersion: ds.metadata.resourceVersion } };
    if (mode === 'client') {
      io.stdout.write(templateDiff('current template', ds.spec.template, `revision ${target.revision}`, targetTemplate, c));
      io.stdout.write(`daemonset.apps/${dsName} rolled back (dry run)\n`);
      return;
    }
    const after = await patchDaemonSet(session.client, ds, patch, 'strategic', { dryRunServer: mode === 'server', env: io.env, verb: 'rollout undo' });
    if (mode === 'server') {
      io.stdout.write(templateDiff('current template', ds.spec.template, `revision ${target.revision} (server dry run)`, after.spec.template, c));
      io.stdout.write(`daemonset.apps/${dsName} rolled back (server dry run)\n`);
      return;
    }
    io.stdout.write(`daemonset.apps/${dsName} rolled back\n`);
    io.stderr.write(`revision ${target.revision}'s template is current again; the controller renumbers it as revision ${maxRev + 1} (revision ${target.revision} leaves the history)\n`);
  });
}

export async function runPauseResume(which: 'pause' | 'resume', names: string[], flags: WriteFlags, io: CliIO): Promise<void> {
  if (names.length === 0) throw new UsageError(`rollout ${which}: name at least one DaemonSet`);
  const mode = dryRunMode(flags.dryRun);
  await forEachDaemonSet(flags, names, io, async ({ ds, session }) => {
    const dsName = ds.metadata.name ?? '';
    const d = which === 'pause' ? pauseDecision(ds) : resumeDecision(ds);
    if (d.action === 'noop') {
      io.stdout.write(`daemonset.apps/${dsName} ${d.message}\n`);
      return;
    }
    if (d.action === 'refuse') throw new UsageError(`daemonset "${dsName}" ${d.message}`);
    const suffix = mode === 'none' ? '' : ` (${mode} dry run)`;
    if (mode !== 'client') await patchDaemonSet(session.client, ds, d.patch, 'merge', { dryRunServer: mode === 'server', env: io.env, verb: `rollout ${which}` });
    io.stdout.write(`daemonset.apps/${dsName} ${which === 'pause' ? 'paused' : 'resumed'}${suffix}\n`);
    if (which === 'pause' && mode === 'none') {
      io.stderr.write('pods are no longer replaced; a node that joins meanwhile still gets the newest template (see README "rollout pause")\n');
    }
  });
}

export async function runRestart(names: string[], flags: WriteFlags, io: CliIO): Promise<void> {
  if (names.length === 0) throw new UsageError('rollout restart: name at least one DaemonSet');
  const mode = dryRunMode(flags.dryRun);
  await forEachDaemonSet(flags, names, io, async ({ ds, session }) => {
    const dsName = ds.metadata.name ?? '';
    for (const w of managerWarnings(ds).filter((x) => !x.includes('kubectl apply'))) warn(io, flags, `daemonset "${dsName}": ${w}`);
    // As kubectl: a restartedAt annotation on the pod template makes a new revision and rolls the pods.
    const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: new Date(io.now()).toISOString().replace(/\.\d+Z$/, 'Z') } } } } };
    const suffix = mode === 'none' ? '' : ` (${mode} dry run)`;
    if (mode !== 'client') await patchDaemonSet(session.client, ds, patch, 'strategic', { dryRunServer: mode === 'server', env: io.env, verb: 'rollout restart' });
    io.stdout.write(`daemonset.apps/${dsName} restarted${suffix}\n`);
  });
}

