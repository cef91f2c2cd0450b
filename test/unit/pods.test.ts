// Which pods a DaemonSet owns and which node each counts for (getDaemonPods/ClaimPods,
// getNodesToDaemonPods, GetTargetNodeName, podByCreationTimestampAndPhase), and the controller sync vectors
// of daemon_controller_test.go that follow from the model's per-node verdicts.
//
// The model does not issue creates or deletes. `sync` below applies the per-node arithmetic of
// podsShouldBeOnNode (no surge, no failed-pod backoff) and getUnscheduledPodsWithoutNode to the model's
// outputs: nodeShouldRunDaemonPod, daemonPods, nodesToDaemonPods and comparePodsForCounting. A vector
// fails when any of those disagrees with upstream.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCoverage, type CoverageReport } from '../../src/model/coverage.ts';
import { nodeShouldRunDaemonPod } from '../../src/model/eligibility.ts';
import { comparePodsForCounting, daemonPods, isTerminating, nodesToDaemonPods } from '../../src/model/pods.ts';
import { ReasonCode } from '../../src/model/reasons.ts';
import { emptyClusterState, type DaemonSet, type Labels, type Node, type NodeCondition, type Pod, type PodSpec, type Taint } from '../../src/model/types.ts';

const simpleDaemonSetLabel: Labels = { name: 'simple-daemon', type: 'production' };
const simpleDaemonSetLabel2: Labels = { name: 'simple-daemon', type: 'test' };
const simpleNodeLabel: Labels = { color: 'blue', speed: 'fast' };
const simpleNodeLabel2: Labels = { color: 'red', speed: 'fast' };

function newNode(name: string, labels?: Labels, over: { conditions?: NodeCondition[]; taints?: Taint[]; allocatable?: Record<string, string> } = {}): Node {
  return {
    metadata: { name, ...(labels ? { labels: { ...labels } } : {}) },
    spec: over.taints ? { taints: over.taints } : {},
    status: { allocatable: over.allocatable ?? { pods: '100' }, conditions: over.conditions ?? [{ type: 'Ready', status: 'True' }] },
  };
}

/** nodes start..start+count-1 named node-<i>. */
function addNodes(start: number, count: number, labels?: Labels): Node[] {
  return Array.from({ length: count }, (_, i) => newNode(`node-${start + i}`, labels));
}

function newDaemonSet(spec: Partial<PodSpec> = {}, over: { uid?: string; deleting?: boolean; selector?: DaemonSet['spec']['selector'] } = {}): DaemonSet {
  return {
    metadata: { name: 'foo', namespace: 'default', uid: over.uid ?? 'ds-uid', ...(over.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      selector: over.selector === undefined ? { matchLabels: { ...simpleDaemonSetLabel } } : over.selector,
      template: { metadata: { labels: { ...simpleDaemonSetLabel } }, spec: { containers: [{ name: 'foo', image: 'foo/bar' }], ...spec } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      revisionHistoryLimit: 2,
    },
  };
}

let seq = 0;
interface PodOpts {
  owner?: DaemonSet | null;
  phase?: string;
  deleting?: boolean;
  created?: string;
  spec?: Partial<PodSpec>;
  ready?: boolean;
  name?: string;
  namespace?: string;
}

/** newPod: bound to nodeName (if given), owned by `owner` (controller ref), labels as given. */
function newPod(prefix: string, nodeName: string | undefined, labels: Labels | undefined, o: PodOpts = {}): Pod {
  seq++;
  const owner = o.owner === undefined ? null : o.owner;
  return {
    metadata: {
      name: o.name ?? `${prefix}${String(seq).padStart(4, '0')}`,
      namespace: o.namespace ?? 'default',
      creationTimestamp: o.created ?? `2026-01-01T00:${String(Math.floor(seq / 60) % 60).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}Z`,
      ...(labels ? { labels: { ...labels } } : {}),
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true }] } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-01-02T00:00:00Z' } : {}),
    },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'foo', image: 'foo/bar' }], ...o.spec },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }],
    },
  };
}

