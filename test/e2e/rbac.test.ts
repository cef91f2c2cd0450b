// RBAC on the real apiserver: users with client certificates from the local cluster's CA, bound to
// the ClusterRole we ship (examples/rbac) or to narrower roles. A user who may not list nodes or
// events still gets what can be computed, plus one line naming the missing permission.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { CoverageReport } from '../../src/model/coverage.ts';
import { mustKubectl, plugin, settle, startCluster, waitFor, getJson, type Cluster } from './harness.ts';

const NS = 'e2e-rbac';
const ROOT = resolve(import.meta.dirname, '..', '..');
let cluster: Cluster;
const kubeconfigs: Record<string, string> = {};

function mkuser(user: string, ...groups: string[]): string {
  const r = spawnSync('bash', [resolve(ROOT, 'test/cluster/mkuser.sh'), user, ...groups], { encoding: 'utf8', env: { ...process.env } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').pop()!;
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function asUser(user: string, args: string[]): { code: number; out: string; err: string } {
  return plugin(cluster, args, { KUBECONFIG: kubeconfigs[user]! });
}

const rule = (apiGroups: string[], resources: string[]): object => ({ apiGroups, resources, verbs: ['get', 'list', 'watch'] });

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  // The shipped read-only role, bound to the group it names.
  mustKubectl(cluster, ['apply', '-f', resolve(ROOT, 'examples/rbac/ds-inspect-viewer.yaml')]);
  apply([
    { apiVersion: 'v1', kind: 'Node', metadata: { name: 'rbac-1', annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'rbac', 'kubernetes.io/hostname': 'rbac-1' } } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { e2e: 'rbac' }, containers: [{ name: 'c', image: 'busybox:1' }] } },
      },
    },
    // no-events: everything the viewer has but events.
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'e2e-no-events' }, rules: [rule(['apps'], ['daemonsets', 'controllerrevisions']), rule([''], ['pods', 'nodes'])] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'e2e-no-events' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'e2e-no-events' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'no-events' }] },
    // no-nodes: namespace-scoped reads only (a RoleBinding cannot grant cluster-scoped nodes).
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'no-nodes', namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ds-inspect-viewer' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'no-nodes' }] },
  ]);
  kubeconfigs.viewer = mkuser('viewer', 'ds-inspect-viewers');
  kubeconfigs['no-events'] = mkuser('no-events');
  kubeconfigs['no-nodes'] = mkuser('no-nodes');
  kubeconfigs.nobody = mkuser('nobody');
  // no-watch: the viewer's reads without the watch verb (rollout status then polls).
  apply([
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'e2e-no-watch' },
      rules: [{ apiGroups: ['apps'], resources: ['daemonsets', 'controllerrevisions'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['pods', 'nodes', 'events'], verbs: ['get', 'list'] }],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'e2e-no-watch' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'e2e-no-watch' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'no-watch' }] },
  ]);
  kubeconfigs['no-watch'] = mkuser('no-watch');
  await waitFor('agent running on rbac-1', () => getJson(cluster, ['pods', '-n', NS]).items.length === 1);
  await settle(cluster, NS);
});

after(() => cluster?.stop());

