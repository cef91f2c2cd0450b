#!/usr/bin/env node
// Builds the demo scenario on a running local cluster (KUBECONFIG must point at it), step by step so
// that the real controllers produce every coverage state deterministically:
//   cp-1      control-plane taint: node-exporter Excluded (UntoleratedTaint)
//   worker-1  a legacy pod already holds host port 9100: node-exporter Pending (scheduler)
//   worker-2  tainted maintenance:NoSchedule after its pods ran: node-exporter Misscheduled, kept
//   worker-3  cordoned; kube-proxy's pod deleted by hand after the image change: updated (OnDelete)
//   worker-4  reports NotReady (CNI not ready): not-ready taints, its pods marked not Ready
//   gpu-1     dcgm-exporter crash-looping
//   gpu-2     added last: the gpu namespace's pod quota is used up, dcgm-exporter Missing (FailedCreate)
//   small-1   200m cpu: calico-node (250m) Pending, Insufficient cpu
//   kube-proxy rolled to a new image with OnDelete: Outdated on the nodes not yet restarted.
// Usage: node test/cluster/demo-scenario.mjs   (prints progress on stderr)

import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const log = (m) => process.stderr.write(`demo: ${m}\n`);

function kubectl(args, input) {
  return execFileSync('kubectl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'inherit'] });
}
const apply = (...objs) => kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
const getJson = (args) => JSON.parse(kubectl(['get', ...args, '-o', 'json']));

async function waitFor(what, fn, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1000);
  }
}

function node(name, { labels = {}, taints, unschedulable, cpu = '4' } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'ds-inspect.demo': 'true', ...labels },
    },
    spec: { ...(unschedulable ? { unschedulable: true } : {}), ...(taints ? { taints } : {}) },
    status: { capacity: { cpu, memory: '16Gi', pods: '110' }, allocatable: { cpu, memory: '15Gi', pods: '110' } },
  };
}

const GPU = { labels: { 'nvidia.com/gpu.present': 'true' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] };

function daemonSet(ns, name, spec, { strategy, podLabels = {} } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: { metadata: { labels: { app: name, ...podLabels } }, spec },
    },
  };
}

const proxySpec = (tag) => ({
  hostNetwork: true,
  priorityClassName: 'system-node-critical',
  tolerations: [{ operator: 'Exists' }],
  containers: [{ name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${tag}` }],
});

async function main() {
  const existing = JSON.parse(execFileSync('kubectl', ['get', 'nodes', '-l', 'ds-inspect.demo=true', '-o', 'json'], { encoding: 'utf8' }));
  if (existing.items.some((n) => n.metadata.name === 'worker-4' && n.metadata.labels?.['ds-inspect.test/not-ready'] === 'true')) {
    log('the demo scenario is already in place on this cluster');
    return;
  }
  log('namespaces, quota and nodes');
  apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gpu' } },
  );
  apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'pods', namespace: 'gpu' }, spec: { hard: { pods: '1' } } });
  apply(
    node('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    node('worker-1'),
    node('worker-2'),
    node('worker-3', { unschedulable: true }),
    node('worker-4'),
    node('gpu-1', GPU),
    node('small-1', { cpu: '200m' }),
  );
  await waitFor('demo nodes Ready', () => getJson(['nodes', '-l', 'ds-inspect.demo=true']).items.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));

  log('a legacy pod holding host port 9100 on worker-1');
  apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'legacy-exporter', namespace: 'default', labels: { app: 'legacy-exporter' } },
    spec: { nodeName: 'worker-1', containers: [{ name: 'exporter', image: 'prom/node-exporter:v0.18.1', ports: [{ containerPort: 9100, hostPort: 9100, protocol: 'TCP' }] }] },
  });

  log('DaemonSets');
  apply(
    daemonSet('kube-system', 'calico-node', {
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.30.2', resources: { requests: { cpu: '250m', memory: '128Mi' } } }],
    }),
    daemonSet('kube-system', 'kube-proxy', proxySpec('v1.33.4'), { strategy: { type: 'OnDelete' } }),
    daemonSet('monitoring', 'node-exporter', {
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.9.1', ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }] }],
    }),
    daemonSet(
      'gpu',
      'dcgm-exporter',
      {
        nodeSelector: { 'nvidia.com/gpu.present': 'true' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{ name: 'dcgm-exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04', resources: { requests: { cpu: '100m', memory: '256Mi' } } }],
      },
      { podLabels: { 'ds-inspect.test/behavior': 'crashloop' } },
    ),
  );
  const running = (ns, app) => getJson(['pods', '-n', ns, '-l', `app=${app}`]).items.filter((p) => p.status?.phase === 'Running').length;
  await waitFor('calico-node on 6 nodes', () => running('kube-system', 'calico-node') === 6);
  await waitFor('kube-proxy on 7 nodes', () => running('kube-system', 'kube-proxy') === 7);
  await waitFor('node-exporter on 4 nodes', () => running('monitoring', 'node-exporter') === 4);
  await waitFor('dcgm-exporter on gpu-1', () => running('gpu', 'dcgm-exporter') === 1);

  log('gpu-2 joins: the gpu namespace has no pod quota left');
  apply(node('gpu-2', GPU));
  await waitFor('FailedCreate for dcgm-exporter', () => getJson(['events', '-n', 'gpu', '--field-selector', 'reason=FailedCreate']).items.length > 0);

  log('worker-2 tainted for maintenance after its pods ran');
  kubectl(['taint', 'node', 'worker-2', 'maintenance=disk-swap:NoSchedule', '--overwrite']);

  log('kube-proxy image change (OnDelete): restart the pods on worker-1 and worker-3 only');
  apply(daemonSet('kube-system', 'kube-proxy', proxySpec('v1.33.5'), { strategy: { type: 'OnDelete' } }));
  for (const n of ['worker-1', 'worker-3']) {
    kubectl(['delete', 'pod', '-n', 'kube-system', '-l', 'app=kube-proxy', '--field-selector', `spec.nodeName=${n}`, '--wait=true']);
  }
  await waitFor('kube-proxy back on all 8 nodes', () => running('kube-system', 'kube-proxy') === 8);

  log('worker-4 turns NotReady (its CNI is not ready)');
  kubectl(['label', 'node', 'worker-4', 'ds-inspect.test/not-ready=true']);
  await waitFor(
    'worker-4 NotReady with the not-ready taints',
    () => {
      const n = getJson(['node', 'worker-4']);
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
      const taints = (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
      return ready?.status !== 'True' && taints.includes('node.kubernetes.io/not-ready:NoSchedule') && taints.includes('node.kubernetes.io/not-ready:NoExecute');
    },
    240_000,
  );
  // A kubelet that reports NotReady itself keeps its pods' status (hostNetwork pods keep running); the
  // node-lifecycle controller marks pods not Ready only when it sets the condition itself (Unknown).
  // A NoSchedule taint under a running pod flips shouldRun but not shouldContinueRunning, and the
  // controller enqueues a DaemonSet on such a node update only when it already counts misscheduled
  // pods (syncNodeUpdate), so its status can lag for hours. Any DaemonSet update makes it resync;
  // touch them so the captured status counters are the ones the controller computes today.
  kubectl(['annotate', 'daemonsets', '-A', '--all', '--overwrite', `ds-inspect.demo/resynced=${Date.now()}`]);
  await sleep(5000);
  log('ready');
}

main().catch((e) => {
  process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
