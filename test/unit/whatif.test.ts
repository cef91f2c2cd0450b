// what-if: each kind of change → the cells that change and the controller's action, including its
// subtleties (NoExecute versus NoSchedule, tolerationSeconds ignored, the default tolerations, hostNetwork
// and network-unavailable, matchFields pins, a selector narrowed under running pods), and the fit of new pods.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSelector } from '../../src/model/labels.ts';
import type { ClusterState, DaemonSet, Node, Pod, PodSpec, Taint } from '../../src/model/types.ts';
import { admissionChanges, controllerPod } from '../../src/model/admission.ts';
import { gateFailures, whatIf, type Change } from '../../src/model/whatIf.ts';

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = [], cpu = '2'): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints }, status: { allocatable: { cpu, memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function ds(name: string, spec: PodSpec = {}, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    metadata: { name, namespace: 'kube-system', uid: `uid-${name}`, generation: 1 },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: `${name}:v1` }], ...spec } }, ...extra },
  };
}

function pod(d: DaemonSet, nodeName: string, opts: { cpu?: string; hostPort?: number; pinned?: boolean } = {}): Pod {
  const container = { name: 'c', ...(opts.cpu ? { resources: { requests: { cpu: opts.cpu } } } : {}), ...(opts.hostPort ? { ports: [{ containerPort: opts.hostPort, hostPort: opts.hostPort }] } : {}) };
  const spec: PodSpec = opts.pinned
    ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } }, containers: [container] }
    : { nodeName, containers: [container] };
  return {
    metadata: { name: `${d.metadata.name}-${nodeName}`, namespace: 'kube-system', labels: { app: d.metadata.name ?? '' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true }] },
    spec,
    status: { phase: opts.pinned ? 'Pending' : 'Running', conditions: [{ type: 'Ready', status: opts.pinned ? 'False' : 'True' }] },
  };
}

function state(nodes: Node[], daemonSets: DaemonSet[], pods: Pod[]): ClusterState {
  return { nodes, daemonSets, pods, controllerRevisions: [], events: [], allPodsOnNodesKnown: true, gaps: [] };
}