function pods(n: number, nodeName: string, labels: Labels, owner: DaemonSet | null = null): Pod[] {
  return Array.from({ length: n }, () => newPod('pod-', nodeName, labels, { owner }));
}

function pinnedTo(node: string): Partial<PodSpec> {
  return { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } } };
}

interface Sync {
  creates: number;
  deletes: number;
  events: number;
  deleted: string[];
}

function sync(ds: DaemonSet, nodes: Node[], all: Pod[]): Sync {
  const byNode = nodesToDaemonPods(daemonPods(ds, all));
  let creates = 0;
  let events = 0;
  const deleted: string[] = [];
  const name = (p: Pod): string => p.metadata.name ?? '';
  for (const node of nodes) {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const onNode = byNode.get(node.metadata.name ?? '');
    if (shouldRun && !onNode) {
      creates++;
    } else if (shouldContinueRunning) {
      const running: Pod[] = [];
      for (const p of onNode ?? []) {
        if (isTerminating(p)) continue;
        if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') {
          deleted.push(name(p));
          events++; // FailedDaemonPod (Warning) / SucceededDaemonPod (Normal)
        } else {
          running.push(p);
        }
      }
      if (running.length > 1) deleted.push(...[...running].sort(comparePodsForCounting).slice(1).map(name));
    } else if (onNode) {
      deleted.push(...onNode.filter((p) => !isTerminating(p)).map(name));
    }
  }
  const existing = new Set(nodes.map((n) => n.metadata.name ?? ''));
  for (const [node, ps] of byNode) {
    if (!existing.has(node)) deleted.push(...ps.filter((p) => !p.spec?.nodeName).map(name));
  }
  return { creates, deletes: deleted.length, events, deleted };
}

const selectorDs = (): DaemonSet => newDaemonSet({ nodeSelector: { ...simpleNodeLabel } });
const colorBlueAffinity: Partial<PodSpec> = {
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'color', operator: 'In', values: ['blue'] }] }] } } },
};

type SyncCase = [name: string, setup: () => { ds: DaemonSet; nodes: Node[]; pods: Pod[] }, expected: [number, number, number]];

