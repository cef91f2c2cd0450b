/* global structuredClone */
// Objects the size and shape of a real cloud cluster's, for the benchmark (issue 14): what
// `kubectl get node -o json` shows on a managed node (pool labels, 40 images with two names each,
// conditions from node-problem-detector, addresses, capacity, nodeInfo, managedFields) and what a
// DaemonSet's pod carries (annotations, env, volumes, probes, tolerations, the DaemonSet controller's
// node affinity, managedFields, a kubelet's status). Deterministic: object i is the same every run.
//
// Used two ways: fleetNode/fleetDaemonSets/fleetPod build what the live benchmark creates on the local
// control plane (the server then adds its own managedFields and kwok its status), and snapshotItems
// builds a dump as `kubectl get ... -o json|yaml` would print it (with managedFields and status).

const ZONES = ['a', 'b', 'c'];
const POOLS = ['general', 'general', 'general', 'highmem', 'gpu', 'infra'];
const T0 = '2026-11-01T08:00:00Z';

const hex = (seed, len) => {
  let x = (seed * 2654435761) >>> 0;
  let s = '';
  while (s.length < len) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += x.toString(16).padStart(8, '0');
  }
  return s.slice(0, len);
};
const uid = (kind, i) => `${hex(i + kind.length * 7919, 8)}-${hex(i + 1, 4)}-4${hex(i + 2, 3)}-8${hex(i + 3, 3)}-${hex(i + 4, 12)}`;

export const nodeName = (i) => `fleet-${String(i).padStart(5, '0')}`;

/** The pool of node i: most general, some high-memory, every 10th a GPU node, a few infra nodes. */
function poolOf(i) {
  if (i % 10 === 0) return 'gpu';
  if (i % 25 === 1) return 'infra';
  return POOLS[i % 4];
}

const IMAGES = [
  'registry.k8s.io/kube-proxy', 'docker.io/calico/node', 'docker.io/calico/cni', 'quay.io/cilium/cilium', 'docker.io/fluent/fluent-bit',
  'quay.io/prometheus/node-exporter', 'registry.k8s.io/csi-node-driver-registrar', 'docker.io/grafana/promtail', 'nvcr.io/nvidia/k8s-device-plugin',
  'gcr.io/datadoghq/agent', 'docker.io/falcosecurity/falco', 'registry.k8s.io/pause', 'registry.k8s.io/coredns/coredns', 'docker.io/library/nginx',
  'quay.io/jetstack/cert-manager-controller', 'ghcr.io/external-secrets/external-secrets', 'docker.io/bitnami/redis', 'docker.io/library/postgres',
  'quay.io/argoproj/argocd', 'docker.io/istio/proxyv2',
];

