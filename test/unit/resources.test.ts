// Scheduler-side checks for an eligible daemon pod (daemonset-semantics.md §6): resource.Quantity parsing,
// the effective pod request (resourcehelper.PodRequests incl. sidecars), NodeResourcesFit (Insufficient
// <resource>, Too many pods), NodePorts (HostPortInfo.CheckConflict over util.GetHostPorts), and the
// reason strings that appear in FailedScheduling messages (scheduler FailedScheduling message). Also the
// scheduler-side view of the pods of TestNodeShouldRunDaemonPod and the sync tests that the DaemonSet controller itself ignores.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatQuantity,
  hostPortConflicts,
  hostPortsOf,
  parseQuantity,
  podRequests,
  podsOccupyingNode,
  resourceShortfalls,
} from '../../src/model/resources.ts';
import type { Container, ContainerPort, Pod, PodSpec, ResourceList } from '../../src/model/types.ts';

function close(actual: number | undefined, expected: number): boolean {
  return actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * 1e-12 + 1e-12;
}

const quantities: [string | number, number | undefined][] = [
  ['1', 1],
  ['0.5', 0.5],
  ['500m', 0.5],
  ['75m', 0.075],
  ['100M', 100e6],
  ['100Mi', 100 * 2 ** 20],
  ['1Gi', 2 ** 30],
  ['1k', 1000],
  ['1Ki', 1024],
  ['1e3', 1000],
  ['1E3', 1000],
  ['1E', 1e18],
  ['2u', 2e-6],
  ['.5', 0.5],
  ['1.5Gi', 1.5 * 2 ** 30],
  ['+1', 1],
  [100, 100],
  ['1K', undefined],
  ['1 Gi', undefined],
  ['abc', undefined],
  ['1.2.3', undefined],
  ['', undefined],
];
for (const [q, want] of quantities) {
  test(`quantity ${JSON.stringify(q)} → ${want ?? 'invalid'}`, () => {
    const v = parseQuantity(q);
    if (want === undefined) assert.equal(v, undefined);
    else assert.ok(close(v, want), `got ${v}`);
  });
}

const formats: [string, number, string][] = [
  ['cpu', 0.5, '500m'],
  ['cpu', 2, '2'],
  ['cpu', 0.075, '75m'],
  ['memory', 100 * 2 ** 20, '100Mi'],
  ['memory', 2 ** 30, '1Gi'],
  ['memory', 512, '512'],
  ['pods', 3, '3'],
];
for (const [res, v, want] of formats) {
  test(`format ${res} ${v} → ${want}`, () => {
    assert.equal(formatQuantity(res, v), want);
  });
}

function c(name: string, requests: ResourceList, extra: Partial<Container> = {}): Container {
  return { name, resources: { requests }, ...extra };
}

