// NodeShouldRunDaemonPod vectors (daemon_controller_test.go): TestNodeShouldRunDaemonPod (cases 1-11),
// the taint cases implied by the sync tests (cases 12-21), the derived taint/affinity cases (cases 22-35) and the
// default toleration list of AddOrUpdateDaemonPodTolerations.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeShouldRunDaemonPod } from '../../src/model/eligibility.ts';
import { ReasonCode } from '../../src/model/reasons.ts';
import { daemonPodTolerations, taintToString } from '../../src/model/taints.ts';
import type { DaemonSet, Node, NodeCondition, PodSpec, Taint, Toleration } from '../../src/model/types.ts';

const simpleDaemonSetLabel = { name: 'simple-daemon', type: 'production' };

/** The node of TestNodeShouldRunDaemonPod: labels = simpleDaemonSetLabel, 100M / 1 cpu / 100 pods, Ready=True, no taints. */
function node(over: { taints?: Taint[]; conditions?: NodeCondition[]; unschedulable?: boolean; labels?: Record<string, string> } = {}): Node {
  return {
    metadata: { name: 'test-node', labels: over.labels ?? { ...simpleDaemonSetLabel } },
    spec: { ...(over.taints ? { taints: over.taints } : {}), ...(over.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { memory: '100M', cpu: '1', pods: '100' },
      conditions: over.conditions ?? [{ type: 'Ready', status: 'True' }],
    },
  };
}

/** The default DS: one container foo/bar, selector and template labels simpleDaemonSetLabel. */
function ds(spec: Partial<PodSpec> = {}, namespace = 'default'): DaemonSet {
  return {
    metadata: { name: 'foo', namespace, uid: 'ds-uid' },
    spec: {
      selector: { matchLabels: { ...simpleDaemonSetLabel } },
      template: {
        metadata: { labels: { ...simpleDaemonSetLabel } },
        spec: { containers: [{ name: 'foo', image: 'foo/bar' }], ...spec },
      },
      revisionHistoryLimit: 2,
    },
  };
}

function requests(memory: string, cpu: string, hostPort?: number): Partial<PodSpec> {
  return {
    containers: [
      {
        name: 'foo',
        image: 'foo/bar',
        resources: { requests: { memory, cpu } },
        ...(hostPort ? { ports: [{ hostPort, containerPort: hostPort }] } : {}),
      },
    ],
  };
}

const dedicatedNoSchedule: Taint = { key: 'dedicated', value: 'user1', effect: 'NoSchedule' };
const dedicatedNoExecute: Taint = { key: 'dedicated', value: 'user1', effect: 'NoExecute' };
const noScheduleTolerations: Toleration[] = [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }];

type Case = [name: string, node: Node, ds: DaemonSet, shouldRun: boolean, shouldContinueRunning: boolean, reasonCodes: string[]];

