// `rollout advance`: walk an OnDelete (or paused) DaemonSet to its current revision, wave by wave, through
// the controller: delete an old pod (with preconditions), wait until the controller's new pod on that
// node is Ready and available, go on. One walk at a time, by a lock annotation on the DaemonSet (kured
// keeps its lock on its own DaemonSet the same way). Each wave is planned from a fresh look at the
// cluster (src/model/advance.ts), so nodes that go down meanwhile count against the budget.

import { hostname, userInfo } from 'node:os';
import { RuntimeError, UsageError } from '../../errors.ts';
import { deletePodWithPreconditions, patchLock } from '../../io/live/advance.ts';
import { getDaemonSet } from '../../io/live/reads.ts';
import type { LiveSession } from '../../io/live/session.ts';
import { openSource } from '../../io/source.ts';
import { advanceMode, advancePlan, holdsLock, lockDecision, lockPatch, type AdvancePlan, type PlannedNode } from '../../model/advance.ts';
import { computeCoverage, explainNode, type CoverageCell, type CoverageReport } from '../../model/coverage.ts';
import type { ClusterState, DaemonSet } from '../../model/types.ts';
import { briefReason } from '../../render/coverage.ts';
import { renderAdvancePlan, renderAdvanceProgress, renderAdvanceRemaining } from '../../render/rollout.ts';
import type { CliIO } from '../../runtime.ts';
import type { AdvanceCommandOptions } from '../options.ts';
import { chalkFor, warn } from '../terminal.ts';
import { Sleepers } from '../../util/sleepers.ts';

const POLL_MS = 1000;
const LOCK_RETRIES = 5;

/** Who holds the lock: user@host/pid, so a stale lock names the run that left it. */
function holderName(env: NodeJS.ProcessEnv): string {
  let user = env.USER ?? env.USERNAME ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers): the environment's name */
  }
  return `${user}@${hostname()}/${process.pid}`;
}

interface Look {
  ds: DaemonSet;
  state: ClusterState;
  report: CoverageReport;
  cells: Map<string, CoverageCell>;
}

/** The interruptible wait of the walk: Ctrl-C or a lost lock wakes it at once. */
class Stop {
  reason: string | undefined;
  private readonly sleepers = new Sleepers();
  stop(reason: string): void {
    this.reason ??= reason;
    this.sleepers.wakeAll();
  }
  sleep(ms: number): Promise<void> {
    return this.sleepers.sleep(ms);
  }
}

export async function runAdvance(opts: AdvanceCommandOptions, io: CliIO): Promise<void> {
  const c = chalkFor(io, io.stdout, opts.color);
  const source = openSource({ kind: 'live', connection: opts.connection }, { env: io.env, readStdin: io.readStdin, log: { verbosity: opts.verbosity, write: (l) => io.stderr.write(l) } });
  try {
    const session = await source.session();
    const ns = opts.connection.namespace ?? session.conn.namespace;
    const look = async (): Promise<Look> => {
      const loaded = await source.load({ scope: { namespace: ns, allNamespaces: false, names: [opts.name], daemonSetSelector: [], nodeSelector: [], nodesFiltered: false }, needs: { nodes: 'all', events: true } });
      const ds = loaded.state.daemonSets[0]!;
      const report = computeCoverage(loaded.state, { nowMs: io.now() });
      const cells = new Map(report.cells.filter((x) => x.daemonSet === opts.name).map((x) => [x.node, x]));
      return { ds, state: loaded.state, report, cells };
    };
    const first = await look();
    const mode = advanceMode(first.ds);
    if (!mode.ok) throw new UsageError(mode.message);
    checkRevisions(first);
    if (!opts.dryRun) {
      // Another walk first: its own deletions use up the budget, and "held by X" is the answer that helps.
      const pre = lockDecision(first.ds, io.now(), '', Math.ceil(opts.lockTtlMs / 1000));
      if (pre.action === 'held-by' || pre.action === 'unreadable') throw new RuntimeError(pre.message);
    }
    const planOf = (l: Look, advanced: number): AdvancePlan =>
      advancePlan(l.ds, mode.mode, l.state, l.report, { maxUnavailable: opts.maxUnavailable, nodeSelector: opts.nodeSelector, partition: opts.partition, limit: opts.limit === undefined ? undefined : opts.limit - advanced });
    const plan = planOf(first, 0);
    for (const g of first.state.gaps) warn(io, opts.color, g.message);
    if (opts.dryRun) {
      io.stdout.write(renderAdvancePlan(opts.name, plan, c));
      io.stdout.write('(dry run: nothing was deleted)\n');
      return;
    }
    if (plan.order.length === 0) {
      io.stdout.write(`daemon set "${opts.name}": nothing to advance${plan.skipped.length > 0 ? ` (${plan.skipped.length} old node${plan.skipped.length === 1 ? '' : 's'} left alone; --dry-run says why)` : ''}\n`);
      io.stdout.write(renderAdvanceRemaining(plan.oldNodes, plan.desired));
      return;
    }
    if (plan.waves.length === 0) throw new RuntimeError(`daemon set "${opts.name}": ${plan.blocked ?? 'nothing can be advanced within the budget'}`);
    await walk(opts, io, session, look, planOf, ns);
  } finally {
    source.close();
  }
}

