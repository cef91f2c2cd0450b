// The DaemonSet tax (overhead.ts): effective requests as the scheduler counts them, taken from the real
// pod or from the template, summed per node against allocatable, and grouped by node labels.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeOverhead, groupNodes, type OverheadReport } from '../../src/model/overhead.ts';
import { emptyClusterState, type Container, type DaemonSet, type Node, type Pod, type PodSpec } from '../../src/model/types.ts';

function node(name: string, labels: Record<string, string> = {}, allocatable: Record<string, string> = { cpu: '4', memory: '16Gi', pods: '110' }, extra: Partial<Node> = {}): Node {
  return { metadata: { name, labels }, status: { allocatable }, ...extra };
}

function ds(name: string, spec: Partial<PodSpec>, ns = 'kube-system'): DaemonSet {
  return {
    metadata: { name, namespace: ns, uid: `uid-${name}` },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [], ...spec } } },
  };
}

function podOf(d: DaemonSet, name: string, nodeName: string | undefined, spec: Partial<PodSpec> = {}, phase = 'Running'): Pod {
  const pinned = nodeName ?? 'unbound-target';
  return {
    metadata: { name, namespace: d.metadata.namespace!, labels: { app: d.metadata.name! }, ownerReferences: [{ kind: 'DaemonSet', name: d.metadata.name!, uid: d.metadata.uid!, controller: true }] },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pinned] }] }] } } },
      ...(d.spec.template.spec as PodSpec),
      ...spec,
    },
    status: { phase },
  };
}

function report(nodes: Node[], daemonSets: DaemonSet[], pods: Pod[] = [], groupBy: string[] = []): OverheadReport {
  return computeOverhead({ ...emptyClusterState(), nodes, daemonSets, pods, allPodsOnNodesKnown: true }, { groupBy });
}

const req = (requests: Record<string, string>, extra: Partial<Container> = {}): Container => ({ name: 'c', resources: { requests }, ...extra });
const lim = (limits: Record<string, string>, extra: Partial<Container> = {}): Container => ({ name: 'c', resources: { limits }, ...extra });

// Effective requests of a template (no pod yet): resourcehelper.PodRequests over API-server-defaulted containers.
const effective: [name: string, spec: Partial<PodSpec>, want: Record<string, string>][] = [
  ['app containers are summed', { containers: [req({ cpu: '100m', memory: '64Mi' }), req({ cpu: '150m', memory: '64Mi' })] }, { cpu: '250m', memory: '128Mi', pods: '1' }],
  ['a larger init container wins over the app sum', { containers: [req({ cpu: '100m' })], initContainers: [req({ cpu: '1', memory: '1Gi' })] }, { cpu: '1', memory: '1Gi', pods: '1' }],
  ['a smaller init container adds nothing', { containers: [req({ cpu: '500m' })], initContainers: [req({ cpu: '200m' })] }, { cpu: '500m', pods: '1' }],
  ['a sidecar (restartPolicy Always) adds to the app sum', { containers: [req({ cpu: '100m' })], initContainers: [req({ cpu: '50m' }, { restartPolicy: 'Always' })] }, { cpu: '150m', pods: '1' }],
  ['an init container after a sidecar runs beside it', { containers: [req({ cpu: '100m' })], initContainers: [req({ cpu: '300m' }, { restartPolicy: 'Always' }), req({ cpu: '500m' })] }, { cpu: '800m', pods: '1' }],
  ['pod overhead is added (RuntimeClass)', { containers: [req({ cpu: '100m', memory: '100Mi' })], overhead: { cpu: '250m', memory: '120Mi' } }, { cpu: '350m', memory: '220Mi', pods: '1' }],
  ['limits stand in for absent requests (karpenter aws#1573)', { containers: [lim({ cpu: '200m', memory: '256Mi' })] }, { cpu: '200m', memory: '256Mi', pods: '1' }],
  ['a request wins over its limit; only the missing one is defaulted', { containers: [{ name: 'c', resources: { requests: { cpu: '50m' }, limits: { cpu: '1', memory: '32Mi' } } }] }, { cpu: '50m', memory: '32Mi', pods: '1' }],
  ['extended resources and hugepages are counted', { containers: [req({ 'nvidia.com/gpu': '1', 'hugepages-2Mi': '20Mi' }), lim({ 'nvidia.com/gpu': '1' })] }, { 'hugepages-2Mi': '20Mi', 'nvidia.com/gpu': '2', pods: '1' }],
  ['decimal memory stays decimal; a sum that no suffix divides is plain bytes', { containers: [req({ memory: '100M', 'ephemeral-storage': '1001' })] }, { memory: '100M', 'ephemeral-storage': '1001', pods: '1' }],
  ['no requests at all still takes a pod slot', { containers: [{ name: 'c' }] }, { pods: '1' }],
];
for (const [name, spec, want] of effective) {
  test(`effective requests from the template: ${name}`, () => {
    const r = report([node('n1')], [ds('agent', spec)]);
    const e = r.nodes[0]!.daemonSets[0]!;
    assert.equal(e.source, 'template');
    // cpu, memory and pods are always there (0 when nothing requests them).
    assert.deepEqual(e.requests, { cpu: '0', memory: '0', ...want });
  });
}

