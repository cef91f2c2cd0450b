#!/usr/bin/env node
// Writes examples/demo-cluster.yaml: a small cluster in the shape of
//   kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml
// showing every coverage state. The DaemonSet status counters below are counted by hand from the
// controller's rules (not computed by ds-inspect), so tests can check the model against them.
// Issue 3 replaces this generator with a capture from the real local control plane.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

const T0 = '2026-11-20T08:00:00Z';
const T1 = '2026-11-22T09:30:00Z';
const T2 = '2026-11-22T10:05:00Z';

const ready = (status = 'True', reason = 'KubeletReady') => ({ type: 'Ready', status, reason, lastHeartbeatTime: T2, lastTransitionTime: T1 });
function node(name, { labels = {}, taints, unschedulable, cpu = '4', readyStatus = 'True' } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, creationTimestamp: T0, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...labels } },
    spec: { ...(unschedulable ? { unschedulable: true } : {}), ...(taints ? { taints } : {}) },
    status: {
      capacity: { cpu, memory: '16Gi', pods: '110' },
      allocatable: { cpu, memory: '15Gi', pods: '110' },
      conditions: [readyStatus === 'True' ? ready() : ready(readyStatus, 'NodeStatusUnknown')],
    },
  };
}

const nodes = [
  node('cp-1', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
  node('worker-1'),
  node('worker-2', { taints: [{ key: 'maintenance', value: 'disk-swap', effect: 'NoSchedule', timeAdded: T2 }] }),
  node('worker-3', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: T1 }] }),
  node('worker-4', {
    readyStatus: 'Unknown',
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: T2 },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: T2 },
    ],
  }),
  node('gpu-1', { labels: { 'nvidia.com/gpu.present': 'true' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }),
  node('gpu-2', { labels: { 'nvidia.com/gpu.present': 'true' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }),
  node('small-1', { cpu: '200m' }),
];

function template(app, spec) {
  return { metadata: { labels: { app } }, spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', ...spec } };
}

function daemonSet(ns, name, uid, tpl, { generation = 1, strategy, status }) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns, uid, generation, creationTimestamp: T0, labels: { app: name }, annotations: { 'deprecated.daemonset.template.generation': String(generation) } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: tpl,
      updateStrategy: strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: { ...status, observedGeneration: generation },
  };
}

function revision(ds, hash, number, tpl) {
  const { metadata, spec } = tpl;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${ds.metadata.name}-${hash}`,
      namespace: ds.metadata.namespace,
      uid: `cr-${ds.metadata.name}-${number}`,
      creationTimestamp: number === 1 ? T0 : T1,
      labels: { app: ds.metadata.name, 'controller-revision-hash': hash },
      annotations: { 'deprecated.daemonset.template.generation': String(number) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    data: { spec: { template: { $patch: 'replace', metadata: { ...metadata, creationTimestamp: null }, spec } } },
    revision: number,
  };
}

let podSeq = 0;
const suffix = () => `${'bcdfghjklmnpqrstvwxz'[podSeq % 20]}${'2456789bcd'[Math.floor(podSeq++ / 20) % 10]}x${podSeq % 10}`;
/** state: Ready | NotReady | Unscheduled | CrashLoop | NodeLost */
function pod(ds, tpl, nodeName, { hash, gen = 1, state = 'Ready', created = T1 }) {
  const name = `${ds.metadata.name}-${suffix()}`;
  const unscheduled = state === 'Unscheduled';
  const isReady = state === 'Ready';
  const conditions = unscheduled
    ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'see events', lastTransitionTime: T2 }]
    : [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: created },
        { type: 'Ready', status: isReady ? 'True' : 'False', ...(isReady ? {} : { reason: 'ContainersNotReady' }), lastTransitionTime: created },
      ];
  const c = tpl.spec.containers[0];
  let containerStatuses;
  if (!unscheduled) {
    const st = { name: c.name, image: c.image, ready: isReady, restartCount: 0, started: isReady, state: { running: { startedAt: created } } };
    if (state === 'CrashLoop') {
      Object.assign(st, {
        restartCount: 14,
        started: false,
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${c.name} pod=${name}` } },
        lastState: { terminated: { reason: 'Error', exitCode: 1, startedAt: T2, finishedAt: T2 } },
      });
    }
    containerStatuses = [st];
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ds.metadata.namespace,
      uid: `pod-${name}`,
      creationTimestamp: created,
      labels: { app: ds.metadata.name, 'controller-revision-hash': hash, 'pod-template-generation': String(gen) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      ...tpl.spec,
      ...(unscheduled ? {} : { nodeName }),
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } },
    },
    status: { phase: unscheduled ? 'Pending' : 'Running', conditions, ...(containerStatuses ? { containerStatuses, hostIP: '10.0.0.1' } : {}) },
  };
}