const names = (...n: string[]) => ({ names: n });
const agent = ds('agent');
const hostNet = ds('cni', { hostNetwork: true });
const tolerant = ds('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] });
const pinnedTo = ds('selected', { nodeSelector: { pool: 'a' } });
const base = (): ClusterState =>
  state(
    [node('n1', { pool: 'a' }), node('n2', { pool: 'a' }), node('n3', { pool: 'b' })],
    [agent, hostNet, tolerant, pinnedTo],
    [pod(agent, 'n1'), pod(agent, 'n2'), pod(agent, 'n3'), pod(hostNet, 'n1'), pod(tolerant, 'n1'), pod(pinnedTo, 'n1'), pod(pinnedTo, 'n2', { pinned: true })],
  );

type Row = [node: string, ds: string, action: string];
const cases: [string, () => ClusterState, Change, Row[]][] = [
  ['NoExecute taint: pods without a toleration are deleted; tolerationSeconds is ignored (tolerated)', base, { kind: 'taint', target: names('n1'), taint: { key: 'dedicated', value: 'x', effect: 'NoExecute' }, remove: false }, [
    ['n1', 'agent', 'delete'], ['n1', 'cni', 'delete'], ['n1', 'selected', 'delete'],
  ]],
  ['NoSchedule taint: pods are kept but misscheduled', base, { kind: 'taint', target: names('n1'), taint: { key: 'dedicated', effect: 'NoSchedule' }, remove: false }, [
    ['n1', 'agent', 'misschedule'], ['n1', 'cni', 'misschedule'], ['n1', 'selected', 'misschedule'], ['n1', 'tolerant', 'misschedule'],
  ]],
  ['not-ready:NoExecute is a default toleration: nothing happens', base, { kind: 'taint', target: names('n1', 'n2'), taint: { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, remove: false }, []],
  ['unreachable:NoSchedule is not a default toleration (only its NoExecute form is)', base, { kind: 'taint', target: names('n3'), taint: { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, remove: false }, [
    ['n3', 'agent', 'misschedule'],
  ]],
  ['network-unavailable:NoSchedule is tolerated only by hostNetwork pods', base, { kind: 'taint', target: names('n1'), taint: { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }, remove: false }, [
    ['n1', 'agent', 'misschedule'], ['n1', 'selected', 'misschedule'], ['n1', 'tolerant', 'misschedule'],
  ]],
  ['removing the label a nodeSelector needs deletes the pod, also one pinned by matchFields and not yet bound', base, { kind: 'label', target: names('n1', 'n2'), key: 'pool', value: undefined }, [
    ['n1', 'selected', 'delete'], ['n2', 'selected', 'delete'],
  ]],
  ['adding the label creates a pod on the newly eligible node', base, { kind: 'label', target: { selector: parseSelector('pool=b') as never, text: 'pool=b' }, key: 'pool', value: 'a' }, [
    ['n3', 'selected', 'create'],
  ]],
  ['cordon: DaemonSet pods tolerate unschedulable by default', base, { kind: 'cordon', target: names('n1', 'n2', 'n3'), unschedulable: true }, []],
  ['removing the taint that misscheduled a pod', () => {
    const s = base();
    s.nodes[2] = node('n3', { pool: 'b' }, [{ key: 'dedicated', effect: 'NoSchedule' }]);
    return s;
  }, { kind: 'taint', target: names('n3'), taint: { key: 'dedicated', effect: '' }, remove: true }, [
    // agent's pod stayed under the NoSchedule taint; the others had none there and get one now.
    ['n3', 'agent', 'unmisschedule'], ['n3', 'cni', 'create'], ['n3', 'tolerant', 'create'],
  ]],
  ['a new node of this shape: which agents land on it', base, { kind: 'apply', daemonSets: [], nodes: [node('n4', { pool: 'a' })] }, [
    ['n4', 'agent', 'create'], ['n4', 'cni', 'create'], ['n4', 'selected', 'create'], ['n4', 'tolerant', 'create'],
  ]],
  ['a narrowed nodeSelector deletes the pods of the nodes that leave', base, { kind: 'apply', daemonSets: [ds('agent', { nodeSelector: { pool: 'b' } })], nodes: [] }, [
    ['n1', 'agent', 'delete'], ['n2', 'agent', 'delete'], ['n3', 'agent', 'replace'],
  ]],
  ['a template change on OnDelete leaves the pods on the old revision', base, { kind: 'apply', daemonSets: [ds('agent', { containers: [{ name: 'c', image: 'agent:v2' }] }, { updateStrategy: { type: 'OnDelete' } })], nodes: [] }, [
    ['n1', 'agent', 'outdated'], ['n2', 'agent', 'outdated'], ['n3', 'agent', 'outdated'],
  ]],
];

for (const [name, before, change, want] of cases) {
  test(`what-if: ${name}`, () => {
    const r = whatIf(before(), change);
    assert.deepEqual(r.changes.map((c) => [c.node, c.daemonSet, c.action]).sort(), [...want].sort());
  });
}

test('what-if apply: a new DaemonSet is created where eligible; a full node and a host port clash are named', () => {
  const s = base();
  s.nodes[1] = node('n2', { pool: 'a' }, [], '250m');
  const exporter = pod(ds('legacy'), 'n3', { hostPort: 9100 });
  s.pods.push({ ...exporter, metadata: { ...exporter.metadata, ownerReferences: [] } });
  const add = ds('exporter', { containers: [{ name: 'c', resources: { requests: { cpu: '500m' } }, ports: [{ containerPort: 9100, hostPort: 9100 }] }] });
  const r = whatIf(s, { kind: 'apply', daemonSets: [add], nodes: [] });
  const by = Object.fromEntries(r.changes.map((c) => [c.node, c]));
  assert.deepEqual(Object.keys(by).sort(), ['n1', 'n2', 'n3']);
  assert.equal(by.n1!.unschedulable, undefined);
  assert.deepEqual(by.n2!.unschedulable, ['Insufficient cpu (needs 500m, 250m free)']);
  assert.deepEqual(by.n3!.unschedulable, ['host port 9100/TCP is taken by pod kube-system/legacy-n3']);
  assert.deepEqual(gateFailures(r, ['unschedulable']).length, 2);
  assert.deepEqual(gateFailures(r, ['delete']), []);
});

test('what-if apply: a template change under maxUnavailable 2 replaces 3 pods in 2 waves; under maxSurge 1, nodes without room for a surge pod are named', () => {
  const s = base();
  s.daemonSets[0] = ds('agent', { containers: [{ name: 'c', image: 'agent:v1', ports: [{ containerPort: 80, hostPort: 80 }] }] });
  const unavailable = whatIf(s, { kind: 'apply', daemonSets: [ds('agent', { containers: [{ name: 'c', image: 'agent:v2', ports: [{ containerPort: 80, hostPort: 80 }] }] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } })], nodes: [] });
  assert.deepEqual(unavailable.rollouts.map((p) => [p.pods, p.waves, p.maxUnavailable, p.maxSurge, p.noRoomForSurge.length]), [[3, 2, 2, 0, 0]]);
  // The old pods hold host port 80 in the test state: give them the port, then surge.
  s.pods = s.pods.map((p) => (p.metadata.labels?.app === 'agent' ? pod(s.daemonSets[0]!, p.spec!.nodeName!, { hostPort: 80 }) : p));
  const surge = whatIf(s, { kind: 'apply', daemonSets: [ds('agent', { containers: [{ name: 'c', image: 'agent:v2', ports: [{ containerPort: 80, hostPort: 80 }] }] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } })], nodes: [] });
  const plan = surge.rollouts[0]!;
  assert.deepEqual([plan.pods, plan.waves, plan.maxSurge], [3, 3, 1]);
  assert.deepEqual(plan.noRoomForSurge.map((n) => n.node), ['n1', 'n2', 'n3']);
  assert.match(plan.noRoomForSurge[0]!.reasons[0]!, /host port 80\/TCP is taken by pod kube-system\/agent-n1/);
  // Without surge the old pod goes first, so its port is free for the replacement.
  assert.ok(surge.changes.every((c) => c.unschedulable === undefined));
});

test('what-if: a node that does not exist is an input error', () => {
  assert.throws(() => whatIf(base(), { kind: 'cordon', target: names('nope'), unschedulable: true }), /node "nope" not found/);
});

test('the pod the controller would create: template, default tolerations and the matchFields pin', () => {
  const p = controllerPod(ds('x', { tolerations: [{ key: 'a', operator: 'Exists' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'Exists' }] }] } } } }), 'n7');
  assert.deepEqual(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] });
  const keys = (p.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect ?? ''}`);
  assert.ok(keys.includes('a:'), keys.join());
  assert.ok(keys.includes('node.kubernetes.io/not-ready:NoExecute') && keys.includes('node.kubernetes.io/unschedulable:NoSchedule'), keys.join());
  assert.equal(p.metadata.namespace, 'kube-system');
});

const admissionCases: [string, PodSpec, string[]][] = [
  ['nothing changed', {}, []],
  ['a LimitRange default request', { containers: [{ name: 'c', resources: { requests: { cpu: '2' } } }] }, ['requests none → cpu=2 (a LimitRange default or a mutating webhook)']],
  ['PodNodeSelector', { nodeSelector: { team: 'a' } }, ['nodeSelector none → team=a (the PodNodeSelector namespace annotation or a webhook)']],
  ['PodTolerationRestriction', { tolerations: [{ key: 'team', operator: 'Equal', value: 'a', effect: 'NoSchedule' }] }, ['tolerations added: team=a:NoSchedule (PodTolerationRestriction or a webhook)']],
];
for (const [name, admittedExtra, want] of admissionCases) {
  test(`admission changes: ${name}`, () => {
    const sent = controllerPod(ds('x'), 'n1');
    const admitted = { ...sent, spec: { ...sent.spec, ...admittedExtra, tolerations: [...(sent.spec?.tolerations ?? []), ...(admittedExtra.tolerations ?? [])] } };
    assert.deepEqual(admissionChanges(sent, admitted), want);
  });
}

test('what-if with the admitted pod: a LimitRange request that does not fit, a nodeSelector the node lacks, a refusal', () => {
  const add = ds('lr');
  const change: Change = { kind: 'apply', daemonSets: [add], nodes: [] };
  const plain = whatIf(base(), change);
  assert.ok(plain.changes.every((c) => c.unschedulable === undefined));
  assert.equal(plain.admission, null);
  const heavy = whatIf(base(), change, new Map([['kube-system/lr', { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '3' } } }] }, changes: ['requests none → cpu=3'] }]]));
  assert.ok(heavy.changes.every((c) => c.unschedulable?.[0] === 'Insufficient cpu (needs 3, 2 free)'), JSON.stringify(heavy.changes));
  assert.deepEqual(heavy.admission, [{ namespace: 'kube-system', daemonSet: 'lr', changes: ['requests none → cpu=3'] }]);
  const selected = whatIf(base(), change, new Map([['kube-system/lr', { spec: { nodeSelector: { pool: 'b' } }, changes: [] }]]));
  assert.deepEqual(selected.changes.filter((c) => c.unschedulable).map((c) => c.node), ['n1', 'n2']);
  const refused = whatIf(base(), change, new Map([['kube-system/lr', { spec: {}, changes: [], refused: 'admission webhook "policy" denied the request' }]]));
  assert.ok(refused.changes.every((c) => /refuses the pod: admission webhook/.test(c.unschedulable?.[0] ?? '')));
});
