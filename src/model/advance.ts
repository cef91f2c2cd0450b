// `rollout advance`, pure: the plan of an OnDelete walk (which old pods to delete, in which order, in how
// many waves, within a budget) and the decisions about the walk's lock annotation. The clock is passed in.
//
// The walk goes through the controller: under OnDelete the DaemonSet controller replaces a pod only when
// it is deleted, and then creates the current revision's pod on that node. The budget is the
// controller's own for RollingUpdate (daemonset update.go rollingUpdate, maxSurge 0): nodes whose old pod
// is already unavailable are replaced without spending budget; an available old pod is deleted only while
// fewer than maxUnavailable nodes lack an available pod (counting nodes down for any other reason).
// --partition and --nodes follow OpenKruise's Advanced DaemonSet (partition: how many pods stay on older
// revisions; selector: only nodes matching it are updated).

import { CellState, type CoverageCell, type CoverageReport } from './coverage.ts';
import { requirementMatches, type Requirement } from './labels.ts';
import { daemonPods, nodesToDaemonPods } from './pods.ts';
import { pauseState, scaledValue } from './rollout.ts';
import type { ClusterState, DaemonSet } from './types.ts';

export interface AdvanceOptions {
  /** --max-unavailable: an integer or "N%" of desired (rounded up, as intstr). */
  maxUnavailable: number | string;
  /** --nodes: only nodes matching every requirement are advanced (a canary pool). */
  nodeSelector: readonly Requirement[];
  /** --partition: stop when this many nodes still run an older revision. */
  partition: number | undefined;
  /** --limit: advance at most this many nodes (in this run). */
  limit: number | undefined;
}

/** One node to advance: the old pod to delete, with the preconditions its DELETE carries. */
export interface PlannedNode {
  node: string;
  pod: string;
  uid: string;
  resourceVersion: string;
  /** The old pod is already not available: replacing it costs no budget. */
  alreadyUnavailable: boolean;
  /** The old pod's revision number, when known. */
  revision: number | undefined;
}

interface SkippedNode {
  node: string;
  reason: string;
}

export interface AdvancePlan {
  mode: 'OnDelete' | 'Paused';
  desired: number;
  /** maxUnavailable resolved against desired. */
  budget: number;
  /** Nodes that should run the DaemonSet and have no available pod now. */
  unavailable: string[];
  /** Every node that should run the DaemonSet and still runs an older revision. */
  oldNodes: string[];
  /** The nodes this run advances, in order. */
  order: PlannedNode[];
  /** `order` cut into waves that each respect the budget (assuming the previous wave became available). */
  waves: PlannedNode[][];
  /** Nodes with an old pod that this run leaves alone, and why. */
  skipped: SkippedNode[];
  /** Why the first wave is empty although nodes are to be advanced (the budget is used up). */
  blocked?: string;
}

export type ModeCheck = { ok: true; mode: 'OnDelete' | 'Paused' } | { ok: false; message: string };