test('per-node sums: total of the DaemonSets, allocatable, and what is left (negative when they do not fit)', () => {
  const a = ds('a', { containers: [req({ cpu: '150m', memory: '200Mi' })] });
  const b = ds('b', { containers: [req({ cpu: '100m', memory: '56Mi', 'example.com/dev': '1' })] });
  const r = report([node('small', {}, { cpu: '200m', memory: '1Gi', pods: '10', 'ephemeral-storage': '10Gi' })], [a, b]);
  const n = r.nodes[0]!;
  assert.deepEqual(n.daemonSets.map((e) => e.daemonSet), ['a', 'b']);
  assert.deepEqual(n.total, { cpu: '250m', 'example.com/dev': '1', memory: '256Mi', pods: '2' });
  assert.deepEqual(n.allocatable, { cpu: '200m', 'ephemeral-storage': '10Gi', memory: '1Gi', pods: '10' });
  assert.deepEqual(n.left, { cpu: '-50m', 'ephemeral-storage': '10Gi', 'example.com/dev': '-1', memory: '768Mi', pods: '8' });
  assert.deepEqual(r.total, n.total);
});

test('host ports: per DaemonSet and per node, sidecar ports included, a hostIP kept', () => {
  const a = ds('a', { containers: [{ name: 'c', ports: [{ containerPort: 9100, hostPort: 9100 }] }], initContainers: [{ name: 's', restartPolicy: 'Always', ports: [{ hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }] }] });
  const b = ds('b', { containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] });
  const n = report([node('n1')], [a, b]).nodes[0]!;
  assert.deepEqual(n.daemonSets[0]!.hostPorts, ['10.0.0.1:53/UDP', '9100/TCP']);
  assert.deepEqual(n.daemonSets[1]!.hostPorts, []);
  assert.deepEqual(n.hostPorts, ['10.0.0.1:53/UDP', '9100/TCP']);
});

// Where the numbers come from: the real pod when one exists (LimitRange or a webhook may have changed it),
// the template when the node should run the DaemonSet and has none, nothing when it should not.
const agent = ds('agent', { containers: [req({ cpu: '100m' })], nodeSelector: { pool: 'general' } });
const general = node('g1', { pool: 'general' });
const gpu = node('gpu1', { pool: 'gpu' });
const sources: [name: string, n: Node, pods: Pod[], want: { source: string; cpu: string; pods: string[]; bound: boolean; shouldRun: boolean } | undefined][] = [
  ['no pod on an eligible node: the template', general, [], { source: 'template', cpu: '100m', pods: [], bound: false, shouldRun: true }],
  ['a pod admitted with a LimitRange default: the pod, not the template', general, [podOf(agent, 'agent-x', 'g1', { containers: [req({ cpu: '300m' })] })], { source: 'pod', cpu: '300m', pods: ['agent-x'], bound: true, shouldRun: true }],
  ['a Pending pod pinned to the node by affinity, not bound yet: the pod', general, [podOf(agent, 'agent-p', undefined, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['g1'] }] }] } } } }, 'Pending')], { source: 'pod', cpu: '100m', pods: ['agent-p'], bound: false, shouldRun: true }],
  // Pods are listed in the controller's counting order (bound, oldest, then name).
  ['a surge pod beside the old one: both occupy the node', general, [podOf(agent, 'agent-old', 'g1'), podOf(agent, 'agent-new', 'g1')], { source: 'pod', cpu: '200m', pods: ['agent-new', 'agent-old'], bound: true, shouldRun: true }],
  ['a Failed pod takes nothing: the template counts for its replacement', general, [podOf(agent, 'agent-f', 'g1', {}, 'Failed')], { source: 'template', cpu: '100m', pods: [], bound: false, shouldRun: true }],
  ['a node the DaemonSet does not select: nothing', gpu, [], undefined],
  ['a misscheduled pod still occupies the node', gpu, [podOf(agent, 'agent-m', 'gpu1')], { source: 'pod', cpu: '100m', pods: ['agent-m'], bound: true, shouldRun: false }],
  ['a pod of another DaemonSet (other owner uid) is not this one\'s', general, [{ ...podOf(agent, 'other', 'g1'), metadata: { ...podOf(agent, 'other', 'g1').metadata, ownerReferences: [{ kind: 'DaemonSet', uid: 'uid-other', controller: true }] } }], { source: 'template', cpu: '100m', pods: [], bound: false, shouldRun: true }],
];
for (const [name, n, pods, want] of sources) {
  test(`pod or template: ${name}`, () => {
    const e = report([n], [agent], pods).nodes[0]!.daemonSets[0];
    if (want === undefined) return assert.equal(e, undefined);
    assert.ok(e);
    assert.deepEqual({ source: e.source, cpu: e.requests.cpu, pods: e.pods, bound: e.bound, shouldRun: e.shouldRun }, want);
  });
}

