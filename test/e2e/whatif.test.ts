// what-if against the REAL controllers: for each change, predict with `kubectl ds-inspect what-if`, then
// make the change for real, let the DaemonSet controller and scheduler settle, and compare node by node:
// every predicted create, delete and misschedule happened, and nothing else changed.

import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CoverageReport } from '../../src/model/coverage.ts';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest, nudgeDaemonSets, podTarget, type LivePod } from './agreement.ts';

const NS = 'e2e-whatif';
let cluster: Cluster;

interface Change {
  node: string;
  daemonSet: string;
  action: string;
  unschedulable?: string[];
}

const NODES: { name: string; pool: string; cpu?: string }[] = [
  { name: 'wi-1', pool: 'a' },
  { name: 'wi-2', pool: 'a' },
  { name: 'wi-3', pool: 'b' },
  { name: 'wi-small', pool: 'a', cpu: '300m' },
];

function nodeManifest(name: string, pool: string, cpu = '4'): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'whatif', pool, 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu, memory: '8Gi', pods: '110' }, allocatable: { cpu, memory: '8Gi', pods: '110' } },
  };
}

const ON_WHATIF = { e2e: 'whatif' };
const container = (extra: object = {}): object => ({ name: 'c', image: 'busybox:1', ...extra });
const agent = (image = 'busybox:1'): object => daemonSetManifest(NS, 'agent', { nodeSelector: ON_WHATIF, containers: [container({ image })] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } });
const pooled = (extraSelector: Record<string, string> = {}): object => daemonSetManifest(NS, 'pooled', { nodeSelector: { ...ON_WHATIF, pool: 'a', ...extraSelector } });
const legacy = daemonSetManifest(NS, 'legacy', { nodeSelector: { ...ON_WHATIF, 'kubernetes.io/hostname': 'wi-3' }, containers: [container({ ports: [{ containerPort: 19200, hostPort: 19200 }] })] });
const newcomer = daemonSetManifest(NS, 'newcomer', { nodeSelector: ON_WHATIF, containers: [container({ resources: { requests: { cpu: '500m' } }, ports: [{ containerPort: 19200, hostPort: 19200 }] })] });

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function manifestFile(objs: object[]): string {
  const f = join(mkdtempSync(join(tmpdir(), 'ds-inspect-whatif-')), 'm.json');
  writeFileSync(f, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
  return f;
}

/** `ds/node` → live pods (not terminating) of our DaemonSets. */
function placement(): Map<string, LivePod[]> {
  const out = new Map<string, LivePod[]>();
  for (const p of getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS]).items) {
    if (p.metadata.deletionTimestamp) continue;
    const k = `${p.metadata.labels?.app}/${podTarget(p)}`;
    out.set(k, [...(out.get(k) ?? []), p]);
  }
  return out;
}

