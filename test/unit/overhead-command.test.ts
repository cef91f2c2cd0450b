// `overhead` through main() on the demo snapshot: the JSON document, the table, --group-by, --no-headers,
// and the usage errors (exit 2, before any file is read).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OverheadReport } from '../../src/model/overhead.ts';
import { runCli } from '../support/cli.ts';

const DEMO = 'examples/demo-cluster.yaml';

const run = runCli;

async function demo(...args: string[]): Promise<OverheadReport> {
  const r = await run(['overhead', '-A', '--snapshot', DEMO, '-o', 'json', ...args]);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as OverheadReport;
}

// The demo's DaemonSets: calico-node 250m/128Mi everywhere, kube-proxy and node-exporter without
// requests, dcgm-exporter 100m/256Mi on the GPU nodes (gpu-2 has no pod: FailedCreate).
const perNode: [node: string, entries: [ds: string, source: string, bound: boolean, shouldRun: boolean][], total: Record<string, string>, left: Record<string, string>][] = [
  ['cp-1', [['calico-node', 'pod', true, true], ['kube-proxy', 'pod', true, true]], { cpu: '250m', memory: '128Mi', pods: '2' }, { cpu: '3750m', memory: '15232Mi', pods: '108' }],
  ['gpu-2', [['dcgm-exporter', 'template', false, true], ['calico-node', 'pod', true, true], ['kube-proxy', 'pod', true, true]], { cpu: '350m', memory: '384Mi', pods: '3' }, { cpu: '3650m', memory: '14976Mi', pods: '107' }],
  ['small-1', [['calico-node', 'pod', false, true], ['kube-proxy', 'pod', true, true], ['node-exporter', 'pod', true, true]], { cpu: '250m', memory: '128Mi', pods: '3' }, { cpu: '-50m', memory: '15232Mi', pods: '107' }],
  ['worker-1', [['calico-node', 'pod', true, true], ['kube-proxy', 'pod', true, true], ['node-exporter', 'pod', false, true]], { cpu: '250m', memory: '128Mi', pods: '3' }, { cpu: '3750m', memory: '15232Mi', pods: '107' }],
  ['worker-2', [['calico-node', 'pod', true, true], ['kube-proxy', 'pod', true, true], ['node-exporter', 'pod', true, false]], { cpu: '250m', memory: '128Mi', pods: '3' }, { cpu: '3750m', memory: '15232Mi', pods: '107' }],
];
for (const [name, entries, total, left] of perNode) {
  test(`overhead -o json on the demo: ${name}`, async () => {
    const r = await demo();
    const n = r.nodes.find((x) => x.name === name)!;
    assert.deepEqual(n.daemonSets.map((e) => [e.daemonSet, e.source, e.bound, e.shouldRun]), entries);
    assert.deepEqual(n.total, total);
    assert.deepEqual(n.left, left);
  });
}

test('overhead -o json on the demo: the document and the cluster-wide totals', async () => {
  const r = await demo();
  assert.equal(r.kind, 'DaemonSetOverhead');
  assert.equal(r.allNodes, true);
  assert.equal(r.groups, undefined);
  assert.deepEqual(r.total, { cpu: '2200m', memory: '1536Mi', pods: '23' });
  assert.deepEqual(r.daemonSets.map((d) => [d.name, d.nodes, d.fromTemplate, d.total.cpu, d.hostPorts]), [
    ['dcgm-exporter', 2, 1, '200m', []],
    ['calico-node', 8, 0, '2', []],
    ['kube-proxy', 8, 0, '0', []],
    ['node-exporter', 5, 0, '0', ['9100/TCP']],
  ]);
});

