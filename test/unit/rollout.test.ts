// Rollout model vectors: kubectl rollout status (kubectl rollout_status_test.go), intstr rounding and budgets (update_test.go),
// undo target selection (kubectl rollback), pause/resume emulation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PAUSED_STRATEGY_ANNOTATION,
  historyRows,
  managerWarnings,
  pauseState,
  undoDecision,
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

test('kubectl rollout_status_test.go case 5 OnDelete: kubectl refuses with its exact error', () => {
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

test('kubectl rollback undo target: default is the second-highest revision; exact numbers; kubectl errors', () => {
  const revs = [rev(3, 'c'), rev(1, 'a'), rev(2, 'b')];
  assert.equal((undoTarget(revs, 0) as ControllerRevision).revision, 2);
  assert.equal((undoTarget(revs, 1) as ControllerRevision).revision, 1);
  assert.equal(undoTarget(revs, 1000000), 'unable to find specified revision 1000000 in history');
  assert.equal(undoTarget(revs, -1), 'unable to find specified revision -1 in history');
  assert.equal(undoTarget([rev(1, 'a')], 0), 'no last revision to roll back to');
});

const owner = (uid: string) => [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid, controller: true }];
const pod = (name: string, ns: string, hash: string, node: string, uid = 'u1'): Pod => ({ metadata: { name, namespace: ns, labels: { app: 'foo', 'controller-revision-hash': hash }, ownerReferences: owner(uid) }, spec: { nodeName: node } });

test('history rows: ordered, current marked, change-cause absent, images and pods per revision', () => {
  const pods: Pod[] = [pod('p1', 'bar', 'b', 'n2'), pod('p2', 'bar', 'b', 'n1'), pod('p3', 'bar', 'a', 'n3')];
  const rows = historyRows(ds(), [rev(2, 'b', 'img:2', 'kubectl set image'), rev(1, 'a')], pods, 'foo-b');
  assert.deepEqual(
    rows.map((r) => [r.revision, r.current, r.changeCause, r.images, r.pods, r.nodes]),
    [
      [1, false, undefined, ['img:1'], 1, ['n3']],
      [2, true, 'kubectl set image', ['img:2'], 2, ['n1', 'n2']],
    ],
  );
});

// Regression: two DaemonSets with one template share a revision hash; only this DaemonSet's pods count.
const historyPodCases: [string, Pod[], number][] = [
  ['own pod', [pod('p', 'bar', 'b', 'n1')], 1],
  ['same hash, other namespace', [pod('p', 'other', 'b', 'n1')], 0],
  ['same hash, other owner', [pod('p', 'bar', 'b', 'n1', 'u-other')], 0],
  ['same hash, no owner', [{ metadata: { name: 'p', namespace: 'bar', labels: { 'controller-revision-hash': 'b' } }, spec: { nodeName: 'n1' } }], 0],
];
for (const [name, pods, want] of historyPodCases) {
  test(`history rows count only the DaemonSet's own pods: ${name} → ${want}`, () => {
    assert.equal(historyRows(ds(), [rev(2, 'b', 'img:2')], pods, 'foo-b')[0]!.pods, want);
  });
}

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

const ROLLING = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } };
const saved = (st: DaemonSetUpdateStrategy) => ({ [PAUSED_STRATEGY_ANNOTATION]: JSON.stringify(st) });

// [case, strategy, annotations, pauseState, pause action, resume action, resume --force action]
const pauseCases: [string, DaemonSetUpdateStrategy, Record<string, string> | undefined, string, string, string, string][] = [
  ['not paused, RollingUpdate', ROLLING, undefined, 'none', 'patch', 'noop', 'noop'],
  ['paused by us', { type: 'OnDelete' }, saved(ROLLING), 'paused', 'noop', 'patch', 'patch'],
  ['pause reverted by kubectl apply / Argo CD', ROLLING, saved(ROLLING), 'reverted', 'patch', 'refuse', 'patch'],
  ['strategy changed while paused (RollingUpdate 25%)', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }, saved(ROLLING), 'reverted', 'patch', 'refuse', 'patch'],
  ['OnDelete with rollingUpdate params set while paused', { type: 'OnDelete', rollingUpdate: { maxUnavailable: 2 } }, saved(ROLLING), 'reverted', 'patch', 'refuse', 'patch'],
  ['OnDelete by choice', { type: 'OnDelete' }, undefined, 'none', 'refuse', 'refuse', 'refuse'],
  ['annotation unreadable', { type: 'OnDelete' }, { [PAUSED_STRATEGY_ANNOTATION]: '{not json' }, 'unreadable', 'refuse', 'refuse', 'refuse'],
];
for (const [name, strategy, annotations, state, pause, resume, force] of pauseCases) {
  test(`pause/resume: ${name} → state ${state}, pause ${pause}, resume ${resume}, resume --force ${force}`, () => {
    const d = ds({ strategy, ...(annotations ? { annotations } : {}) });
    assert.equal(pauseState(d).state, state);
    assert.equal(pauseDecision(d).action, pause);
    assert.equal(resumeDecision(d).action, resume);
    assert.equal(resumeDecision(d, { force: true }).action, force);
  });
}

