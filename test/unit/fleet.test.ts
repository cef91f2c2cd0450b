// Fleet views and the gate as tables: grouping by node pool, --problems, --fail-on and --expect-nodes;
// and a generated fleet of 2,000 nodes in 6 pools × 30 DaemonSets whose output fits 120 columns.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.ts';
import { CellState, computeCoverage, type CoverageReport } from '../../src/model/coverage.ts';
import { coverageGate, DEFAULT_FAIL_ON, groupCoverage, problemsOnly } from '../../src/model/fleet.ts';
import { parseSelector, type Requirement } from '../../src/model/labels.ts';
import type { ClusterState, DaemonSet, Node, Pod } from '../../src/model/types.ts';
import type { CliIO } from '../../src/runtime.ts';

const node = (name: string, labels: Record<string, string>): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const ds = (name: string, nodeSelector?: Record<string, string>): DaemonSet => ({
  metadata: { name, namespace: 'ns', uid: `u-${name}`, generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c' }], ...(nodeSelector ? { nodeSelector } : {}) } } },
  status: { observedGeneration: 1 },
});
const readyPod = (d: DaemonSet, n: string): Pod => ({
  metadata: { name: `${d.metadata.name}-${n}`, namespace: 'ns', labels: { app: d.metadata.name ?? '', 'pod-template-generation': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true }] },
  spec: { nodeName: n },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

// a1, a2 in pool a; b1 in pool b; x1 without a pool. agent runs everywhere (missing on a2);
// gpu runs only on pool b (nodeSelector), so it is excluded on pool a.
const agent = ds('agent');
const gpu = ds('gpu', { pool: 'b' });
const state: ClusterState = {
  nodes: [node('a1', { pool: 'a' }), node('a2', { pool: 'a' }), node('b1', { pool: 'b' }), node('x1', {})],
  daemonSets: [agent, gpu],
  pods: [readyPod(agent, 'a1'), readyPod(agent, 'b1'), readyPod(agent, 'x1'), readyPod(gpu, 'b1')],
  controllerRevisions: [],
  events: [],
  allPodsOnNodesKnown: true,
  gaps: [],
};
const report = computeCoverage(state, { nowMs: 0 });

test('group by pool: one group per value, <none> for nodes without the label; counts per state', () => {
  const g = groupCoverage(report, ['pool']);
  assert.deepEqual(g.map((x) => [x.name, x.nodes]), [['<none>', 1], ['a', 2], ['b', 1]]);
  const a = g.find((x) => x.name === 'a')!;
  const agentA = a.cells.find((c) => c.daemonSet === 'agent')!;
  assert.deepEqual([agentA.desired, agentA.ready, agentA.states.Ready, agentA.states.Missing], [2, 1, 1, 1]);
  assert.deepEqual(a.cells.find((c) => c.daemonSet === 'gpu')!.states.Excluded, 2);
  assert.deepEqual(a.problemNodes, [{ node: 'a2', namespace: 'ns', daemonSet: 'agent', state: CellState.Missing }]);
  assert.deepEqual(a.labels, { pool: 'a' });
  assert.deepEqual(g[0]!.labels, { pool: null });
});

test('--problems keeps only nodes and DaemonSets with a problem, cells still DaemonSet-major', () => {
  const p = problemsOnly(report);
  assert.deepEqual(p.nodes.map((n) => n.name), ['a2']);
  assert.deepEqual(p.daemonSets.map((d) => d.name), ['agent']);
  assert.deepEqual(p.cells.map((c) => `${c.daemonSet}/${c.node}`), ['agent/a2']);
});

const sel = (s: string): Requirement[] => parseSelector(s) as Requirement[];
const gateCases: [string, { failOn: CellState[]; expectNodes?: Requirement[] }, string[]][] = [
  ['default states', { failOn: [...DEFAULT_FAIL_ON] }, ['a2 ns/agent Missing']],
  ['Excluded is no failure by itself', { failOn: [CellState.Excluded] }, ['a1 ns/gpu Excluded', 'a2 ns/gpu Excluded', 'x1 ns/gpu Excluded']],
  ['--expect-nodes pool=b: all Ready', { failOn: [], expectNodes: sel('pool=b') }, []],
  ['--expect-nodes pool=a: the Missing cell and the excluded gpu cells fail, and gpu has DESIRED 0 there', { failOn: [], expectNodes: sel('pool=a') }, ['a2 ns/agent Missing', 'a1 ns/gpu Excluded', 'a2 ns/gpu Excluded', '* ns/gpu NoneDesired']],
  ['--expect-nodes with no matching node checks nothing', { failOn: [], expectNodes: sel('pool=zzz') }, []],
];
for (const [name, opts, want] of gateCases) {
  test(`gate: ${name}`, () => {
    assert.deepEqual(coverageGate(report, opts).map((f) => `${f.node} ${f.namespace}/${f.daemonSet} ${f.state}`), want);
  });
}

test('gate: an excluded node that is expected says why it is excluded', () => {
  const f = coverageGate(report, { failOn: [], expectNodes: sel('pool=a') }).find((x) => x.node === 'a1')!;
  assert.match(f.reason, /^expected to run here, but excluded: nodeSelector wants pool=b/);
});

function io(columns?: number): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: columns !== undefined, ...(columns ? { columns, rows: 40 } : {}) },
    stderr: { write: (s: string) => (err += s) },
    env: { NO_COLOR: '1' },
    readStdin: () => Promise.resolve(''),
    now: () => 0,
    out: () => out,
    err: () => err,
  };
}