test('overhead --group-by: groups in JSON, nodes without the label last; --nodes says the totals are partial', async () => {
  const r = await demo('--group-by', 'nvidia.com/gpu.present');
  assert.deepEqual(r.groupBy, ['nvidia.com/gpu.present']);
  assert.deepEqual(r.groups!.map((g) => [g.labels['nvidia.com/gpu.present'], g.nodes.length, g.total.cpu]), [['true', 2, '700m'], [null, 6, '1500m']]);
  const f = await demo('--nodes', 'nvidia.com/gpu.present=true');
  assert.equal(f.allNodes, false);
  assert.deepEqual(f.nodes.map((n) => n.name), ['gpu-1', 'gpu-2']);
});

test('overhead table: a DaemonSet section, a row per node, the TOTAL row; -o wide adds a row per DaemonSet', async () => {
  const r = await run(['overhead', '-A', '--snapshot', DEMO]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^NAMESPACE +DAEMONSET +NODES +CPU\/NODE +MEMORY\/NODE\n/);
  assert.match(r.out, /\ngpu +dcgm-exporter +2 \(1 from template\) +100m +256Mi\n/);
  assert.match(r.out, /\nsmall-1 +3 +250m \/ 200m +128Mi \/ 15Gi +3 \/ 110 +-50m /);
  assert.match(r.out, /\nTOTAL +23 +2200m +1\.5Gi +23\n$/);
  assert.ok(r.out.split('\n').every((l) => l.length <= 120), 'fits 120 columns');
  const w = await run(['overhead', '-A', '--snapshot', DEMO, '-o', 'wide']);
  assert.match(w.out, /\n {2}gpu\/dcgm-exporter +template +100m +256Mi +1 /);
  assert.match(w.out, /\n {2}monitoring\/node-exporter +pod, misscheduled +0 +0 +1 +9100\/TCP\n/);
});

test('overhead --group-by table: one column per key, <none> for nodes without the label', async () => {
  const r = await run(['overhead', '-A', '--snapshot', DEMO, '--group-by', 'nvidia.com/gpu.present']);
  assert.match(r.out, /\nGPU\.PRESENT +NODES +DAEMONSETS +CPU /);
  assert.match(r.out, /\n<none> +6 +17 +1500m \/ 20200m /);
  assert.match(r.out, /\nTOTAL +8 +23 +2200m +1\.5Gi +23\n$/);
});

test('overhead --no-headers: only the node rows', async () => {
  const r = await run(['overhead', '-A', '--snapshot', DEMO, '--no-headers']);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 8);
  assert.ok(lines.every((l) => !/^(NODE|NAMESPACE|TOTAL)\b/.test(l)));
});

test('overhead -o jsonpath and a namespace scope', async () => {
  const r = await run(['overhead', '-n', 'monitoring', '--snapshot', DEMO, '-o', 'jsonpath={range .nodes[*]}{.name}={.total.pods} {end}']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, 'cp-1=0 gpu-1=0 gpu-2=0 small-1=1 worker-1=1 worker-2=1 worker-3=1 worker-4=1 ');
});

const usage: [argv: string[], message: RegExp][] = [
  [['overhead', '--group-by', 'a/b/c'], /--group-by: invalid label key "a\/b\/c": at most one "\/"/],
  [['overhead', '-o', 'name'], /--output: unknown format "name"/],
  [['overhead', '-n', 'x', '-A'], /--namespace and --all-namespaces cannot be used together/],
  [['overhead', '--nodes', 'a in'], /--nodes: /],
  [['overhead', 'pod/x'], /"pod\/x" is not a DaemonSet reference/],
];
for (const [argv, message] of usage) {
  test(`overhead usage error before any I/O: ${argv.slice(1).join(' ')}`, async () => {
    // A snapshot that does not exist: the usage error must come first.
    const r = await run([...argv, '--snapshot', '/nonexistent/cluster.yaml']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, 'one line');
  });
}

test('overhead of a DaemonSet that does not exist: exit 2 with a suggestion', async () => {
  const r = await run(['overhead', '-A', '--snapshot', DEMO, 'calico']);
  assert.equal(r.code, 2);
  assert.match(r.err, /daemonset "calico" not found in any namespace/);
});