const syncCases: SyncCase[] = [
  ['daemon_controller_test.go TestSimpleDaemonSetLaunchesPods: 5 plain nodes', () => ({ ds: newDaemonSet(), nodes: addNodes(0, 5), pods: [] }), [5, 0, 0]],
  [
    'daemon_controller_test.go TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods: the 5 created pods (empty nodeName, matchFields pin) count for their nodes',
    () => {
      const ds = newDaemonSet();
      const nodes = addNodes(0, 5);
      return { ds, nodes, pods: nodes.map((n) => newPod('pinned-', undefined, simpleDaemonSetLabel, { owner: ds, spec: pinnedTo(n.metadata.name!), phase: 'Pending' })) };
    },
    [0, 0, 0],
  ],
  ['daemon_controller_test.go TestNoNodesDoesNothing', () => ({ ds: newDaemonSet(), nodes: [], pods: [] }), [0, 0, 0]],
  ['daemon_controller_test.go TestOneNodeDaemonLaunchesPod', () => ({ ds: newDaemonSet(), nodes: addNodes(0, 1), pods: [] }), [1, 0, 0]],
  [
    'daemon_controller_test.go TestNotReadyNodeDaemonDoesLaunchPod: Ready=False, no taint',
    () => ({ ds: newDaemonSet(), nodes: [newNode('not-ready', undefined, { conditions: [{ type: 'Ready', status: 'False' }] })], pods: [] }),
    [1, 0, 0],
  ],
  [
    'daemon_controller_test.go TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod: resources are not checked (template nodeName set)',
    () => {
      const ds = newDaemonSet({ nodeName: 'too-much-mem', containers: [{ name: 'foo', resources: { requests: { memory: '75M', cpu: '75m' } } }] });
      const node = newNode('too-much-mem', undefined, { allocatable: { memory: '100M', cpu: '200m', pods: '100' } });
      const unowned = newPod('unowned-', 'too-much-mem', undefined, { spec: { containers: [{ name: 'c', resources: { requests: { memory: '75M', cpu: '75m' } } }] } });
      return { ds, nodes: [node], pods: [unowned] };
    },
    [1, 0, 0],
  ],
  [
    'daemon_controller_test.go TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod',
    () => {
      const small = newNode('node-0', undefined, { allocatable: { memory: '50M', cpu: '75m', pods: '100' } });
      const big = newNode('node-1', simpleNodeLabel, { allocatable: { memory: '200M', cpu: '200m', pods: '100' } });
      const ds = newDaemonSet({ nodeSelector: { ...simpleNodeLabel }, containers: [{ name: 'foo', resources: { requests: { memory: '75M', cpu: '75m' } } }] });
      return { ds, nodes: [small, big], pods: [newPod('unowned-', 'node-0', undefined)] };
    },
    [1, 0, 0],
  ],
  [
    'daemon_controller_test.go TestNetworkUnavailableNodeDaemonLaunchesPod: condition NetworkUnavailable=True',
    () => ({ ds: newDaemonSet(), nodes: [newNode('network-unavailable', undefined, { conditions: [{ type: 'Ready', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }] })], pods: [] }),
    [1, 0, 0],
  ],
  [
    'daemon_controller_test.go TestPortConflictWithSameDaemonPodDoesNotDeletePod: own pod with hostPort 666',
    () => {
      const ds = newDaemonSet({ containers: [{ name: 'foo', ports: [{ containerPort: 666, hostPort: 666 }] }] });
      return { ds, nodes: [newNode('port-conflict')], pods: [newPod('own-', 'port-conflict', simpleDaemonSetLabel, { owner: ds, spec: { containers: [{ name: 'foo', ports: [{ containerPort: 666, hostPort: 666 }] }] } })] };
    },
    [0, 0, 0],
  ],
  [
    'daemon_controller_test.go TestNoPortConflictNodeDaemonLaunchesPod: foreign pod on 6661, DS wants 6662',
    () => ({
      ds: newDaemonSet({ containers: [{ name: 'foo', ports: [{ containerPort: 6662, hostPort: 6662 }] }] }),
      nodes: [newNode('no-port-conflict')],
      pods: [newPod('foreign-', 'no-port-conflict', undefined, { spec: { containers: [{ name: 'c', ports: [{ containerPort: 6661, hostPort: 6661 }] }] } })],
    }),
    [1, 0, 0],
  ],
  [
    'daemon_controller_test.go TestDealsWithExistingPods: node-1 ×1, node-2 ×2, node-3 ×5, node-4 ×2 label2',
    () => ({
      ds: newDaemonSet(),
      nodes: addNodes(0, 5),
      pods: [...pods(1, 'node-1', simpleDaemonSetLabel), ...pods(2, 'node-2', simpleDaemonSetLabel), ...pods(5, 'node-3', simpleDaemonSetLabel), ...pods(2, 'node-4', simpleDaemonSetLabel2)],
    }),
    [2, 5, 0],
  ],
  ['daemon_controller_test.go TestSelectorDaemonLaunchesPods: 4 plain + 3 labelled nodes', () => ({ ds: selectorDs(), nodes: [...addNodes(0, 4), ...addNodes(4, 3, simpleNodeLabel)], pods: [] }), [3, 0, 0]],
  [
    'daemon_controller_test.go TestSelectorDaemonDeletesUnselectedPods',
    () => ({
      ds: selectorDs(),
      nodes: [...addNodes(0, 5), ...addNodes(5, 5, simpleNodeLabel)],
      pods: [...pods(2, 'node-0', simpleDaemonSetLabel2), ...pods(3, 'node-1', simpleDaemonSetLabel), ...pods(1, 'node-1', simpleDaemonSetLabel2), ...pods(1, 'node-4', simpleDaemonSetLabel)],
    }),
    [5, 4, 0],
  ],
  [
    'daemon_controller_test.go TestSelectorDaemonDealsWithExistingPods',
    () => ({
      ds: selectorDs(),
      nodes: [...addNodes(0, 5), ...addNodes(5, 5, simpleNodeLabel)],
      pods: [
        ...pods(1, 'node-0', simpleDaemonSetLabel),
        ...pods(3, 'node-1', simpleDaemonSetLabel),
        ...pods(2, 'node-1', simpleDaemonSetLabel2),
        ...pods(4, 'node-2', simpleDaemonSetLabel),
        ...pods(13, 'node-6', simpleDaemonSetLabel),
        ...pods(4, 'node-7', simpleDaemonSetLabel2),
        ...pods(1, 'node-9', simpleDaemonSetLabel),
        ...pods(1, 'node-9', simpleDaemonSetLabel2),
      ],
    }),
    [3, 20, 0],
  ],
  ['daemon_controller_test.go TestBadSelectorDaemonDoesNothing: nodeSelector simpleNodeLabel2, nodes carry simpleNodeLabel', () => ({ ds: newDaemonSet({ nodeSelector: { ...simpleNodeLabel2 } }), nodes: addNodes(0, 4, simpleNodeLabel), pods: [] }), [0, 0, 0]],
  ['daemon_controller_test.go TestNameDaemonSetLaunchesPods: template nodeName node-0, 5 nodes', () => ({ ds: newDaemonSet({ nodeName: 'node-0' }), nodes: addNodes(0, 5), pods: [] }), [1, 0, 0]],
  ['daemon_controller_test.go TestBadNameDaemonSetDoesNothing: nodeName node-10 does not exist', () => ({ ds: newDaemonSet({ nodeName: 'node-10' }), nodes: addNodes(0, 5), pods: [] }), [0, 0, 0]],
  [
    'daemon_controller_test.go TestNameAndSelectorDaemonSetLaunchesPods: nodeName node-6 (labelled) + selector',
    () => ({ ds: newDaemonSet({ nodeName: 'node-6', nodeSelector: { ...simpleNodeLabel } }), nodes: [...addNodes(0, 4), ...addNodes(4, 3, simpleNodeLabel)], pods: [] }),
    [1, 0, 0],
  ],
  [
    'daemon_controller_test.go TestInconsistentNameSelectorDaemonSetDoesNothing: nodeName node-0 (unlabelled) + selector',
    () => ({ ds: newDaemonSet({ nodeName: 'node-0', nodeSelector: { ...simpleNodeLabel } }), nodes: [...addNodes(0, 4), ...addNodes(4, 3, simpleNodeLabel)], pods: [] }),
    [0, 0, 0],
  ],
  ['daemon_controller_test.go TestNodeAffinityDaemonLaunchesPods: required color In [blue], 4 plain + 3 labelled', () => ({ ds: newDaemonSet(colorBlueAffinity), nodes: [...addNodes(0, 4), ...addNodes(4, 3, simpleNodeLabel)], pods: [] }), [3, 0, 0]],
  [
    'daemon_controller_test.go TestDaemonSetRespectsTermination: the only pod on node-0 is terminating → no replacement yet',
    () => {
      const ds = newDaemonSet();
      return { ds, nodes: addNodes(0, 1, simpleNodeLabel), pods: [newPod('terminating-', 'node-0', simpleDaemonSetLabel, { owner: ds, deleting: true })] };
    },
    [0, 0, 0],
  ],
  [
    'daemon_controller_test.go TestDeleteUnscheduledPodForNotExistingNode: only the unbound pod pinned to the missing node-2 is deleted',
    () => {
      const ds = newDaemonSet();
      return {
        ds,
        nodes: addNodes(0, 1),
        pods: [
          newPod('on-node-0-', 'node-0', simpleDaemonSetLabel, { owner: ds }),
          newPod('bound-to-missing-', 'node-1', simpleDaemonSetLabel, { owner: ds }),
          newPod('unbound-pinned-', undefined, simpleDaemonSetLabel, { owner: ds, spec: pinnedTo('node-2'), phase: 'Pending' }),
        ],
      };
    },
    [0, 1, 0],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 12 (sync): untolerated NoSchedule taint with 1 owned pod → nothing',
    () => {
      const ds = newDaemonSet();
      return { ds, nodes: [newNode('tainted', undefined, { taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }] })], pods: [newPod('owned-', 'tainted', simpleDaemonSetLabel, { owner: ds })] };
    },
    [0, 0, 0],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 13 (sync): untolerated NoExecute taint with 1 owned pod → the pod is deleted',
    () => {
      const ds = newDaemonSet();
      return { ds, nodes: [newNode('tainted', undefined, { taints: [{ key: 'dedicated', value: 'user1', effect: 'NoExecute' }] })], pods: [newPod('owned-', 'tainted', simpleDaemonSetLabel, { owner: ds })] };
    },
    [0, 1, 0],
  ],
];

