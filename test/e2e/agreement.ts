// Assertions shared by the end-to-end tests: our cells against what the real controller did.

import assert from 'node:assert/strict';
import type { CoverageReport, WhyNotReport } from '../../src/model/coverage.ts';
import { getJson, mustKubectl, plugin, type Cluster } from './harness.ts';

export interface LivePod {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[] } } } };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** The node a DaemonSet pod is for: bound, or pinned by the controller's matchFields term. */
export function podTarget(p: LivePod): string | undefined {
  return p.spec.nodeName ?? p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
}

/** Where the real controller put pods: `app/node` → pods. */
export function realPlacement(cluster: Cluster, ns: string): Map<string, LivePod[]> {
  const out = new Map<string, LivePod[]>();
  for (const p of getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', ns]).items) {
    const key = `${p.metadata.labels?.app}/${podTarget(p)}`;
    out.set(key, [...(out.get(key) ?? []), p]);
  }
  return out;
}

/** For every cell: the pods we count are the controller's, shouldRun matches placement, states match pods. */
export function assertAgreesWithController(cluster: Cluster, ns: string, report: CoverageReport): void {
  const placed = realPlacement(cluster, ns);
  assert.ok(report.cells.length > 0, 'no cells');
  for (const cell of report.cells) {
    const pods = placed.get(`${cell.daemonSet}/${cell.node}`) ?? [];
    assert.equal(cell.pods.length, pods.length, `${cell.daemonSet} on ${cell.node}: pod count`);
    if (cell.state !== 'Misscheduled') {
      assert.equal(cell.shouldRun, pods.length > 0, `${cell.daemonSet} on ${cell.node}: shouldRun=${cell.shouldRun} but the controller placed ${pods.length} pods`);
    }
    const p = pods[0];
    const ready = p?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (cell.state === 'Ready') assert.ok(ready, `${cell.daemonSet} on ${cell.node} Ready`);
    if (cell.state === 'NotReady') assert.ok(p && !ready && p.spec.nodeName, `${cell.daemonSet} on ${cell.node} NotReady`);
    if (cell.state === 'Pending') assert.ok(p && (!p.spec.nodeName || p.status?.phase === 'Pending'), `${cell.daemonSet} on ${cell.node} Pending`);
  }
}

/** Summed cells equal the status counters the controller wrote (the report carries both). */
export function assertSumsEqualStatus(report: CoverageReport): void {
  assert.ok(report.daemonSets.length > 0, 'no DaemonSets');
  for (const d of report.daemonSets) {
    const { desired, current, ready, available, updated, misscheduled } = d;
    assert.deepEqual({ desired, current, ready, available, updated, misscheduled }, d.recorded, `${d.name}: summed cells vs status`);
  }
}

export function coverageJson(cluster: Cluster, args: string[]): CoverageReport {
  const r = plugin(cluster, ['coverage', ...args, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as CoverageReport;
}

export function whyNotResult(cluster: Cluster, node: string, ds: string, ns: string): WhyNotReport['results'][number] {
  const r = plugin(cluster, ['why-not', node, ds, '-n', ns, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as WhyNotReport).results[0]!;
}

/**
 * Make every DaemonSet of `ns` resync. After a NoSchedule taint lands under a running pod the
 * controller does not enqueue the DaemonSet (syncNodeUpdate), so its status lags until the next
 * DaemonSet event; an annotation is such an event and changes nothing else.
 */
export function nudgeDaemonSets(cluster: Cluster, ns: string): void {
  mustKubectl(cluster, ['annotate', 'daemonsets', '-n', ns, '--all', '--overwrite', `ds-inspect.e2e/resync=${Date.now()}`]);
}

/** A DaemonSet selecting `app: NAME`, one busybox container unless podSpec says otherwise. */
export function daemonSetManifest(ns: string, name: string, podSpec: object, spec: object = {}): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: { app: name } },
      ...spec,
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }], ...podSpec } },
    },
  };
}
