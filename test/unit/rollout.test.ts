// Rollout model vectors: kubectl rollout status (section G), intstr rounding and budgets (section C),
// undo target selection (section H), pause/resume emulation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PAUSED_STRATEGY_ANNOTATION,
  historyRows,
  kubectlRolloutStatus,
  pauseDecision,
  resumeDecision,
  rollingBudget,
  scaledValue,
  undoTarget,
} from '../../src/model/rollout.ts';
import type { ControllerRevision, DaemonSet, DaemonSetUpdateStrategy, Pod } from '../../src/model/types.ts';

function ds(over: { generation?: number; status?: DaemonSet['status']; strategy?: DaemonSetUpdateStrategy; annotations?: Record<string, string> } = {}): DaemonSet {
  return {
    metadata: { name: 'foo', namespace: 'bar', uid: 'u1', resourceVersion: '42', ...(over.generation !== undefined ? { generation: over.generation } : {}), ...(over.annotations ? { annotations: over.annotations } : {}) },
    spec: {
      selector: { matchLabels: { app: 'foo' } },
      template: { metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image: 'img:2' }] } },
      updateStrategy: over.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    },
    ...(over.status ? { status: over.status } : {}),
  };
}

const statusVectors: [string, number, number, number, number, number, string, boolean][] = [
  ['G1', 0, 1, 0, 1, 0, 'Waiting for daemon set "foo" rollout to finish: 0 out of 1 new pods have been updated...\n', false],
  ['G2', 1, 1, 2, 2, 1, 'Waiting for daemon set "foo" rollout to finish: 1 of 2 updated pods are available...\n', false],
  ['G3', 1, 1, 2, 2, 2, 'daemon set "foo" successfully rolled out\n', true],
  ['G4', 2, 1, 2, 2, 2, 'Waiting for daemon set spec update to be observed...\n', false],
];
for (const [id, generation, observedGeneration, updated, desired, available, message, done] of statusVectors) {
  test(`${id} kubectl rollout status message`, () => {
    const r = kubectlRolloutStatus(ds({ generation, status: { observedGeneration, updatedNumberScheduled: updated, desiredNumberScheduled: desired, numberAvailable: available } }));
    assert.deepEqual(r, { message, done });
  });
}

test('G5 OnDelete: kubectl refuses with its exact error', () => {
  const r = kubectlRolloutStatus(ds({ strategy: { type: 'OnDelete' } }));
  assert.equal(r.error, 'rollout status is only available for RollingUpdate strategy type');
});

const rounding: [number | string, number, number | 'error'][] = [
  ['10%', 1, 1], ['10%', 10, 1], ['10%', 11, 2], ['25%', 3, 1], ['33%', 3, 1], ['34%', 3, 2], ['0%', 5, 0], [3, 100, 3], ['abc', 5, 'error'], ['5', 5, 'error'],
];
for (const [v, total, want] of rounding) {
  test(`intstr round up (${JSON.stringify(v)}, ${total}) → ${want}`, () => {
    const r = scaledValue(v, total, true);
    if (want === 'error') assert.equal(typeof r, 'string');
    else assert.equal(r, want);
  });
}

const budgets: [string, number, DaemonSetUpdateStrategy['rollingUpdate'], number, number][] = [
  ['two ready, maxUnavailable=1', 2, { maxUnavailable: 1 }, 0, 1],
  ['one empty, maxUnavailable=0 → safety net', 2, { maxUnavailable: 0 }, 0, 1],
  ['maxSurge=0, maxUnavailable=0 → safety net', 2, { maxSurge: 0, maxUnavailable: 0 }, 0, 1],
  ['percent unavailable 50% of 2', 2, { maxUnavailable: '50%' }, 0, 1],
  ['percent surge 50% of 2', 2, { maxSurge: '50%', maxUnavailable: 0 }, 1, 0],
  ['100% surge of 2', 2, { maxSurge: '100%', maxUnavailable: 0 }, 2, 0],
  ['terminating: 50% of 3 rounds up', 3, { maxUnavailable: '50%' }, 0, 2],
  ['no nodes', 0, { maxUnavailable: 0 }, 0, 0],
];
for (const [name, desired, ru, surge, unavailable] of budgets) {
  test(`updatedDesiredNodeCounts: ${name}`, () => {
    const b = rollingBudget(ds({ strategy: { type: 'RollingUpdate', rollingUpdate: ru ?? null } }), desired);
    assert.deepEqual([b.maxSurge, b.maxUnavailable], [surge, unavailable]);
  });
}