for (const [name, setup, [creates, deletes, events]] of syncCases) {
  test(`${name} → (${creates},${deletes},${events})`, () => {
    const { ds, nodes, pods: all } = setup();
    const r = sync(ds, nodes, all);
    assert.deepEqual([r.creates, r.deletes, r.events], [creates, deletes, events], `deleted: ${r.deleted.join(', ')}`);
  });
}

test('daemon_controller_test.go TestDeleteUnscheduledPodForNotExistingNode: the deleted pod is the unbound one; the pod bound to node-1 is left to PodGC', () => {
  const ds = newDaemonSet();
  const r = sync(ds, addNodes(0, 1), [
    newPod('on-node-0-', 'node-0', simpleDaemonSetLabel, { owner: ds, name: 'a' }),
    newPod('bound-', 'node-1', simpleDaemonSetLabel, { owner: ds, name: 'bound-to-node-1' }),
    newPod('unbound-', undefined, simpleDaemonSetLabel, { owner: ds, spec: pinnedTo('node-2'), name: 'unbound-pinned-to-node-2' }),
  ]);
  assert.deepEqual(r.deleted, ['unbound-pinned-to-node-2']);
});

// TestDaemonKillFailedPods (one node). Backoff is not modeled.
const failedCases: [failed: number, normal: number, expected: [number, number, number]][] = [
  [0, 1, [0, 0, 0]],
  [0, 0, [1, 0, 0]],
  [1, 0, [0, 1, 1]],
  [1, 3, [0, 3, 1]],
];
for (const [failed, normal, [creates, deletes, events]] of failedCases) {
  test(`daemon_controller_test.go TestDaemonKillFailedPods: ${failed} failed + ${normal} normal pods → (${creates},${deletes},${events})`, () => {
    const ds = newDaemonSet();
    const all = [
      ...Array.from({ length: failed }, () => newPod('failed-', 'node-0', simpleDaemonSetLabel, { owner: ds, phase: 'Failed' })),
      ...Array.from({ length: normal }, () => newPod('normal-', 'node-0', simpleDaemonSetLabel, { owner: ds })),
    ];
    const r = sync(ds, addNodes(0, 1), all);
    assert.deepEqual([r.creates, r.deletes, r.events], [creates, deletes, events]);
  });
}