/** A node as a managed cloud provider's kubelet reports it (status included; kwok keeps images). */
export function fleetNode(i, { kwok = true } = {}) {
  const name = nodeName(i);
  const pool = poolOf(i);
  const zone = `europe-west4-${ZONES[i % 3]}`;
  const type = pool === 'gpu' ? 'a2-highgpu-1g' : pool === 'highmem' ? 'n2-highmem-16' : 'n2-standard-16';
  const labels = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': type,
    'beta.kubernetes.io/os': 'linux',
    'cloud.google.com/gke-boot-disk': 'pd-balanced',
    'cloud.google.com/gke-container-runtime': 'containerd',
    'cloud.google.com/gke-cpu-scaling-level': '16',
    'cloud.google.com/gke-logging-variant': 'DEFAULT',
    'cloud.google.com/gke-max-pods-per-node': '110',
    'cloud.google.com/gke-nodepool': `${pool}-pool`,
    'cloud.google.com/gke-os-distribution': 'cos',
    'cloud.google.com/gke-provisioning': 'standard',
    'cloud.google.com/gke-stack-type': 'IPV4',
    'cloud.google.com/machine-family': type.split('-')[0],
    'cloud.google.com/private-node': 'false',
    'ds-inspect.bench/fleet': 'true',
    'failure-domain.beta.kubernetes.io/region': 'europe-west4',
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': type,
    'topology.gke.io/zone': zone,
    'topology.kubernetes.io/region': 'europe-west4',
    'topology.kubernetes.io/zone': zone,
  };
  if (pool === 'gpu') Object.assign(labels, { 'cloud.google.com/gke-accelerator': 'nvidia-tesla-a100', 'nvidia.com/gpu.present': 'true' });
  if (i % 4 === 0) labels['node-role.kubernetes.io/storage'] = '';
  const taints = [];
  if (pool === 'gpu') taints.push({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
  if (pool === 'infra') taints.push({ key: 'dedicated', value: 'infra', effect: 'NoSchedule' });
  const annotations = {
    'container.googleapis.com/instance_id': String(4_000_000_000_000_000 + i * 7919),
    'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'pd.csi.storage.gke.io': `projects/bench/zones/${zone}/instances/${name}`, 'filestore.csi.storage.gke.io': name }),
    'node.alpha.kubernetes.io/ttl': '0',
    'node.gke.io/last-applied-node-labels': Object.entries(labels).slice(0, 14).map(([k, v]) => `${k}=${v}`).join(','),
    'node.gke.io/last-applied-node-taints': '',
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
  };
  if (kwok) annotations['kwok.x-k8s.io/node'] = 'fake';
  const images = IMAGES.flatMap((repo, k) => [0, 1].map((v) => ({
    names: [`${repo}@sha256:${hex(k * 31 + v, 64)}`, `${repo}:v1.${k}.${v}`],
    sizeBytes: 10_000_000 + k * 1_234_567 + v * 777,
  })));
  const conditions = [
    ['FrequentContainerdRestart', 'False', 'NoFrequentContainerdRestart', 'containerd is functioning properly'],
    ['KernelDeadlock', 'False', 'KernelHasNoDeadlock', 'kernel has no deadlock'],
    ['ReadonlyFilesystem', 'False', 'FilesystemIsNotReadOnly', 'Filesystem is not read-only'],
    ['FrequentUnregisterNetDevice', 'False', 'NoFrequentUnregisterNetDevice', 'node is functioning properly'],
    ['FrequentKubeletRestart', 'False', 'NoFrequentKubeletRestart', 'kubelet is functioning properly'],
    ['CorruptDockerOverlay2', 'False', 'NoCorruptDockerOverlay2', 'docker overlay2 is functioning properly'],
    ['FrequentDockerRestart', 'False', 'NoFrequentDockerRestart', 'docker is functioning properly'],
    ['NetworkUnavailable', 'False', 'RouteCreated', 'NodeController create implicit route'],
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status. AppArmor enabled'],
  ].map(([type, status, reason, message]) => ({ type, status, reason, message, lastHeartbeatTime: T0, lastTransitionTime: T0 }));
  const cpu = pool === 'highmem' || pool === 'general' ? '16' : '12';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels, annotations },
    spec: { podCIDR: `10.${(i >> 8) & 255}.${i & 255}.0/24`, podCIDRs: [`10.${(i >> 8) & 255}.${i & 255}.0/24`], providerID: `gce://bench/${zone}/${name}`, ...(taints.length ? { taints } : {}) },
    status: {
      addresses: [{ type: 'InternalIP', address: `10.164.${(i >> 8) & 255}.${i & 255}` }, { type: 'ExternalIP', address: `34.90.${(i >> 8) & 255}.${i & 255}` }, { type: 'Hostname', address: name }],
      allocatable: { cpu: `${Number(cpu) - 1}890m`, 'ephemeral-storage': '47060071478', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '57213916Ki', pods: '110' },
      capacity: { cpu, 'ephemeral-storage': '98831908Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '65865212Ki', pods: '110' },
      conditions,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images,
      nodeInfo: {
        architecture: 'amd64', bootID: uid('boot', i), containerRuntimeVersion: 'containerd://1.7.24', kernelVersion: '6.1.112+', kubeProxyVersion: 'v1.31.5-gke.1023000',
        kubeletVersion: 'v1.31.5-gke.1023000', machineID: hex(i + 99, 32), operatingSystem: 'linux', osImage: 'Container-Optimized OS from Google', systemUUID: uid('sys', i),
      },
    },
  };
}

const fleet = { key: 'ds-inspect.bench/fleet', operator: 'In', values: ['true'] };
const affinity = (...extra) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [fleet, ...extra] }] } } });
const ALL = [{ operator: 'Exists' }];