const requestCases: [name: string, spec: PodSpec, want: Record<string, number>][] = [
  ['containers are summed', { containers: [c('a', { cpu: '100m', memory: '100Mi' }), c('b', { cpu: '250m' })] }, { cpu: 0.35, memory: 100 * 2 ** 20 }],
  ['an init container larger than the containers sets the request', { containers: [c('a', { cpu: '1' })], initContainers: [c('i', { cpu: '2' })] }, { cpu: 2 }],
  ['a smaller init container does not add', { containers: [c('a', { cpu: '1' })], initContainers: [c('i', { cpu: '500m', memory: '1Gi' })] }, { cpu: 1, memory: 2 ** 30 }],
  [
    'sidecar (restartPolicy Always) started before a regular init container: the init container runs next to it (2 + 1)',
    { containers: [c('a', { cpu: '1' })], initContainers: [c('side', { cpu: '1' }, { restartPolicy: 'Always' }), c('i', { cpu: '2' })] },
    { cpu: 3 },
  ],
  [
    'regular init container before the sidecar: max(2, containers 1 + sidecar 1)',
    { containers: [c('a', { cpu: '1' })], initContainers: [c('i', { cpu: '2' }), c('side', { cpu: '1' }, { restartPolicy: 'Always' })] },
    { cpu: 2 },
  ],
  [
    'sidecars are added to the containers sum',
    { containers: [c('a', { cpu: '1', memory: '100Mi' })], initContainers: [c('side', { cpu: '500m', memory: '50Mi' }, { restartPolicy: 'Always' })] },
    { cpu: 1.5, memory: 150 * 2 ** 20 },
  ],
  ['pod overhead is added', { containers: [c('a', { cpu: '1' })], initContainers: [c('i', { cpu: '2' })], overhead: { cpu: '250m' } }, { cpu: 2.25 }],
  ['no requests → empty', { containers: [{ name: 'a' }] }, {}],
  // SetDefaults_Pod: a limit without a request becomes the request, resource by resource.
  ['limits stand in for absent requests (API server defaulting)', { containers: [{ name: 'a', resources: { limits: { cpu: '500m', memory: '1Gi' } } }] }, { cpu: 0.5, memory: 2 ** 30 }],
  ['a request is kept when a limit is also set; only the missing resource is defaulted', { containers: [{ name: 'a', resources: { requests: { cpu: '100m' }, limits: { cpu: '1', memory: '64Mi' } } }] }, { cpu: 0.1, memory: 64 * 2 ** 20 }],
  ['an init container with limits only is defaulted too', { containers: [c('a', { cpu: '100m' })], initContainers: [{ name: 'i', resources: { limits: { cpu: '2' } } }] }, { cpu: 2 }],
  ['extended resources are summed like cpu', { containers: [c('a', { 'nvidia.com/gpu': '1' }), { name: 'b', resources: { limits: { 'nvidia.com/gpu': '1' } } }] }, { 'nvidia.com/gpu': 2 }],
  // PodRequests with pod-level resources (KEP-2837): they replace the containers' cpu and memory.
  ['pod-level requests replace the containers\' cpu and memory; other resources stay', { containers: [c('a', { cpu: '100m', memory: '10Mi', 'example.com/dev': '1' })], resources: { requests: { cpu: '1', memory: '1Gi' } } }, { cpu: 1, memory: 2 ** 30, 'example.com/dev': 1 }],
  ['a pod-level limit without a request: the containers\' request stays, else the limit', { containers: [c('a', { cpu: '100m' })], resources: { limits: { cpu: '2', memory: '2Gi' } } }, { cpu: 0.1, memory: 2 * 2 ** 30 }],
  ['pod overhead is added after pod-level requests', { containers: [c('a', { cpu: '100m' })], resources: { requests: { cpu: '1' } }, overhead: { cpu: '250m' } }, { cpu: 1.25 }],
];
for (const [name, spec, want] of requestCases) {
  test(`pod requests: ${name}`, () => {
    const got = podRequests(spec);
    assert.deepEqual([...got.keys()].sort(), Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) assert.ok(close(got.get(k), v), `${k}: got ${got.get(k)}, want ${v}`);
  });
}

function port(hostPort: number, extra: Partial<ContainerPort> = {}): ContainerPort {
  return { containerPort: hostPort, hostPort, ...extra };
}

function podOn(name: string, nodeName: string | undefined, requests: ResourceList = {}, ports: ContainerPort[] = [], extra: Partial<PodSpec> = {}, phase = 'Running'): Pod {
  return {
    metadata: { name, namespace: 'default' },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', resources: { requests }, ports }], ...extra },
    status: { phase },
  };
}

// The node of TestNodeShouldRunDaemonPod: 100M memory, 1 cpu, 100 pods.
const sectionANode = { memory: '100M', cpu: '1', pods: '100' };
const existing = podOn('existing', 'test-node', { memory: '50M', cpu: '0.5' }, [port(666)]);

function dsPod(memory: string, cpu: string, hostPort?: number): PodSpec {
  return { containers: [{ name: 'foo', resources: { requests: { memory, cpu } }, ...(hostPort ? { ports: [port(hostPort)] } : {}) }] };
}

const schedulerSide: [name: string, spec: PodSpec, others: Pod[], reasons: string[], conflicts: number][] = [
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 1 (scheduler side): 50M/0.5 on an empty 100M/1cpu node fits', dsPod('50M', '0.5'), [], [], 0],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 2 (scheduler side): 200M on a 100M node → Insufficient memory', dsPod('200M', '0.5'), [], ['Insufficient memory'], 0],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 4 (scheduler side): hostPort 666 already used on the node → port conflict', dsPod('50M', '0.5', 666), [existing], [], 1],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 5 (scheduler side): 100M/0.5 + port 666 next to a 50M/0.5 pod on 666 → Insufficient memory and port conflict', dsPod('100M', '0.5', 666), [existing], ['Insufficient memory'], 1],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 6 (scheduler side): 50M/0.5 + port 666 next to a 50M/0.5 pod on 666 → fits exactly, port conflict only', dsPod('50M', '0.5', 666), [existing], [], 1],
  ['cpu: 0.75 next to 0.5 used on 1 cpu → Insufficient cpu', dsPod('10M', '750m'), [existing], ['Insufficient cpu'], 0],
];
for (const [name, spec, others, reasons, conflicts] of schedulerSide) {
  test(name, () => {
    assert.deepEqual(resourceShortfalls(spec, sectionANode, others).map((s) => s.schedulerReason), reasons);
    assert.equal(hostPortConflicts(spec, others).length, conflicts);
  });
}