test('daemon_controller_test.go TestDaemonKillFailedPods: 1 failed + 3 normal → the failed pod and the 2 younger duplicates go, the oldest normal pod stays', () => {
  const ds = newDaemonSet();
  const all = [
    newPod('', 'node-0', simpleDaemonSetLabel, { owner: ds, name: 'normal-young', created: '2026-01-01T00:00:30Z' }),
    newPod('', 'node-0', simpleDaemonSetLabel, { owner: ds, name: 'failed', phase: 'Failed', created: '2026-01-01T00:00:01Z' }),
    newPod('', 'node-0', simpleDaemonSetLabel, { owner: ds, name: 'normal-oldest', created: '2026-01-01T00:00:10Z' }),
    newPod('', 'node-0', simpleDaemonSetLabel, { owner: ds, name: 'normal-mid', created: '2026-01-01T00:00:20Z' }),
  ];
  assert.deepEqual(sync(ds, addNodes(0, 1), all).deleted.sort(), ['failed', 'normal-mid', 'normal-young']);
});

test('daemon_controller_test.go failed pods: a Failed pod without deletionTimestamp still counts for its node (current=1, no create this sync; PodFailed reason)', () => {
  const ds = newDaemonSet();
  const state = { ...emptyClusterState(), nodes: addNodes(0, 1), daemonSets: [ds], pods: [newPod('failed-', 'node-0', simpleDaemonSetLabel, { owner: ds, phase: 'Failed' })] };
  const report = computeCoverage(state, { nowMs: Date.parse('2026-02-01T00:00:00Z') });
  assert.deepEqual([report.daemonSets[0]!.desired, report.daemonSets[0]!.current, report.daemonSets[0]!.ready], [1, 1, 0]);
  assert.ok(report.cells[0]!.reasons.some((r) => r.code === ReasonCode.PodFailed));
});

