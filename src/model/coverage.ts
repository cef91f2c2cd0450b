// The node × DaemonSet matrix. Each cell gets exactly one state, derived from the controller's own
// view (NodeShouldRunDaemonPod + the pod the status counters look at), so that summing the cells
// reproduces updateDaemonSetStatus: desired, current, ready, available, updated, misscheduled.

import { nodeShouldRunDaemonPod, type Eligibility } from './eligibility.ts';
import { compileLabelSelector, isEmptyLabelSelector, selectorMatches } from './labels.ts';
import { controllerOf, daemonPods, isPodAvailable, isPodReady, isTerminal, isTerminating, nodesToDaemonPods } from './pods.ts';
import { ReasonCode, type Reason } from './reasons.ts';
import {
  formatQuantity,
  hostPortConflicts,
  podsOccupyingNode,
  resourceShortfalls,
} from './resources.ts';
import {
  REVISION_HASH_LABEL,
  controlledRevisions,
  currentRevision,
  isPodUpdated,
  revisionHash,
  templateGeneration,
} from './revisions.ts';
import { pauseState } from './rollout.ts';
import { taintToString } from './taints.ts';
import type { ClusterState, ControllerRevision, DaemonSet, Event, Node, Pod } from './types.ts';
import { append } from '../util/array.ts';

export const CellState = {
  Missing: 'Missing',
  Pending: 'Pending',
  NotReady: 'NotReady',
  Outdated: 'Outdated',
  Ready: 'Ready',
  Misscheduled: 'Misscheduled',
  Excluded: 'Excluded',
} as const;
export type CellState = (typeof CellState)[keyof typeof CellState];

interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  updated: boolean;
  bound: boolean;
  revisionHash?: string;
  revision?: number;
  /** The pod the status counters look at for this node. */
  counted: boolean;
  terminating: boolean;
}

export interface CoverageCell {
  node: string;
  namespace: string;
  daemonSet: string;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  state: CellState;
  pods: PodSummary[];
  reasons: Reason[];
  /** Counter contributions of this cell (what updateDaemonSetStatus would add for this node). */
  counted: { ready: boolean; available: boolean; updated: boolean };
}

export interface StatusCounters {
  desired: number;
  current: number;
  ready: number;
  available: number;
  updated: number;
  misscheduled: number;
}

export interface DaemonSetSummary extends StatusCounters {
  namespace: string;
  name: string;
  /** The counters the controller last wrote, for comparison. */
  recorded?: StatusCounters;
  /** Whether the recorded status describes the same generation the model evaluated. */
  statusObserved: boolean;
  currentRevision?: number;
  currentHash?: string;
  updateStrategy: string;
  /** Paused by `rollout pause` (annotation present and strategy still OnDelete). */
  paused: boolean;
  /** The pause annotation is there but the strategy was restored (kubectl apply, Helm, Argo CD). */
  pauseReverted: boolean;
}

export interface NodeSummary {
  name: string;
  ready: boolean;
  readyStatus: 'True' | 'False' | 'Unknown';
  unschedulable: boolean;
  /** So scripts (and -L, --show-labels) can group nodes without a second call. */
  labels: Record<string, string>;
  taints: string[];
}

export interface CoverageReport {
  kind: 'DaemonSetCoverage';
  daemonSets: DaemonSetSummary[];
  nodes: NodeSummary[];
  cells: CoverageCell[];
  /** True when every node of the cluster was evaluated, so the sums are comparable with status. */
  allNodes: boolean;
  /** DaemonSet pods bound (or pinned) to a node that does not exist any more: in no cell. */
  podsOnMissingNodes: { namespace: string; daemonSet: string; pod: string; node: string }[];
  gaps: { resource: string; message: string }[];
}

export interface AnalysisOptions {
  /** Wall clock in ms, for minReadySeconds; the shell passes it in, the model never reads a clock. */
  nowMs: number;
  /** Set when the node list was filtered (--nodes), so status counters cannot be compared. */
  nodesFiltered?: boolean;
}