/** 2,000 nodes in 6 pools, 30 DaemonSets of 3 namespaces (names up to 24 characters), no pods. */
function fleet(): string {
  const items: unknown[] = [];
  for (let i = 0; i < 2000; i++) items.push({ kind: 'Node', ...node(`ip-10-0-${Math.floor(i / 250)}-${i % 250}.ec2.internal`, { 'eks.amazonaws.com/nodegroup': `pool-${i % 6}` }) });
  for (let d = 0; d < 30; d++) items.push({ kind: 'DaemonSet', ...ds(`agent-${String(d).padStart(2, '0')}-${'x'.repeat(d % 10)}`), metadata: { name: `agent-${String(d).padStart(2, '0')}-${'x'.repeat(d % 10)}`, namespace: ['kube-system', 'monitoring', 'logging'][d % 3], uid: `u${d}`, generation: 1 } });
  const f = join(mkdtempSync(join(tmpdir(), 'ds-inspect-fleet-')), 'fleet.json');
  writeFileSync(f, JSON.stringify({ kind: 'List', items }));
  return f;
}
const FLEET = fleet();

for (const [name, args, columns] of [
  ['in a pipe (120 columns)', [], undefined],
  ['on an 80-column terminal', [], 80],
  ['-o wide in a pipe', ['-o', 'wide'], undefined],
  ['--group-by in a pipe', ['--group-by', 'eks.amazonaws.com/nodegroup'], undefined],
] as [string, string[], number | undefined][]) {
  test(`2,000 nodes × 30 DaemonSets: coverage ${name} has no line wider than the terminal`, async () => {
    const t = io(columns);
    assert.equal(await main(['coverage', '-A', '--snapshot', FLEET, ...args], t), 0, t.err());
    const limit = columns ?? 120;
    const wide = t.out().split('\n').filter((l) => [...l].length > limit);
    assert.deepEqual(wide.slice(0, 3), [], `${wide.length} lines wider than ${limit}`);
  });
}