/** Without the current revision's hash every pod looks old: deleting them would never end. */
function checkRevisions(l: Look): void {
  const summary = l.report.daemonSets[0];
  const gap = l.state.gaps.find((g) => g.resource === 'controllerrevisions');
  if (gap) throw new RuntimeError(`${gap.message.replace(/: pods count as updated.*?;/, ': which pods are old is unknown;')}`);
  if (summary?.currentHash === undefined) {
    const gen = l.ds.metadata.generation ?? '?';
    throw new RuntimeError(`daemon set "${l.ds.metadata.name ?? ''}": the controller has not recorded a revision for the current template yet (generation ${gen}, observed ${l.ds.status?.observedGeneration ?? 'none'}); run advance again in a moment`);
  }
}

function progress(l: Look, note: string): string {
  const s = l.report.daemonSets[0]!;
  return renderAdvanceProgress({ updated: s.updated, desired: s.desired, available: s.available, revision: s.currentRevision, note });
}

async function walk(
  o: AdvanceCommandOptions,
  io: CliIO,
  session: LiveSession,
  look: () => Promise<Look>,
  planOf: (l: Look, advanced: number) => AdvancePlan,
  ns: string,
): Promise<void> {
  const holder = holderName(io.env);
  const ttlSeconds = Math.ceil(o.lockTtlMs / 1000);
  const stop = new Stop();
  await takeLock(o, io, session, ns, holder, ttlSeconds);
  // Ctrl-C: stop waiting, release the lock, say what was left mid-way. A second Ctrl-C leaves at once
  // (the lock then expires after its TTL).
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      io.stderr.write(`interrupted again: leaving now; the lock expires after ${ttlSeconds}s\n`);
      process.exit(130);
    }
    stop.stop('interrupted (Ctrl-C)');
  };
  process.on('SIGINT', onSigint);
  let refreshing = Promise.resolve();
  const timer = setInterval(() => {
    // Serialized, and never rejected: a renewal that fails stops the walk (the lock would expire under it).
    refreshing = refreshing.then(() =>
      refreshLock(o, session, ns, holder, ttlSeconds, io.now()).then(
        (lost) => {
          if (lost) stop.stop(lost);
        },
        (e: unknown) => stop.stop(`the lock of daemonset "${o.name}" could not be renewed (${e instanceof Error ? e.message : String(e)})`),
      ),
    );
  }, Math.max(1000, Math.floor(o.lockTtlMs / 3)));
  let failure: string | undefined;
  try {
    // Planned again under the lock: the first look was taken before it (another walk may just have ended).
    failure = await waves(o, io, session, look, planOf, await look(), ns, stop);
  } finally {
    clearInterval(timer);
    process.off('SIGINT', onSigint);
    await refreshing;
    await releaseLock(o, io, session, ns, holder);
  }
  if (failure) throw new RuntimeError(failure);
}

async function takeLock(o: AdvanceCommandOptions, io: CliIO, session: LiveSession, ns: string, holder: string, ttlSeconds: number): Promise<void> {
  for (let i = 0; i < LOCK_RETRIES; i++) {
    const ds = await getDaemonSet(session.client, ns, o.name);
    const d = lockDecision(ds, io.now(), holder, ttlSeconds);
    if (d.action === 'held-by' || d.action === 'unreadable') throw new RuntimeError(d.message);
    const after = await patchLock(session.client, ds, d.patch);
    // 409: the DaemonSet changed since it was read (status, another walk's lock): read and decide again.
    if (after === 'conflict') continue;
    if (d.action === 'stale-takeover') warn(io, o.color, d.message);
    return;
  }
  throw new RuntimeError(`could not take the lock of daemonset "${o.name}": it changed ${LOCK_RETRIES} times while ds-inspect tried; run advance again`);
}

/** Renew our lock; the message when it is no longer ours (taken over after it expired). */
async function refreshLock(o: AdvanceCommandOptions, session: LiveSession, ns: string, holder: string, ttlSeconds: number, nowMs: number): Promise<string | undefined> {
  for (let i = 0; i < LOCK_RETRIES; i++) {
    const ds = await getDaemonSet(session.client, ns, o.name);
    const d = lockDecision(ds, nowMs, holder, ttlSeconds);
    if (d.action === 'take') return `the lock annotation of daemonset "${o.name}" was removed by someone else; stopping`;
    if (d.action === 'unreadable') return d.message;
    if (d.action !== 'refresh') {
      const l = d.action === 'held-by' ? d.holder.holder : d.previous.holder;
      return `the lock of daemonset "${o.name}" was taken over by ${l} (it was not renewed within --lock-ttl); stopping`;
    }
    if ((await patchLock(session.client, ds, d.patch)) !== 'conflict') return undefined;
  }
  return undefined;
}