function nodeReadyStatus(node: Node): 'True' | 'False' | 'Unknown' {
  const c = (node.status?.conditions ?? []).find((x) => x.type === 'Ready');
  if (!c) return 'Unknown';
  return c.status === 'True' ? 'True' : c.status === 'False' ? 'False' : 'Unknown';
}

function eventTime(e: Event): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? 0 : v;
}

/** Events indexed by `Kind/namespace/name` of the object they are about, newest first. */
function indexEvents(events: readonly Event[]): Map<string, Event[]> {
  const idx = new Map<string, Event[]>();
  for (const e of events) {
    const o = e.involvedObject ?? e.regarding;
    if (!o?.name) continue;
    const key = `${o.kind ?? ''}/${o.namespace ?? e.metadata.namespace ?? ''}/${o.name}`;
    const list = idx.get(key);
    if (list) list.push(e);
    else idx.set(key, [e]);
  }
  for (const list of idx.values()) list.sort((a, b) => eventTime(b) - eventTime(a));
  return idx;
}

function latestEvent(idx: Map<string, Event[]>, kind: string, ns: string, name: string, reason: string): Event | undefined {
  return (idx.get(`${kind}/${ns}/${name}`) ?? []).find((e) => e.reason === reason);
}

/** What every cell is judged with: the events, the clock, and every pod on the nodes when that is known. */
interface Judging {
  events: Map<string, Event[]>;
  nowMs: number;
  /** Every pod of the nodes (resources, host ports), or undefined when only DaemonSets' pods were read. */
  podsOnNodes: readonly Pod[] | undefined;
}

/** Everything about one DaemonSet that does not depend on the node. */
interface DaemonSetContext {
  ds: DaemonSet;
  podsByNode: Map<string, Pod[]>;
  /** Pods that look like the DaemonSet's (its namespace, its selector) by the node they are bound to. */
  lookalikes: () => Map<string, Pod[]>;
  currentHash: string;
  currentRev?: ControllerRevision;
  generation: string | undefined;
  revisionByHash: Map<string, number>;
  paused: boolean;
  pauseReverted: boolean;
}

/**
 * `candidates`: pods that may be the DaemonSet's (every pod, or those listed with its selector in its
 * namespace); daemonPods applies the controller's ownership rules to them.
 */
function buildContext(ds: DaemonSet, candidates: readonly Pod[], revisions: readonly ControllerRevision[]): DaemonSetContext {
  const pods = daemonPods(ds, candidates);
  const revs = controlledRevisions(ds, revisions);
  const cur = currentRevision(ds, revisions);
  const revisionByHash = new Map<string, number>();
  for (const r of revs) revisionByHash.set(revisionHash(r), r.revision);
  let byNode: Map<string, Pod[]> | undefined;
  return {
    ds,
    podsByNode: nodesToDaemonPods(pods),
    // Indexed on first use (a Missing cell), not scanned per cell: thousands of Missing cells on a big fleet.
    lookalikes: () => (byNode ??= lookalikePods(ds, candidates)),
    currentHash: cur ? revisionHash(cur) : '',
    ...(cur ? { currentRev: cur } : {}),
    generation: templateGeneration(ds),
    revisionByHash,
    paused: pauseState(ds).state === 'paused',
    pauseReverted: pauseState(ds).state === 'reverted',
  };
}

function summarizePod(p: Pod, ctx: DaemonSetContext, counted: boolean): PodSummary {
  const hash = p.metadata.labels?.[REVISION_HASH_LABEL];
  const rev = hash !== undefined ? ctx.revisionByHash.get(hash) : undefined;
  return {
    name: p.metadata.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: isPodReady(p),
    updated: isPodUpdated(p, ctx.currentHash, ctx.generation),
    bound: !!p.spec?.nodeName,
    ...(hash !== undefined ? { revisionHash: hash } : {}),
    ...(rev !== undefined ? { revision: rev } : {}),
    counted,
    terminating: isTerminating(p),
  };
}

function podLabel(p: Pod): string {
  return `pod ${p.metadata.name ?? '?'}`;
}