/** advance acts only where the controller does not replace pods itself: OnDelete, or paused by `rollout pause`. */
export function advanceMode(ds: DaemonSet): ModeCheck {
  const name = ds.metadata.name ?? '';
  const type = ds.spec.updateStrategy?.type ?? 'RollingUpdate';
  if (type === 'OnDelete') return { ok: true, mode: pauseState(ds).state === 'paused' ? 'Paused' : 'OnDelete' };
  const reverted = pauseState(ds).state === 'reverted' ? ' (its pause was reverted)' : '';
  return {
    ok: false,
    message: `daemonset "${name}" uses updateStrategy ${type}${reverted}: the controller is already walking it; pause it first (kubectl ds-inspect rollout pause ${name}) and run advance again`,
  };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function matchesAll(sel: readonly Requirement[], labels: Record<string, string> | undefined): boolean {
  return sel.every((r) => requirementMatches(r, labels));
}

/**
 * Cut `order` into waves: each wave takes every node whose old pod is already unavailable (no cost) and
 * available ones while the unavailable count stays within the budget; a wave is assumed to come back
 * before the next (the walk waits for it), so its already-unavailable nodes free budget for the next.
 */
function cutWaves(order: readonly PlannedNode[], budget: number, unavailableNow: number): { waves: PlannedNode[][]; stuck: boolean } {
  const waves: PlannedNode[][] = [];
  let down = unavailableNow;
  let i = 0;
  while (i < order.length) {
    let slack = budget - down;
    const wave: PlannedNode[] = [];
    while (i < order.length) {
      const n = order[i]!;
      if (n.alreadyUnavailable) wave.push(n);
      else if (slack > 0) {
        wave.push(n);
        slack--;
      } else break;
      i++;
    }
    if (wave.length === 0) return { waves, stuck: true };
    down -= wave.filter((n) => n.alreadyUnavailable).length;
    waves.push(wave);
  }
  return { waves, stuck: false };
}

/**
 * The plan for one DaemonSet from its coverage cells (the controller's view: which nodes should run it,
 * which pod counts, whether it is updated and available) and its pods (for the DELETE preconditions).
 * Order: nodes whose old pod is already not Ready first (replacing them cannot make things worse), then
 * by node name; partition, then --limit, cut the tail of that order.
 */
export function advancePlan(ds: DaemonSet, mode: 'OnDelete' | 'Paused', state: ClusterState, report: CoverageReport, opts: AdvanceOptions): AdvancePlan {
  const ns = ds.metadata.namespace ?? 'default';
  const name = ds.metadata.name ?? '';
  const cells = report.cells.filter((c) => c.daemonSet === name && c.namespace === ns);
  const labels = new Map(report.nodes.map((n) => [n.name, n.labels]));
  const podsByNode = nodesToDaemonPods(daemonPods(ds, state.pods));
  const running = cells.filter((c) => c.shouldRun);
  const desired = running.length;
  const resolved = scaledValue(opts.maxUnavailable, desired, true);
  const budget = typeof resolved === 'number' ? Math.max(0, resolved) : 0;
  const unavailable = running.filter((c) => !c.counted.available).map((c) => c.node);
  const isOld = (c: CoverageCell): boolean => c.pods.some((p) => !p.updated && !p.terminating);
  const skipped: SkippedNode[] = [];
  for (const c of cells) {
    if (!c.shouldRun && c.pods.length > 0 && isOld(c)) {
      skipped.push({ node: c.node, reason: 'the node should not run this DaemonSet (misscheduled): deleting its pod brings no new one' });
    }
  }
  const oldCells = running.filter(isOld);
  const candidates: { cell: CoverageCell; planned: PlannedNode; ready: boolean }[] = [];
  for (const c of oldCells) {
    const oldPod = (podsByNode.get(c.node) ?? []).find((p) => c.pods.some((s) => s.name === p.metadata.name && !s.updated && !s.terminating));
    const summary = c.pods.find((s) => s.name === oldPod?.metadata.name);
    if (!oldPod || !summary || !oldPod.metadata.uid || !oldPod.metadata.resourceVersion) {
      skipped.push({ node: c.node, reason: 'its old pod carries no uid or resourceVersion to delete it safely' });
      continue;
    }
    if (c.pods.some((s) => s.updated && !s.terminating)) {
      skipped.push({ node: c.node, reason: `it already has a pod of the current revision beside the old pod ${summary.name}` });
      continue;
    }
    if (!matchesAll(opts.nodeSelector, labels.get(c.node))) {
      skipped.push({ node: c.node, reason: 'not selected by --nodes' });
      continue;
    }
    candidates.push({
      cell: c,
      ready: c.state !== CellState.NotReady && c.state !== CellState.Pending && summary.ready,
      planned: { node: c.node, pod: summary.name, uid: oldPod.metadata.uid, resourceVersion: oldPod.metadata.resourceVersion, alreadyUnavailable: !c.counted.available, revision: summary.revision },
    });
  }
  candidates.sort((a, b) => (a.ready === b.ready ? byName(a.cell.node, b.cell.node) : a.ready ? 1 : -1));
  // Partition counts every old node, selected or not (Kruise: pods that stay on older revisions).
  const allowedByPartition = opts.partition === undefined ? Infinity : Math.max(0, oldCells.length - opts.partition);
  let order = candidates.map((c) => c.planned);
  for (const n of order.slice(allowedByPartition)) skipped.push({ node: n.node, reason: `kept on its revision by --partition ${opts.partition}` });
  order = order.slice(0, allowedByPartition);
  if (opts.limit !== undefined) {
    for (const n of order.slice(opts.limit)) skipped.push({ node: n.node, reason: `beyond --limit ${opts.limit}` });
    order = order.slice(0, opts.limit);
  }
  const { waves, stuck } = cutWaves(order, budget, unavailable.length);
  const plan: AdvancePlan = { mode, desired, budget, unavailable, oldNodes: oldCells.map((c) => c.node), order, waves, skipped: skipped.sort((a, b) => byName(a.node, b.node)) };
  if (stuck) {
    const planned = new Set(waves.flat().map((n) => n.node));
    const down = unavailable.filter((n) => !planned.has(n));
    plan.blocked = `${down.length} node${down.length === 1 ? '' : 's'} already without an available pod (${down.slice(0, 8).join(', ')}${down.length > 8 ? ', ...' : ''}) use${down.length === 1 ? 's' : ''} up --max-unavailable ${budget}: no Ready pod may be deleted until they recover`;
  }
  return plan;
}

// ---- the lock: one walk at a time, as kured keeps its lock in an annotation on its own DaemonSet

export const ADVANCE_LOCK_ANNOTATION = 'ds-inspect.k8s.io/advance-lock';

/** The annotation's value (JSON): who holds the lock, since when, last renewed, for how long. */
export interface LockValue {
  holder: string;
  startedAt: string;
  renewedAt: string;
  ttlSeconds: number;
}

export type LockDecision =
  /** Free: take it (a merge patch carrying the DaemonSet's resourceVersion). */
  | { action: 'take'; value: LockValue; patch: unknown }
  /** Ours: renew it. */
  | { action: 'refresh'; value: LockValue; patch: unknown }
  /** Held by another walk whose TTL has not passed. */
  | { action: 'held-by'; holder: LockValue; message: string }
  /** Held by a walk whose TTL passed without renewal: take it over, saying from whom. */
  | { action: 'stale-takeover'; previous: LockValue; value: LockValue; patch: unknown; message: string }
  /** An annotation that is not ours to interpret: refuse, do not overwrite. */
  | { action: 'unreadable'; message: string };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The lock annotation parsed, undefined when absent, a string when unreadable. */
export function readLock(ds: DaemonSet): LockValue | undefined | string {
  const raw = ds.metadata.annotations?.[ADVANCE_LOCK_ANNOTATION];
  if (raw === undefined) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return `the ${ADVANCE_LOCK_ANNOTATION} annotation is not JSON`;
  }
  const o = v as Partial<LockValue> | null;
  if (o === null || typeof o !== 'object' || typeof o.holder !== 'string' || typeof o.renewedAt !== 'string' || Number.isNaN(Date.parse(o.renewedAt)) || typeof o.ttlSeconds !== 'number' || !(o.ttlSeconds > 0)) {
    return `the ${ADVANCE_LOCK_ANNOTATION} annotation lacks holder, renewedAt or ttlSeconds`;
  }
  return { holder: o.holder, startedAt: typeof o.startedAt === 'string' ? o.startedAt : o.renewedAt, renewedAt: o.renewedAt, ttlSeconds: o.ttlSeconds };
}