test('daemon_controller_test.go TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod (scheduler/kubelet side): 75M/75m next to 75M/75m on 100M/200m → memory short, cpu fits', () => {
  const other = podOn('unowned', 'node', { memory: '75M', cpu: '75m' });
  const s = resourceShortfalls(dsPod('75M', '75m'), { memory: '100M', cpu: '200m', pods: '100' }, [other]);
  assert.deepEqual(
    s.map((x) => [x.resource, x.requested, x.allocatable, x.used]),
    [['memory', 75e6, 100e6, 75e6]],
  );
});

test('Too many pods: the node allows 2 pods and runs 2 (checked even without requests)', () => {
  const others = [podOn('a', 'n'), podOn('b', 'n')];
  const s = resourceShortfalls({ containers: [{ name: 'c' }] }, { pods: '2', cpu: '4' }, others);
  assert.deepEqual(s.map((x) => x.schedulerReason), ['Too many pods']);
  assert.deepEqual(resourceShortfalls({ containers: [{ name: 'c' }] }, { pods: '3', cpu: '4' }, others), []);
});

test('an extended resource missing from allocatable is insufficient', () => {
  const s = resourceShortfalls({ containers: [c('c', { 'nvidia.com/gpu': '1' })] }, { cpu: '4', pods: '10' }, []);
  assert.deepEqual(s.map((x) => x.schedulerReason), ['Insufficient nvidia.com/gpu']);
});

test('a zero request never causes a shortfall', () => {
  assert.deepEqual(resourceShortfalls(dsPod('0', '0'), { memory: '0', cpu: '0', pods: '1' }, []), []);
});

test('pods occupying a node: bound to it and not terminal; the pod itself is excluded', () => {
  const self = podOn('self', 'n');
  const pods = [
    self,
    podOn('running', 'n'),
    podOn('pending-bound', 'n', {}, [], {}, 'Pending'),
    podOn('succeeded', 'n', {}, [], {}, 'Succeeded'),
    podOn('failed', 'n', {}, [], {}, 'Failed'),
    podOn('elsewhere', 'm'),
    podOn('unbound', undefined),
  ];
  assert.deepEqual(podsOccupyingNode('n', pods, self).map((p) => p.metadata.name), ['running', 'pending-bound']);
  assert.deepEqual(podsOccupyingNode('n', pods, { metadata: { name: 'self', namespace: 'default' } }).map((p) => p.metadata.name), ['running', 'pending-bound']);
});

test('daemon_controller_test.go TestPortConflictWithSameDaemonPodDoesNotDeletePod: the daemon pod does not conflict with its own hostPort 666', () => {
  const own = podOn('own', 'node', {}, [port(666)]);
  assert.deepEqual(hostPortConflicts(own.spec, podsOccupyingNode('node', [own], own)), []);
});

test('daemon_controller_test.go TestNoPortConflictNodeDaemonLaunchesPod: a foreign pod on 6661 does not block hostPort 6662', () => {
  const foreign = podOn('foreign', 'node', {}, [port(6661)]);
  assert.deepEqual(hostPortConflicts({ containers: [{ name: 'c', ports: [port(6662)] }] }, [foreign]), []);
});