/** Bound pods in the DaemonSet's namespace whose labels match its selector, by node name. */
function lookalikePods(ds: DaemonSet, pods: readonly Pod[]): Map<string, Pod[]> {
  const ns = ds.metadata.namespace ?? 'default';
  const sel = compileLabelSelector(ds.spec.selector);
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || (p.metadata.namespace ?? 'default') !== ns || !selectorMatches(sel, p.metadata.labels)) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  return out;
}

/**
 * Pods on the node that look like the DaemonSet's (same namespace, selector matches) but do not count:
 * controlled by another owner, or an orphan or a terminal pod being deleted (ClaimPods and
 * getNodesToDaemonPods skip them). A Missing cell with such a pod puzzles people: name it.
 */
function notCountedReasons(ctx: DaemonSetContext, nodeName: string): Reason[] {
  const ds = ctx.ds;
  const out: Reason[] = [];
  for (const p of ctx.lookalikes().get(nodeName) ?? []) {
    const owner = controllerOf(p);
    let why: string | undefined;
    if (owner && owner.uid !== ds.metadata.uid) why = `it is controlled by ${owner.kind ?? 'another owner'} ${owner.name ?? ''}`.trimEnd();
    else if (!owner && p.metadata.deletionTimestamp) why = 'it is an orphan being deleted (not adopted)';
    else if (isTerminal(p) && p.metadata.deletionTimestamp) why = `it is ${p.status?.phase ?? 'terminal'} and being deleted`;
    if (why) out.push({ code: ReasonCode.PodNotCounted, message: `${podLabel(p)} is on the node and matches the selector but does not count: ${why}` });
  }
  return out;
}

/** Why an eligible node has no daemon pod yet. */
function missingReasons(ds: DaemonSet, events: Map<string, Event[]>): Reason[] {
  const ns = ds.metadata.namespace ?? 'default';
  const name = ds.metadata.name ?? '';
  if (isEmptyLabelSelector(ds.spec.selector)) {
    return [{ code: ReasonCode.SelectingAll, message: 'the DaemonSet selector is empty ({}); the controller refuses to act on it ("This daemon set is selecting all pods")' }];
  }
  if (ds.metadata.deletionTimestamp) {
    return [{ code: ReasonCode.DaemonSetTerminating, message: 'the DaemonSet is being deleted; the controller creates no pods for it' }];
  }
  const out: Reason[] = [];
  const failed = latestEvent(events, 'DaemonSet', ns, name, 'FailedCreate');
  if (failed) out.push({ code: ReasonCode.FailedCreate, message: `the controller failed to create a pod: ${failed.message ?? failed.note ?? ''}`.trim() });
  // null (Go's nil, or an empty YAML value) counts as absent, like a missing field.
  const gen = ds.metadata.generation ?? undefined;
  const observed = ds.status?.observedGeneration ?? undefined;
  if (gen !== undefined && (observed === undefined || observed < gen)) {
    out.push({ code: ReasonCode.SpecNotObserved, message: `the controller has not yet processed generation ${gen} (observed ${observed ?? 'none'})` });
  }
  if (out.length === 0) {
    out.push({
      code: ReasonCode.NoPodCreated,
      message: 'the node should run this DaemonSet but has no pod; the controller creates one on its next sync (a rolling update without surge deletes the old pod first)',
    });
  }
  return out;
}

