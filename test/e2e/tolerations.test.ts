// The DaemonSet controller's default tolerations, against the real node-lifecycle controller: node
// conditions are set on kwok nodes and kube-controller-manager itself adds the matching taints
// (memory/disk/pid-pressure, network-unavailable, unschedulable, not-ready, unreachable); then
// DaemonSets are created and we compare our verdicts with where the real controller put pods.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, mustKubectl, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { assertAgreesWithController, assertSumsEqualStatus, coverageJson, daemonSetManifest, whyNotResult } from './agreement.ts';

const NS = 'e2e-tol';
let cluster: Cluster;

interface NodeSpec {
  name: string;
  condition?: string;
  taint: string;
  kwok?: boolean;
  labels?: Record<string, string>;
  unschedulable?: boolean;
}

const NODES: NodeSpec[] = [
  { name: 'tol-mem', condition: 'MemoryPressure', taint: 'node.kubernetes.io/memory-pressure:NoSchedule' },
  { name: 'tol-disk', condition: 'DiskPressure', taint: 'node.kubernetes.io/disk-pressure:NoSchedule' },
  { name: 'tol-pid', condition: 'PIDPressure', taint: 'node.kubernetes.io/pid-pressure:NoSchedule' },
  { name: 'tol-net', condition: 'NetworkUnavailable', taint: 'node.kubernetes.io/network-unavailable:NoSchedule' },
  { name: 'tol-cordon', unschedulable: true, taint: 'node.kubernetes.io/unschedulable:NoSchedule' },
  // kwok turns this one Ready=False (stage node-not-ready) while still renewing its Lease.
  { name: 'tol-notready', labels: { 'ds-inspect.test/not-ready': 'true' }, taint: 'node.kubernetes.io/not-ready:NoSchedule' },
  // Nobody plays kubelet for this one: the controller marks it Unknown after the grace period.
  { name: 'tol-silent', kwok: false, taint: 'node.kubernetes.io/unreachable:NoSchedule' },
];

function nodeManifest(n: NodeSpec): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      annotations: n.kwok === false ? {} : { 'kwok.x-k8s.io/node': 'fake' },
      labels: { e2e: 'tol', 'kubernetes.io/hostname': n.name, ...n.labels },
    },
    spec: n.unschedulable ? { unschedulable: true } : {},
  };
}

function ds(name: string, spec: object): object {
  return daemonSetManifest(NS, name, { nodeSelector: { e2e: 'tol' }, ...spec });
}

function taintsOf(name: string): string[] {
  const n = getJson<{ spec?: { taints?: { key: string; effect: string }[] } }>(cluster, ['node', name]);
  return (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: NODES.map(nodeManifest) }));
  await waitFor('kwok nodes Ready', () =>
    NODES.filter((n) => n.kwok !== false && !n.labels).every((n) =>
      getJson<{ status?: { conditions?: { type: string; status: string }[] } }>(cluster, ['node', n.name]).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ),
  );
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const n of NODES.filter((x) => x.condition)) {
    const cond = { type: n.condition, status: 'True', reason: 'E2E', message: 'set by the ds-inspect e2e test', lastHeartbeatTime: now, lastTransitionTime: now };
    mustKubectl(cluster, ['patch', 'node', n.name, '--subresource=status', '--type=strategic', '-p', JSON.stringify({ status: { conditions: [cond] } })]);
  }
  // The node-lifecycle controller adds each taint itself (TaintNodesByCondition); unreachable needs
  // the grace period (60s in test/cluster/up.sh) to pass first.
  await waitFor('the node-lifecycle controller to taint every node', () => NODES.every((n) => taintsOf(n.name).includes(n.taint)), 180_000);
  mustKubectl(cluster, [
    'apply',
    '-f',
    '-',
  ], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ds('plain', {}), ds('hostnet', { hostNetwork: true }), ds('tolerate-all', { tolerations: [{ operator: 'Exists' }] })] }));
  await settle(cluster, NS);
});

after(() => cluster?.stop());

test('every verdict matches the real controller on nodes tainted by the node-lifecycle controller; sums equal status', () => {
  const report = coverageJson(cluster, ['-n', NS, '--nodes', 'e2e=tol']);
  assertAgreesWithController(cluster, NS, report);
  assertSumsEqualStatus(coverageJson(cluster, ['-n', NS]));
});

const TOLERATED: [node: string, taint: string][] = [
  ['tol-mem', 'node.kubernetes.io/memory-pressure'],
  ['tol-disk', 'node.kubernetes.io/disk-pressure'],
  ['tol-pid', 'node.kubernetes.io/pid-pressure'],
  ['tol-cordon', 'node.kubernetes.io/unschedulable'],
];
for (const [node, taint] of TOLERATED) {
  test(`default toleration: ${taint}:NoSchedule lets a DaemonSet without tolerations run on ${node}`, () => {
    const r = whyNotResult(cluster, node, 'plain', NS);
    assert.equal(r.shouldRun, true);
    assert.equal(r.state, 'Ready');
  });
}

test('network-unavailable is tolerated only with hostNetwork', () => {
  const plain = whyNotResult(cluster, 'tol-net', 'plain', NS);
  assert.equal(plain.shouldRun, false);
  assert.ok(plain.reasons.some((r) => r.code === 'UntoleratedTaint' && /network-unavailable:NoSchedule/.test(r.message)), JSON.stringify(plain.reasons));
  assert.equal(whyNotResult(cluster, 'tol-net', 'hostnet', NS).state, 'Ready');
});

test('not-ready and unreachable: only their NoExecute forms are default tolerations, so NoSchedule excludes', () => {
  for (const [node, taint] of [
    ['tol-notready', 'node.kubernetes.io/not-ready:NoSchedule'],
    ['tol-silent', 'node.kubernetes.io/unreachable:NoSchedule'],
  ] as const) {
    const r = whyNotResult(cluster, node, 'plain', NS);
    assert.equal(r.shouldRun, false, node);
    assert.ok(r.reasons.some((x) => x.code === 'UntoleratedTaint' && x.message.includes(taint)), `${node}: ${JSON.stringify(r.reasons)}`);
  }
  // Tolerating everything: a pod on the silent node is bound but never starts (no kubelet).
  const silent = whyNotResult(cluster, 'tol-silent', 'tolerate-all', NS);
  assert.equal(silent.shouldRun, true);
  assert.equal(silent.state, 'Pending');
  assert.equal(whyNotResult(cluster, 'tol-notready', 'tolerate-all', NS).shouldRun, true);
});
