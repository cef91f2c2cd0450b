// Trimming live objects (src/io/trim.ts): with an Interner, pods keep one copy of the pieces they share,
// and are otherwise exactly what trimming alone gives.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Interner, trimPod } from '../../src/io/trim.ts';
import type { Pod } from '../../src/model/types.ts';

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