function schedulerReasons(pod: Pod, node: Node | undefined, judging: Judging): Reason[] {
  const out: Reason[] = [];
  const ns = pod.metadata.namespace ?? 'default';
  const ev = latestEvent(judging.events, 'Pod', ns, pod.metadata.name ?? '', 'FailedScheduling');
  if (ev) out.push({ code: ReasonCode.FailedScheduling, message: `scheduler: ${ev.message ?? ev.note ?? ''}`.trim() });
  const cond = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (!ev && cond?.message) out.push({ code: ReasonCode.FailedScheduling, message: `scheduler: ${cond.message}` });
  if (judging.podsOnNodes && node) {
    const others = podsOccupyingNode(node.metadata.name ?? '', judging.podsOnNodes, pod);
    for (const s of resourceShortfalls(pod.spec, node.status?.allocatable, others)) {
      if (s.resource === 'pods') {
        out.push({ code: ReasonCode.TooManyPods, message: `Too many pods: the node allows ${s.allocatable} pods and already runs ${s.used}` });
      } else {
        const free = Math.max(0, s.allocatable - s.used);
        out.push({
          code: ReasonCode.InsufficientResource,
          message: `Insufficient ${s.resource}: the pod requests ${formatQuantity(s.resource, s.requested)}, the node has ${formatQuantity(s.resource, s.allocatable)} allocatable of which ${formatQuantity(s.resource, s.used)} is requested by ${others.length} other pods (${formatQuantity(s.resource, free)} free)`,
        });
      }
    }
    for (const c of hostPortConflicts(pod.spec, others)) {
      out.push({
        code: ReasonCode.HostPortConflict,
        message: `host port ${c.port.port}/${c.port.protocol} is already used on the node by pod ${c.pod.metadata.namespace ?? 'default'}/${c.pod.metadata.name ?? '?'}`,
      });
    }
  }
  if (out.length === 0) {
    out.push({ code: ReasonCode.NotScheduledYet, message: `${podLabel(pod)} is not bound to the node yet and the scheduler has reported no failure` });
  }
  return out;
}

function kubeletReasons(pod: Pod, node: Node | undefined): Reason[] {
  const out: Reason[] = [];
  const readiness = node ? nodeReadyStatus(node) : 'True';
  if (node && readiness !== 'True') {
    const c = (node.status?.conditions ?? []).find((x) => x.type === 'Ready');
    const detail = c?.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : '';
    out.push({ code: ReasonCode.NodeNotReady, message: `the node is ${readiness === 'Unknown' ? 'unreachable (Ready=Unknown)' : 'NotReady'}${detail}` });
  }
  if (isTerminating(pod)) out.push({ code: ReasonCode.PodTerminating, message: `${podLabel(pod)} is terminating` });
  const phase = pod.status?.phase;
  if (phase === 'Failed') {
    const why = [pod.status?.reason, pod.status?.message].filter(Boolean).join(': ');
    out.push({ code: ReasonCode.PodFailed, message: `${podLabel(pod)} failed${why ? ` (${why})` : ''}; the controller deletes it and creates a new one (with back-off)` });
  } else if (phase === 'Succeeded') {
    out.push({ code: ReasonCode.PodSucceeded, message: `${podLabel(pod)} exited successfully; the controller deletes it and creates a new one` });
  } else if (phase === 'Pending') {
    out.push({ code: ReasonCode.PodPending, message: `${podLabel(pod)} is bound but still Pending (containers not started)` });
  }
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const cs of statuses) {
    const restarts = cs.restartCount ?? 0;
    const restartsText = restarts > 0 ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : '';
    if (cs.state?.waiting) {
      const w = cs.state.waiting;
      const last = cs.lastState?.terminated;
      const lastText = last ? `; last exit: ${last.reason ?? 'terminated'}${typeof last.exitCode === 'number' ? ` (code ${last.exitCode})` : ''}` : '';
      out.push({
        code: ReasonCode.ContainerWaiting,
        message: `container ${cs.name} is waiting: ${w.reason ?? 'unknown reason'}${w.message ? ` (${w.message})` : ''}${restartsText}${lastText}`,
      });
    } else if (cs.state?.terminated) {
      const t = cs.state.terminated;
      out.push({
        code: ReasonCode.ContainerTerminated,
        message: `container ${cs.name} terminated: ${t.reason ?? 'unknown reason'}${typeof t.exitCode === 'number' ? ` (exit code ${t.exitCode})` : ''}${restartsText}`,
      });
    } else if (cs.state?.running && cs.ready === false) {
      out.push({ code: ReasonCode.ContainerNotReady, message: `container ${cs.name} is running but not ready (readiness probe failing or not yet passed)${restartsText}` });
    } else if (restarts > 0 && cs.ready !== true) {
      out.push({ code: ReasonCode.ContainerRestarting, message: `container ${cs.name} has restarted ${restarts} times` });
    }
  }
  if (out.length === 0) {
    const cond = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
    const why = cond?.reason ? ` (${cond.reason}${cond.message ? `: ${cond.message}` : ''})` : '';
    out.push({ code: ReasonCode.ContainerNotReady, message: `${podLabel(pod)} is not Ready${why}` });
  }
  return out;
}

