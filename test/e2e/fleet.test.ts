// The coverage gate against the REAL controller: it passes where every expected node runs every
// DaemonSet Ready, and fails (exit 3, each failing node on stderr) where one is excluded or misscheduled.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest, nudgeDaemonSets } from './agreement.ts';

const NS = 'e2e-fleet';
let cluster: Cluster;

function nodeManifest(name: string, pool: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'fleet', pool, 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply([nodeManifest('fl-a1', 'a'), nodeManifest('fl-a2', 'a'), nodeManifest('fl-b1', 'b')]);
  await waitFor('fleet nodes Ready', () => {
    const nodes = getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(cluster, ['nodes', '-l', 'e2e=fleet']).items;
    return nodes.length === 3 && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  apply([daemonSetManifest(NS, 'agent', { nodeSelector: { e2e: 'fleet' } }), daemonSetManifest(NS, 'gpu', { nodeSelector: { e2e: 'fleet', pool: 'b' } })]);
  await settle(cluster, NS);
});

after(() => {
  cluster?.stop();
});

test('gate passes: every pool-b node runs every DaemonSet Ready; --fail-on finds nothing', () => {
  const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=fleet', '--expect-nodes', 'pool=b', '--fail-on']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
});

test('gate fails on pool a: gpu is excluded there and has DESIRED 0 on it; exit 3 names the nodes and why', () => {
  const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=fleet', '--expect-nodes', 'pool=a', '-o', 'name']);
  process.stdout.write(`# coverage --expect-nodes pool=a (exit ${r.code})\n${r.err.replace(/^/gm, '#   ')}\n`);
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /^FAIL fl-a1 e2e-fleet\/gpu Excluded: expected to run here, but excluded: nodeSelector wants pool=b/m);
  assert.match(r.err, /^FAIL fl-a2 e2e-fleet\/gpu Excluded/m);
  assert.match(r.err, /^FAIL \* e2e-fleet\/gpu NoneDesired: DESIRED is 0 on the 2 nodes that match --expect-nodes/m);
  assert.doesNotMatch(r.err, /agent/);
});

test('gate fails after a NoSchedule taint leaves a pod misscheduled; --group-by shows it per pool', async () => {
  mustKubectl(cluster, ['taint', 'nodes', 'fl-b1', 'fleet=x:NoSchedule']);
  await settle(cluster, NS);
  nudgeDaemonSets(cluster, NS);
  const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=fleet', '--fail-on=Misscheduled']);
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /^FAIL fl-b1 e2e-fleet\/agent Misscheduled: taint fleet=x:NoSchedule is not tolerated/m);
  const g = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=fleet', '--group-by', 'pool', '-o', 'json']);
  assert.equal(g.code, 0, g.err);
  const doc = JSON.parse(g.out) as { groups: { name: string; nodes: number; cells: { daemonSet: string; states: Record<string, number> }[] }[] };
  assert.deepEqual(doc.groups.map((x) => [x.name, x.nodes]), [['a', 2], ['b', 1]]);
  assert.equal(doc.groups[1]!.cells.find((c) => c.daemonSet === 'agent')!.states.Misscheduled, 1);
  mustKubectl(cluster, ['taint', 'nodes', 'fl-b1', 'fleet-']);
});

test('live why-not without -n or -A says how many DaemonSets of other namespaces it did not look at', () => {
  const r = plugin(cluster, ['why-not', 'fl-a1']);
  assert.equal(r.code, 0, r.err);
  const m = /^(\d+) DaemonSets? of other namespaces (was|were) not looked at \(namespace "default" from the context\); -A looks at every namespace$/m.exec(r.err);
  assert.ok(m && Number(m[1]) >= 2, r.err);
  assert.doesNotMatch(plugin(cluster, ['why-not', 'fl-a1', '-n', NS]).err, /not looked at/);
});