// TestGetNodesToDaemonPods.
test('daemon_controller_test.go getNodesToDaemonPods: owned + orphan matching pods and terminal pods without deletionTimestamp are included; label2, other owners and terminal+deleted are not', () => {
  const ds = newDaemonSet();
  const ds2 = newDaemonSet({}, { uid: 'other-ds-uid' });
  const p = (name: string, node: string, labels: Labels, owner: DaemonSet | null, o: PodOpts = {}): Pod => newPod('', node, labels, { ...o, owner, name });
  const all = [
    p('matching-owned-0', 'node-0', simpleDaemonSetLabel, ds),
    p('matching-orphan-0', 'node-0', simpleDaemonSetLabel, null),
    p('matching-owned-1', 'node-1', simpleDaemonSetLabel, ds),
    p('matching-orphan-1', 'node-1', simpleDaemonSetLabel, null),
    p('matching-owned-succeeded-0', 'node-0', simpleDaemonSetLabel, ds, { phase: 'Succeeded' }),
    p('matching-owned-failed-1', 'node-1', simpleDaemonSetLabel, ds, { phase: 'Failed' }),
    p('non-matching-owned-0', 'node-0', simpleDaemonSetLabel2, ds),
    p('non-matching-orphan-1', 'node-1', simpleDaemonSetLabel2, null),
    p('matching-owned-by-other-0', 'node-0', simpleDaemonSetLabel, ds2),
    p('matching-owned-succeeded-deleted-0', 'node-0', simpleDaemonSetLabel, ds, { phase: 'Succeeded', deleting: true }),
    p('matching-owned-failed-deleted-1', 'node-1', simpleDaemonSetLabel, ds, { phase: 'Failed', deleting: true }),
  ];
  const byNode = nodesToDaemonPods(daemonPods(ds, all));
  const names = Object.fromEntries([...byNode].map(([n, ps]) => [n, ps.map((x) => x.metadata.name).sort()]));
  assert.deepEqual(names, {
    'node-0': ['matching-orphan-0', 'matching-owned-0', 'matching-owned-succeeded-0'],
    'node-1': ['matching-orphan-1', 'matching-owned-1', 'matching-owned-failed-1'],
  });
});