const cases: Case[] = [
  // TestNodeShouldRunDaemonPod. Pods already on the node are not an input of the function at all.
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 1: requests 50M/0.5 on a 100M/1cpu node', node(), ds(requests('50M', '0.5')), true, true, []],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 2: requests 200M (more than the node has): resources are ignored', node(), ds(requests('200M', '0.5')), true, true, []],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 3: template nodeName other-node', node(), ds({ nodeName: 'other-node' }), false, false, [ReasonCode.NodeNameMismatch]],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 4: template hostPort 666 (already used on the node): ports are ignored', node(), ds(requests('50M', '0.5', 666)), true, true, []],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 5: requests 100M/0.5 while another pod uses 50M/0.5 and hostPort 666', node(), ds(requests('100M', '0.5', 666)), true, true, []],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 6: requests 50M/0.5 while another pod uses 50M/0.5 and hostPort 666', node(), ds(requests('50M', '0.5', 666)), true, true, []],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 7: nodeSelector type=test on a type=production node', node(), ds({ nodeSelector: { name: 'simple-daemon', type: 'test' } }), false, false, [ReasonCode.NodeSelectorMismatch]],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 8: nodeSelector equal to the node labels', node(), ds({ nodeSelector: { ...simpleDaemonSetLabel } }), true, true, []],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 9: required affinity type In [test]',
    node(),
    ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['test'] }] }] } } } }),
    false,
    false,
    [ReasonCode.NodeAffinityMismatch],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 10: required affinity type In [production]',
    node(),
    ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'type', operator: 'In', values: ['production'] }] }] } } } }),
    true,
    true,
    [],
  ],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 11: spec.unschedulable=true without the taint: cordon is not checked', node({ unschedulable: true }), ds(requests('50M', '0.5')), true, true, []],

  // Taint cases from the sync tests.
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 12: untolerated dedicated=user1:NoSchedule → no new pod, the existing one stays', node({ taints: [dedicatedNoSchedule] }), ds(), false, true, [ReasonCode.UntoleratedTaint]],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 13: untolerated dedicated=user1:NoExecute → the existing pod is deleted', node({ taints: [dedicatedNoExecute] }), ds(), false, false, [ReasonCode.UntoleratedTaint]],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 14: untolerated NoSchedule taint and no pod → nothing is created', node({ taints: [dedicatedNoSchedule] }), ds(), false, true, [ReasonCode.UntoleratedTaint]],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 15: NoSchedule taint tolerated (operator empty = Equal)', node({ taints: [dedicatedNoSchedule] }), ds({ tolerations: noScheduleTolerations }), true, true, []],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 16: a toleration without any taint on the node', node(), ds({ tolerations: noScheduleTolerations }), true, true, []],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 17: not-ready:NoExecute with Ready=False is tolerated by the defaults',
    node({ taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], conditions: [{ type: 'Ready', status: 'False' }] }),
    ds(),
    true,
    true,
    [],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 18: unreachable:NoExecute with Ready=Unknown is tolerated by the defaults',
    node({ taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }], conditions: [{ type: 'Ready', status: 'Unknown' }] }),
    ds(),
    true,
    true,
    [],
  ],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 19: Ready=False without taints: readiness is not checked', node({ conditions: [{ type: 'Ready', status: 'False' }] }), ds(), true, true, []],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 20: NetworkUnavailable=True condition without the taint',
    node({ conditions: [{ type: 'Ready', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }] }),
    ds(),
    true,
    true,
    [],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 21: disk/memory/pid-pressure NoSchedule taints are tolerated by the defaults (kube-system, system-critical)',
    node({
      taints: [
        { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' },
      ],
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'DiskPressure', status: 'True' },
        { type: 'MemoryPressure', status: 'True' },
        { type: 'PIDPressure', status: 'True' },
      ],
    }),
    ds({ priorityClassName: 'system-node-critical' }, 'kube-system'),
    true,
    true,
    [],
  ],

  // Derived taint cases.
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 22: not-ready:NoSchedule (real NotReady node) is not tolerated by the defaults', node({ taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] }), ds(), false, true, [ReasonCode.UntoleratedTaint]],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 23: unreachable:NoSchedule is not tolerated by the defaults', node({ taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }] }), ds(), false, true, [ReasonCode.UntoleratedTaint]],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 24: network-unavailable:NoSchedule without hostNetwork',
    node({ taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }),
    ds({ hostNetwork: false }),
    false,
    true,
    [ReasonCode.UntoleratedTaint],
  ],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 25: network-unavailable:NoSchedule with hostNetwork', node({ taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds({ hostNetwork: true }), true, true, []],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 26: cordon taint unschedulable:NoSchedule is tolerated by the defaults',
    node({ unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
    ds(),
    true,
    true,
    [],
  ],
  ['daemon_controller_test.go NodeShouldRunDaemonPod case 27: foo=bar:PreferNoSchedule is ignored', node({ taints: [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }] }), ds(), true, true, []],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 28: NoExecute tolerated with tolerationSeconds 60: tolerationSeconds is ignored',
    node({ taints: [{ key: 'foo', value: 'bar', effect: 'NoExecute' }] }),
    ds({ tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }),
    true,
    true,
    [],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 29: foo=bar:NoSchedule + baz:NoExecute, only baz tolerated → (false, true)',
    node({ taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }, { key: 'baz', effect: 'NoExecute' }] }),
    ds({ tolerations: [{ key: 'baz', operator: 'Exists', effect: 'NoExecute' }] }),
    false,
    true,
    [ReasonCode.UntoleratedTaint],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 30: foo=bar:NoSchedule + baz:NoExecute, only foo tolerated → (false, false)',
    node({ taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }, { key: 'baz', effect: 'NoExecute' }] }),
    ds({ tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }] }),
    false,
    false,
    [ReasonCode.UntoleratedTaint],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 31: toleration {operator: Exists} (empty key and effect) tolerates every taint',
    node({
      taints: [
        { key: 'foo', value: 'bar', effect: 'NoSchedule' },
        { key: 'baz', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' },
      ],
    }),
    ds({ tolerations: [{ operator: 'Exists' }] }),
    true,
    true,
    [],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 32: template nodeName is this node but the nodeSelector does not match',
    node(),
    ds({ nodeName: 'test-node', nodeSelector: { type: 'test' } }),
    false,
    false,
    [ReasonCode.NodeSelectorMismatch],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 33: required affinity with nodeSelectorTerms: [] matches no node',
    node(),
    ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }),
    false,
    false,
    [ReasonCode.NodeAffinityMismatch],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 34: required affinity whose only term has the invalid key "invalid key": parse error = no match',
    node(),
    ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'invalid key', operator: 'In', values: ['x'] }] }] } } } }),
    false,
    false,
    [ReasonCode.NodeAffinityMismatch],
  ],
  [
    'daemon_controller_test.go NodeShouldRunDaemonPod case 35: terms [key1 In [nomatch]] OR [color In [blue]] on a color=blue node: terms are ORed',
    node({ labels: { color: 'blue' } }),
    ds({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'key1', operator: 'In', values: ['nomatch'] }] }, { matchExpressions: [{ key: 'color', operator: 'In', values: ['blue'] }] }],
          },
        },
      },
    }),
    true,
    true,
    [],
  ],
];

