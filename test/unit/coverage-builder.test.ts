// The matrix built one DaemonSet at a time (model/coverage.ts coverageBuilder), as a live read hands each
// DaemonSet's pods over when they are listed (issue 14), is the matrix computeCoverage makes of the whole
// state: whatever order the DaemonSets come in, and whether each gets every pod or only those listed with
// its selector in its namespace.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCoverage, coverageBuilder } from '../../src/model/coverage.ts';
import { compileLabelSelector, selectorMatches } from '../../src/model/labels.ts';
import { emptyClusterState, type ClusterState, type ControllerRevision, type DaemonSet, type Node, type Pod } from '../../src/model/types.ts';
import { readSnapshot } from '../../src/io/snapshot.ts';
// @ts-expect-error: a plain ES module of the benchmark, without types
import * as realistic from '../../bench/realistic.mjs';

const snapshotItems = (realistic as { snapshotItems: (nodes: number, daemonSets: number) => Iterable<{ kind: string }> }).snapshotItems;
const NOW = { nowMs: Date.parse('2026-12-01T12:00:00Z') };

function fleetState(nodes: number): ClusterState {
  const s = emptyClusterState();
  for (const o of structuredClone([...snapshotItems(nodes, 20)])) {
    if (o.kind === 'Node') s.nodes.push(o as unknown as Node);
    else if (o.kind === 'DaemonSet') s.daemonSets.push(o as unknown as DaemonSet);
    else if (o.kind === 'Pod') s.pods.push(o as unknown as Pod);
    else if (o.kind === 'ControllerRevision') s.controllerRevisions.push(o as unknown as ControllerRevision);
  }
  return s;
}

/** What a live read lists for a DaemonSet: pods of its namespace matching its selector. */
function listedFor(ds: DaemonSet, pods: readonly Pod[]): Pod[] {
  const sel = compileLabelSelector(ds.spec.selector);
  return pods.filter((p) => (p.metadata.namespace ?? 'default') === (ds.metadata.namespace ?? 'default') && selectorMatches(sel, p.metadata.labels));
}

/** A pod of another owner beside each DaemonSet's own on the first node, a pod on a node that is gone, and one node without its pods. */
function withOddities(s: ClusterState): ClusterState {
  const out = structuredClone(s);
  const first = out.nodes[0]!.metadata.name!;
  const gone = out.pods.find((p) => p.spec?.nodeName === out.nodes[1]!.metadata.name)!;
  gone.spec = { ...gone.spec, nodeName: 'node-that-is-gone' };
  out.pods = out.pods.filter((p) => p.spec?.nodeName !== out.nodes[2]!.metadata.name);
  for (const p of out.pods.filter((q) => q.spec?.nodeName === first)) {
    p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'other-uid', controller: true }];
  }
  return out;
}

function built(s: ClusterState, order: (dss: DaemonSet[]) => DaemonSet[], candidates: (ds: DaemonSet) => readonly Pod[], nodesFiltered = false) {
  const b = coverageBuilder({ ...s, pods: s.allPodsOnNodesKnown ? s.pods : [] }, { ...NOW, nodesFiltered });
  for (const ds of order([...s.daemonSets])) b.addDaemonSet(ds, candidates(ds));
  return b.report();
}

const cases: [name: string, state: () => ClusterState, nodesFiltered?: boolean][] = [
  ['30 realistic nodes, 20 DaemonSets', () => fleetState(30)],
  ['the same with pods of other owners, a pod on a gone node, a node without pods', () => withOddities(fleetState(30))],
  ['the same, --nodes (no pods on missing nodes reported)', () => withOddities(fleetState(30)), true],
  ['every pod known (a snapshot: resources and host ports judged)', () => ({ ...withOddities(fleetState(12)), allPodsOnNodesKnown: true })],
];

for (const [name, state, nodesFiltered] of cases) {
  test(`coverageBuilder = computeCoverage: ${name}`, () => {
    const s = state();
    const whole = computeCoverage(s, { ...NOW, nodesFiltered: nodesFiltered ?? false });
    assert.ok(whole.cells.length > 0);
    assert.deepEqual(built(s, (d) => d, (ds) => listedFor(ds, s.pods), nodesFiltered), whole, 'listed per DaemonSet, in order');
    assert.deepEqual(built(s, (d) => d.reverse(), (ds) => listedFor(ds, s.pods), nodesFiltered), whole, 'listed per DaemonSet, reversed');
    assert.deepEqual(built(s, (d) => d.reverse(), () => s.pods, nodesFiltered), whole, 'every pod a candidate, reversed');
  });
}

test('coverageBuilder: the oddities show (not counted, missing node, Missing cells)', () => {
  const s = withOddities(fleetState(30));
  const r = built(s, (d) => d, (ds) => listedFor(ds, s.pods));
  assert.ok(r.cells.some((c) => c.reasons.some((x) => x.code === 'PodNotCounted')));
  assert.ok(r.podsOnMissingNodes.some((p) => p.node === 'node-that-is-gone'));
  assert.ok(r.cells.some((c) => c.state === 'Missing'));
});

test('coverageBuilder: the demo snapshot, DaemonSet by DaemonSet, is computeCoverage of it', async () => {
  const { state } = await readSnapshot(['examples/demo-cluster.yaml']);
  const whole = computeCoverage(state, NOW);
  assert.deepEqual(built(state, (d) => d.reverse(), () => state.pods), whole);
});
