// overhead against the REAL API server, controller and scheduler: DaemonSets whose pods get their requests
// from every path the model knows (sidecar and init containers, pod overhead set by the RuntimeClass
// admission plugin, limits defaulted into requests by the API server, a LimitRange default, an extended
// resource), then `overhead -o json` compared with the pods kubectl reads, node by node; a DaemonSet whose
// pods a ResourceQuota refuses is counted from its template.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { OverheadReport } from '../../src/model/overhead.ts';
import { parseQuantity } from '../../src/model/resources.ts';
import { getJson, kubectl, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest } from './agreement.ts';

const NS = 'e2e-overhead';
const QUOTA_NS = 'e2e-overhead-quota';
let cluster: Cluster;

const NODES: { name: string; pool?: string; extended?: Record<string, string> }[] = [
  { name: 'ov-a1', pool: 'a' },
  { name: 'ov-a2', pool: 'a' },
  { name: 'ov-b1', pool: 'b', extended: { 'example.com/dev': '2' } },
  { name: 'ov-none' },
];

function nodeManifest(n: (typeof NODES)[number]): object {
  const resources = { cpu: '2', memory: '4Gi', pods: '110', ...(n.extended ?? {}) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'overhead', 'kubernetes.io/hostname': n.name, ...(n.pool ? { pool: n.pool } : {}) } },
    status: { capacity: resources, allocatable: resources },
  };
}

const ON = { e2e: 'overhead' };
const c = (name: string, resources: object, extra: object = {}): object => ({ name, image: 'busybox:1', resources, ...extra });

const runtimeClass = { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'e2e-overhead' }, handler: 'runc', overhead: { podFixed: { cpu: '10m', memory: '16Mi' } } };
const limitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'memory-default', namespace: NS }, spec: { limits: [{ type: 'Container', defaultRequest: { memory: '32Mi' } }] } };

const DAEMONSETS = [
  // App 100m/64Mi + sidecar 50m/32Mi = 150m/96Mi; the init container after the sidecar: 400m+50m, 16Mi+32Mi;
  // max → 450m/96Mi; plus the RuntimeClass overhead 10m/16Mi.
  daemonSetManifest(NS, 'sidecar', {
    nodeSelector: ON,
    runtimeClassName: 'e2e-overhead',
    initContainers: [c('side', { requests: { cpu: '50m', memory: '32Mi' } }, { restartPolicy: 'Always' }), c('init', { requests: { cpu: '400m', memory: '16Mi' } })],
    containers: [c('app', { requests: { cpu: '100m', memory: '64Mi' } })],
  }),
  // Limits only: the API server stores them as the requests too.
  daemonSetManifest(NS, 'limits', { nodeSelector: ON, containers: [c('app', { limits: { cpu: '200m', memory: '128Mi' } })] }),
  // cpu requested, memory from the LimitRange (the template has none: only the pod shows it).
  daemonSetManifest(NS, 'ported', { nodeSelector: { ...ON, pool: 'a' }, containers: [c('app', { requests: { cpu: '20m' } }, { ports: [{ containerPort: 19400, hostPort: 19400 }] })] }),
  daemonSetManifest(NS, 'ext', { nodeSelector: { ...ON, pool: 'b' }, containers: [c('app', { limits: { 'example.com/dev': '1' } })] }),
];

const EXPECT: Record<string, Record<string, string>> = {
  sidecar: { cpu: '460m', memory: '112Mi', pods: '1' },
  limits: { cpu: '200m', memory: '128Mi', pods: '1' },
  ported: { cpu: '20m', memory: '32Mi', pods: '1' },
  // The LimitRange gives ext's container its memory request too.
  ext: { cpu: '0', 'example.com/dev': '1', memory: '32Mi', pods: '1' },
};

