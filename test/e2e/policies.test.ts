// `rollout status --policy` against the real DaemonSet controller: an OnDelete DaemonSet after a template
// change (done for kubectl's extension, Helm and Argo CD; InProgress for kstatus until every old pod is
// deleted), and a RollingUpdate DaemonSet with one pod not ready on a NotReady node (ready for Helm within
// maxUnavailable; waiting for kubectl, kstatus and Argo CD).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest } from './agreement.ts';

const NS = 'e2e-policies';
const NODES = ['pol-1', 'pol-2', 'pol-3', 'pol-4'];
let cluster: Cluster;

interface DsStatus {
  status?: { desiredNumberScheduled?: number; updatedNumberScheduled?: number; numberReady?: number; observedGeneration?: number };
  metadata: { generation: number };
}

interface StatusDoc {
  policy: string;
  done: boolean;
  daemonSets: { name: string; policies: { policy: string; verdict: string; done: boolean; blocking: string[] }[] }[];
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function dsStatus(name: string): DsStatus {
  return getJson<DsStatus>(cluster, ['daemonset', name, '-n', NS]);
}

function log(title: string, r: { code: number; out: string; err: string }): void {
  process.stdout.write(`# ${title} (exit ${r.code})\n${`${r.out}${r.err}`.trimEnd().replace(/^/gm, '#   ')}\n`);
}

function verdicts(name: string): Record<string, string> {
  const r = plugin(cluster, ['rollout', 'status', name, '-n', NS, '--policy', 'all', '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as StatusDoc;
  return Object.fromEntries(doc.daemonSets[0]!.policies.map((p) => [p.policy, p.verdict]));
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply(NODES.map((n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'policies', 'kubernetes.io/hostname': n } } })));
  const pod = { nodeSelector: { e2e: 'policies' }, containers: [{ name: 'c', image: 'agent:v1' }] };
  apply([
    daemonSetManifest(NS, 'ondel', pod, { updateStrategy: { type: 'OnDelete' } }),
    daemonSetManifest(NS, 'budget', pod, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } }),
  ]);
  await settle(cluster, NS);
});

after(() => cluster?.stop());

test('OnDelete after a template change: Helm and Argo CD are done at once, kstatus waits and names every node', async () => {
  mustKubectl(cluster, ['set', 'image', 'daemonset/ondel', '-n', NS, 'c=agent:v2']);
  await waitFor('the controller to observe the change', () => {
    const d = dsStatus('ondel');
    return d.status?.observedGeneration === d.metadata.generation;
  });
  assert.deepEqual(verdicts('ondel'), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' });

  const helm = plugin(cluster, ['rollout', 'status', 'ondel', '-n', NS, '--policy', 'helm', '--timeout', '30s']);
  log('rollout status ondel --policy helm', helm);
  assert.equal(helm.code, 0, helm.err);
  assert.match(helm.out, /^daemon set "ondel": helm says ready: updateStrategy OnDelete: nothing to wait for$/m);
  const argo = plugin(cluster, ['rollout', 'status', 'ondel', '-n', NS, '--policy', 'argocd', '--timeout', '30s']);
  assert.equal(argo.code, 0, argo.err);
  assert.match(argo.out, /argocd says Healthy: daemon set 0 out of 4 new pods have been updated/);

  const kstatus = plugin(cluster, ['rollout', 'status', 'ondel', '-n', NS, '--policy', 'kstatus', '--timeout', '10s', '--interval', '500ms']);
  log('rollout status ondel --policy kstatus --timeout 10s', kstatus);
  assert.equal(kstatus.code, 1);
  assert.match(kstatus.out, /kstatus says InProgress: Updated: 0\/4/);
  assert.match(kstatus.err, /^error: timed out after 10s waiting for the rollout; blocking: ondel@pol-\d, ondel@pol-\d, ondel@pol-\d, ondel@pol-\d\n$/);

  const table = plugin(cluster, ['rollout', 'status', 'ondel', '-n', NS, '--policy', 'all']);
  log('rollout status ondel --policy all', table);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, /^ondel +kstatus +InProgress +pol-1,pol-2,pol-3,pol-4 +Updated: 0\/4$/m);
});

test('OnDelete: once every old pod is deleted by hand, kstatus says Current and the wait exits 0', async () => {
  mustKubectl(cluster, ['delete', 'pods', '-n', NS, '-l', 'app=ondel', '--wait=false']);
  const r = plugin(cluster, ['rollout', 'status', 'ondel', '-n', NS, '--policy', 'kstatus', '--timeout', '120s', '--interval', '500ms']);
  log('rollout status ondel --policy kstatus (after deleting the old pods)', r);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /kstatus says Current: All replicas scheduled as expected\. Replicas: 4/);
  await settle(cluster, NS);
  assert.deepEqual(verdicts('ondel'), { kubectl: 'done', helm: 'ready', kstatus: 'Current', argocd: 'Healthy' });
});

test('one pod not ready (a failing readiness probe): Helm is ready within maxUnavailable 1, the others wait on that node', async () => {
  // There is no kubelet: write what a kubelet whose readiness probe fails would write, on pol-4's pod.
  const pod = getJson<{ items: { metadata: { name: string }; spec: { nodeName?: string } }[] }>(cluster, ['pods', '-n', NS, '-l', 'app=budget']).items.find((p) => p.spec.nodeName === 'pol-4')!;
  mustKubectl(cluster, ['patch', 'pod', pod.metadata.name, '-n', NS, '--subresource=status', '--type=strategic', '-p', JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady' }] } })]);
  await waitFor('budget to count 3 ready pods', () => dsStatus('budget').status?.numberReady === 3, 120_000);
  assert.deepEqual(verdicts('budget'), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' });

  const helm = plugin(cluster, ['rollout', 'status', 'budget', '-n', NS, '--policy', 'helm', '--timeout', '30s']);
  log('rollout status budget --policy helm', helm);
  assert.equal(helm.code, 0, helm.err);
  assert.match(helm.out, /helm says ready: 3 pods ready, needs 3 \(4 desired - maxUnavailable 1\)/);

  const kubectl = plugin(cluster, ['rollout', 'status', 'budget', '-n', NS, '--timeout', '10s']);
  log('rollout status budget (kubectl) --timeout 10s', kubectl);
  assert.equal(kubectl.code, 1);
  assert.match(kubectl.err, /blocking: budget@pol-4/);

  const doc = JSON.parse(plugin(cluster, ['rollout', 'status', 'budget', '-n', NS, '--policy', 'all', '-o', 'json']).out) as StatusDoc;
  assert.equal(doc.done, false);
  assert.deepEqual(
    doc.daemonSets[0]!.policies.map((p) => [p.policy, p.blocking]),
    [
      ['kubectl', ['pol-4']],
      ['helm', []],
      ['kstatus', ['pol-4']],
      ['argocd', ['pol-4']],
    ],
  );
  // The controller replaces the deleted pod with a Ready one.
  mustKubectl(cluster, ['delete', 'pod', pod.metadata.name, '-n', NS, '--wait=true']);
});
