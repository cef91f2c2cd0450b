// Our predictions against the REAL DaemonSet controller and scheduler, node by node: every exclusion
// rule, pending pods, a host port conflict, a label change and a taint making pods misscheduled.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CoverageReport, WhyNotReport } from '../../src/model/coverage.ts';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { assertAgreesWithController as agrees, assertSumsEqualStatus, daemonSetManifest, nudgeDaemonSets } from './agreement.ts';

const NS = 'e2e-elig';
let cluster: Cluster;

const NODES: { name: string; labels?: Record<string, string>; taints?: object[]; unschedulable?: boolean; cpu?: string }[] = [
  { name: 'elig-plain', labels: { zone: 'a', rank: '5' } },
  { name: 'elig-gpu', labels: { gpu: 'true', zone: 'b', rank: '10' } },
  { name: 'elig-nosched', taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] },
  { name: 'elig-noexec', taints: [{ key: 'dedicated', value: 'infra', effect: 'NoExecute' }] },
  { name: 'elig-cordoned', unschedulable: true },
  { name: 'elig-small', cpu: '100m' },
];

function nodeManifest(n: (typeof NODES)[number]): object {
  const cpu = n.cpu ?? '4';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'elig', 'kubernetes.io/hostname': n.name, ...n.labels } },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: { cpu, memory: '8Gi', pods: '110' }, allocatable: { cpu, memory: '8Gi', pods: '110' } },
  };
}

/** Every DaemonSet stays on the e2e nodes through `e2e In [elig]` inside each term. */
const ELIG = { key: 'e2e', operator: 'In', values: ['elig'] };
function affinity(...terms: object[][]): object {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((t) => ({ matchExpressions: [ELIG, ...t] })) } } };
}

const DAEMONSETS: Record<string, object> = {
  'sel-gpu': { nodeSelector: { e2e: 'elig', gpu: 'true' } },
  'aff-notin': { affinity: affinity([{ key: 'zone', operator: 'NotIn', values: ['b'] }]) },
  'aff-gt': { affinity: affinity([{ key: 'rank', operator: 'Gt', values: ['7'] }]) },
  'aff-or': { affinity: affinity([{ key: 'rank', operator: 'Lt', values: ['7'] }], [{ key: 'gpu', operator: 'Exists' }]) },
  'aff-doesnotexist': { affinity: affinity([{ key: 'gpu', operator: 'DoesNotExist' }]) },
  nodename: { nodeName: 'elig-plain' },
  'tol-nosched': { affinity: affinity([]), tolerations: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] },
  'tol-all': { affinity: affinity([]), tolerations: [{ operator: 'Exists' }] },
  hostnet: { affinity: affinity([]), hostNetwork: true },
  'big-cpu': { affinity: affinity([]), tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'busybox:1', resources: { requests: { cpu: '500m' } } }] },
  'port-a': { affinity: affinity([{ key: 'kubernetes.io/hostname', operator: 'In', values: ['elig-plain'] }]), containers: [{ name: 'c', image: 'busybox:1', ports: [{ containerPort: 19100, hostPort: 19100 }] }] },
};