interface LivePod {
  metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string; overhead?: Record<string, string>; containers: { resources?: { requests?: Record<string, string> } }[] };
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function overhead(args: string[]): OverheadReport {
  const r = plugin(cluster, ['overhead', ...args, '--nodes', 'e2e=overhead', '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as OverheadReport;
}

const ROOT = resolve(import.meta.dirname, '..', '..');

/** A user with a client certificate from the local cluster's CA (test/cluster/mkuser.sh): its kubeconfig. */
function mkuser(user: string): string {
  const r = spawnSync('bash', [resolve(ROOT, 'test/cluster/mkuser.sh'), user], { encoding: 'utf8', env: { ...process.env } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').pop()!;
}

const amount = (q: Record<string, string> | undefined, res: string): number => parseQuantity(q?.[res]) ?? 0;

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  mustKubectl(cluster, ['create', 'namespace', QUOTA_NS]);
  apply([...NODES.map(nodeManifest), runtimeClass, limitRange, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'no-pods', namespace: QUOTA_NS }, spec: { hard: { pods: '0' } } }]);
  await waitFor('overhead nodes Ready', () => {
    const nodes = getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(cluster, ['nodes', '-l', 'e2e=overhead']).items;
    return nodes.length === NODES.length && nodes.every((n) => n.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
  });
  apply(DAEMONSETS);
  await settle(cluster, NS);
});

after(() => {
  cluster?.stop();
});

test('overhead -o json: every entry is the real pod on the node, with the requests the API server and admission gave it', () => {
  const report = overhead(['-n', NS]);
  const pods = getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS]).items.filter((p) => !p.metadata.deletionTimestamp);
  assert.deepEqual(report.nodes.map((n) => n.name), NODES.map((n) => n.name).sort());
  for (const n of report.nodes) {
    const here = pods.filter((p) => p.spec.nodeName === n.name);
    assert.deepEqual(n.daemonSets.map((e) => e.daemonSet).sort(), here.map((p) => p.metadata.labels!.app!).sort(), `${n.name}: the DaemonSets with a pod there`);
    for (const e of n.daemonSets) {
      const p = here.find((x) => x.metadata.labels?.app === e.daemonSet)!;
      assert.deepEqual([e.source, e.pods, e.bound], ['pod', [p.metadata.name], true], `${n.name} ${e.daemonSet}`);
      assert.deepEqual(e.requests, EXPECT[e.daemonSet], `${n.name} ${e.daemonSet}: effective requests`);
    }
    // The node total against the pods kubectl reads (apps without init containers: containers + overhead).
    for (const res of ['cpu', 'memory', 'example.com/dev']) {
      const simple = here.filter((p) => p.metadata.labels?.app !== 'sidecar');
      const fromKubectl = simple.reduce((s, p) => s + p.spec.containers.reduce((t, x) => t + amount(x.resources?.requests, res), 0) + amount(p.spec.overhead, res), 0);
      const sidecar = here.some((p) => p.metadata.labels?.app === 'sidecar') ? amount(EXPECT.sidecar, res) : 0;
      assert.ok(Math.abs(amount(n.total, res) - (fromKubectl + sidecar)) < 1e-9, `${n.name} ${res}: total ${n.total[res]}`);
      assert.ok(Math.abs(amount(n.left, res) - (amount(n.allocatable, res) - amount(n.total, res))) < 1e-9, `${n.name} ${res}: left`);
    }
    assert.equal(n.total.pods, `${here.length}`);
  }
  const sidecarPod = pods.find((p) => p.metadata.labels?.app === 'sidecar')!;
  assert.deepEqual(sidecarPod.spec.overhead, { cpu: '10m', memory: '16Mi' }, 'RuntimeClass admission set the overhead');
  const limitsPod = pods.find((p) => p.metadata.labels?.app === 'limits')!;
  assert.deepEqual(limitsPod.spec.containers[0]!.resources?.requests, { cpu: '200m', memory: '128Mi' }, 'the API server defaulted requests from limits');
  assert.deepEqual(report.nodes.find((n) => n.name === 'ov-a1')!.hostPorts, ['19400/TCP']);
  assert.equal(report.nodes.find((n) => n.name === 'ov-b1')!.left['example.com/dev'], '1');
});

test('overhead --group-by pool: one group per value, the unlabelled node last, sums of the node totals', () => {
  const report = overhead(['-n', NS, '--group-by', 'pool']);
  assert.deepEqual(report.groups!.map((g) => [g.labels.pool, g.nodes]), [['a', ['ov-a1', 'ov-a2']], ['b', ['ov-b1']], [null, ['ov-none']]]);
  for (const g of report.groups!) {
    for (const res of ['cpu', 'memory', 'pods']) {
      const sum = g.nodes.reduce((s, name) => s + amount(report.nodes.find((n) => n.name === name)!.total, res), 0);
      assert.ok(Math.abs(amount(g.total, res) - sum) < 1e-9, `${String(g.labels.pool)} ${res}`);
    }
  }
});

test('overhead of a DaemonSet whose pods a ResourceQuota refuses: the template, on every node it should run on', async () => {
  apply([daemonSetManifest(QUOTA_NS, 'blocked', { nodeSelector: { ...ON, pool: 'a' }, containers: [c('app', { limits: { cpu: '150m' } })] })]);
  await waitFor('the FailedCreate of blocked', () => mustKubectl(cluster, ['get', 'events', '-n', QUOTA_NS, '--field-selector', 'reason=FailedCreate', '-o', 'name']).trim() !== '', 60_000);
  assert.equal(getJson(cluster, ['pods', '-n', QUOTA_NS]).items.length, 0, 'no pod was created');
  const report = overhead(['-n', QUOTA_NS]);
  const entries = report.nodes.flatMap((n) => n.daemonSets.map((e) => [n.name, e.source, e.requests.cpu, e.pods.length]));
  assert.deepEqual(entries, [['ov-a1', 'template', '150m', 0], ['ov-a2', 'template', '150m', 0]]);
  assert.deepEqual([report.daemonSets[0]!.nodes, report.daemonSets[0]!.fromTemplate], [2, 2]);
});

test('overhead as a user who may list pods only in the namespace: the same report, and no warning', async () => {
  const read = (apiGroups: string[], resources: string[]): object => ({ apiGroups, resources, verbs: ['get', 'list', 'watch'] });
  const ref = (kind: string, name: string): object => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  const subjects = [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'ov-ns-pods' }];
  apply([
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'e2e-ov-nodes' }, rules: [read([''], ['nodes'])] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'e2e-ov-nodes' }, roleRef: ref('ClusterRole', 'e2e-ov-nodes'), subjects },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'e2e-ov-ns', namespace: NS }, rules: [read(['apps'], ['daemonsets', 'controllerrevisions']), read([''], ['pods'])] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'e2e-ov-ns', namespace: NS }, roleRef: ref('Role', 'e2e-ov-ns'), subjects },
  ]);
  const kubeconfig = mkuser('ov-ns-pods');
  // The RBAC authorizer reads roles from its informers: wait until it grants what the role says.
  const can = (...a: string[]): boolean => kubectl(cluster, ['auth', 'can-i', ...a, '--as', 'ov-ns-pods']).code === 0;
  await waitFor('the roles of ov-ns-pods in effect', () => can('list', 'nodes') && can('list', 'pods', '-n', NS) && !can('list', 'pods', '-A'), 30_000);
  const r = plugin(cluster, ['overhead', '-n', NS, '--nodes', 'e2e=overhead', '-o', 'json'], { KUBECONFIG: kubeconfig });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '', 'no warning: the per-DaemonSet pod lists give the same numbers');
  assert.deepEqual(JSON.parse(r.out), overhead(['-n', NS]));
});