test('a DaemonSet the controller does not act on (empty selector, being deleted) gets no template entry', () => {
  const all = { ...ds('all', { containers: [req({ cpu: '1' })] }), spec: { ...ds('all', {}).spec, selector: {} } };
  const gone = { ...ds('gone', { containers: [req({ cpu: '1' })] }), metadata: { ...ds('gone', {}).metadata, deletionTimestamp: '2026-12-01T00:00:00Z' } };
  assert.deepEqual(report([node('n1')], [all, gone]).nodes[0]!.daemonSets, []);
});

test('an untolerated NoSchedule taint excludes the template (karpenter#1749 counted such DaemonSets as zero elsewhere)', () => {
  const tainted = node('t1', {}, undefined, { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
  const tolerant = ds('tolerant', { containers: [req({ cpu: '10m' })], tolerations: [{ operator: 'Exists' }] });
  const plain = ds('plain', { containers: [req({ cpu: '20m' })] });
  assert.deepEqual(report([tainted], [plain, tolerant]).nodes[0]!.daemonSets.map((e) => e.daemonSet), ['tolerant']);
});

test('per DaemonSet: nodes, how many from the template, per-node min and max, total', () => {
  const nodes = [node('g1', { pool: 'general' }), node('g2', { pool: 'general' }), node('g3', { pool: 'general' })];
  const pods = [podOf(agent, 'a1', 'g1', { containers: [req({ cpu: '300m', memory: '10Mi' })] }), podOf(agent, 'a2', 'g2')];
  const d = report(nodes, [agent], pods).daemonSets[0]!;
  assert.deepEqual(d, { namespace: 'kube-system', name: 'agent', nodes: 3, fromTemplate: 1, perNode: { min: { cpu: '100m', memory: '0', pods: '1' }, max: { cpu: '300m', memory: '10Mi', pods: '1' } }, total: { cpu: '500m', memory: '10Mi', pods: '3' }, hostPorts: [] });
  assert.deepEqual(report(nodes, [ds('nowhere', { nodeSelector: { pool: 'none' } })]).daemonSets[0]!.perNode, { min: { cpu: '0', memory: '0', pods: '0' }, max: { cpu: '0', memory: '0', pods: '0' } });
});

test('groups: sums per label value, nodes without the label in their own group (last), the largest node total', () => {
  const nodes = [node('a', { pool: 'big' }, { cpu: '8', memory: '32Gi', pods: '110' }), node('b', { pool: 'big' }), node('c'), node('d', { pool: 'small' }, { cpu: '2', memory: '4Gi', pods: '110' })];
  const one = ds('one', { containers: [req({ cpu: '100m', memory: '100Mi' })] });
  const big = ds('big-only', { containers: [req({ cpu: '1' })], nodeSelector: { pool: 'big' } });
  const r = report(nodes, [big, one], [podOf(big, 'big-a', 'a', { containers: [req({ cpu: '2' })] })], ['pool']);
  assert.deepEqual(r.groups!.map((g) => [g.labels, g.nodes]), [[{ pool: 'big' }, ['a', 'b']], [{ pool: 'small' }, ['d']], [{ pool: null }, ['c']]]);
  const g = r.groups![0]!;
  assert.deepEqual(g.daemonSets, [{ namespace: 'kube-system', name: 'big-only', nodes: 2, total: { cpu: '3', memory: '0', pods: '2' } }, { namespace: 'kube-system', name: 'one', nodes: 2, total: { cpu: '200m', memory: '200Mi', pods: '2' } }]);
  assert.deepEqual(g.total, { cpu: '3200m', memory: '200Mi', pods: '4' });
  assert.deepEqual(g.allocatable, { cpu: '12', memory: '48Gi', pods: '220' });
  assert.deepEqual(g.left, { cpu: '8800m', memory: '48952Mi', pods: '216' });
  assert.deepEqual(g.maxPerNode, { cpu: '2100m', memory: '100Mi', pods: '2' });
  assert.equal(report(nodes, [one]).groups, undefined);
});

const grouping: [name: string, labels: Record<string, string>[], keys: string[], want: (string | null)[][]][] = [
  ['one key, sorted by value', [{ z: '2' }, { z: '1' }, { z: '2' }], ['z'], [['1'], ['2']]],
  ['an empty value is a value, apart from no label', [{ z: '' }, {}, { z: 'a' }], ['z'], [[''], ['a'], [null]]],
  ['two keys: each combination is a group', [{ a: '1', b: 'x' }, { a: '1' }, { a: '1', b: 'x' }, { b: 'x' }], ['a', 'b'], [['1', 'x'], ['1', null], [null, 'x']]],
  ['no node', [], ['z'], []],
];
for (const [name, labels, keys, want] of grouping) {
  test(`groupNodes: ${name}`, () => {
    const got = groupNodes(labels.map((l) => ({ labels: l })), keys);
    assert.deepEqual(got.map((g) => keys.map((k) => g.labels[k])), want);
    assert.equal(got.reduce((s, g) => s + g.items.length, 0), labels.length);
  });
}