function outdatedReasons(pod: Pod, ctx: DaemonSetContext): Reason[] {
  const hash = pod.metadata.labels?.[REVISION_HASH_LABEL];
  const podRev = hash !== undefined ? ctx.revisionByHash.get(hash) : undefined;
  const podDesc = hash ? `revision ${podRev ?? '?'} (hash ${hash})` : 'an unknown revision (no controller-revision-hash label)';
  const curDesc = ctx.currentRev ? `revision ${ctx.currentRev.revision} (hash ${ctx.currentHash})` : 'the current template';
  const strategy = ctx.ds.spec.updateStrategy?.type ?? 'RollingUpdate';
  let next: string;
  if (ctx.paused) next = 'the rollout is paused (kubectl ds-inspect rollout resume continues it)';
  else if (strategy === 'OnDelete') next = 'updateStrategy is OnDelete: the pod is replaced only when someone deletes it';
  else next = 'the rolling update replaces it when the maxUnavailable/maxSurge budget allows';
  return [{ code: ReasonCode.OutdatedRevision, message: `${podLabel(pod)} runs ${podDesc}; current is ${curDesc}; ${next}` }];
}

/** A node that could not be read (RBAC): its pods are judged as if it should run them; nothing else. */
const UNKNOWN_ELIGIBILITY: Eligibility = {
  shouldRun: true,
  shouldContinueRunning: true,
  reasons: [],
  affinity: { matches: true, nodeSelectorMismatches: [], requiredTerms: undefined, requiredMatches: true },
  tolerations: [],
  untoleratedTaints: [],
};