test('--group-by on the small fleet: one row per pool', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ds-inspect-small-')), 's.json');
  writeFileSync(file, JSON.stringify({ kind: 'List', items: [...state.nodes.map((n) => ({ kind: 'Node', ...n })), ...state.daemonSets.map((d) => ({ kind: 'DaemonSet', ...d })), ...state.pods.map((p) => ({ kind: 'Pod', ...p }))] }));
  const t = io();
  assert.equal(await main(['coverage', '--snapshot', file, '--group-by', 'pool', '--no-headers'], t), 0, t.err());
  assert.deepEqual(t.out().trim().split('\n').map((l) => l.split(/\s+/).slice(0, 5).join(' ')), ['<none> 1 1/1 ·', 'a 2 1/2 !1 ·', 'b 1 1/1 1/1']);
});

test('2,000 nodes: 30 DaemonSets do not fit a row per pool: a column per pool instead; -o json adds groups with the counts per state', async () => {
  const t = io();
  assert.equal(await main(['coverage', '-A', '--snapshot', FLEET, '--group-by', 'eks.amazonaws.com/nodegroup'], t), 0, t.err());
  const [header, ...rows] = t.out().split('\n');
  assert.deepEqual(header!.split(/\s{2,}/), ['DAEMONSET', 'pool-0 (334)', 'pool-1 (334)', 'pool-2 (333)', 'pool-3 (333)', 'pool-4 (333)', 'pool-5 (333)']);
  assert.equal(rows.filter((r) => /^(kube-system|monitoring|logging)\//.test(r)).length, 30);
  const j = io();
  assert.equal(await main(['coverage', '-A', '--snapshot', FLEET, '--group-by', 'eks.amazonaws.com/nodegroup', '-o', 'json'], j), 0);
  const doc = JSON.parse(j.out()) as CoverageReport & { groups: { name: string; nodes: number; cells: { states: Record<string, number> }[] }[] };
  assert.deepEqual(doc.groups.map((g) => g.nodes), [334, 334, 333, 333, 333, 333]);
  assert.equal(doc.groups[0]!.cells[0]!.states.Missing, 334);
});

test('the gate exits 3 and names each failing node on stderr; a passing gate exits 0', async () => {
  const t = io();
  assert.equal(await main(['coverage', '-A', '--snapshot', FLEET, '--fail-on=Missing', '-o', 'name', 'ds/agent-00-'], t), 3);
  const fails = t.err().split('\n').filter((l) => l.startsWith('FAIL '));
  assert.equal(fails.length, 100, 'the first 100, then a count');
  assert.match(t.err(), /\.\.\. and 1900 more/);
  assert.match(t.err(), /error: coverage gate failed: 2000 cells \(Missing\)\n$/);
  const ok = io();
  assert.equal(await main(['coverage', '-A', '--snapshot', FLEET, '--fail-on=NotReady', '-o', 'name'], ok), 0, ok.err());
});

// ---- read by a person

const foreign = (name: string, extra: Partial<Pod['metadata']> = {}, phase = 'Running'): Pod => ({
  metadata: { name, namespace: 'ns', labels: { app: 'agent', 'pod-template-generation': '1' }, ...extra },
  spec: { nodeName: 'a2' },
  status: { phase, conditions: [{ type: 'Ready', status: 'True' }] },
});
const notCounted: [string, Pod, RegExp][] = [
  ['controlled by a ReplicaSet', foreign('rs-pod', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs', controller: true }] }), /pod rs-pod is on the node and matches the selector but does not count: it is controlled by ReplicaSet web-1/],
  ['an orphan being deleted', foreign('orphan', { deletionTimestamp: '2026-01-01T00:00:00Z' }), /pod orphan .* does not count: it is an orphan being deleted/],
  ['a Failed pod being deleted', foreign('failed', { deletionTimestamp: '2026-01-01T00:00:00Z', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u-agent', controller: true }] }, 'Failed'), /pod failed .* does not count: it is Failed and being deleted/],
];
for (const [name, pod, message] of notCounted) {
  test(`a Missing cell names the pod that is there but does not count: ${name}`, () => {
    const r = computeCoverage({ ...state, pods: [...state.pods, pod] }, { nowMs: 0 });
    const cell = r.cells.find((c) => c.daemonSet === 'agent' && c.node === 'a2')!;
    assert.equal(cell.state, 'Missing');
    assert.equal(cell.reasons[0]!.code, 'PodNotCounted');
    assert.match(cell.reasons[0]!.message, message);
  });
}

test('a Ready pod that is terminating says so', () => {
  const terminating = { ...readyPod(agent, 'a2'), metadata: { ...readyPod(agent, 'a2').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  const r = computeCoverage({ ...state, pods: [...state.pods, terminating] }, { nowMs: 0 });
  const cell = r.cells.find((c) => c.daemonSet === 'agent' && c.node === 'a2')!;
  assert.ok(cell.reasons.some((x) => x.code === 'PodTerminating' && /Ready but terminating/.test(x.message)), JSON.stringify(cell.reasons));
});

test('why-not: a Gt miss says the label is not an integer; a taint on an excluded node does not promise the pod may stay', async () => {
  const { nodeShouldRunDaemonPod } = await import('../../src/model/eligibility.ts');
  const n = node('g', { rank: '16.0' });
  const e = nodeShouldRunDaemonPod(n, ds('x', undefined));
  assert.equal(e.shouldRun, true);
  const gt: DaemonSet = { ...ds('gt'), spec: { ...ds('gt').spec, template: { metadata: { labels: { app: 'gt' } }, spec: { containers: [{ name: 'c' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'rank', operator: 'Gt', values: ['7'] }] }] } } } } } } };
  assert.match(nodeShouldRunDaemonPod(n, gt).reasons[0]!.message, /rank>7 \(node has rank=16\.0; "16\.0" is not an integer\)/);
  const tainted: Node = { ...node('t', { pool: 'a' }), spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } };
  const why = nodeShouldRunDaemonPod(tainted, gpu).reasons.find((x) => x.code === 'UntoleratedTaint')!;
  assert.match(why.message, /is not tolerated \(no new pod\);/);
});

test('why-not prints the controller default tolerations once per node and the labels one per line', async () => {
  const t = io();
  assert.equal(await main(['why-not', 'worker-2', '-A', '--snapshot', 'examples/demo-cluster.yaml'], t), 0, t.err());
  assert.equal(t.out().match(/tolerations the DaemonSet controller adds to every pod/g)?.length, 1);
  assert.doesNotMatch(t.out(), /tolerations added by the DaemonSet controller/);
  assert.match(t.out(), /^ {2}labels: beta\.kubernetes\.io\/arch=amd64\n {10}beta\.kubernetes\.io\/os=linux\n/m);
});

test('pods bound to a node that no longer exists are listed (and warned about), not silently dropped', async () => {
  const stray = { ...readyPod(agent, 'gone-1') };
  const r = computeCoverage({ ...state, pods: [...state.pods, stray] }, { nowMs: 0 });
  assert.deepEqual(r.podsOnMissingNodes, [{ namespace: 'ns', daemonSet: 'agent', pod: 'agent-gone-1', node: 'gone-1' }]);
  assert.deepEqual(computeCoverage({ ...state, pods: [...state.pods, stray] }, { nowMs: 0, nodesFiltered: true }).podsOnMissingNodes, [], 'with --nodes a missing node is only filtered out');
  const file = join(mkdtempSync(join(tmpdir(), 'ds-inspect-gone-')), 'g.json');
  writeFileSync(file, JSON.stringify({ kind: 'List', items: [...state.nodes.map((n) => ({ kind: 'Node', ...n })), ...state.daemonSets.map((d) => ({ kind: 'DaemonSet', ...d })), ...[...state.pods, stray].map((p) => ({ kind: 'Pod', ...p }))] }));
  const t = io();
  assert.equal(await main(['coverage', '--snapshot', file], t), 0);
  assert.match(t.err(), /^Warning: 1 DaemonSet pod is bound to a node that no longer exists and counted nowhere: ns\/agent-gone-1 \(agent\) on gone-1/m);
});