function dsManifest(name: string, podSpec: object): object {
  return daemonSetManifest(NS, name, podSpec);
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function coverage(): CoverageReport {
  const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=elig', '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as CoverageReport;
}

function fullCoverage(): CoverageReport {
  const r = plugin(cluster, ['coverage', '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as CoverageReport;
}

function assertAgreesWithController(report: CoverageReport): void {
  agrees(cluster, NS, report);
}

function whyNot(node: string, ds: string): WhyNotReport['results'][number] {
  const r = plugin(cluster, ['why-not', node, ds, '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as WhyNotReport).results[0]!;
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply(NODES.map(nodeManifest));
  await waitFor('e2e nodes Ready', () => {
    const nodes = getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(cluster, ['nodes', '-l', 'e2e=elig']).items;
    return nodes.length === NODES.length && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  apply(Object.entries(DAEMONSETS).map(([name, spec]) => dsManifest(name, spec)));
  await settle(cluster, NS);
  // The second host-port DaemonSet comes after the first owns the port on elig-plain.
  apply([dsManifest('port-b', DAEMONSETS['port-a']!)]);
  await settle(cluster, NS);
});

after(() => {
  cluster?.stop();
});

test('every (node, DaemonSet) verdict matches where the real controller placed pods; sums equal status', () => {
  const report = fullCoverage();
  assertSumsEqualStatus(report);
  assertAgreesWithController(coverage());
});

const EXCLUSIONS: [node: string, ds: string, code: string, mentions: RegExp][] = [
  ['elig-plain', 'sel-gpu', 'NodeSelectorMismatch', /gpu=true/],
  ['elig-plain', 'aff-gt', 'NodeAffinityMismatch', /rank>7.*rank=5/],
  ['elig-gpu', 'aff-notin', 'NodeAffinityMismatch', /zone!=b.*zone=b/],
  ['elig-gpu', 'aff-doesnotexist', 'NodeAffinityMismatch', /!gpu/],
  ['elig-gpu', 'nodename', 'NodeNameMismatch', /elig-plain/],
  ['elig-nosched', 'aff-doesnotexist', 'UntoleratedTaint', /dedicated=infra:NoSchedule/],
  ['elig-noexec', 'tol-nosched', 'UntoleratedTaint', /dedicated=infra:NoExecute/],
  ['elig-noexec', 'hostnet', 'UntoleratedTaint', /dedicated=infra:NoExecute/],
];
for (const [node, ds, code, mentions] of EXCLUSIONS) {
  test(`why-not ${node} ${ds}: ${code}`, () => {
    const r = whyNot(node, ds);
    assert.equal(r.shouldRun, false);
    const reason = r.reasons.find((x) => x.code === code);
    assert.ok(reason, `expected ${code}, got ${r.reasons.map((x) => x.code).join(',')}`);
    assert.match(reason.message, mentions);
  });
}

test('cordoned node runs daemon pods (unschedulable is tolerated by default); NoSchedule toleration admits', () => {
  assert.equal(whyNot('elig-cordoned', 'aff-doesnotexist').state, 'Ready');
  assert.equal(whyNot('elig-nosched', 'tol-nosched').state, 'Ready');
  assert.equal(whyNot('elig-noexec', 'tol-all').state, 'Ready');
});

test('pending: insufficient cpu and a host port conflict, explained', () => {
  const cpu = whyNot('elig-small', 'big-cpu');
  assert.equal(cpu.state, 'Pending');
  assert.ok(cpu.reasons.some((r) => r.code === 'InsufficientResource' && /cpu/.test(r.message)));
  assert.ok(cpu.reasons.some((r) => r.code === 'FailedScheduling' && /Insufficient cpu/.test(r.message)));
  const port = whyNot('elig-plain', 'port-b');
  assert.equal(port.state, 'Pending');
  assert.ok(port.reasons.some((r) => r.code === 'HostPortConflict' && /19100/.test(r.message)));
});

test('a taint added under a running pod makes it misscheduled but kept; the controller agrees', async () => {
  mustKubectl(cluster, ['taint', 'node', 'elig-cordoned', 'maint=now:NoSchedule']);
  await settle(cluster, NS);
  const r = whyNot('elig-cordoned', 'aff-doesnotexist');
  assert.equal(r.state, 'Misscheduled');
  assert.equal(r.shouldContinueRunning, true);
  assert.ok(r.reasons.some((x) => x.code === 'KeptOnNode'));
  // The controller does not resync a DaemonSet for this node update (syncNodeUpdate: the pod may
  // stay and nothing was misscheduled before), so its status still counts the node as desired.
  const stale = fullCoverage().daemonSets.find((d) => d.name === 'aff-doesnotexist')!;
  assert.equal(stale.recorded?.misscheduled, 0, 'status lags until the next DaemonSet event');
  assert.equal(stale.misscheduled, 1);
  // After any DaemonSet event the controller writes exactly the counters we predicted.
  nudgeDaemonSets(cluster, NS);
  await settle(cluster, NS);
  assertSumsEqualStatus(fullCoverage());
});

test('a label change makes a pod misscheduled; we predict deletion and the controller deletes it', async () => {
  mustKubectl(cluster, ['label', 'node', 'elig-gpu', 'gpu-']);
  const first = whyNot('elig-gpu', 'sel-gpu');
  assert.equal(first.shouldRun, false);
  assert.equal(first.shouldContinueRunning, false);
  if (first.state === 'Misscheduled') assert.ok(first.reasons.some((x) => x.code === 'WillBeDeleted'));
  await settle(cluster, NS);
  assert.equal(whyNot('elig-gpu', 'sel-gpu').state, 'Excluded');
  assertAgreesWithController(coverage());
  assertSumsEqualStatus(fullCoverage());
});