function analyzeCell(ctx: DaemonSetContext, nodeOrName: Node | string, judging: Judging): { cell: CoverageCell; eligibility: Eligibility } {
  const ds = ctx.ds;
  const node = typeof nodeOrName === 'string' ? undefined : nodeOrName;
  const nodeName = typeof nodeOrName === 'string' ? nodeOrName : (nodeOrName.metadata.name ?? '');
  const el = node ? nodeShouldRunDaemonPod(node, ds) : UNKNOWN_ELIGIBILITY;
  const pods = ctx.podsByNode.get(nodeName) ?? [];
  const counted = pods[0];
  const base = {
    node: nodeName,
    namespace: ds.metadata.namespace ?? 'default',
    daemonSet: ds.metadata.name ?? '',
    shouldRun: el.shouldRun,
    shouldContinueRunning: el.shouldContinueRunning,
    pods: pods.map((p, i) => summarizePod(p, ctx, i === 0)),
  };
  const ready = !!counted && el.shouldRun && isPodReady(counted);
  const contributions = {
    ready,
    available: ready && isPodAvailable(counted, ds.spec.minReadySeconds ?? 0, judging.nowMs),
    updated: !!counted && el.shouldRun && isPodUpdated(counted, ctx.currentHash, ctx.generation),
  };
  let reasons: Reason[] = [];
  let cellState: CellState;
  if (!el.shouldRun) {
    append(reasons, el.reasons);
    if (pods.length === 0) {
      cellState = CellState.Excluded;
    } else {
      cellState = CellState.Misscheduled;
      const names = pods.map((p) => p.metadata.name ?? '?').join(', ');
      reasons.push(
        el.shouldContinueRunning
          ? { code: ReasonCode.KeptOnNode, message: `pod ${names} stays: the controller creates no new pod here but does not delete the existing one (counted as misscheduled)` }
          : { code: ReasonCode.WillBeDeleted, message: `the controller deletes pod ${names} from this node` },
      );
    }
  } else if (!counted) {
    cellState = CellState.Missing;
    append(reasons, notCountedReasons(ctx, nodeName));
    append(reasons, missingReasons(ds, judging.events));
  } else if (!counted.spec?.nodeName || counted.status?.phase === 'Pending') {
    cellState = CellState.Pending;
    append(reasons, counted.spec?.nodeName ? kubeletReasons(counted, node) : schedulerReasons(counted, node, judging));
  } else if (!isPodReady(counted)) {
    cellState = CellState.NotReady;
    append(reasons, kubeletReasons(counted, node));
  } else if (!contributions.updated) {
    cellState = CellState.Outdated;
    append(reasons, outdatedReasons(counted, ctx));
  } else {
    cellState = CellState.Ready;
    if (isTerminating(counted)) reasons.push({ code: ReasonCode.PodTerminating, message: `${podLabel(counted)} is Ready but terminating: the controller replaces it once it is gone` });
    if (!contributions.available) {
      reasons.push({ code: ReasonCode.NotAvailableYet, message: `${podLabel(counted)} is Ready but not yet for minReadySeconds=${ds.spec.minReadySeconds ?? 0}` });
    }
  }
  if (el.shouldRun && counted && cellState !== CellState.Outdated && !contributions.updated) {
    append(reasons, outdatedReasons(counted, ctx));
  }
  if (pods.length > 1) {
    reasons.push({
      code: ReasonCode.DuplicatePods,
      message: `${pods.length} pods target this node (${pods.map((p) => p.metadata.name ?? '?').join(', ')}); the status counters look at ${counted?.metadata.name ?? '?'} (bound first, then oldest)`,
    });
    // With maxSurge the controller creates the new pod beside the old one; when that surge pod cannot
    // be scheduled (host port held by the old pod, no room) or never gets Ready, the rollout stalls here
    // although the counted (old) pod looks fine. Say why, first.
    const surgeReasons: Reason[] = [];
    for (const p of pods) {
      if (p === counted || isTerminating(p)) continue;
      const label = `surge pod ${p.metadata.name ?? '?'}`;
      const why = !p.spec?.nodeName ? schedulerReasons(p, node, judging) : !isPodReady(p) ? kubeletReasons(p, node) : [];
      for (const r of why) surgeReasons.push({ code: r.code, message: `${label}: ${r.message}` });
    }
    reasons = [...surgeReasons, ...reasons];
  }
  return { cell: { ...base, state: cellState, reasons, counted: contributions }, eligibility: el };
}

function sumCells(cells: readonly CoverageCell[]): StatusCounters {
  const c: StatusCounters = { desired: 0, current: 0, ready: 0, available: 0, updated: 0, misscheduled: 0 };
  for (const cell of cells) {
    if (cell.shouldRun) {
      c.desired++;
      if (cell.pods.length > 0) c.current++;
      if (cell.counted.ready) c.ready++;
      if (cell.counted.available) c.available++;
      if (cell.counted.updated) c.updated++;
    } else if (cell.pods.length > 0) {
      c.misscheduled++;
    }
  }
  return c;
}

function recordedCounters(ds: DaemonSet): StatusCounters | undefined {
  const s = ds.status;
  if (!s) return undefined;
  return {
    desired: s.desiredNumberScheduled ?? 0,
    current: s.currentNumberScheduled ?? 0,
    ready: s.numberReady ?? 0,
    available: s.numberAvailable ?? 0,
    updated: s.updatedNumberScheduled ?? 0,
    misscheduled: s.numberMisscheduled ?? 0,
  };
}

function nodeSummary(node: Node): NodeSummary {
  const readyStatus = nodeReadyStatus(node);
  return {
    name: node.metadata.name ?? '',
    ready: readyStatus === 'True',
    readyStatus,
    unschedulable: node.spec?.unschedulable === true,
    labels: node.metadata.labels ?? {},
    taints: (node.spec?.taints ?? []).map(taintToString),
  };
}