async function releaseLock(o: AdvanceCommandOptions, io: CliIO, session: LiveSession, ns: string, holder: string): Promise<void> {
  try {
    for (let i = 0; i < LOCK_RETRIES; i++) {
      const ds = await getDaemonSet(session.client, ns, o.name);
      if (!holdsLock(ds, holder)) return;
      if ((await patchLock(session.client, ds, lockPatch(ds, null))) !== 'conflict') return;
    }
  } catch (e) {
    warn(io, o.color, `the lock of daemonset "${o.name}" was not released (${e instanceof Error ? e.message : String(e)}); it expires after --lock-ttl`);
  }
}

/** The walk itself; the failure that stopped it, or undefined when it ended as planned. */
async function waves(
  o: AdvanceCommandOptions,
  io: CliIO,
  session: LiveSession,
  look: () => Promise<Look>,
  planOf: (l: Look, advanced: number) => AdvancePlan,
  first: Look,
  ns: string,
  stop: Stop,
): Promise<string | undefined> {
  let advanced = 0;
  let waveNo = 0;
  const conflicts = new Map<string, number>();
  let current = first;
  for (;;) {
    if (stop.reason) return `${stop.reason}: stopped before wave ${waveNo + 1}; ${advanced} node${advanced === 1 ? '' : 's'} advanced`;
    const plan = planOf(current, advanced);
    if (plan.order.length === 0) {
      io.stdout.write(progress(current, 'done'));
      io.stdout.write(renderAdvanceRemaining(plan.oldNodes, plan.desired));
      return undefined;
    }
    const wave = plan.waves[0];
    if (!wave) return `daemon set "${o.name}": ${plan.blocked ?? 'nothing can be advanced within the budget'}; ${advanced} node${advanced === 1 ? '' : 's'} advanced`;
    waveNo++;
    io.stdout.write(`wave ${waveNo}: ${wave.map((n) => n.node).join(', ')}\n`);
    const deleted: { node: PlannedNode; at: number }[] = [];
    for (const n of wave) {
      if (stop.reason) break;
      io.stdout.write(progress(current, `advancing ${n.node} (deleting pod ${n.pod}${n.revision !== undefined ? ` of revision ${n.revision}` : ''})`));
      const r = await deletePodWithPreconditions(session.client, ns, n.pod, { uid: n.uid, resourceVersion: n.resourceVersion });
      if (r === 'changed') {
        // The pod changed since the plan read it (its status moved): plan again from a fresh look.
        const k = (conflicts.get(n.node) ?? 0) + 1;
        conflicts.set(n.node, k);
        if (k >= 3) return `pod ${n.pod} on ${n.node} kept changing between the plan and its deletion (409 three times); ${advanced} node${advanced === 1 ? '' : 's'} advanced`;
        continue;
      }
      deleted.push({ node: n, at: io.now() });
    }
    // Wait for every node of the wave: its counted pod is the controller's new one, updated and available.
    const pending = new Map(deleted.map((d) => [d.node.node, d]));
    const failed: string[] = [];
    let lastNote = '';
    while (pending.size > 0) {
      if (stop.reason) {
        return `${stop.reason} while waiting for ${[...pending.keys()].join(', ')} (their old pods were deleted; the controller creates the new ones); ${advanced} node${advanced === 1 ? '' : 's'} advanced`;
      }
      await stop.sleep(POLL_MS);
      if (stop.reason) continue;
      current = await look();
      for (const [node, d] of pending) {
        const cell = current.cells.get(node);
        const counted = cell?.pods.find((p) => p.counted);
        if (cell && counted && counted.name !== d.node.pod && cell.counted.updated && cell.counted.available) {
          pending.delete(node);
          advanced++;
          io.stdout.write(progress(current, `${node} advanced (pod ${counted.name})`));
        } else if (io.now() - d.at >= o.nodeTimeoutMs) {
          pending.delete(node);
          failed.push(`${node}: ${whyNot(current, node, io.now())}`);
        }
      }
      const note = `waiting for ${[...pending.keys()].join(', ')}`;
      if (pending.size > 0 && note !== lastNote) io.stdout.write(progress(current, note));
      lastNote = note;
    }
    if (failed.length > 0) {
      io.stdout.write(renderAdvanceRemaining(planOf(current, advanced).oldNodes, current.report.daemonSets[0]?.desired ?? 0));
      return `the new pod did not become Ready and available within --node-timeout ${o.nodeTimeoutText}, so the walk stopped (every other node keeps its pod): ${failed.join('; ')}`;
    }
    if (deleted.length > 0 || conflicts.size > 0) current = await look();
  }
}

/** The why-not explanation of the DaemonSet on the node, as one phrase. */
function whyNot(l: Look, node: string, nowMs: number): string {
  const n = l.state.nodes.find((x) => x.metadata.name === node) ?? node;
  const r = explainNode({ ...l.state, daemonSets: [l.ds] }, n, { nowMs }).results[0];
  if (!r) return 'no pod of the DaemonSet on the node';
  const reasons = r.reasons.slice(0, 3).map(briefReason).join('; ');
  return `${r.state}${reasons ? ` (${reasons})` : ''}`;
}
