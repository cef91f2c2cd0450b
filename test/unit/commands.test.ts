// Snapshot-driven tests of the commands, run in-process through main() with captured output.

import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CoverageReport, WhyNotReport } from '../../src/model/coverage.ts';
import { runCli } from '../support/cli.ts';

const DEMO = 'examples/demo-cluster.yaml';

const run = runCli;

test('demo: every state appears and the summed cells equal the recorded status counters', async () => {
  const r = await run(['coverage', '-A', '--snapshot', DEMO, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as CoverageReport;
  assert.equal(report.kind, 'DaemonSetCoverage');
  const states = new Set(report.cells.map((c) => c.state));
  for (const s of ['Missing', 'Pending', 'NotReady', 'Outdated', 'Ready', 'Misscheduled', 'Excluded']) assert.ok(states.has(s as never), `state ${s} missing`);
  for (const d of report.daemonSets) {
    assert.ok(d.recorded, `${d.name} has recorded status`);
    const { desired, current, ready, available, updated, misscheduled } = d;
    assert.deepEqual({ desired, current, ready, available, updated, misscheduled }, d.recorded, `${d.namespace}/${d.name}`);
  }
});

test('coverage -o json has the required shape', async () => {
  const r = await run(['coverage', '--snapshot', DEMO, '-o', 'json', '-n', 'monitoring', 'node-exporter']);
  const report = JSON.parse(r.out) as CoverageReport;
  assert.deepEqual(Object.keys(report.daemonSets[0]!).slice(0, 2), ['namespace', 'name']);
  for (const k of ['desired', 'current', 'ready', 'updated', 'misscheduled']) assert.ok(k in report.daemonSets[0]!);
  for (const k of ['name', 'ready', 'unschedulable']) assert.ok(k in report.nodes[0]!);
  const cell = report.cells.find((c) => c.node === 'worker-2')!;
  for (const k of ['node', 'namespace', 'daemonSet', 'shouldRun', 'shouldContinueRunning', 'state', 'pods', 'reasons']) assert.ok(k in cell, k);
  assert.deepEqual(Object.keys(cell.pods[0]!).slice(0, 4), ['name', 'phase', 'ready', 'updated']);
  assert.equal(cell.state, 'Misscheduled');
  assert.equal(cell.shouldContinueRunning, true);
});

const expected: [node: string, ds: string, state: string, codes: string[]][] = [
  ['cp-1', 'node-exporter', 'Excluded', ['UntoleratedTaint']],
  ['gpu-1', 'node-exporter', 'Excluded', ['UntoleratedTaint']],
  ['worker-1', 'dcgm-exporter', 'Excluded', ['NodeSelectorMismatch']],
  ['worker-2', 'node-exporter', 'Misscheduled', ['UntoleratedTaint', 'KeptOnNode']],
  ['worker-4', 'node-exporter', 'Misscheduled', ['UntoleratedTaint', 'KeptOnNode']],
  ['small-1', 'calico-node', 'Pending', ['FailedScheduling', 'InsufficientResource']],
  ['worker-1', 'node-exporter', 'Pending', ['FailedScheduling', 'HostPortConflict']],
  ['gpu-1', 'dcgm-exporter', 'NotReady', ['ContainerWaiting']],
  // worker-4 reports NotReady itself: its kubelet keeps pod status, so the controller counts the pod Ready.
  ['worker-4', 'calico-node', 'Ready', []],
  ['gpu-2', 'dcgm-exporter', 'Missing', ['FailedCreate']],
  ['cp-1', 'kube-proxy', 'Outdated', ['OutdatedRevision']],
  ['worker-3', 'node-exporter', 'Ready', []],
];

for (const [node, ds, state, codes] of expected) {
  test(`why-not ${node} ${ds}: ${state} with ${codes.join(', ') || 'no reasons'}`, async () => {
    const r = await run(['why-not', node, ds, '-A', '--snapshot', DEMO, '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as WhyNotReport;
    assert.equal(report.kind, 'WhyNot');
    assert.equal(report.node, node);
    assert.equal(report.results.length, 1);
    const res = report.results[0]!;
    assert.equal(res.state, state);
    assert.deepEqual(res.reasons.map((x) => x.code), codes);
  });
}

test('why-not names the taint and the label involved', async () => {
  const r = await run(['why-not', 'worker-2', '-A', '--snapshot', DEMO]);
  assert.equal(r.code, 0);
  assert.match(r.out, /taint maintenance=disk-swap:NoSchedule is not tolerated/);
  assert.match(r.out, /tolerations the DaemonSet controller adds to every pod: node\.kubernetes\.io\/not-ready:NoExecute op=Exists/);
  const g = await run(['why-not', 'worker-1', 'dcgm-exporter', '-A', '--snapshot', DEMO]);
  assert.match(g.out, /nodeSelector wants nvidia\.com\/gpu\.present=true; the node has no label nvidia\.com\/gpu\.present/);
});

test('table output: matrix, legend, counters; no colour when not a TTY', async () => {
  const r = await run(['coverage', '-A', '--snapshot', DEMO]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^NODE\s+dcgm-exporter\s+calico-node\s+kube-proxy\s+node-exporter$/m);
  assert.match(r.out, /READY\/DESIRED\s+0\/2\s+7\/8\s+8\/8\s+2\/3/);
  assert.match(r.out, /matches status/);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.out, /\x1b\[/);
});

test('--problems keeps only rows with a problem; --nodes filters nodes', async () => {
  const r = await run(['coverage', '-A', '--snapshot', DEMO, '--problems']);
  assert.doesNotMatch(r.out, /^worker-3 /m);
  assert.match(r.out, /^worker-4 /m);
  const n = await run(['coverage', '-A', '--snapshot', DEMO, '--nodes', 'nvidia.com/gpu.present=true', '-o', 'json']);
  const report = JSON.parse(n.out) as CoverageReport;
  assert.deepEqual(report.nodes.map((x) => x.name), ['gpu-1', 'gpu-2']);
  assert.equal(report.allNodes, false);
});

test('-o yaml prints the same document', async () => {
  const j = await run(['coverage', '-A', '--snapshot', DEMO, '-o', 'json']);
  const y = await run(['coverage', '-A', '--snapshot', DEMO, '-o', 'yaml']);
  const { parse } = await import('yaml');
  assert.deepEqual(parse(y.out), JSON.parse(j.out));
});

test('snapshot from stdin, and several files', async () => {
  const { readFileSync } = await import('node:fs');
  const r = await run(['coverage', '-A', '--snapshot', '-', '-o', 'json'], readFileSync(DEMO, 'utf8'));
  assert.equal(r.code, 0, r.err);
  assert.equal((JSON.parse(r.out) as CoverageReport).daemonSets.length, 4);
});

function tmpFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const badInputs: [string, () => string[], RegExp][] = [
  ['missing file', () => ['coverage', '--snapshot', '/nonexistent/x.yaml'], /^error: snapshot \/nonexistent\/x\.yaml: no such file\n$/],
  ['garbage YAML', () => ['coverage', '--snapshot', tmpFile('g.yaml', 'items: [a, {b: c\n  - ]]')], /^error: snapshot .*g\.yaml: invalid YAML at line \d+, column \d+: .*\n$/],
  ['garbage JSON', () => ['coverage', '--snapshot', tmpFile('g.json', '{"kind": "List", "items": [')], /^error: snapshot .*g\.json: invalid JSON: .*\n$/],
  ['a List with no nodes', () => ['coverage', '--snapshot', tmpFile('e.yaml', 'apiVersion: v1\nkind: List\nitems: []\n')], /^error: snapshot .*e\.yaml contains no Node or DaemonSet objects; capture one with `kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml > FILE`\n$/],
  ['unknown node', () => ['why-not', 'worker-9', '--snapshot', DEMO], /^error: node "worker-9" not found; did you mean "worker-1" or "worker-2" or "worker-3"\?\n$/],
  ['unknown DaemonSet', () => ['coverage', 'node-exporte', '-n', 'monitoring', '--snapshot', DEMO], /^error: daemonset "node-exporte" not found in namespace "monitoring"; did you mean "node-exporter"\?\n$/],
  ['DaemonSet in another namespace', () => ['coverage', 'calico-node', '-n', 'monitoring', '--snapshot', DEMO], /it exists in namespace "kube-system" \(use -n or -A\)/],
  ['bad selector', () => ['coverage', '-l', 'app in (a', '--snapshot', DEMO], /^error: --selector: invalid selector "app in \(a": missing "\)"\n$/],
  ['unknown flag', () => ['coverage', '--bogus'], /^error: unknown option '--bogus'\n$/],
  ['bad output format', () => ['coverage', '-o', 'xml', '--snapshot', DEMO], /^error: --output: unknown format "xml"; allowed: wide, json, yaml, name, jsonpath=TEMPLATE, jsonpath-file=FILE\n$/],
  ['unknown command', () => ['covrage'], /error: unknown command 'covrage'\n\(Did you mean coverage\?\)/],
];

for (const [name, argv, message] of badInputs) {
  test(`bad input: ${name} → one line, exit 2`, async () => {
    const r = await run(argv());
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.out, '');
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });
}

test('-v 1 adds the stack trace to an error', async () => {
  const r = await run(['why-not', 'nope', '--snapshot', DEMO, '-v', '1']);
  assert.equal(r.code, 2);
  assert.match(r.err, /\n\s+at /);
});

test('--help and --version exit 0', async () => {
  const h = await run(['coverage', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /Usage: kubectl ds-inspect coverage/);
  assert.match(h.out, /Examples:/);
  const v = await run(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.out, /^\d+\.\d+\.\d+\n$/);
});

test('demo: every non-Ready cell carries at least one reason, and why-not agrees with coverage cell by cell', async () => {
  const cov = JSON.parse((await run(['coverage', '-A', '--snapshot', DEMO, '-o', 'json'])).out) as CoverageReport;
  for (const cell of cov.cells) {
    if (cell.state !== 'Ready') assert.ok(cell.reasons.length > 0, `${cell.node} ${cell.daemonSet} ${cell.state} has no reason`);
  }
  for (const node of cov.nodes) {
    const why = JSON.parse((await run(['why-not', node.name, '-A', '--snapshot', DEMO, '-o', 'json'])).out) as WhyNotReport;
    for (const r of why.results) {
      const cell = cov.cells.find((c) => c.node === node.name && c.daemonSet === r.daemonSet && c.namespace === r.namespace)!;
      assert.deepEqual([r.state, r.shouldRun, r.shouldContinueRunning, r.reasons], [cell.state, cell.shouldRun, cell.shouldContinueRunning, cell.reasons]);
    }
  }
});

/** The small fixture with the pod Ready since `readySince`, the DaemonSet at minReadySeconds 30. */
function availabilitySnapshot(readySince: string, newest: string): string {
  const node = { kind: 'Node', metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: newest }], allocatable: { cpu: '1', memory: '1Gi', pods: '110' } } };
  const ds = { kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-1', generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } }, spec: { minReadySeconds: 30, selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:v1' }] } } } };
  const pod = {
    kind: 'Pod',
    metadata: { name: 'agent-x', namespace: 'kube-system', labels: { app: 'agent', 'pod-template-generation': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-1', controller: true }] },
    spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'agent:v1' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] },
  };
  return tmpFile('avail.json', JSON.stringify({ kind: 'List', items: [node, ds, pod] }));
}