function compareDs(a: DaemonSet, b: DaemonSet): number {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The matrix built one DaemonSet at a time (coverageBuilder). */
export interface CoverageBuilder {
  /**
   * One DaemonSet of the context with `candidates`: pods that may be its own (every pod, or those listed
   * with its selector in its namespace). Nothing of `candidates` is kept but what the cells name.
   */
  addDaemonSet(ds: DaemonSet, candidates: readonly Pod[]): void;
  /** The report, DaemonSets in name order whatever order they were added in. */
  report(): CoverageReport;
}

interface DaemonSetPart {
  summary: DaemonSetSummary;
  cells: CoverageCell[];
  podsOnMissingNodes: CoverageReport['podsOnMissingNodes'];
}

const NO_PODS: PodSummary[] = [];
const NO_REASONS: Reason[] = [];

/**
 * Cells keep one copy of what many of them hold alike: the same reasons (every node of a pool is
 * excluded for the same taint), counter contributions, no pods. 20,000 cells of a 1,000-node matrix
 * are then half the memory; nothing mutates a cell once made.
 */
function cellSharing(): (cell: CoverageCell) => CoverageCell {
  const reasons = new Map<string, Map<string, Reason>>();
  const counted = new Map<number, CoverageCell['counted']>();
  const reason = (r: Reason): Reason => {
    let byMessage = reasons.get(r.code);
    if (!byMessage) reasons.set(r.code, (byMessage = new Map<string, Reason>()));
    const hit = byMessage.get(r.message);
    if (hit) return hit;
    byMessage.set(r.message, r);
    return r;
  };
  return (cell) => {
    const c = cell.counted;
    const key = (c.ready ? 1 : 0) | (c.available ? 2 : 0) | (c.updated ? 4 : 0);
    const hit = counted.get(key);
    if (hit) cell.counted = hit;
    else counted.set(key, c);
    cell.reasons = cell.reasons.length === 0 ? NO_REASONS : cell.reasons.map(reason);
    if (cell.pods.length === 0) cell.pods = NO_PODS;
    return cell;
  };
}

const dsKey = (ds: DaemonSet): string => `${ds.metadata.namespace ?? 'default'}/${ds.metadata.name ?? ''}`;

/**
 * The coverage matrix of `context`'s nodes and DaemonSets, fed one DaemonSet's pods at a time, so a
 * caller that lists pods per DaemonSet holds only the cells, not every pod (issue 14). `context.pods`
 * is read only when `allPodsOnNodesKnown` (resources and host ports of pods that cannot be scheduled).
 */
export function coverageBuilder(context: ClusterState, opts: AnalysisOptions): CoverageBuilder {
  const judging: Judging = { events: indexEvents(context.events), nowMs: opts.nowMs, podsOnNodes: context.allPodsOnNodesKnown ? context.pods : undefined };
  const nodes = [...context.nodes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const nodeNames = new Set(nodes.map((n) => n.metadata.name ?? ''));
  const parts = new Map<string, DaemonSetPart>();
  const share = cellSharing();
  return {
    addDaemonSet(ds, candidates) {
      const ctx = buildContext(ds, candidates, context.controllerRevisions);
      const namespace = ds.metadata.namespace ?? 'default';
      const name = ds.metadata.name ?? '';
      // Pods bound to a node that is gone (PodGC has not removed them yet) count in no cell: name them.
      const gone: CoverageReport['podsOnMissingNodes'] = [];
      if (!opts.nodesFiltered && nodes.length > 0) {
        for (const [node, pods] of ctx.podsByNode) {
          if (nodeNames.has(node)) continue;
          for (const p of pods) gone.push({ namespace, daemonSet: name, pod: p.metadata.name ?? '', node });
        }
      }
      const cells = nodes.map((n) => share(analyzeCell(ctx, n, judging).cell));
      const recorded = recordedCounters(ds);
      const gen = ds.metadata.generation ?? undefined;
      const summary: DaemonSetSummary = {
        namespace,
        name,
        ...sumCells(cells),
        ...(recorded ? { recorded } : {}),
        statusObserved: gen === undefined || (ds.status?.observedGeneration ?? -1) >= gen,
        ...(ctx.currentRev ? { currentRevision: ctx.currentRev.revision, currentHash: ctx.currentHash } : {}),
        updateStrategy: ds.spec.updateStrategy?.type ?? 'RollingUpdate',
        paused: ctx.paused,
        pauseReverted: ctx.pauseReverted,
      };
      parts.set(dsKey(ds), { summary, cells, podsOnMissingNodes: gone });
    },
    report() {
      const cells: CoverageCell[] = [];
      const summaries: DaemonSetSummary[] = [];
      const podsOnMissingNodes: CoverageReport['podsOnMissingNodes'] = [];
      for (const ds of [...context.daemonSets].sort(compareDs)) {
        const part = parts.get(dsKey(ds));
        if (!part) continue;
        summaries.push(part.summary);
        append(cells, part.cells);
        append(podsOnMissingNodes, part.podsOnMissingNodes);
      }
      return { kind: 'DaemonSetCoverage', daemonSets: summaries, nodes: nodes.map(nodeSummary), cells, allNodes: !opts.nodesFiltered, podsOnMissingNodes, gaps: context.gaps };
    },
  };
}

/** The coverage matrix for the DaemonSets and nodes in `state` (already scoped by the caller). */
export function computeCoverage(state: ClusterState, opts: AnalysisOptions): CoverageReport {
  const builder = coverageBuilder(state, opts);
  for (const ds of state.daemonSets) builder.addDaemonSet(ds, state.pods);
  return builder.report();
}

export function isProblem(state: CellState): boolean {
  return state !== CellState.Ready && state !== CellState.Excluded;
}

export interface WhyNotResult {
  namespace: string;
  daemonSet: string;
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  state: CellState;
  reasons: Reason[];
  pods: PodSummary[];
  tolerations: Eligibility['tolerations'];
}

export interface WhyNotReport {
  kind: 'WhyNot';
  node: string;
  /** null when the node could not be read (RBAC): then eligibility is unknown, see `eligibilityKnown`. */
  nodeInfo: NodeSummary | null;
  /** false: only the DaemonSets' pods on the node are judged (their health), not whether they belong. */
  eligibilityKnown: boolean;
  results: WhyNotResult[];
  /** Without the node: DaemonSets in scope with no pod on it (whether they should have one is unknown). */
  withoutPod?: string[];
  gaps: { resource: string; message: string }[];
}

/**
 * `why-not NODE`: the coverage cell of each DaemonSet for one node, with the tolerations considered. Given
 * only the node's name (it could not be read), the part that can be known: each DaemonSet's pods on it,
 * their states and the scheduler's and kubelet's reasons; DaemonSets without a pod there are listed apart.
 */
export function explainNode(state: ClusterState, node: Node | string, opts: AnalysisOptions): WhyNotReport {
  const judging: Judging = { events: indexEvents(state.events), nowMs: opts.nowMs, podsOnNodes: state.allPodsOnNodesKnown ? state.pods : undefined };
  const results: WhyNotResult[] = [];
  const withoutPod: string[] = [];
  const nodeName = typeof node === 'string' ? node : (node.metadata.name ?? '');
  for (const ds of [...state.daemonSets].sort(compareDs)) {
    const ctx = buildContext(ds, state.pods, state.controllerRevisions);
    if (typeof node === 'string' && (ctx.podsByNode.get(nodeName) ?? []).length === 0) {
      withoutPod.push(`${ds.metadata.namespace ?? 'default'}/${ds.metadata.name ?? ''}`);
      continue;
    }
    const { cell, eligibility } = analyzeCell(ctx, node, judging);
    results.push({
      namespace: cell.namespace,
      daemonSet: cell.daemonSet,
      shouldRun: cell.shouldRun,
      shouldContinueRunning: cell.shouldContinueRunning,
      state: cell.state,
      reasons: cell.reasons,
      pods: cell.pods,
      tolerations: eligibility.tolerations,
    });
  }
  return {
    kind: 'WhyNot',
    node: nodeName,
    nodeInfo: typeof node === 'string' ? null : nodeSummary(node),
    eligibilityKnown: typeof node !== 'string',
    results,
    ...(typeof node === 'string' ? { withoutPod } : {}),
    gaps: state.gaps,
  };
}
