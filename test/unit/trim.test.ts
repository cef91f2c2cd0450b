// Trimming live objects (src/io/trim.ts): with an Interner, pods keep one copy of the pieces they share,
// and are otherwise exactly what trimming alone gives.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Interner, trimNode, trimPod } from '../../src/io/trim.ts';
import type { Node, Pod } from '../../src/model/types.ts';

const pod = (name: string, node: string): Pod =>
  structuredClone({
    metadata: { name, namespace: 'kube-system', uid: `u-${name}`, labels: { app: 'agent', 'controller-revision-hash': 'h1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds1', controller: true }], managedFields: [{ manager: 'x' }] },
    spec: {
      nodeName: node,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
      containers: [{ name: 'c', image: 'agent:1', env: [{ name: 'A', value: '1' }] }],
    },
    status: { phase: 'Running' },
  } as unknown as Pod);

test('pods trimmed with an interner equal pods trimmed alone, and share their identical pieces', () => {
  const share = new Interner();
  const [a, b, c] = [pod('a', 'n1'), pod('b', 'n1'), pod('c', 'n2')].map((p) => trimPod(p, share));
  assert.deepEqual([a, b, c], [pod('a', 'n1'), pod('b', 'n1'), pod('c', 'n2')].map((p) => trimPod(p)));
  assert.equal(a!.spec!.tolerations, c!.spec!.tolerations);
  assert.equal(a!.spec!.containers, c!.spec!.containers);
  assert.equal(a!.metadata.labels, c!.metadata.labels);
  assert.equal(a!.metadata.ownerReferences, c!.metadata.ownerReferences);
  assert.equal(a!.spec!.affinity, b!.spec!.affinity, 'the same node: one affinity');
  assert.notEqual(a!.spec!.affinity, c!.spec!.affinity, 'another node: its own');
});

test('an interner holds at most its bound; later values are kept as they are', () => {
  const share = new Interner(2);
  const x = share.of({ v: 1 });
  share.of({ v: 2 });
  const third = { v: 3 };
  assert.equal(share.of(third), third);
  assert.notEqual(share.of({ v: 3 }), third, 'not remembered past the bound');
  assert.equal(share.of({ v: 1 }), x, 'what it holds is still shared');
  assert.equal(share.of(undefined), undefined);
});

// What the model reads (model/types.ts) is kept exactly, present or absent, null or not; the rest goes.
const kept: [name: string, input: unknown, expected: unknown][] = [
  [
    'pod: metadata, status, conditions and container statuses reduced to what the model reads',
    {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'u', resourceVersion: '7', generateName: 'p-', labels: { a: '1' }, annotations: { x: 'y' }, ownerReferences: [], creationTimestamp: '2026-01-01T00:00:00Z', deletionTimestamp: null, finalizers: ['f'], managedFields: [{ manager: 'm' }] },
      spec: { nodeName: 'n', volumes: [{ name: 'v' }], priority: 5, hostNetwork: false, containers: [{ name: 'c', image: 'i', env: [] }] },
      status: {
        phase: 'Running', reason: '', hostIP: '10.0.0.1', podIP: '10.1.0.1', podIPs: [], qosClass: 'Burstable', startTime: 't',
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:01Z', observedGeneration: 1 }],
        containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'i', imageID: 'sha', containerID: 'cid', started: true, state: { running: { startedAt: 't' } }, lastState: {}, volumeMounts: [] }],
      },
    },
    {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { a: '1' }, ownerReferences: [], creationTimestamp: '2026-01-01T00:00:00Z', deletionTimestamp: null, resourceVersion: '7' },
      spec: { nodeName: 'n', hostNetwork: false, containers: [{ name: 'c', image: 'i' }] },
      status: {
        phase: 'Running', reason: '',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:01Z' }],
        containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'i', state: { running: { startedAt: 't' } }, lastState: {} }],
      },
    },
  ],
  ['pod: no status, no spec', { metadata: { name: 'p' } }, { metadata: { name: 'p' } }],
  ['pod: null status and conditions kept as null', { metadata: { name: 'p' }, status: null }, { metadata: { name: 'p' }, status: null }],
  ['pod: status.conditions null', { metadata: { name: 'p' }, status: { phase: 'Pending', conditions: null } }, { metadata: { name: 'p' }, status: { phase: 'Pending', conditions: null } }],
  [
    'node: what eligibility and the matrix read',
    {
      metadata: { name: 'n', uid: 'u', labels: { zone: 'a' }, annotations: { x: 'y' }, managedFields: [] },
      spec: { podCIDR: '10.0.0.0/24', providerID: 'gce://x', taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true },
      status: { images: [{ names: ['i'] }], nodeInfo: { kubeletVersion: 'v1' }, addresses: [], daemonEndpoints: {}, allocatable: { cpu: '2' }, capacity: { cpu: '2' }, conditions: [{ type: 'Ready', status: 'True' }] },
    },
    { metadata: { name: 'n', uid: 'u', labels: { zone: 'a' } }, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true }, status: { allocatable: { cpu: '2' }, capacity: { cpu: '2' }, conditions: [{ type: 'Ready', status: 'True' }] } },
  ],
];

for (const [name, input, expected] of kept) {
  test(`trimmed to what the model reads: ${name}`, () => {
    const trim = name.startsWith('node') ? (o: unknown) => trimNode(structuredClone(o) as Node, new Interner()) : (o: unknown) => trimPod(structuredClone(o) as Pod, new Interner());
    assert.deepEqual(trim(input), expected);
    assert.deepEqual(name.startsWith('node') ? trimNode(structuredClone(input) as Node) : trimPod(structuredClone(input) as Pod), expected, 'without an interner');
    // Snapshots rely on it: YAML aliases share maps between objects (io/snapshot.ts trimFor).
    const x = structuredClone(input);
    void (name.startsWith('node') ? trimNode(x as Node) : trimPod(x as Pod));
    assert.deepEqual(x, input, 'the input is left as it was');
  });
}