/**
 * 20 DaemonSets of a production cluster: CNI, proxy, CSI, monitoring, logging, security, GPU. Each
 * `where(i)` says which nodes it runs on (the controller's rules, computed by hand for the pods the
 * benchmark creates directly); the template carries what real ones do.
 */
const AGENTS = [
  ['calico-node', 'kube-system', { hostNetwork: true, tolerations: ALL }, () => true],
  ['kube-proxy', 'kube-system', { hostNetwork: true, tolerations: ALL }, () => true],
  ['pdcsi-node', 'kube-system', { tolerations: ALL }, () => true],
  ['filestore-node', 'kube-system', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }, (i) => poolOf(i) !== 'gpu'],
  ['node-exporter', 'monitoring', {}, (i) => poolOf(i) !== 'gpu' && poolOf(i) !== 'infra'],
  ['dcgm-exporter', 'monitoring', { affinity: affinity({ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }), tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }, (i) => poolOf(i) === 'gpu'],
  ['nvidia-device-plugin', 'kube-system', { affinity: affinity({ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }), tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }, (i) => poolOf(i) === 'gpu'],
  ['fluent-bit', 'logging', { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] }, () => true],
  ['promtail', 'logging', { tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] }, () => true],
  ['filebeat', 'logging', { affinity: affinity({ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['europe-west4-c'] }) }, (i) => i % 3 !== 2 && poolOf(i) !== 'gpu' && poolOf(i) !== 'infra'],
  ['datadog-agent', 'monitoring', { tolerations: ALL }, () => true],
  ['falco', 'security', { tolerations: ALL }, () => true],
  ['security-agent', 'security', { tolerations: ALL }, () => true],
  ['storage-agent', 'storage', { affinity: affinity({ key: 'node-role.kubernetes.io/storage', operator: 'Exists' }) }, (i) => i % 4 === 0 && poolOf(i) !== 'gpu' && poolOf(i) !== 'infra'],
  ['node-local-dns', 'kube-system', { hostNetwork: true, tolerations: ALL }, () => true],
  ['ip-masq-agent', 'kube-system', { hostNetwork: true, tolerations: ALL }, () => true],
  ['node-problem-detector', 'kube-system', { tolerations: ALL }, () => true],
  ['istio-cni-node', 'istio-system', { hostNetwork: true, tolerations: ALL }, () => true],
  ['cilium-envoy', 'kube-system', { hostNetwork: true, affinity: affinity({ key: 'cloud.google.com/gke-nodepool', operator: 'In', values: ['general-pool', 'highmem-pool'] }) }, (i) => poolOf(i) === 'general' || poolOf(i) === 'highmem'],
  ['zone-ab-agent', 'security', { affinity: affinity({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['europe-west4-a', 'europe-west4-b'] }) }, (i) => i % 3 !== 2 && poolOf(i) !== 'gpu' && poolOf(i) !== 'infra'],
];