export function lockPatch(ds: DaemonSet, value: LockValue | null): unknown {
  return { metadata: { resourceVersion: ds.metadata.resourceVersion, annotations: { [ADVANCE_LOCK_ANNOTATION]: value === null ? null : JSON.stringify(value) } } };
}

/** Whether the DaemonSet's lock is held by `holder` (a release removes only our own lock). */
export function holdsLock(ds: DaemonSet, holder: string): boolean {
  const l = readLock(ds);
  return typeof l === 'object' && l.holder === holder;
}

/** What to do about the lock at `nowMs` for `holder`, with a TTL of `ttlSeconds` for a new or renewed lock. */
export function lockDecision(ds: DaemonSet, nowMs: number, holder: string, ttlSeconds: number): LockDecision {
  const name = ds.metadata.name ?? '';
  const current = readLock(ds);
  const fresh = (startedAt: string): LockValue => ({ holder, startedAt, renewedAt: iso(nowMs), ttlSeconds });
  if (typeof current === 'string') {
    return { action: 'unreadable', message: `daemonset "${name}": ${current}; another tool may own it: look at it and remove it by hand (kubectl annotate daemonset ${name} ${ADVANCE_LOCK_ANNOTATION}-) if no walk runs` };
  }
  if (current === undefined) {
    const value = fresh(iso(nowMs));
    return { action: 'take', value, patch: lockPatch(ds, value) };
  }
  if (current.holder === holder) {
    const value = fresh(current.startedAt);
    return { action: 'refresh', value, patch: lockPatch(ds, value) };
  }
  const expiresMs = Date.parse(current.renewedAt) + current.ttlSeconds * 1000;
  if (nowMs < expiresMs) {
    return {
      action: 'held-by',
      holder: current,
      message: `daemonset "${name}" is being advanced by ${current.holder} (since ${current.startedAt}, lock renewed ${current.renewedAt}, expires ${iso(expiresMs)} unless renewed); wait for it, or take it over once it expires`,
    };
  }
  const value = fresh(iso(nowMs));
  return {
    action: 'stale-takeover',
    previous: current,
    value,
    patch: lockPatch(ds, value),
    message: `took over the lock of daemonset "${name}" held by ${current.holder} (since ${current.startedAt}; not renewed since ${current.renewedAt}, expired ${iso(expiresMs)})`,
  };
}
