// Before the change: what the DaemonSet controller (and the scheduler, for fit) will do when a manifest
// is applied, a taint or label set or removed, or a node cordoned. Pure: the change is applied to a copy
// of the cluster state, every (node, DaemonSet) is evaluated before and after with the controller's own
// predicate (nodeShouldRunDaemonPod), and only what changes is reported, with the controller's action:
//  - no pod, should run now                 → a pod is created (and must fit: requests, host ports);
//  - a pod, !shouldContinueRunning now       → the controller deletes it (nodeSelector, affinity, NoExecute);
//  - a pod, !shouldRun but may continue now  → kept but misscheduled (an untolerated NoSchedule taint);
//  - a misscheduled pod that should run now  → no longer misscheduled;
//  - a pod that should run, template changed → replaced by the rollout (RollingUpdate) or left on the
//    old revision until deleted (OnDelete).
// tolerationSeconds plays no part: the DaemonSet predicate ignores it (upstream NodeShouldRunDaemonPod).

import { admittedSelectorMismatch } from './admission.ts';
import { nodeShouldRunDaemonPod } from './eligibility.ts';
import { InputError } from './inputError.ts';
import { requirementMatches, type Requirement } from './labels.ts';
import { daemonPods, isTerminating, nodesToDaemonPods } from './pods.ts';
import { formatQuantity, hostPortConflicts, podsOccupyingNode, resourceShortfalls } from './resources.ts';
import { templatesEqual } from './revisions.ts';
import { rollingBudget } from './rollout.ts';
import { TAINT_UNSCHEDULABLE, taintToString } from './taints.ts';
import type { ClusterState, DaemonSet, Node, Pod, PodSpec, Taint } from './types.ts';

/** The nodes a node-level change applies to: names, or a label selector (`-l`). */
export type NodeTarget = { names: string[] } | { selector: Requirement[]; text: string };

export type Change =
  | { kind: 'apply'; daemonSets: DaemonSet[]; nodes: Node[] }
  | { kind: 'taint'; target: NodeTarget; taint: Taint; remove: boolean }
  | { kind: 'label'; target: NodeTarget; key: string; value: string | undefined }
  | { kind: 'cordon'; target: NodeTarget; unschedulable: boolean };

export type Action = 'create' | 'delete' | 'misschedule' | 'unmisschedule' | 'replace' | 'outdated';

interface Verdict {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  pods: number;
}

export interface CellChange {
  node: string;
  namespace: string;
  daemonSet: string;
  action: Action;
  before: Verdict | null;
  after: Verdict;
  /** Why: the rules that changed the verdict (after the change). */
  reasons: string[];
  /** create/replace: the pod will not fit (the scheduler leaves it Pending), and why. */
  unschedulable?: string[];
}

interface RolloutPlan {
  namespace: string;
  daemonSet: string;
  strategy: string;
  /** Pods the rollout replaces (RollingUpdate), or that stay on the old revision (OnDelete). */
  pods: number;
  maxUnavailable: number;
  maxSurge: number;
  /** ceil(pods / maxSurge) with surge, else ceil(pods / maxUnavailable); 0 for OnDelete. */
  waves: number;
  /** With maxSurge: nodes that cannot hold the old and the new pod at once (resources, host ports). */
  noRoomForSurge: { node: string; reasons: string[] }[];
}

interface AdmissionResult {
  namespace: string;
  daemonSet: string;
  /** What admission changed (requests, nodeSelector, tolerations); empty when nothing. */
  changes: string[];
}

export interface WhatIfReport {
  kind: 'WhatIf';
  change: string;
  changes: CellChange[];
  rollouts: RolloutPlan[];
  /** Cells per action. */
  summary: Record<Action, number>;
  /** The fit of new pods could not be checked (not every pod of the nodes was readable). */
  fitChecked: boolean;
  /** The pod the controller would create, as the API server admitted it (a dry run), per DaemonSet. */
  admission: AdmissionResult[] | null;
}