const capturedCases: [string, string[], number][] = [
  // The newest timestamp is 10 s after the pod became Ready: not available under minReadySeconds 30,
  // however much later the file is read (the wall clock of this test is months later).
  ['judged at capture time', [], 0],
  ['--now 60 s after capture', ['--now', '2026-06-01T00:01:00Z'], 1],
  ['--now at capture', ['--now', '2026-06-01T00:00:10Z'], 0],
];
for (const [name, extra, available] of capturedCases) {
  test(`snapshot availability ${name} → available ${available}`, async () => {
    const file = availabilitySnapshot('2026-06-01T00:00:00Z', '2026-06-01T00:00:10Z');
    const r = await run(['coverage', '--snapshot', file, '-o', 'json', ...extra]);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as CoverageReport).daemonSets[0]!.available, available);
  });
}

test('a snapshot with DaemonSets and no nodes (a pool scaled to zero) is a cluster, not an input error', async () => {
  const file = tmpFile('zero.yaml', 'kind: List\nitems:\n- kind: DaemonSet\n  metadata: {name: a, namespace: x, uid: u}\n  spec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}, spec: {containers: [{name: c}]}}}\n');
  const r = await run(['coverage', '--snapshot', file, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as CoverageReport;
  assert.deepEqual([report.nodes.length, report.daemonSets[0]!.desired], [0, 0]);
});

test('rollout history: a name held by two namespaces of a snapshot is ambiguous without -n; -n picks one and prints it', async () => {
  const { readFileSync } = await import('node:fs');
  const twin = readFileSync('test/fixtures/small.yaml', 'utf8') + '- apiVersion: apps/v1\n  kind: DaemonSet\n  metadata: {name: agent, namespace: other, uid: ds-2}\n  spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}, spec: {containers: [{name: a, image: agent:v1}]}}}\n';
  const file = tmpFile('twin.yaml', twin);
  const amb = await run(['rollout', 'history', 'agent', '--snapshot', file]);
  assert.equal(amb.code, 2);
  assert.equal(amb.err, 'error: daemonset "agent" exists in namespaces "kube-system", "other": choose one with -n\n');
  const one = await run(['rollout', 'history', 'agent', '-n', 'other', '--snapshot', file]);
  assert.equal(one.code, 0, one.err);
  assert.match(one.out, /namespace other/);
});

test('-o jsonpath and -o name print through the one emitter', async () => {
  const names = await run(['coverage', '-A', '--snapshot', DEMO, '-o', 'name']);
  assert.equal(names.out, 'daemonset.apps/dcgm-exporter\ndaemonset.apps/calico-node\ndaemonset.apps/kube-proxy\ndaemonset.apps/node-exporter\n');
  const missing = await run(['coverage', '-A', '--snapshot', DEMO, '-o', 'jsonpath={range .cells[?(@.state=="Missing")]}{.node} {.daemonSet}{"\\n"}{end}']);
  assert.equal(missing.out, 'gpu-2 dcgm-exporter\n');
  const hist = await run(['rollout', 'history', 'kube-proxy', '-n', 'kube-system', '--snapshot', DEMO, '-o', 'jsonpath={.revisions[*].revision}']);
  assert.equal(hist.out, '1 2');
  const file = tmpFile('t.txt', '{.node}\n');
  const why = await run(['why-not', 'worker-1', '-A', '--snapshot', DEMO, `-o=jsonpath-file=${file}`]);
  assert.equal(why.out, 'worker-1');
});

test('-L KEY and --show-labels add node label columns; --no-headers drops header, summary and legend', async () => {
  const r = await run(['coverage', '-A', '--snapshot', DEMO, '-L', 'kubernetes.io/arch', '--no-headers']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 8, r.out);
  assert.match(lines[0]!, /^cp-1 +amd64 +/);
  const h = await run(['coverage', '-A', '--snapshot', DEMO, '-L', 'kubernetes.io/arch', '--show-labels', '--layout', 'matrix']);
  assert.match(h.out.split('\n')[0]!, /^NODE +ARCH +.*LABELS$/);
});

test('why-not on a node that cannot be read judges its pods only: eligibility unknown, no node-based reason', async () => {
  const { explainNode } = await import('../../src/model/coverage.ts');
  const { loadSnapshot } = await import('../../src/io/snapshot.ts');
  const state = await loadSnapshot([DEMO]);
  // worker-4 reports NotReady; without the node object that cannot be known, and must not be guessed.
  const blind = explainNode({ ...state, nodes: [] }, 'worker-4', { nowMs: Date.parse('2026-11-23T00:00:00Z') });
  assert.equal(blind.nodeInfo, null);
  assert.equal(blind.eligibilityKnown, false);
  const byDs = Object.fromEntries(blind.results.map((r) => [r.daemonSet, r]));
  assert.deepEqual(Object.keys(byDs).sort(), ['calico-node', 'kube-proxy', 'node-exporter']);
  // node-exporter is Misscheduled there (untolerated taint): without the node it is judged by its pod alone.
  assert.equal(byDs['node-exporter']!.state, 'Ready');
  assert.ok(blind.results.every((r) => r.reasons.every((x) => x.code !== 'NodeNotReady' && x.code !== 'UntoleratedTaint')));
  assert.deepEqual(blind.withoutPod, ['gpu/dcgm-exporter']);
});

test('what-if on the demo snapshot: a NoExecute taint deletes node-exporter on worker-3; --fail-on delete exits 3 and names the cell', async () => {
  const r = await run(['what-if', 'taint', 'node/worker-3', 'dedicated=x:NoExecute', '--snapshot', DEMO, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as { changes: { node: string; daemonSet: string; action: string }[]; summary: Record<string, number> };
  assert.deepEqual(report.changes.map((c) => [c.node, c.daemonSet, c.action]), [['worker-3', 'node-exporter', 'delete']]);
  const gate = await run(['what-if', 'taint', 'worker-3', 'dedicated=x:NoExecute', '--snapshot', DEMO, '--fail-on', 'delete']);
  assert.equal(gate.code, 3);
  assert.match(gate.err, /^FAIL worker-3 monitoring\/node-exporter: delete\nerror: the change would delete on 1 cell/);
});

test('coverage -f and why-not -f: a new DaemonSet is evaluated as if applied (Missing where it will be created)', async () => {
  const manifest = tmpFile('new.yaml', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: newcomer, namespace: monitoring}\nspec:\n  selector: {matchLabels: {app: newcomer}}\n  template:\n    metadata: {labels: {app: newcomer}}\n    spec:\n      nodeSelector: {kubernetes.io/hostname: worker-3}\n      containers: [{name: c, image: x}]\n');
  const cov = await run(['coverage', '-A', '--snapshot', DEMO, '-f', manifest, '-o', 'json']);
  assert.equal(cov.code, 0, cov.err);
  const report = JSON.parse(cov.out) as CoverageReport;
  const cells = report.cells.filter((c) => c.daemonSet === 'newcomer');
  assert.deepEqual(cells.filter((c) => c.state === 'Missing').map((c) => c.node), ['worker-3']);
  const why = await run(['why-not', 'worker-1', 'newcomer', '-n', 'monitoring', '--snapshot', DEMO, '-f', manifest, '-o', 'json']);
  assert.equal(why.code, 0, why.err);
  assert.equal((JSON.parse(why.out) as WhyNotReport).results[0]!.reasons[0]!.code, 'NodeSelectorMismatch');
});

test('rollout status --policy all: every tool side by side, the OnDelete kube-proxy done for all but kstatus', async () => {
  const r = await run(['rollout', 'status', 'calico-node', 'kube-proxy', '-n', 'kube-system', '--snapshot', DEMO, '--policy', 'all']);
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    [
      'DAEMONSET     POLICY    VERDICT       BLOCKING                                    MESSAGE',
      'calico-node   kubectl   in progress   small-1                                     Waiting for daemon set "calico-node" rollout to finish: 7 of 8 updated pods are available...',
      'calico-node   helm      ready         -                                           7 pods ready, needs 7 (8 desired - maxUnavailable 1)',
      'calico-node   kstatus   InProgress    small-1                                     Available: 7/8',
      'calico-node   argocd    Progressing   small-1                                     Waiting for daemon set "calico-node" rollout to finish: 7 of 8 updated pods are available...',
      'kube-proxy    kubectl   done          -                                           daemon set "kube-proxy" uses updateStrategy OnDelete: pods are replaced only when deleted; 6 of 8 nodes still run an older revision: cp-1, gpu-1, gpu-2, small-1, worker-2, worker-4',
      'kube-proxy    helm      ready         -                                           updateStrategy OnDelete: nothing to wait for',
      'kube-proxy    kstatus   InProgress    cp-1,gpu-1,gpu-2,small-1,worker-2 +1 more   Updated: 2/8',
      'kube-proxy    argocd    Healthy       -                                           daemon set 2 out of 8 new pods have been updated',
      '',
    ].join('\n'),
  );
});

test('rollout status -o json: the policy asked for decides done; every policy verdict and its blocking nodes are there', async () => {
  type Doc = { policy: string; done: boolean; daemonSets: { name: string; done: boolean; policies: { policy: string; verdict: string; done: boolean; failed: boolean; blocking: string[] }[] }[] };
  const proxy = ['rollout', 'status', 'kube-proxy', '-n', 'kube-system', '--snapshot', DEMO, '-o', 'json'];
  const byDefault = JSON.parse((await run(proxy)).out) as Doc;
  assert.deepEqual([byDefault.policy, byDefault.done, byDefault.daemonSets[0]!.done], ['kubectl', true, true]);
  const kstatus = JSON.parse((await run([...proxy, '--policy', 'kstatus'])).out) as Doc;
  assert.deepEqual([kstatus.policy, kstatus.done], ['kstatus', false]);
  assert.deepEqual(
    kstatus.daemonSets[0]!.policies.map((p) => [p.policy, p.verdict, p.done, p.blocking.length]),
    [
      ['kubectl', 'done', true, 0],
      ['helm', 'ready', true, 0],
      ['kstatus', 'InProgress', false, 6],
      ['argocd', 'Healthy', true, 0],
    ],
  );
  const calico = JSON.parse((await run(['rollout', 'status', 'calico-node', '-n', 'kube-system', '--snapshot', DEMO, '-o', 'json', '--policy', 'helm'])).out) as Doc;
  assert.deepEqual([calico.policy, calico.done], ['helm', true]);
  const all = JSON.parse((await run([...proxy, '--policy', 'all'])).out) as Doc;
  assert.deepEqual([all.policy, all.done], ['all', false]);
});

test('rollout status: kubectl is the default and its output is unchanged; another policy takes its headline and its own blocking nodes', async () => {
  const args = ['rollout', 'status', 'kube-proxy', '-n', 'kube-system', '--snapshot', DEMO];
  const today =
    'daemon set "kube-proxy" uses updateStrategy OnDelete: pods are replaced only when deleted; 6 of 8 nodes still run an older revision: cp-1, gpu-1, gpu-2, small-1, worker-2, worker-4\n' +
    ['cp-1 Outdated: pod kube-proxy-6pb8m', 'gpu-1 Outdated: pod kube-proxy-xzsqj', 'gpu-2 Outdated: pod kube-proxy-2kcw5', 'small-1 Outdated: pod kube-proxy-9s99p', 'worker-2 Outdated: pod kube-proxy-jlpnz', 'worker-4 Outdated: pod kube-proxy-f97f5'].map((l) => `  ${l} runs revision 1 (hash 778d8c7f96)\n`).join('');
  assert.equal((await run(args)).out, today);
  assert.equal((await run([...args, '--policy', 'kubectl'])).out, today);
  assert.equal((await run([...args, '--policy', 'helm'])).out, 'daemon set "kube-proxy": helm says ready: updateStrategy OnDelete: nothing to wait for\n');
  const node = await run(['rollout', 'status', 'node-exporter', '-n', 'monitoring', '--snapshot', DEMO, '--policy', 'argocd']);
  assert.equal(node.code, 0, node.err);
  // The misscheduled worker-2 and worker-4, which kubectl's view lists, hold no policy up.
  assert.deepEqual(node.out.split('\n').filter((l) => /^ {2}\S+ (Pending|Missing|NotReady|Outdated|Misscheduled)/.test(l)).map((l) => l.trim().split(' ')[0]), ['worker-1']);
  assert.match(node.out, /^daemon set "node-exporter": argocd says Progressing: Waiting for daemon set "node-exporter" rollout to finish: 2 of 3 updated pods are available\.\.\.\n/);
});