function podTemplate(name, extra, k) {
  const env = [
    { name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
    { name: 'HOST_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.hostIP' } } },
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'CLUSTER_NAME', value: 'bench-prod-europe-west4' },
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } },
    { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.memory' } } },
  ];
  const mounts = [
    { mountPath: '/var/log', name: 'varlog' },
    { mountPath: '/var/lib/kubelet', mountPropagation: 'HostToContainer', name: 'kubelet-dir' },
    { mountPath: '/etc/agent', name: 'config', readOnly: true },
    { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
    { mountPath: '/host/proc', name: 'proc', readOnly: true },
  ];
  const probe = (path) => ({ failureThreshold: 3, httpGet: { path, port: 9000 + k, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 });
  return {
    metadata: {
      labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/part-of': 'platform', 'k8s-app': name },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(9000 + k), 'checksum/config': hex(k + 5, 64) },
    },
    spec: {
      ...extra,
      affinity: extra.affinity ?? affinity(),
      containers: [
        {
          name,
          image: `registry.bench.local/platform/${name}:v1.${k}.0`,
          imagePullPolicy: 'IfNotPresent',
          args: ['--config=/etc/agent/config.yaml', `--metrics-port=${9000 + k}`, '--log-format=json'],
          env,
          ports: [{ containerPort: 9000 + k, name: 'metrics', protocol: 'TCP', ...(extra.hostNetwork ? { hostPort: 9000 + k } : {}) }],
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          livenessProbe: probe('/healthz'),
          readinessProbe: probe('/readyz'),
          securityContext: { privileged: k % 3 === 0, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'], drop: ['ALL'] } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: mounts,
        },
      ],
      dnsPolicy: extra.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
      priorityClassName: 'system-node-critical',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
      volumes: [
        { hostPath: { path: '/var/log', type: '' }, name: 'varlog' },
        { hostPath: { path: '/var/lib/kubelet', type: 'Directory' }, name: 'kubelet-dir' },
        { configMap: { defaultMode: 420, name: `${name}-config` }, name: 'config' },
        { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
        { hostPath: { path: '/proc', type: '' }, name: 'proc' },
      ],
    },
  };
}

/** The benchmark's 20 DaemonSets, OnDelete (nothing rolls while it measures), in their namespaces. */
export function fleetDaemonSets(count = AGENTS.length) {
  return AGENTS.slice(0, count).map(([name, namespace, extra, where], k) => {
    const template = podTemplate(name, extra, k);
    template.metadata.labels.app = name;
    return {
      daemonSet: {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name, namespace, labels: { 'ds-inspect.bench': 'true', 'app.kubernetes.io/name': name }, annotations: { 'deprecated.daemonset.template.generation': '1', 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': namespace } },
        spec: { selector: { matchLabels: { app: name } }, template, updateStrategy: { type: 'OnDelete' }, revisionHistoryLimit: 10 },
      },
      where,
    };
  });
}

/** The DaemonSet controller's default tolerations (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations). */
function daemonTolerations(hostNetwork) {
  const t = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** The ControllerRevision the controller would have written for `ds` (uid known once it exists). */
export function fleetRevision(ds, dsUid, hash) {
  const { name, namespace } = ds.metadata;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: `${name}-${hash}`, namespace, labels: { ...ds.spec.template.metadata.labels, 'controller-revision-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: dsUid, controller: true, blockOwnerDeletion: true }] },
    revision: 1,
    data: { spec: { template: { ...ds.spec.template, $patch: 'replace' } } },
  };
}

/** The pod the DaemonSet controller would create for `ds` on node i, bound (no scheduler involved). */
export function fleetPod(ds, dsUid, hash, i) {
  const { name, namespace } = ds.metadata;
  const node = nodeName(i);
  const t = ds.spec.template;
  const spec = structuredClone(t.spec);
  spec.nodeName = node;
  // The controller replaces the template's node affinity with one naming the node (ReplaceDaemonSetPodNodeNameNodeAffinity).
  spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
  spec.tolerations = [...(spec.tolerations ?? []), ...daemonTolerations(spec.hostNetwork === true)];
  spec.enableServiceLinks = true;
  spec.serviceAccount = 'default';
  spec.volumes = [
    ...spec.volumes,
    { name: `kube-api-access-${hex(i, 5)}`, projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } }, { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } }] } },
  ];
  spec.containers = spec.containers.map((c) => ({ ...c, volumeMounts: [...c.volumeMounts, { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: `kube-api-access-${hex(i, 5)}`, readOnly: true }] }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${hex(i * 31 + name.length, 5)}`,
      namespace,
      labels: { ...t.metadata.labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' },
      annotations: { ...t.metadata.annotations },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: dsUid, controller: true, blockOwnerDeletion: true }],
    },
    spec,
  };
}

/** Pods of `ds` the benchmark creates: one per node it should run on. */
export function podNodes(where, nodes) {
  const out = [];
  for (let i = 0; i < nodes; i++) if (where(i)) out.push(i);
  return out;
}

/** managedFields as the API server records them: one entry per manager, fieldsV1 mirroring the fields set. */
function managedFieldsOf(obj, entries) {
  const fieldsOf = (v) => {
    if (Array.isArray(v)) return {};
    if (v === null || typeof v !== 'object') return {};
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [`f:${k}`, fieldsOf(x)]));
  };
  return entries.map(([manager, operation, part, subresource]) => ({
    apiVersion: obj.apiVersion, fieldsType: 'FieldsV1', fieldsV1: fieldsOf(part), manager, operation, time: T0, ...(subresource ? { subresource } : {}),
  }));
}

/** A running pod's status as a kubelet reports it. */
function podStatus(pod, i) {
  const started = T0;
  return {
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: started })),
    containerStatuses: pod.spec.containers.map((c) => ({
      containerID: `containerd://${hex(i + c.name.length, 64)}`, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${hex(c.name.length, 64)}`, lastState: {}, name: c.name, ready: true, restartCount: 0, started: true, state: { running: { startedAt: started } },
      volumeMounts: c.volumeMounts.map((m) => ({ mountPath: m.mountPath, name: m.name, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) })),
    })),
    hostIP: `10.164.${(i >> 8) & 255}.${i & 255}`,
    hostIPs: [{ ip: `10.164.${(i >> 8) & 255}.${i & 255}` }],
    phase: 'Running',
    podIP: pod.spec.hostNetwork ? `10.164.${(i >> 8) & 255}.${i & 255}` : `10.${(i >> 8) & 255}.${i & 255}.${(pod.metadata.name.length * 7) & 255}`,
    podIPs: [{ ip: `10.${(i >> 8) & 255}.${i & 255}.${(pod.metadata.name.length * 7) & 255}` }],
    qosClass: 'Burstable',
    startTime: started,
  };
}