function whatIf(args: string[]): Change[] {
  const r = plugin(cluster, ['what-if', ...args, '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { kind: string; changes: Change[] };
  assert.equal(doc.kind, 'WhatIf');
  return doc.changes;
}

function coverageStates(): Map<string, string> {
  nudgeDaemonSets(cluster, NS);
  const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=whatif', '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return new Map((JSON.parse(r.out) as CoverageReport).cells.map((c) => [`${c.daemonSet}/${c.node}`, c.state]));
}

const ready = (p: LivePod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * The prediction against what happened: creates have a pod now (Pending exactly where we said it would
 * not fit), deletes have none, misscheduled pods are still there and shown Misscheduled, and every cell
 * we did not name kept its pod count.
 */
function assertHappened(predicted: Change[], beforeMap: Map<string, LivePod[]>): void {
  const afterMap = placement();
  const states = coverageStates();
  const named = new Set(predicted.map((c) => `${c.daemonSet}/${c.node}`));
  for (const c of predicted) {
    const k = `${c.daemonSet}/${c.node}`;
    const now = afterMap.get(k) ?? [];
    if (c.action === 'create') {
      assert.equal(now.length, 1, `${k}: created`);
      if (c.unschedulable) assert.ok(!now[0]!.spec.nodeName, `${k}: predicted Pending (${c.unschedulable.join('; ')}), but the scheduler bound it`);
      else assert.ok(now[0]!.spec.nodeName, `${k}: predicted to fit, but left unscheduled`);
    } else if (c.action === 'delete') {
      assert.equal(now.length, 0, `${k}: deleted`);
    } else if (c.action === 'misschedule') {
      assert.equal(now.length, 1, `${k}: kept`);
      assert.equal(states.get(k), 'Misscheduled', `${k}: Misscheduled`);
    } else if (c.action === 'unmisschedule') {
      assert.equal(now.length, 1, `${k}: kept`);
      assert.notEqual(states.get(k), 'Misscheduled', `${k}: no longer Misscheduled`);
    }
  }
  for (const k of new Set([...beforeMap.keys(), ...afterMap.keys()])) {
    if (named.has(k)) continue;
    assert.equal((afterMap.get(k) ?? []).length, (beforeMap.get(k) ?? []).length, `${k}: not predicted to change, but its pod count did`);
  }
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply(NODES.map((n) => nodeManifest(n.name, n.pool, n.cpu)));
  await waitFor('what-if nodes Ready', () => {
    const nodes = getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(cluster, ['nodes', '-l', 'e2e=whatif']).items;
    return nodes.length === NODES.length && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  apply([agent(), pooled(), legacy]);
  await settle(cluster, NS);
});

after(() => {
  cluster?.stop();
});

test('what-if taint NoSchedule: pods kept but misscheduled; the taint removed: no longer misscheduled', async () => {
  const predicted = whatIf(['taint', 'wi-1', 'whatif=x:NoSchedule']);
  assert.deepEqual(predicted.map((c) => `${c.daemonSet}/${c.node}:${c.action}`).sort(), ['agent/wi-1:misschedule', 'pooled/wi-1:misschedule']);
  const beforeMap = placement();
  mustKubectl(cluster, ['taint', 'nodes', 'wi-1', 'whatif=x:NoSchedule']);
  await settle(cluster, NS);
  assertHappened(predicted, beforeMap);
  const back = whatIf(['taint', 'node/wi-1', 'whatif:NoSchedule-']);
  assert.deepEqual(back.map((c) => `${c.daemonSet}/${c.node}:${c.action}`).sort(), ['agent/wi-1:unmisschedule', 'pooled/wi-1:unmisschedule']);
  const mid = placement();
  mustKubectl(cluster, ['taint', 'nodes', 'wi-1', 'whatif:NoSchedule-']);
  await settle(cluster, NS);
  assertHappened(back, mid);
});

test('what-if taint NoExecute: the controller deletes the pods; removing it brings them back', async () => {
  const predicted = whatIf(['taint', 'wi-2', 'whatif=x:NoExecute']);
  assert.deepEqual(predicted.map((c) => `${c.daemonSet}/${c.node}:${c.action}`).sort(), ['agent/wi-2:delete', 'pooled/wi-2:delete']);
  const beforeMap = placement();
  mustKubectl(cluster, ['taint', 'nodes', 'wi-2', 'whatif=x:NoExecute']);
  await settle(cluster, NS);
  assertHappened(predicted, beforeMap);
  const back = whatIf(['taint', 'wi-2', 'whatif-']);
  assert.deepEqual(back.map((c) => `${c.daemonSet}/${c.node}:${c.action}`).sort(), ['agent/wi-2:create', 'pooled/wi-2:create']);
  const mid = placement();
  mustKubectl(cluster, ['taint', 'nodes', 'wi-2', 'whatif-']);
  await settle(cluster, NS);
  assertHappened(back, mid);
});

test('what-if cordon: DaemonSet pods stay (unschedulable is tolerated by default)', async () => {
  assert.deepEqual(whatIf(['cordon', 'wi-1']), []);
  const beforeMap = placement();
  mustKubectl(cluster, ['cordon', 'wi-1']);
  await settle(cluster, NS);
  assertHappened([], beforeMap);
  mustKubectl(cluster, ['uncordon', 'wi-1']);
});

test('what-if label removal: the pod of a nodeSelector that no longer matches is deleted', async () => {
  const predicted = whatIf(['label', '-l', 'e2e=whatif,pool=a,kubernetes.io/hostname=wi-2', 'pool-']);
  assert.deepEqual(predicted.map((c) => `${c.daemonSet}/${c.node}:${c.action}`), ['pooled/wi-2:delete']);
  const beforeMap = placement();
  mustKubectl(cluster, ['label', 'nodes', 'wi-2', 'pool-']);
  await settle(cluster, NS);
  assertHappened(predicted, beforeMap);
  mustKubectl(cluster, ['label', 'nodes', 'wi-2', 'pool=a']);
  await settle(cluster, NS);
});

test('what-if apply of a new DaemonSet: created everywhere, Pending where cpu or its host port do not fit', async () => {
  const f = manifestFile([newcomer]);
  const predicted = whatIf(['apply', '-f', f]);
  const by = new Map(predicted.map((c) => [c.node, c]));
  assert.deepEqual([...by.keys()].sort(), ['wi-1', 'wi-2', 'wi-3', 'wi-small']);
  assert.ok(predicted.every((c) => c.action === 'create'));
  assert.match(by.get('wi-small')!.unschedulable?.join() ?? '', /Insufficient cpu \(needs 500m, 300m free\)/);
  assert.match(by.get('wi-3')!.unschedulable?.join() ?? '', /host port 19200\/TCP is taken by pod e2e-whatif\/legacy-/);
  assert.equal(by.get('wi-1')!.unschedulable, undefined);
  // coverage -f shows the same DaemonSet as if applied.
  const cov = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=whatif', '-f', f, '-o', 'json']);
  assert.equal(cov.code, 0, cov.err);
  assert.equal((JSON.parse(cov.out) as CoverageReport).cells.filter((c) => c.daemonSet === 'newcomer' && c.shouldRun).length, 4);
  // The gate fails on the unschedulable pods.
  const gate = plugin(cluster, ['what-if', 'apply', '-f', f, '-n', NS, '--fail-on', 'unschedulable']);
  assert.equal(gate.code, 3, gate.err);
  const beforeMap = placement();
  apply([newcomer]);
  await settle(cluster, NS);
  assertHappened(predicted, beforeMap);
  mustKubectl(cluster, ['delete', 'daemonset', 'newcomer', '-n', NS, '--wait=true']);
  await settle(cluster, NS);
});

test('what-if apply of a template change: every pod replaced by the rollout, in waves of maxUnavailable', async () => {
  const r = plugin(cluster, ['what-if', 'apply', '-f', manifestFile([agent('busybox:2')]), '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { changes: Change[]; rollouts: { daemonSet: string; pods: number; waves: number; maxUnavailable: number }[] };
  assert.deepEqual(doc.changes.map((c) => c.action), ['replace', 'replace', 'replace', 'replace']);
  assert.deepEqual(doc.rollouts.map((p) => [p.daemonSet, p.pods, p.waves, p.maxUnavailable]), [['agent', 4, 2, 2]]);
  apply([agent('busybox:2')]);
  await settle(cluster, NS);
  const images = getJson<{ items: { metadata: { labels?: Record<string, string> }; spec: { containers: { image: string }[] } }[] }>(cluster, ['pods', '-n', NS, '-l', 'app=agent']).items.map((p) => p.spec.containers[0]!.image);
  assert.deepEqual(images, ['busybox:2', 'busybox:2', 'busybox:2', 'busybox:2']);
});

test('what-if apply of a new node, then of a narrowed nodeSelector', async () => {
  const fresh = nodeManifest('wi-5', 'a');
  const added = whatIf(['apply', '-f', manifestFile([fresh])]);
  assert.deepEqual(added.map((c) => `${c.daemonSet}/${c.node}:${c.action}`).sort(), ['agent/wi-5:create', 'pooled/wi-5:create']);
  const beforeMap = placement();
  apply([fresh]);
  await waitFor('wi-5 Ready', () => getJson<{ status?: { conditions?: { type: string; status: string }[] } }>(cluster, ['node', 'wi-5']).status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  await settle(cluster, NS);
  assertHappened(added, beforeMap);
  assert.ok((placement().get('agent/wi-5') ?? []).every(ready), 'the new node runs agent Ready');

  const narrowed = whatIf(['apply', '-f', manifestFile([pooled({ tier: 'x' })])]);
  assert.deepEqual(narrowed.map((c) => `${c.daemonSet}/${c.node}:${c.action}`).sort(), ['pooled/wi-1:delete', 'pooled/wi-2:delete', 'pooled/wi-5:delete', 'pooled/wi-small:delete']);
  const mid = placement();
  apply([pooled({ tier: 'x' })]);
  await settle(cluster, NS);
  assertHappened(narrowed, mid);
});

test('what-if asks admission: a LimitRange default request makes the new pod too big for the small node', async () => {
  const lrNs = 'e2e-whatif-lr';
  mustKubectl(cluster, ['create', 'namespace', lrNs]);
  apply([{ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: lrNs }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '1' }, default: { cpu: '1' } }] } }]);
  const ds = daemonSetManifest(lrNs, 'limited', { nodeSelector: { ...ON_WHATIF, pool: 'a' } });
  const r = plugin(cluster, ['what-if', 'apply', '-f', manifestFile([ds]), '-n', lrNs, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { changes: Change[]; admission: { daemonSet: string; changes: string[] }[] };
  assert.deepEqual(doc.admission.map((a) => [a.daemonSet, a.changes]), [['limited', ['requests none → cpu=1 (a LimitRange default or a mutating webhook)']]]);
  const by = new Map(doc.changes.map((c) => [c.node, c]));
  assert.deepEqual([...by.keys()].sort(), ['wi-1', 'wi-2', 'wi-5', 'wi-small']);
  assert.match(by.get('wi-small')!.unschedulable?.join() ?? '', /Insufficient cpu \(needs 1, 300m free\)/);
  assert.equal(by.get('wi-1')!.unschedulable, undefined);
  apply([ds]);
  await settle(cluster, lrNs);
  const pods = getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', lrNs]).items;
  const onSmall = pods.find((p) => podTarget(p) === 'wi-small');
  assert.ok(onSmall && !onSmall.spec.nodeName, 'the pod for wi-small stays Pending, as predicted');
  assert.equal(pods.filter((p) => p.spec.nodeName).length, 3, 'the three nodes predicted to fit run it');
});

test('what-if apply of a template change under maxSurge: the node whose old pod holds the host port cannot take the surge pod', async () => {
  const surgy = (image: string): object =>
    daemonSetManifest(NS, 'surgy', { nodeSelector: { ...ON_WHATIF, pool: 'b' }, containers: [container({ image, ports: [{ containerPort: 19300, hostPort: 19300 }] })] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
  apply([surgy('busybox:1')]);
  await settle(cluster, NS);
  const r = plugin(cluster, ['what-if', 'apply', '-f', manifestFile([surgy('busybox:2')]), '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { rollouts: { daemonSet: string; pods: number; waves: number; maxSurge: number; noRoomForSurge: { node: string; reasons: string[] }[] }[] };
  assert.deepEqual(doc.rollouts.map((p) => [p.daemonSet, p.pods, p.waves, p.maxSurge, p.noRoomForSurge.map((n) => n.node)]), [['surgy', 1, 1, 1, ['wi-3']]]);
  assert.match(doc.rollouts[0]!.noRoomForSurge[0]!.reasons.join(), /host port 19300\/TCP is taken by pod e2e-whatif\/surgy-/);
  apply([surgy('busybox:2')]);
  // The controller creates the surge pod beside the old one; the scheduler cannot bind it.
  const stuck = await waitFor('the surge pod for wi-3', () => getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS, '-l', 'app=surgy']).items.filter((p) => podTarget(p) === 'wi-3').length === 2 && getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS, '-l', 'app=surgy']).items, 60_000);
  await new Promise((res) => setTimeout(res, 5000));
  const pods = getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS, '-l', 'app=surgy']).items;
  assert.equal(pods.length, 2, `${stuck.length} pods`);
  assert.equal(pods.filter((p) => !p.spec.nodeName).length, 1, 'the surge pod stays unscheduled, as predicted');
  mustKubectl(cluster, ['delete', 'daemonset', 'surgy', '-n', NS, '--wait=true']);
});