for (const [name, n, d, shouldRun, shouldContinueRunning, codes] of cases) {
  test(`${name} → (${shouldRun}, ${shouldContinueRunning})`, () => {
    const el = nodeShouldRunDaemonPod(n, d);
    assert.deepEqual([el.shouldRun, el.shouldContinueRunning], [shouldRun, shouldContinueRunning]);
    assert.deepEqual(el.reasons.map((r) => r.code), codes);
  });
}

test('A29/A30: the untolerated taints are exactly the NoSchedule|NoExecute ones no toleration matches, in node order', () => {
  const taints: Taint[] = [
    { key: 'foo', value: 'bar', effect: 'NoSchedule' },
    { key: 'baz', effect: 'NoExecute' },
    { key: 'soft', effect: 'PreferNoSchedule' },
  ];
  const onlyBaz = nodeShouldRunDaemonPod(node({ taints }), ds({ tolerations: [{ key: 'baz', operator: 'Exists', effect: 'NoExecute' }] }));
  assert.deepEqual(onlyBaz.untoleratedTaints.map(taintToString), ['foo=bar:NoSchedule']);
  const none = nodeShouldRunDaemonPod(node({ taints }), ds());
  assert.deepEqual(none.untoleratedTaints.map(taintToString), ['foo=bar:NoSchedule', 'baz:NoExecute']);
});

function strip(ts: readonly (Toleration & { source?: string })[]): Toleration[] {
  return ts.map(({ source: _source, ...t }) => t);
}

const defaults: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

test('default tolerations: empty spec.tolerations, hostNetwork=false → the 6 defaults in upstream order', () => {
  const out = daemonPodTolerations([], false);
  assert.deepEqual(strip(out), defaults);
  assert.ok(out.every((t) => t.source === 'controller'));
});

test('default tolerations: hostNetwork=true adds network-unavailable Exists NoSchedule as the 7th', () => {
  assert.deepEqual(strip(daemonPodTolerations(undefined, true)), [
    ...defaults,
    { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' },
  ]);
});

test('default tolerations: not-ready NoExecute with tolerationSeconds 300 is replaced in place (no tolerationSeconds), the others appended', () => {
  const out = daemonPodTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], false);
  assert.deepEqual(strip(out), defaults);
  assert.equal('tolerationSeconds' in out[0]!, false);
});

test('default tolerations: user tolerations keep their place before the appended defaults', () => {
  const user: Toleration = { key: 'dedicated', value: 'user1', effect: 'NoSchedule' };
  const out = daemonPodTolerations([user], false);
  assert.deepEqual(strip(out), [user, ...defaults]);
  assert.equal(out[0]!.source, 'template');
});

test('the eligibility verdict uses the merged toleration list (template first, then the defaults)', () => {
  const el = nodeShouldRunDaemonPod(node(), ds({ tolerations: noScheduleTolerations }));
  assert.deepEqual(strip(el.tolerations), [...noScheduleTolerations, ...defaults]);
});