test('the shipped viewer ClusterRole is enough for coverage and why-not, with no warning', () => {
  const r = asUser('viewer', ['coverage', '-n', NS, '--nodes', 'e2e=rbac', '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const report = JSON.parse(r.out) as CoverageReport;
  assert.equal(report.cells.find((c) => c.node === 'rbac-1')?.state, 'Ready');
  const w = asUser('viewer', ['why-not', 'rbac-1', '-n', NS]);
  assert.equal(w.code, 0, w.err);
  assert.equal(w.err, '');
});

test('without events: the matrix is complete, one warning names the permission', () => {
  const r = asUser('no-events', ['coverage', '-n', NS, '--nodes', 'e2e=rbac', '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, /^Warning: cannot list events in namespace "e2e-rbac" .*grant "list" on events/);
  assert.equal((JSON.parse(r.out) as CoverageReport).cells.find((c) => c.node === 'rbac-1')?.state, 'Ready');
  process.stdout.write(`# no-events user, coverage stderr: ${r.err}`);
});

test('without nodes: DaemonSet status is still shown, one warning names the permission', () => {
  const r = asUser('no-nodes', ['coverage', '-n', NS]);
  assert.equal(r.code, 0, r.err);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, /^Warning: cannot list nodes at the cluster scope .*grant "list" on nodes/);
  assert.match(r.out, /agent +1 +1 +1 +1 +1 +0 +RollingUpdate +1 +not checked$/m);
  assert.match(r.out, /^e2e-rbac\/agent: not checked: nodes unreadable; the counters are the controller's own$/m);
  process.stdout.write(`# no-nodes user, coverage stderr: ${r.err}# no-nodes user, coverage stdout:\n${r.out.replace(/^/gm, '#   ')}\n`);
  // why-not degrades as coverage does: the pods on the node and their states, one warning, exit 0.
  const w = asUser('no-nodes', ['why-not', 'rbac-1', '-n', NS]);
  assert.equal(w.code, 0, w.err);
  assert.equal(w.err.trim().split('\n').length, 1, w.err);
  assert.match(w.err, /^Warning: cannot get nodes .*"rbac-1".*grant "get" on nodes/);
  assert.match(w.out, /Node rbac-1: not readable/);
  assert.match(w.out, /e2e-rbac\/agent +✔ Ready +\? +\? +agent-/);
  const j = asUser('no-nodes', ['why-not', 'rbac-1', '-n', NS, '-o', 'json']);
  const doc = JSON.parse(j.out) as { nodeInfo: unknown; eligibilityKnown: boolean; results: { state: string }[] };
  assert.deepEqual([doc.nodeInfo, doc.eligibilityKnown, doc.results.map((r) => r.state)], [null, false, ['Ready']]);
  process.stdout.write(`# no-nodes user, why-not stderr: ${w.err}# no-nodes user, why-not stdout:\n${w.out.replace(/^/gm, '#   ')}\n`);
});

test('no permissions at all: one line, exit 1, no stack trace', () => {
  const r = asUser('nobody', ['coverage', '-n', NS]);
  assert.equal(r.code, 1);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.match(r.err, /^error: cannot list daemonsets in namespace "e2e-rbac": .*grant "list" on daemonsets\.apps/);
  process.stdout.write(`# nobody user, coverage stderr: ${r.err}`);
});

test('without watch: rollout status falls back to polling with one warning, and still waits to the end', async () => {
  // A rollout that cannot finish (kwok keeps a never-ready pod unready) keeps status waiting past the first look.
  apply([
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'never', namespace: NS },
      spec: {
        selector: { matchLabels: { app: 'never' } },
        template: { metadata: { labels: { app: 'never', 'ds-inspect.test/behavior': 'never-ready' } }, spec: { nodeSelector: { e2e: 'rbac' }, containers: [{ name: 'c', image: 'busybox:1' }] } },
      },
    },
  ]);
  try {
    await waitFor('the never-ready pod', () => getJson(cluster, ['pods', '-n', NS, '-l', 'app=never']).items.length === 1);
    const r = asUser('no-watch', ['rollout', 'status', 'never', '-n', NS, '--timeout', '5s', '--interval', '500ms', '-v', '6']);
    process.stdout.write(`# no-watch user, rollout status stderr:\n${r.err.replace(/^/gm, '#   ')}\n`);
    assert.equal(r.code, 1);
    const warnings = r.err.split('\n').filter((l) => l.startsWith('Warning:'));
    assert.equal(warnings.length, 1, r.err);
    assert.match(warnings[0]!, /^Warning: cannot watch \S+ \(forbidden\): rollout status re-lists every 0\.5s instead; grant "watch" on \S+ to wait on changes$/);
    assert.match(r.err, /^error: timed out after 5s waiting for the rollout; blocking: never@rbac-1$/m);
    // Polled: the DaemonSets listed again and again (about every 0.5 s after the fall-back).
    const dsLists = [...r.err.matchAll(/^I GET \S+\/daemonsets\?limit=\S+ 200/gm)].length;
    assert.ok(dsLists >= 4, `${dsLists} DaemonSet lists`);
  } finally {
    mustKubectl(cluster, ['delete', 'daemonset', 'never', '-n', NS, '--wait=false']);
  }
});