function event(ns, kind, name, reason, message, component) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${reason.toLowerCase()}`, namespace: ns, creationTimestamp: T2 },
    involvedObject: { kind, namespace: ns, name, apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1' },
    reason,
    message,
    type: 'Warning',
    count: 12,
    firstTimestamp: T2,
    lastTimestamp: T2,
    source: { component },
  };
}

const items = [...nodes];
const allNodes = nodes.map((n) => n.metadata.name);

// calico-node: tolerates every taint, hostNetwork, requests 250m cpu (too much for small-1).
const calicoTpl = template('calico-node', {
  hostNetwork: true,
  priorityClassName: 'system-node-critical',
  tolerations: [{ operator: 'Exists' }],
  containers: [{ name: 'calico-node', image: 'quay.io/calico/node:v3.30.2', resources: { requests: { cpu: '250m', memory: '128Mi' } } }],
});
const calico = daemonSet('kube-system', 'calico-node', 'ds-calico', calicoTpl, {
  status: { desiredNumberScheduled: 8, currentNumberScheduled: 8, numberReady: 6, numberAvailable: 6, numberUnavailable: 2, updatedNumberScheduled: 8, numberMisscheduled: 0 },
});
items.push(calico, revision(calico, '7f8d9b6c5', 1, calicoTpl));
for (const n of allNodes) {
  const state = n === 'worker-4' ? 'NotReady' : n === 'small-1' ? 'Unscheduled' : 'Ready';
  const p = pod(calico, calicoTpl, n, { hash: '7f8d9b6c5', state });
  items.push(p);
  if (state === 'Unscheduled') {
    items.push(event('kube-system', 'Pod', p.metadata.name, 'FailedScheduling',
      '0/8 nodes are available: 1 Insufficient cpu, 7 node(s) didn\'t satisfy plugin(s) [NodeAffinity]. preemption: 0/8 nodes are available: 1 No preemption victims found for incoming pod, 7 Preemption is not helpful for scheduling.', 'default-scheduler'));
  }
}

// kube-proxy: mid-rollout from v1.33.4 (revision 1) to v1.33.5 (revision 2).
const proxyTplV1 = template('kube-proxy', { hostNetwork: true, priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.4' }] });
const proxyTplV2 = template('kube-proxy', { hostNetwork: true, priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.33.5' }] });
const proxy = daemonSet('kube-system', 'kube-proxy', 'ds-proxy', proxyTplV2, {
  generation: 2,
  status: { desiredNumberScheduled: 8, currentNumberScheduled: 8, numberReady: 7, numberAvailable: 7, numberUnavailable: 1, updatedNumberScheduled: 5, numberMisscheduled: 0 },
});
items.push(proxy, revision(proxy, 'b6d95c8f4', 1, proxyTplV1), revision(proxy, '58c7d9f6b', 2, proxyTplV2));
for (const n of allNodes) {
  const old = n === 'cp-1' || n === 'worker-2' || n === 'worker-4';
  items.push(pod(proxy, old ? proxyTplV1 : proxyTplV2, n, { hash: old ? 'b6d95c8f4' : '58c7d9f6b', gen: old ? 1 : 2, state: n === 'worker-4' ? 'NotReady' : 'Ready', created: old ? T0 : T2 }));
}

// node-exporter: no extra tolerations, host port 9100.
const exporterTpl = template('node-exporter', {
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.9.1', ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }] }],
});
const exporter = daemonSet('monitoring', 'node-exporter', 'ds-exporter', exporterTpl, {
  status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, numberAvailable: 2, numberUnavailable: 1, updatedNumberScheduled: 3, numberMisscheduled: 2 },
});
items.push(exporter, revision(exporter, '6c4f8d7b9', 1, exporterTpl));
for (const [n, state] of [['worker-1', 'Unscheduled'], ['worker-2', 'Ready'], ['worker-3', 'Ready'], ['worker-4', 'NotReady'], ['small-1', 'Ready']]) {
  const p = pod(exporter, exporterTpl, n, { hash: '6c4f8d7b9', state, created: T0 });
  items.push(p);
  if (state === 'Unscheduled') {
    items.push(event('monitoring', 'Pod', p.metadata.name, 'FailedScheduling',
      '0/8 nodes are available: 1 node(s) didn\'t have free ports for the requested pod ports, 7 node(s) didn\'t satisfy plugin(s) [NodeAffinity]. preemption: 0/8 nodes are available: 1 No preemption victims found for incoming pod, 7 Preemption is not helpful for scheduling.', 'default-scheduler'));
  }
}
// A pod outside any DaemonSet that holds host port 9100 on worker-1.
items.push({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'legacy-exporter', namespace: 'default', uid: 'pod-legacy', creationTimestamp: T0, labels: { app: 'legacy-exporter' } },
  spec: { nodeName: 'worker-1', containers: [{ name: 'exporter', image: 'prom/node-exporter:v0.18.1', ports: [{ containerPort: 9100, hostPort: 9100, protocol: 'TCP' }] }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

// dcgm-exporter: GPU nodes only; crash-looping on gpu-1, blocked by a ResourceQuota on gpu-2.
const dcgmTpl = template('dcgm-exporter', {
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  containers: [{ name: 'dcgm-exporter', image: 'nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04', resources: { requests: { cpu: '100m', memory: '256Mi' } } }],
});
const dcgm = daemonSet('monitoring', 'dcgm-exporter', 'ds-dcgm', dcgmTpl, {
  status: { desiredNumberScheduled: 2, currentNumberScheduled: 1, numberReady: 0, numberAvailable: 0, numberUnavailable: 2, updatedNumberScheduled: 1, numberMisscheduled: 0 },
});
items.push(dcgm, revision(dcgm, '9d5b7c64f', 1, dcgmTpl));
items.push(pod(dcgm, dcgmTpl, 'gpu-1', { hash: '9d5b7c64f', state: 'CrashLoop' }));
items.push(event('monitoring', 'DaemonSet', 'dcgm-exporter', 'FailedCreate',
  'Error creating: pods "dcgm-exporter-m8z4q" is forbidden: exceeded quota: monitoring-pods, requested: pods=1, used: pods=7, limited: pods=7', 'daemonset-controller'));

const doc = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
const header = '# Demo snapshot: the output of\n#   kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml\n# generated by scripts/make-demo-snapshot.mjs (status counters counted by hand).\n';
writeFileSync(new URL('../examples/demo-cluster.yaml', import.meta.url), header + stringify(doc, { lineWidth: 0 }));
console.error(`wrote examples/demo-cluster.yaml (${items.length} objects)`);