const ownership: [name: string, ds: () => DaemonSet, pod: (ds: DaemonSet) => Pod, claimed: boolean][] = [
  ['owned and matching', () => newDaemonSet(), (ds) => newPod('p-', 'n', simpleDaemonSetLabel, { owner: ds }), true],
  ['owned but labels no longer match (released)', () => newDaemonSet(), (ds) => newPod('p-', 'n', simpleDaemonSetLabel2, { owner: ds }), false],
  ['orphan matching (adopted)', () => newDaemonSet(), () => newPod('p-', 'n', simpleDaemonSetLabel), true],
  ['orphan matching but being deleted (not adopted)', () => newDaemonSet(), () => newPod('p-', 'n', simpleDaemonSetLabel, { deleting: true }), false],
  ['orphan not matching', () => newDaemonSet(), () => newPod('p-', 'n', simpleDaemonSetLabel2), false],
  ['matching but controlled by another DaemonSet', () => newDaemonSet(), () => newPod('p-', 'n', simpleDaemonSetLabel, { owner: newDaemonSet({}, { uid: 'other' }) }), false],
  ['matching orphan in another namespace', () => newDaemonSet(), () => newPod('p-', 'n', simpleDaemonSetLabel, { namespace: 'other' }), false],
  ['owned terminating (not terminal) pod is still claimed', () => newDaemonSet(), (ds) => newPod('p-', 'n', simpleDaemonSetLabel, { owner: ds, deleting: true }), true],
  ['daemon_controller_test.go TestDontDoAnythingIfBeingDeletedRace: DS being deleted does not adopt a matching orphan', () => newDaemonSet({}, { deleting: true }), () => newPod('p-', 'n', simpleDaemonSetLabel), false],
  ['DS being deleted keeps its owned matching pods', () => newDaemonSet({}, { deleting: true }), (ds) => newPod('p-', 'n', simpleDaemonSetLabel, { owner: ds }), true],
];
for (const [name, mkDs, mkPod, claimed] of ownership) {
  test(`ClaimPods: ${name} → ${claimed ? 'claimed' : 'not claimed'}`, () => {
    const ds = mkDs();
    assert.equal(daemonPods(ds, [mkPod(ds)]).length, claimed ? 1 : 0);
  });
}

const nodeOf: [name: string, pod: Pod, node: string | undefined][] = [
  ['bound pod → spec.nodeName', newPod('p-', 'node-3', simpleDaemonSetLabel), 'node-3'],
  ['unscheduled pod pinned by required matchFields metadata.name In [node-2] → node-2', newPod('p-', undefined, simpleDaemonSetLabel, { spec: pinnedTo('node-2'), phase: 'Pending' }), 'node-2'],
  [
    'unscheduled pod with matchFields In [a, b] → skipped',
    newPod('p-', undefined, simpleDaemonSetLabel, {
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }] } } } },
    }),
    undefined,
  ],
  ['unscheduled pod without a pin → skipped', newPod('p-', undefined, simpleDaemonSetLabel), undefined],
  ['terminating Running pod stays on its node', newPod('p-', 'node-1', simpleDaemonSetLabel, { deleting: true }), 'node-1'],
  ['Succeeded pod with deletionTimestamp is dropped', newPod('p-', 'node-1', simpleDaemonSetLabel, { deleting: true, phase: 'Succeeded' }), undefined],
  ['Failed pod with deletionTimestamp is dropped', newPod('p-', 'node-1', simpleDaemonSetLabel, { deleting: true, phase: 'Failed' }), undefined],
  ['Failed pod without deletionTimestamp stays', newPod('p-', 'node-1', simpleDaemonSetLabel, { phase: 'Failed' }), 'node-1'],
  ['Pending pod bound to a node counts for it', newPod('p-', 'node-1', simpleDaemonSetLabel, { phase: 'Pending' }), 'node-1'],
];
for (const [name, pod, want] of nodeOf) {
  test(`getNodesToDaemonPods: ${name}`, () => {
    const m = nodesToDaemonPods([pod]);
    assert.deepEqual([...m.keys()], want === undefined ? [] : [want]);
  });
}