const portCases: [name: string, wanted: ContainerPort, used: ContainerPort, conflict: boolean][] = [
  ['same port, TCP both (protocol defaults to TCP)', port(80), port(80, { protocol: 'TCP' }), true],
  ['same port, TCP vs UDP', port(80), port(80, { protocol: 'UDP' }), false],
  ['hostIP 10.0.0.1 vs the default 0.0.0.0', port(80, { hostIP: '10.0.0.1' }), port(80), true],
  ['0.0.0.0 vs hostIP 10.0.0.1', port(80), port(80, { hostIP: '10.0.0.1' }), true],
  ['two different specific IPs', port(80, { hostIP: '10.0.0.1' }), port(80, { hostIP: '10.0.0.2' }), false],
  ['the same specific IP', port(80, { hostIP: '10.0.0.1' }), port(80, { hostIP: '10.0.0.1' }), true],
  // Only "0.0.0.0" is the bind-all key in HostPortInfo; "::" is an ordinary IP string there.
  ['"::" vs 10.0.0.1 (only 0.0.0.0 is a wildcard for the scheduler)', port(80, { hostIP: '::' }), port(80, { hostIP: '10.0.0.1' }), false],
  ['10.0.0.1 vs "::"', port(80, { hostIP: '10.0.0.1' }), port(80, { hostIP: '::' }), false],
  ['"::" vs "::"', port(80, { hostIP: '::' }), port(80, { hostIP: '::' }), true],
  ['"::" vs the default 0.0.0.0', port(80, { hostIP: '::' }), port(80), true],
  ['different ports', port(80), port(81), false],
];
for (const [name, wanted, used, conflict] of portCases) {
  test(`NodePorts: ${name} → ${conflict ? 'conflict' : 'no conflict'}`, () => {
    const other = podOn('other', 'n', {}, [used]);
    assert.equal(hostPortConflicts({ containers: [{ name: 'c', ports: [wanted] }] }, [other]).length, conflict ? 1 : 0);
  });
}

test('NodePorts: ports without a hostPort (containerPort only) are ignored', () => {
  const spec: PodSpec = { containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] }] };
  assert.deepEqual(hostPortsOf(spec), []);
});

test('NodePorts with hostNetwork: a port without hostPort takes its containerPort, as the API server defaults the pod', () => {
  const spec: PodSpec = { hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 9100 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353 }] }] };
  assert.deepEqual(hostPortsOf(spec), [{ hostIP: '0.0.0.0', protocol: 'TCP', port: 9100 }, { hostIP: '0.0.0.0', protocol: 'UDP', port: 5353 }]);
});

test('NodePorts (util.GetHostPorts): host ports of sidecar init containers count, those of regular init containers do not', () => {
  const spec: PodSpec = {
    containers: [{ name: 'main', ports: [port(80)] }],
    initContainers: [
      { name: 'setup', ports: [port(81)] },
      { name: 'side', restartPolicy: 'Always', ports: [port(82)] },
    ],
  };
  assert.deepEqual(hostPortsOf(spec).map((p) => p.port).sort(), [80, 82]);
  const usesSetupPort = podOn('other', 'n', {}, [port(81)]);
  assert.equal(hostPortConflicts(spec, [usesSetupPort]).length, 0);
  const otherWithInit: Pod = { metadata: { name: 'x' }, spec: { nodeName: 'n', containers: [{ name: 'c' }], initContainers: [{ name: 'i', ports: [port(80)] }] } };
  assert.equal(hostPortConflicts(spec, [otherWithInit]).length, 0);
  const otherWithSidecar: Pod = { metadata: { name: 'y' }, spec: { nodeName: 'n', containers: [{ name: 'c' }], initContainers: [{ name: 'i', restartPolicy: 'Always', ports: [port(80)] }] } };
  assert.equal(hostPortConflicts(spec, [otherWithSidecar]).length, 1);
});

// Section J: the model does not build the FitError histogram, but its scheduler reasons must be the
// exact strings the scheduler prints, so that they can be matched against FailedScheduling events.
const fitMessages: [id: string, message: string, reason: string, spec: PodSpec, allocatable: ResourceList, others: Pod[]][] = [
  [
    'J1',
    '0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn\'t satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
    'Insufficient cpu',
    dsPod('1M', '2'),
    { cpu: '1', memory: '1G', pods: '10' },
    [],
  ],
  ['J3', '0/46 nodes are available: 1 Too many pods, 45 node(s) didn\'t satisfy plugin(s) [NodeAffinity]', 'Too many pods', dsPod('1M', '100m'), { cpu: '1', memory: '1G', pods: '1' }, [podOn('a', 'n')]],
];
for (const [id, message, reason, spec, allocatable, others] of fitMessages) {
  test(`${id}: the model's reason "${reason}" is the scheduler's histogram entry`, () => {
    const reasons = resourceShortfalls(spec, allocatable, others).map((s) => s.schedulerReason);
    assert.deepEqual(reasons, [reason]);
    assert.ok(message.includes(`1 ${reason}`));
  });
}