/**
 * Every object of a `kubectl get nodes,daemonsets,pods,controllerrevisions -A -o json` dump of the
 * fleet (nodes x DaemonSets), as the server would print them: uids, resourceVersions, managedFields,
 * statuses. Yields one object at a time so a 170 MB dump is written without holding it.
 */
export function* snapshotItems(nodes, daemonSets = AGENTS.length) {
  let rv = 1000;
  for (let i = 0; i < nodes; i++) {
    const n = fleetNode(i, { kwok: false });
    n.metadata = { ...n.metadata, uid: uid('node', i), resourceVersion: String(rv++), creationTimestamp: T0 };
    n.metadata.managedFields = managedFieldsOf(n, [['kubelet', 'Update', { metadata: { annotations: {}, labels: n.metadata.labels } }], ['kube-controller-manager', 'Update', { spec: { podCIDR: '', podCIDRs: [] } }], ['kubelet', 'Update', { status: n.status }, 'status']]);
    yield n;
  }
  for (const [k, { daemonSet, where }] of fleetDaemonSets(daemonSets).entries()) {
    const dsUid = uid('ds', k);
    const hash = hex(k + 77, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]);
    const pods = podNodes(where, nodes);
    const ds = structuredClone(daemonSet);
    ds.metadata = { ...ds.metadata, uid: dsUid, generation: 1, resourceVersion: String(rv++), creationTimestamp: T0 };
    ds.metadata.managedFields = managedFieldsOf(ds, [['helm', 'Update', { metadata: ds.metadata, spec: ds.spec }]]);
    ds.status = { currentNumberScheduled: pods.length, desiredNumberScheduled: pods.length, numberAvailable: pods.length, numberMisscheduled: 0, numberReady: pods.length, observedGeneration: 1, updatedNumberScheduled: pods.length };
    yield ds;
    const rev = fleetRevision(daemonSet, dsUid, hash);
    rev.metadata = { ...rev.metadata, uid: uid('cr', k), resourceVersion: String(rv++), creationTimestamp: T0 };
    yield rev;
    for (const i of pods) {
      const p = fleetPod(daemonSet, dsUid, hash, i);
      p.metadata = { ...p.metadata, uid: uid(`pod${k}`, i), resourceVersion: String(rv++), creationTimestamp: T0, generateName: `${daemonSet.metadata.name}-` };
      // What admission adds on the server (the live benchmark leaves it to the API server).
      Object.assign(p.spec, { preemptionPolicy: 'PreemptLowerPriority', priority: 2000001000 });
      p.status = podStatus(p, i);
      p.metadata.managedFields = managedFieldsOf(p, [['kube-controller-manager', 'Update', { metadata: { labels: p.metadata.labels, annotations: p.metadata.annotations, ownerReferences: {} }, spec: p.spec }], ['kubelet', 'Update', { status: p.status }, 'status']]);
      yield p;
    }
  }
}
