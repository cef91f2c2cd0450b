// rollout advance, pure: the plan (budget counting nodes already down, percentages, partition, --nodes,
// --limit, order) over coverage cells computed from a small cluster, and the lock decisions.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADVANCE_LOCK_ANNOTATION, advanceMode, advancePlan, holdsLock, lockDecision, readLock, type AdvanceOptions } from '../../src/model/advance.ts';
import { computeCoverage } from '../../src/model/coverage.ts';
import { parseSelector, type Requirement } from '../../src/model/labels.ts';
import { PAUSED_STRATEGY_ANNOTATION } from '../../src/model/rollout.ts';
import type { ClusterState, ControllerRevision, DaemonSet, Node, Pod, PodTemplateSpec } from '../../src/model/types.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const T_OLD: PodTemplateSpec = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v1' }] } };
const T_NEW: PodTemplateSpec = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v2' }] } };

function daemonSet(over: { strategy?: string; annotations?: Record<string, string> } = {}): DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'ns', uid: 'ds-uid', resourceVersion: '100', generation: 2, ...(over.annotations ? { annotations: over.annotations } : {}) },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: T_NEW, updateStrategy: { type: over.strategy ?? 'OnDelete' } },
    status: { observedGeneration: 2 },
  };
}

function rev(n: number, hash: string, template: PodTemplateSpec): ControllerRevision {
  return {
    metadata: { name: `agent-${hash}`, namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }] },
    revision: n,
    data: { spec: { template: { $patch: 'replace', ...template } } },
  };
}

function node(name: string, labels: Record<string, string> = {}): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } };
}

type PodKind = 'old' | 'old-notready' | 'new' | 'new-notready' | 'none';