test('a reverted pause pauses again, saving the strategy now in force, and says so', () => {
  const now = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } };
  const d = pauseDecision(ds({ strategy: now, annotations: saved(ROLLING) }));
  assert.equal(d.action, 'patch');
  const p = d as { patch: { metadata: { annotations: Record<string, string> } }; note?: string };
  assert.deepEqual(JSON.parse(p.patch.metadata.annotations[PAUSED_STRATEGY_ANNOTATION]!), now);
  assert.match(p.note ?? '', /reverted/);
});

test('resume refuses a changed strategy naming both; --force writes the saved one', () => {
  const d = ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }, annotations: saved(ROLLING) });
  const r = resumeDecision(d);
  assert.equal(r.action, 'refuse');
  assert.match((r as { message: string }).message, /now RollingUpdate maxUnavailable=25%.*saved by pause is RollingUpdate maxUnavailable=1/);
  const f = resumeDecision(d, { force: true }) as { patch: { spec: unknown } };
  assert.deepEqual(f.patch.spec, { updateStrategy: ROLLING });
});

test('resume --strategy restores by hand when the annotation was removed; refuses over a saved one without --force', () => {
  const lost = ds({ strategy: { type: 'OnDelete' } });
  const r = resumeDecision(lost, { strategy: ROLLING }) as { action: string; patch: { metadata: Record<string, unknown>; spec: unknown } };
  assert.equal(r.action, 'patch');
  assert.deepEqual(r.patch.spec, { updateStrategy: ROLLING });
  assert.deepEqual(r.patch.metadata, { resourceVersion: '42' });
  assert.equal(resumeDecision(ds({ strategy: { type: 'OnDelete' }, annotations: saved(ROLLING) }), { strategy: { type: 'OnDelete' } }).action, 'refuse');
});

const undoCases: [string, number, string, number | undefined][] = [
  ['previous revision', 0, 'patch', 1],
  ['to revision 1', 1, 'patch', 1],
  ['to the current revision: skipped', 2, 'skip', 2],
  ['unknown revision', 7, 'refuse', undefined],
];
for (const [name, to, action, target] of undoCases) {
  test(`undo decision: ${name} → ${action}`, () => {
    const d = undoDecision(ds(), [rev(1, 'a'), rev(2, 'b', 'img:2')], to);
    assert.equal(d.action, action);
    if (d.action !== 'refuse') assert.equal(d.target.revision, target);
    if (d.action === 'patch') {
      assert.equal(d.nextRevision, 3);
      assert.deepEqual((d.patch as { metadata: unknown }).metadata, { resourceVersion: '42' });
    }
  });
}

test('undo decision: revisions of another owner are not candidates (one ownership rule)', () => {
  const foreign: ControllerRevision = { ...rev(1, 'a'), metadata: { ...rev(1, 'a').metadata, ownerReferences: owner('u-other') } };
  assert.equal(undoDecision(ds(), [foreign, rev(2, 'b', 'img:2')], 1).action, 'refuse');
});

const managerCases: [string, Partial<DaemonSet['metadata']>, RegExp[]][] = [
  ['none', {}, []],
  ['kubectl apply', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, [/kubectl apply/]],
  ['Argo CD tracking id', { annotations: { 'argocd.argoproj.io/tracking-id': 'app:apps/DaemonSet:ns/foo' } }, [/Argo CD/]],
  ['Argo CD instance label', { labels: { 'argocd.argoproj.io/instance': 'app' } }, [/Argo CD/]],
  ['Argo CD field manager', { managedFields: [{ manager: 'argocd-controller' }] }, [/Argo CD/]],
  ['Flux kustomization label', { labels: { 'kustomize.toolkit.fluxcd.io/name': 'infra' } }, [/Flux/]],
  ['Flux field manager', { managedFields: [{ manager: 'kustomize-controller' }] }, [/Flux/]],
  ['Helm labels', { labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'cilium' } }, [/Helm \(release "cilium"\)/]],
  ['apply and Helm', { labels: { 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, [/kubectl apply/, /Helm/]],
];
for (const [name, meta, want] of managerCases) {
  test(`manager warnings: ${name}`, () => {
    const d = ds();
    const w = managerWarnings({ ...d, metadata: { ...d.metadata, ...meta } }, 'pause');
    assert.equal(w.length, want.length, w.join(' | '));
    want.forEach((re, i) => assert.match(w[i]!, re));
  });
}