function rev(n: number, hash: string, image = `img:${n}`, cause?: string): ControllerRevision {
  return {
    metadata: { name: `foo-${hash}`, namespace: 'bar', labels: { app: 'foo', 'controller-revision-hash': hash }, ownerReferences: [{ uid: 'u1', controller: true, kind: 'DaemonSet', name: 'foo' }], ...(cause ? { annotations: { 'kubernetes.io/change-cause': cause } } : {}) },
    revision: n,
    data: { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'foo' } }, spec: { containers: [{ name: 'c', image }] } } } },
  };
}

test('H undo target: default is the second-highest revision; exact numbers; kubectl errors', () => {
  const revs = [rev(3, 'c'), rev(1, 'a'), rev(2, 'b')];
  assert.equal((undoTarget(revs, 0) as ControllerRevision).revision, 2);
  assert.equal((undoTarget(revs, 1) as ControllerRevision).revision, 1);
  assert.equal(undoTarget(revs, 1000000), 'unable to find specified revision 1000000 in history');
  assert.equal(undoTarget(revs, -1), 'unable to find specified revision -1 in history');
  assert.equal(undoTarget([rev(1, 'a')], 0), 'no last revision to roll back to');
});

test('history rows: ordered, current marked, change-cause <none>, images and pods per revision', () => {
  const pods: Pod[] = [
    { metadata: { name: 'p1', namespace: 'bar', labels: { app: 'foo', 'controller-revision-hash': 'b' } }, spec: { nodeName: 'n2' } },
    { metadata: { name: 'p2', namespace: 'bar', labels: { app: 'foo', 'controller-revision-hash': 'b' } }, spec: { nodeName: 'n1' } },
    { metadata: { name: 'p3', namespace: 'bar', labels: { app: 'foo', 'controller-revision-hash': 'a' } }, spec: { nodeName: 'n3' } },
  ];
  const rows = historyRows(ds(), [rev(2, 'b', 'img:2', 'kubectl set image'), rev(1, 'a')], pods, 'foo-b');
  assert.deepEqual(
    rows.map((r) => [r.revision, r.current, r.changeCause, r.images, r.pods, r.nodes]),
    [
      [1, false, '<none>', ['img:1'], 1, ['n3']],
      [2, true, 'kubectl set image', ['img:2'], 2, ['n1', 'n2']],
    ],
  );
});

test('pause saves the exact strategy with a resourceVersion precondition; pausing twice is a no-op', () => {
  const strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } };
  const d = pauseDecision(ds({ strategy }));
  assert.equal(d.action, 'patch');
  const patch = (d as { patch: { metadata: { resourceVersion: string; annotations: Record<string, string> }; spec: unknown } }).patch;
  assert.equal(patch.metadata.resourceVersion, '42');
  assert.deepEqual(JSON.parse(patch.metadata.annotations[PAUSED_STRATEGY_ANNOTATION]!), strategy);
  assert.deepEqual(patch.spec, { updateStrategy: { type: 'OnDelete', rollingUpdate: null } });
  const paused = ds({ strategy: { type: 'OnDelete' }, annotations: { [PAUSED_STRATEGY_ANNOTATION]: JSON.stringify(strategy) } });
  assert.deepEqual(pauseDecision(paused), { action: 'noop', message: 'already paused' });
  const r = resumeDecision(paused);
  assert.equal(r.action, 'patch');
  assert.deepEqual((r as { patch: { spec: unknown } }).patch.spec, { updateStrategy: strategy });
  assert.deepEqual(resumeDecision(ds({ strategy })), { action: 'noop', message: 'not paused' });
});

test('pause refuses a DaemonSet that is OnDelete by its own choice', () => {
  assert.equal(pauseDecision(ds({ strategy: { type: 'OnDelete' } })).action, 'refuse');
});