// podByCreationTimestampAndPhase.
test('counted order: bound pods first, then the oldest creationTimestamp, then the name', () => {
  const mk = (name: string, bound: boolean, created: string): Pod =>
    newPod('', bound ? 'node-0' : undefined, simpleDaemonSetLabel, { name, created, ...(bound ? {} : { spec: pinnedTo('node-0') }) });
  const list = [
    mk('unbound-oldest', false, '2026-01-01T00:00:00Z'),
    mk('bound-young', true, '2026-01-01T00:00:50Z'),
    mk('bound-b', true, '2026-01-01T00:00:10Z'),
    mk('bound-a', true, '2026-01-01T00:00:10Z'),
    mk('unbound-young', false, '2026-01-01T00:00:40Z'),
  ];
  const m = nodesToDaemonPods(list);
  assert.deepEqual(m.get('node-0')!.map((p) => p.metadata.name), ['bound-a', 'bound-b', 'bound-young', 'unbound-oldest', 'unbound-young']);
  assert.deepEqual([...list].sort(comparePodsForCounting).map((p) => p.metadata.name), ['bound-a', 'bound-b', 'bound-young', 'unbound-oldest', 'unbound-young']);
});

function coverage(ds: DaemonSet, nodes: Node[], all: Pod[]): CoverageReport {
  return computeCoverage({ ...emptyClusterState(), nodes, daemonSets: [ds], pods: all }, { nowMs: Date.parse('2026-02-01T00:00:00Z') });
}

test('daemon_controller_test.go TestNumberReadyStatus: 2 nodes with 1 pod each, not Ready → numberReady 0; Ready → 2', () => {
  const ds = newDaemonSet();
  const nodes = addNodes(0, 2, simpleNodeLabel);
  const notReady = nodes.map((n) => newPod('p-', n.metadata.name, simpleDaemonSetLabel, { owner: ds }));
  assert.equal(coverage(ds, nodes, notReady).daemonSets[0]!.ready, 0);
  const ready = nodes.map((n) => newPod('p-', n.metadata.name, simpleDaemonSetLabel, { owner: ds, ready: true }));
  assert.equal(coverage(ds, nodes, ready).daemonSets[0]!.ready, 2);
});

test('daemon_controller_test.go TestDeleteUnscheduledPodForNotExistingNode (status): pods on nodes outside the node list count in no field, not even misscheduled', () => {
  const ds = newDaemonSet();
  const s = coverage(ds, addNodes(0, 1), [
    newPod('a-', 'node-0', simpleDaemonSetLabel, { owner: ds }),
    newPod('b-', 'node-1', simpleDaemonSetLabel, { owner: ds }),
    newPod('c-', undefined, simpleDaemonSetLabel, { owner: ds, spec: pinnedTo('node-2') }),
  ]).daemonSets[0]!;
  assert.deepEqual([s.desired, s.current, s.misscheduled], [1, 1, 0]);
});

test('daemon_controller_test.go TestDontDoAnythingIfBeingDeleted: a DaemonSet being deleted gets no pods; the reason says so', () => {
  const r = coverage(newDaemonSet({}, { deleting: true }), addNodes(0, 2), []);
  assert.deepEqual(r.cells.map((c) => [c.state, c.reasons.map((x) => x.code)]), [
    ['Missing', [ReasonCode.DaemonSetTerminating]],
    ['Missing', [ReasonCode.DaemonSetTerminating]],
  ]);
});

test('daemon_controller_test.go TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector: selector {} → the controller does nothing (SelectingAll)', () => {
  const r = coverage(newDaemonSet({}, { selector: {} }), addNodes(0, 1), []);
  assert.deepEqual(r.cells[0]!.reasons.map((x) => x.code), [ReasonCode.SelectingAll]);
});

test('daemon_controller_test.go NodeShouldRunDaemonPod case 12 (status): a pod kept on a node with an untolerated NoSchedule taint counts as misscheduled', () => {
  const ds = newDaemonSet();
  const s = coverage(ds, [newNode('tainted', undefined, { taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }] })], [newPod('p-', 'tainted', simpleDaemonSetLabel, { owner: ds })]).daemonSets[0]!;
  assert.deepEqual([s.desired, s.current, s.misscheduled], [0, 0, 1]);
});