function pod(nodeName: string, kind: Exclude<PodKind, 'none'>): Pod {
  const hash = kind.startsWith('old') ? 'h1' : 'h2';
  const ready = !kind.endsWith('notready');
  return {
    metadata: { name: `agent-${nodeName}`, namespace: 'ns', uid: `uid-${nodeName}`, resourceVersion: `rv-${nodeName}`, labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }], creationTimestamp: '2026-12-01T10:00:00Z' },
    spec: { nodeName, containers: [{ name: 'c' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-12-01T10:00:00Z' }] },
  };
}

/** Nodes n1..nK with the given pods; extra labels per node. */
function cluster(kinds: PodKind[], labels: Record<string, string>[] = [], ds = daemonSet()): { ds: DaemonSet; state: ClusterState } {
  const nodes = kinds.map((_, i) => node(`n${i + 1}`, labels[i] ?? {}));
  const pods = kinds.flatMap((k, i) => (k === 'none' ? [] : [pod(`n${i + 1}`, k)]));
  return { ds, state: { nodes, daemonSets: [ds], pods, controllerRevisions: [rev(1, 'h1', T_OLD), rev(2, 'h2', T_NEW)], events: [], allPodsOnNodesKnown: false, gaps: [] } };
}

function sel(s: string): Requirement[] {
  const r = parseSelector(s);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

const BASE: AdvanceOptions = { maxUnavailable: 1, nodeSelector: [], partition: undefined, limit: undefined };

function plan(kinds: PodKind[], opts: Partial<AdvanceOptions> = {}, labels: Record<string, string>[] = []) {
  const { ds, state } = cluster(kinds, labels);
  return advancePlan(ds, 'OnDelete', state, computeCoverage(state, { nowMs: NOW }), { ...BASE, ...opts });
}

const waveNodes = (p: ReturnType<typeof plan>): string[][] => p.waves.map((w) => w.map((n) => n.node));

test('plan: every old node, one per wave with --max-unavailable 1, by name; preconditions from the pod', () => {
  const p = plan(['old', 'old', 'new', 'old']);
  assert.deepEqual(p.order.map((n) => n.node), ['n1', 'n2', 'n4']);
  assert.deepEqual(waveNodes(p), [['n1'], ['n2'], ['n4']]);
  assert.deepEqual(p.order[0], { node: 'n1', pod: 'agent-n1', uid: 'uid-n1', resourceVersion: 'rv-n1', alreadyUnavailable: false, revision: 1 });
  assert.equal(p.desired, 4);
  assert.equal(p.budget, 1);
  assert.equal(p.blocked, undefined);
});

test('plan: --max-unavailable 2 makes waves of two', () => {
  assert.deepEqual(waveNodes(plan(['old', 'old', 'old', 'old', 'old'], { maxUnavailable: 2 })), [['n1', 'n2'], ['n3', 'n4'], ['n5']]);
});

const budgetTable: [string, PodKind[], number | string, string[][], boolean][] = [
  // A node already without a Ready pod (for another reason) uses one unit of the budget.
  ['a node down elsewhere uses the budget of 2', ['new-notready', 'old', 'old', 'old'], 2, [['n2'], ['n3'], ['n4']], false],
  ['a missing pod counts as down', ['none', 'old', 'old'], 2, [['n2'], ['n3']], false],
  ['the budget used up by nodes down elsewhere blocks', ['new-notready', 'old', 'old'], 1, [], true],
  // An old pod already not Ready goes first and costs nothing: it is down anyway.
  ['old pods not Ready go first, free, then the rest', ['old', 'old-notready', 'old', 'old-notready'], 1, [['n2', 'n4'], ['n1'], ['n3']], false],
  ['not-Ready old pods are replaced even when the budget is used up; then it blocks', ['new-notready', 'old-notready', 'old'], 1, [['n2']], true],
  // Percentages of desired, rounded up as intstr does.
  ['25% of 8 is 2', ['old', 'old', 'old', 'old', 'old', 'old', 'old', 'old'], '25%', [['n1', 'n2'], ['n3', 'n4'], ['n5', 'n6'], ['n7', 'n8']], false],
  ['10% of 5 rounds up to 1', ['old', 'old', 'old', 'old', 'old'], '10%', [['n1'], ['n2'], ['n3'], ['n4'], ['n5']], false],
  ['34% of 3 rounds up to 2', ['old', 'old', 'old'], '34%', [['n1', 'n2'], ['n3']], false],
];
for (const [title, kinds, max, waves, blocked] of budgetTable) {
  test(`plan budget: ${title}`, () => {
    const p = plan(kinds, { maxUnavailable: max });
    assert.deepEqual(waveNodes(p), waves);
    assert.equal(p.blocked !== undefined, blocked, p.blocked);
  });
}

test('plan budget: the block names the nodes that use up the budget', () => {
  const p = plan(['new-notready', 'none', 'old'], { maxUnavailable: 2 });
  assert.match(p.blocked ?? '', /^2 nodes already without an available pod \(n1, n2\) use up --max-unavailable 2/);
  assert.deepEqual(p.unavailable, ['n1', 'n2']);
});

test('plan: --partition 3 leaves three old nodes, the last in order', () => {
  const p = plan(['old', 'old', 'old', 'old', 'old'], { partition: 3 });
  assert.deepEqual(p.order.map((n) => n.node), ['n1', 'n2']);
  assert.deepEqual(p.skipped, [
    { node: 'n3', reason: 'kept on its revision by --partition 3' },
    { node: 'n4', reason: 'kept on its revision by --partition 3' },
    { node: 'n5', reason: 'kept on its revision by --partition 3' },
  ]);
});

test('plan: --partition counts every old node, also those --nodes does not select', () => {
  const labels: Record<string, string>[] = [{ pool: 'canary' }, { pool: 'canary' }, {}, {}];
  // 4 old nodes, partition 3: one may advance, and it is a canary one.
  const p = plan(['old', 'old', 'old', 'old'], { partition: 3, nodeSelector: sel('pool=canary') }, labels);
  assert.deepEqual(p.order.map((n) => n.node), ['n1']);
  assert.deepEqual(plan(['old', 'old', 'new', 'new'], { partition: 2 }).order, []);
  assert.deepEqual(plan(['old', 'old'], { partition: 5 }).order, []);
});

test('plan: --nodes advances only the canary pool; the others are skipped with the reason', () => {
  const labels: Record<string, string>[] = [{}, { pool: 'canary' }, {}, { pool: 'canary' }];
  const p = plan(['old', 'old', 'old', 'old'], { nodeSelector: sel('pool=canary'), maxUnavailable: 2 }, labels);
  assert.deepEqual(waveNodes(p), [['n2', 'n4']]);
  assert.deepEqual(p.skipped.map((s) => [s.node, s.reason]), [
    ['n1', 'not selected by --nodes'],
    ['n3', 'not selected by --nodes'],
  ]);
  assert.deepEqual(p.oldNodes, ['n1', 'n2', 'n3', 'n4']);
});

test('plan: --limit takes the first N of the order', () => {
  const p = plan(['old', 'old-notready', 'old'], { limit: 2 });
  assert.deepEqual(p.order.map((n) => n.node), ['n2', 'n1']);
  assert.deepEqual(p.skipped, [{ node: 'n3', reason: 'beyond --limit 2' }]);
});

test('plan: nothing old, nothing to do', () => {
  const p = plan(['new', 'new']);
  assert.deepEqual(p.order, []);
  assert.deepEqual(p.waves, []);
  assert.equal(p.blocked, undefined);
});

test('plan: a misscheduled old pod is left alone (deleting it brings no new pod)', () => {
  const { ds, state } = cluster(['old', 'old']);
  state.nodes[1]!.spec = { taints: [{ key: 'gone', effect: 'NoExecute' }] };
  const p = advancePlan(ds, 'OnDelete', state, computeCoverage(state, { nowMs: NOW }), BASE);
  assert.deepEqual(p.order.map((n) => n.node), ['n1']);
  assert.match(p.skipped[0]!.reason, /misscheduled/);
});

test('mode: OnDelete and paused are walked; RollingUpdate is refused with the hint to pause', () => {
  assert.deepEqual(advanceMode(daemonSet()), { ok: true, mode: 'OnDelete' });
  assert.deepEqual(advanceMode(daemonSet({ annotations: { [PAUSED_STRATEGY_ANNOTATION]: '{"type":"RollingUpdate"}' } })), { ok: true, mode: 'Paused' });
  const r = advanceMode(daemonSet({ strategy: 'RollingUpdate' }));
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.message : '', /uses updateStrategy RollingUpdate: the controller is already walking it; pause it first \(kubectl ds-inspect rollout pause agent\)/);
  const reverted = advanceMode(daemonSet({ strategy: 'RollingUpdate', annotations: { [PAUSED_STRATEGY_ANNOTATION]: '{"type":"RollingUpdate"}' } }));
  assert.match(!reverted.ok ? reverted.message : '', /its pause was reverted/);
});

// ---- the lock

const ME = 'alice@laptop/4242';
const lockOf = (v: object | string): DaemonSet => daemonSet({ annotations: { [ADVANCE_LOCK_ANNOTATION]: typeof v === 'string' ? v : JSON.stringify(v) } });

test('lock: free → take, a merge patch with the resourceVersion precondition', () => {
  const d = lockDecision(daemonSet(), NOW, ME, 120);
  assert.equal(d.action, 'take');
  if (d.action !== 'take') return;
  assert.deepEqual(d.value, { holder: ME, startedAt: '2026-12-01T12:00:00Z', renewedAt: '2026-12-01T12:00:00Z', ttlSeconds: 120 });
  assert.deepEqual(d.patch, { metadata: { resourceVersion: '100', annotations: { [ADVANCE_LOCK_ANNOTATION]: JSON.stringify(d.value) } } });
});

test('lock: ours → refresh, keeping the start time', () => {
  const d = lockDecision(lockOf({ holder: ME, startedAt: '2026-12-01T11:00:00Z', renewedAt: '2026-12-01T11:59:00Z', ttlSeconds: 120 }), NOW, ME, 120);
  assert.equal(d.action, 'refresh');
  if (d.action === 'refresh') assert.deepEqual(d.value, { holder: ME, startedAt: '2026-12-01T11:00:00Z', renewedAt: '2026-12-01T12:00:00Z', ttlSeconds: 120 });
});

test('lock: held by another walk within its TTL → held-by, naming the holder', () => {
  const d = lockDecision(lockOf({ holder: 'bob@ci/77', startedAt: '2026-12-01T11:58:00Z', renewedAt: '2026-12-01T11:59:30Z', ttlSeconds: 60 }), NOW, ME, 120);
  assert.equal(d.action, 'held-by');
  if (d.action === 'held-by') assert.match(d.message, /^daemonset "agent" is being advanced by bob@ci\/77 \(since 2026-12-01T11:58:00Z, lock renewed 2026-12-01T11:59:30Z, expires 2026-12-01T12:00:30Z unless renewed\)/);
});

test('lock: past its TTL → stale-takeover, saying by whom it was held', () => {
  const d = lockDecision(lockOf({ holder: 'bob@ci/77', startedAt: '2026-12-01T11:50:00Z', renewedAt: '2026-12-01T11:58:00Z', ttlSeconds: 60 }), NOW, ME, 120);
  assert.equal(d.action, 'stale-takeover');
  if (d.action !== 'stale-takeover') return;
  assert.equal(d.previous.holder, 'bob@ci/77');
  assert.equal(d.value.holder, ME);
  assert.match(d.message, /held by bob@ci\/77 \(since 2026-12-01T11:50:00Z; not renewed since 2026-12-01T11:58:00Z, expired 2026-12-01T11:59:00Z\)/);
  // exactly at expiry it is stale
  assert.equal(lockDecision(lockOf({ holder: 'bob@ci/77', startedAt: 'x', renewedAt: '2026-12-01T11:59:00Z', ttlSeconds: 60 }), NOW, ME, 120).action, 'stale-takeover');
});

test('lock: after a takeover the new holder refreshes and the old one is refused', () => {
  const d = lockDecision(lockOf({ holder: 'bob@ci/77', startedAt: '2026-12-01T11:50:00Z', renewedAt: '2026-12-01T11:58:00Z', ttlSeconds: 60 }), NOW, ME, 120);
  if (d.action !== 'stale-takeover') throw new Error(d.action);
  const taken = lockOf(d.value);
  assert.ok(holdsLock(taken, ME));
  assert.ok(!holdsLock(taken, 'bob@ci/77'));
  assert.equal(lockDecision(taken, NOW + 1000, 'bob@ci/77', 60).action, 'held-by');
});

const unreadable: [string, string][] = [
  ['not JSON', '{oops'],
  ['a bare string', '"kured"'],
  ['no holder', JSON.stringify({ renewedAt: '2026-12-01T11:00:00Z', ttlSeconds: 60 })],
  ['a bad time', JSON.stringify({ holder: 'x', renewedAt: 'yesterday', ttlSeconds: 60 })],
  ['a zero TTL', JSON.stringify({ holder: 'x', renewedAt: '2026-12-01T11:00:00Z', ttlSeconds: 0 })],
];
for (const [title, raw] of unreadable) {
  test(`lock: unreadable (${title}) → refused, never overwritten`, () => {
    const d = lockDecision(lockOf(raw), NOW, ME, 120);
    assert.equal(d.action, 'unreadable');
    if (d.action === 'unreadable') assert.match(d.message, /remove it by hand \(kubectl annotate daemonset agent ds-inspect\.k8s\.io\/advance-lock-\)/);
    assert.equal(typeof readLock(lockOf(raw)), 'string');
  });
}