/** The admitted pod spec per DaemonSet (`namespace/name`), from a server-side dry run. */
export type AdmittedSpecs = Map<string, { spec: PodSpec; changes: string[]; refused?: string }>;

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };

function key(o: { metadata: { namespace?: string | undefined; name?: string | undefined } }): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name ?? ''}`;
}

function targetNodes(nodes: readonly Node[], target: NodeTarget): Set<string> {
  if ('names' in target) {
    const known = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const n of target.names) if (!known.has(n)) throw new InputError(`node "${n}" not found`);
    return new Set(target.names);
  }
  const hit = nodes.filter((n) => target.selector.every((r) => requirementMatches(r, n.metadata.labels))).map((n) => n.metadata.name ?? '');
  if (hit.length === 0) throw new InputError(`no node matches the selector "${target.text}"`);
  return new Set(hit);
}

function mapNodes(state: ClusterState, target: NodeTarget, fn: (n: Node) => Node): ClusterState {
  const names = targetNodes(state.nodes, target);
  return { ...state, nodes: state.nodes.map((n) => (names.has(n.metadata.name ?? '') ? fn(n) : n)) };
}

function withTaints(n: Node, taints: Taint[]): Node {
  return { ...n, spec: { ...n.spec, taints } };
}

/** The cluster state as it will be after the change (a copy; the input is not touched). */
export function applyChange(state: ClusterState, change: Change): ClusterState {
  switch (change.kind) {
    case 'apply': {
      // A manifest's DaemonSet replaces the one of the same namespace/name, keeping its identity (uid, so
      // its pods stay its pods) and status; a new one has no pods yet.
      const byKey = new Map(state.daemonSets.map((d) => [key(d), d]));
      for (const d of change.daemonSets) {
        const old = byKey.get(key(d));
        const uid = old?.metadata.uid ?? `what-if:${key(d)}`;
        byKey.set(key(d), { ...d, metadata: { ...d.metadata, namespace: d.metadata.namespace ?? 'default', uid }, ...(old?.status ? { status: old.status } : {}) });
      }
      const nodes = new Map(state.nodes.map((n) => [n.metadata.name ?? '', n]));
      for (const n of change.nodes) nodes.set(n.metadata.name ?? '', n);
      return { ...state, daemonSets: [...byKey.values()], nodes: [...nodes.values()] };
    }
    case 'taint':
      return mapNodes(state, change.target, (n) => {
        const t = change.taint;
        // kubectl taint: KEY:EFFECT- removes that one, KEY- every effect of KEY; adding replaces KEY:EFFECT.
        const rest = (n.spec?.taints ?? []).filter((x) => !(x.key === t.key && (t.effect === '' || x.effect === t.effect)));
        return withTaints(n, change.remove ? rest : [...rest, t]);
      });
    case 'label':
      return mapNodes(state, change.target, (n) => {
        const labels = { ...(n.metadata.labels ?? {}) };
        if (change.value === undefined) delete labels[change.key];
        else labels[change.key] = change.value;
        return { ...n, metadata: { ...n.metadata, labels } };
      });
    case 'cordon':
      // kubectl cordon sets spec.unschedulable; the node lifecycle controller then adds the
      // unschedulable:NoSchedule taint (TaintNodesByCondition), which DaemonSet pods tolerate by default.
      return mapNodes(state, change.target, (n) => {
        const rest = (n.spec?.taints ?? []).filter((x) => !(x.key === UNSCHEDULABLE_TAINT.key && x.effect === 'NoSchedule'));
        return { ...n, spec: { ...n.spec, taints: change.unschedulable ? [...rest, UNSCHEDULABLE_TAINT] : rest, unschedulable: change.unschedulable } };
      });
  }
}

/**
 * Why a pod of `ds` would not fit on `node` next to `others` (the scheduler's Filter, not the
 * controller's), judged on the admitted pod when the server told us what it admits.
 */
function fitProblems(ds: DaemonSet, node: Node, others: readonly Pod[], admission?: { spec: PodSpec; refused?: string }): string[] {
  const admitted = admission?.spec;
  const spec = admitted ?? ds.spec.template.spec;
  const out: string[] = [];
  // Refused by admission: the controller's create fails (FailedCreate) and no pod appears at all.
  if (admission?.refused) out.push(`the API server refuses the pod: ${admission.refused}`);
  const mismatch = admitted ? admittedSelectorMismatch(admitted, node) : undefined;
  if (mismatch) out.push(mismatch);
  for (const s of resourceShortfalls(spec, node.status?.allocatable, others)) {
    out.push(s.resource === 'pods' ? `Too many pods (the node allows ${s.allocatable}, ${s.used} run)` : `Insufficient ${s.resource} (needs ${formatQuantity(s.resource, s.requested)}, ${formatQuantity(s.resource, Math.max(0, s.allocatable - s.used))} free)`);
  }
  for (const c of hostPortConflicts(spec, others)) out.push(`host port ${c.port.port}/${c.port.protocol} is taken by pod ${c.pod.metadata.namespace ?? 'default'}/${c.pod.metadata.name ?? '?'}`);
  return out;
}

function describe(change: Change): string {
  const where = (t: NodeTarget): string => ('names' in t ? t.names.join(',') : `-l ${t.text}`);
  switch (change.kind) {
    case 'apply':
      return `apply ${change.daemonSets.length} DaemonSet(s), ${change.nodes.length} node(s)`;
    case 'taint':
      return `taint ${where(change.target)} ${taintToString(change.taint)}${change.remove ? '-' : ''}`;
    case 'label':
      return `label ${where(change.target)} ${change.value === undefined ? `${change.key}-` : `${change.key}=${change.value}`}`;
    case 'cordon':
      return `${change.unschedulable ? 'cordon' : 'uncordon'} ${where(change.target)}`;
  }
}

/** What the controllers will do, cell by cell, when `change` is made to `before`. */
export function whatIf(before: ClusterState, change: Change, admitted?: AdmittedSpecs): WhatIfReport {
  const after = applyChange(before, change);
  const beforeDs = new Map(before.daemonSets.map((d) => [key(d), d]));
  const beforeNodes = new Map(before.nodes.map((n) => [n.metadata.name ?? '', n]));
  const changes: CellChange[] = [];
  const rollouts: RolloutPlan[] = [];
  for (const ds of [...after.daemonSets].sort((a, b) => (key(a) < key(b) ? -1 : 1))) {
    const old = beforeDs.get(key(ds));
    const podsByNode = nodesToDaemonPods(daemonPods(ds, before.pods).filter((p) => !isTerminating(p)));
    const templateChanged = old !== undefined && !templatesEqual(old.spec.template, ds.spec.template);
    const strategy = ds.spec.updateStrategy?.type ?? 'RollingUpdate';
    const replaced: string[] = [];
    for (const node of [...after.nodes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))) {
      const name = node.metadata.name ?? '';
      const pods = podsByNode.get(name) ?? [];
      const oldNode = beforeNodes.get(name);
      const was = old && oldNode ? nodeShouldRunDaemonPod(oldNode, old) : undefined;
      const now = nodeShouldRunDaemonPod(node, ds);
      const verdict = (e: { shouldRun: boolean; shouldContinueRunning: boolean }): Verdict => ({ shouldRun: e.shouldRun, shouldContinueRunning: e.shouldContinueRunning, pods: pods.length });
      const base = { node: name, namespace: ds.metadata.namespace ?? 'default', daemonSet: ds.metadata.name ?? '', before: was ? verdict(was) : null, after: verdict(now) };
      const reasons = now.reasons.map((r) => r.message);
      let action: Action | undefined;
      if (pods.length === 0) {
        if (now.shouldRun && !was?.shouldRun) action = 'create';
      } else if (!now.shouldContinueRunning) action = 'delete';
      else if (!now.shouldRun) {
        if (was?.shouldRun !== false) action = 'misschedule';
      } else if (was && !was.shouldRun) action = 'unmisschedule';
      else if (templateChanged) {
        action = strategy === 'OnDelete' ? 'outdated' : 'replace';
        replaced.push(name);
      }
      if (action === undefined) continue;
      const cell: CellChange = { ...base, action, reasons };
      if (action === 'create' || action === 'replace') {
        // A replacement without surge deletes the old pod first: its requests and ports are freed.
        const others = before.allPodsOnNodesKnown ? podsOccupyingNode(name, before.pods).filter((p) => !pods.includes(p)) : [];
        const problems = before.allPodsOnNodesKnown ? fitProblems(ds, node, others, admitted?.get(key(ds))) : [];
        if (problems.length > 0) cell.unschedulable = problems;
      }
      changes.push(cell);
    }
    if (templateChanged && replaced.length > 0) {
      const desired = after.nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
      const budget = rollingBudget(ds, desired);
      const n = replaced.length;
      const perWave = budget.maxSurge > 0 ? budget.maxSurge : budget.maxUnavailable;
      const noRoomForSurge: RolloutPlan['noRoomForSurge'] = [];
      if (budget.maxSurge > 0 && before.allPodsOnNodesKnown) {
        // A surge pod runs beside the old one: everything on the node, the old pod included, stays.
        for (const name of replaced) {
          const node = after.nodes.find((x) => x.metadata.name === name)!;
          const problems = fitProblems(ds, node, podsOccupyingNode(name, before.pods), admitted?.get(key(ds)));
          if (problems.length > 0) noRoomForSurge.push({ node: name, reasons: problems });
        }
      }
      rollouts.push({
        namespace: ds.metadata.namespace ?? 'default',
        daemonSet: ds.metadata.name ?? '',
        strategy,
        pods: n,
        maxUnavailable: budget.maxUnavailable,
        maxSurge: budget.maxSurge,
        waves: strategy === 'OnDelete' || perWave <= 0 ? 0 : Math.ceil(n / perWave),
        noRoomForSurge,
      });
    }
  }
  const summary: Record<Action, number> = { create: 0, delete: 0, misschedule: 0, unmisschedule: 0, replace: 0, outdated: 0 };
  for (const c of changes) summary[c.action]++;
  const admission = admitted ? [...admitted].map(([k, v]) => ({ namespace: k.split('/')[0]!, daemonSet: k.split('/')[1]!, changes: v.refused ? [`refused: ${v.refused}`, ...v.changes] : v.changes })) : null;
  return { kind: 'WhatIf', change: describe(change), changes, rollouts, summary, fitChecked: before.allPodsOnNodesKnown, admission };
}

export type FailOn = 'delete' | 'misschedule' | 'unschedulable' | 'create' | 'replace';

/** The CI gate: which of `failOn` the report would do (empty: the change passes). */
export function gateFailures(report: WhatIfReport, failOn: readonly FailOn[]): string[] {
  const out: string[] = [];
  for (const c of report.changes) {
    const hit = failOn.filter((f) => (f === 'unschedulable' ? (c.unschedulable?.length ?? 0) > 0 : f === c.action));
    for (const f of hit) out.push(`${c.node} ${c.namespace}/${c.daemonSet}: ${f}${f === 'unschedulable' ? ` (${c.unschedulable!.join('; ')})` : ''}`);
  }
  if (failOn.includes('unschedulable')) {
    for (const r of report.rollouts) for (const n of r.noRoomForSurge) out.push(`${n.node} ${r.namespace}/${r.daemonSet}: unschedulable surge pod (${n.reasons.join('; ')})`);
  }
  return out;
}

/** The DaemonSets whose new pods a dry run should admit, with a node to pin each to. */
export function podsToAdmit(report: WhatIfReport, after: ClusterState): { ds: DaemonSet; node: string }[] {
  const out: { ds: DaemonSet; node: string }[] = [];
  for (const ds of after.daemonSets) {
    const c = report.changes.find((x) => x.namespace === (ds.metadata.namespace ?? 'default') && x.daemonSet === ds.metadata.name && (x.action === 'create' || x.action === 'replace'));
    if (c) out.push({ ds, node: c.node });
  }
  return out;
}
