// Which pods belong to a DaemonSet and which node each one counts for, mirroring the controller's
// getDaemonPods (ClaimPods) and getNodesToDaemonPods, plus the pod helpers from pkg/api/v1/pod.

import { compileLabelSelector, selectorMatches } from './labels.ts';
import { targetNodeName } from './nodeAffinity.ts';
import type { DaemonSet, OwnerReference, Pod } from './types.ts';

export function controllerOf(obj: { metadata: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((o) => o.controller === true);
}

function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * podutil.IsPodAvailable: Ready, and Ready for at least minReadySeconds at `nowMs`. A Ready condition
 * without lastTransitionTime is never available when minReadySeconds > 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'Ready');
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  if (Number.isNaN(t)) return false;
  return t + minReadySeconds * 1000 <= nowMs;
}

function ts(s: string | null | undefined): number {
  const v = s ? Date.parse(s) : NaN;
  return Number.isNaN(v) ? 0 : v;
}

/**
 * podByCreationTimestampAndPhase: bound pods first, then the oldest creationTimestamp, then the name.
 * The first pod in this order is the one the status counters look at.
 */
export function comparePodsForCounting(a: Pod, b: Pod): number {
  const aBound = !!a.spec?.nodeName;
  const bBound = !!b.spec?.nodeName;
  if (aBound !== bBound) return aBound ? -1 : 1;
  const ta = ts(a.metadata.creationTimestamp);
  const tb = ts(b.metadata.creationTimestamp);
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * ClaimPods for a DaemonSet: pods in its namespace controlled by it whose labels still match its
 * selector (non-matching ones are released), plus orphans matching the selector that are not being
 * deleted (adopted, unless the DaemonSet itself is being deleted). Pods controlled by another owner
 * are never its pods.
 */
export function daemonPods(ds: DaemonSet, pods: readonly Pod[]): Pod[] {
  const sel = compileLabelSelector(ds.spec.selector);
  const ns = ds.metadata.namespace ?? 'default';
  const uid = ds.metadata.uid;
  const dsDeleting = !!ds.metadata.deletionTimestamp;
  return pods.filter((p) => {
    if ((p.metadata.namespace ?? 'default') !== ns) return false;
    const owner = controllerOf(p);
    if (owner) {
      if (!uid || owner.uid !== uid) return false;
      return selectorMatches(sel, p.metadata.labels);
    }
    return !dsDeleting && !p.metadata.deletionTimestamp && selectorMatches(sel, p.metadata.labels);
  });
}

/**
 * getNodesToDaemonPods(includeDeletedTerminal=false): node name → pods, in counting order. Pods that
 * are terminal AND being deleted are dropped; pods without a target node are skipped.
 */
export function nodesToDaemonPods(pods: readonly Pod[]): Map<string, Pod[]> {
  const out = new Map<string, Pod[]>();
  for (const p of pods) {
    if (isTerminal(p) && isTerminating(p)) continue;
    const node = targetNodeName(p.spec);
    if (node === undefined) continue;
    const list = out.get(node);
    if (list) list.push(p);
    else out.set(node, [p]);
  }
  for (const list of out.values()) list.sort(comparePodsForCounting);
  return out;
}
