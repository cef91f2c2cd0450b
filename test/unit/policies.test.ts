// Every tool's "rollout done" rule as a table: one DaemonSet object → the verdict of each policy. The
// expected verdicts were worked out from the upstream sources cited in src/model/policies.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoverageCell, DaemonSetSummary } from '../../src/model/coverage.ts';
import { POLICIES, policyVerdict, type Policy } from '../../src/model/policies.ts';
import { PAUSED_STRATEGY_ANNOTATION } from '../../src/model/rollout.ts';
import { rolloutStatusView } from '../../src/model/rolloutStatus.ts';
import type { DaemonSet, DaemonSetUpdateStrategy } from '../../src/model/types.ts';

type Status = NonNullable<DaemonSet['status']>;

const RU1: DaemonSetUpdateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
const ON_DELETE: DaemonSetUpdateStrategy = { type: 'OnDelete' };

function ds(o: { generation?: number | null; status?: Status | null; strategy?: DaemonSetUpdateStrategy | null; deleting?: boolean; annotations?: Record<string, string> }): DaemonSet {
  const generation = o.generation === undefined ? 1 : o.generation;
  return {
    metadata: {
      name: 'agent',
      namespace: 'ops',
      uid: 'u1',
      ...(generation !== null ? { generation } : {}),
      ...(o.deleting ? { deletionTimestamp: '2026-11-22T11:00:00Z' } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:2' }] } },
      ...(o.strategy !== null ? { updateStrategy: o.strategy ?? RU1 } : {}),
    },
    ...(o.status !== null ? { status: o.status ?? {} } : {}),
  };
}

/** Every counter at n, generation observed. */
function full(n: number, over: Partial<Status> = {}): Status {
  return { observedGeneration: 1, desiredNumberScheduled: n, currentNumberScheduled: n, updatedNumberScheduled: n, numberReady: n, numberAvailable: n, numberMisscheduled: 0, ...over };
}

const SUMMARY: DaemonSetSummary = { namespace: 'ops', name: 'agent', desired: 0, current: 0, ready: 0, available: 0, updated: 0, misscheduled: 0, statusObserved: true, updateStrategy: 'RollingUpdate', paused: false, pauseReverted: false };

function verdicts(d: DaemonSet, cells: CoverageCell[] = []): Record<Policy, string> {
  const view = rolloutStatusView(d, SUMMARY, cells);
  return Object.fromEntries(POLICIES.map((p) => [p, policyVerdict(p, d, view).verdict])) as Record<Policy, string>;
}

const DONE = { kubectl: 'done', helm: 'ready', kstatus: 'Current', argocd: 'Healthy' };
const NONE_DONE = { kubectl: 'in progress', helm: 'not ready', kstatus: 'InProgress', argocd: 'Progressing' };

const cases: [name: string, d: DaemonSet, expected: Record<Policy, string>][] = [
  ['RollingUpdate, every counter at desired', ds({ status: full(4) }), DONE],
  ['RollingUpdate, observedGeneration lags generation', ds({ generation: 2, status: full(4) }), NONE_DONE],
  // kubectl and Argo CD test `generation > observed`; Helm and kstatus test `!=`.
  ['observedGeneration ahead of generation (kubectl, Argo: >; Helm, kstatus: !=)', ds({ generation: 2, status: full(4, { observedGeneration: 3 }) }), { kubectl: 'done', helm: 'not ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['never observed: no observedGeneration at all', ds({ status: { desiredNumberScheduled: 0 } }), NONE_DONE],
  ['no metadata.generation: kstatus requires it for a DaemonSet, the Go tools read 0', ds({ generation: null, status: full(2, { observedGeneration: 0 }) }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['no status.desiredNumberScheduled: kstatus waits, the Go tools read 0 = done', ds({ status: { observedGeneration: 1 } }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['desired 0 (no node matches): every tool is done', ds({ status: full(0) }), DONE],
  ['OnDelete with old pods on 6 of 8 nodes: only kstatus waits', ds({ strategy: ON_DELETE, status: full(8, { updatedNumberScheduled: 2 }) }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['OnDelete with every pod replaced: Current', ds({ strategy: ON_DELETE, status: full(8) }), DONE],
  ['OnDelete, nothing ready: Helm and Argo CD still done', ds({ strategy: ON_DELETE, status: full(3, { numberReady: 0, numberAvailable: 0 }) }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['OnDelete, observedGeneration lags: Helm and Argo CD check it first', ds({ strategy: ON_DELETE, generation: 3, status: full(3, { observedGeneration: 2 }) }), { kubectl: 'done', helm: 'not ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  ['paused by ds-inspect (OnDelete + saved strategy), old pods remain', ds({ strategy: ON_DELETE, annotations: { [PAUSED_STRATEGY_ANNOTATION]: JSON.stringify(RU1) }, status: full(4, { updatedNumberScheduled: 1 }) }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['updated below desired: nobody is done', ds({ status: full(4, { updatedNumberScheduled: 3 }) }), NONE_DONE],
  ['maxUnavailable 1, one pod not ready: Helm tolerates it', ds({ status: full(4, { numberReady: 3, numberAvailable: 3 }) }), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  ['maxUnavailable 1, two pods not ready: Helm waits too', ds({ status: full(4, { numberReady: 2, numberAvailable: 2 }) }), NONE_DONE],
  ['maxUnavailable 25% of 10 rounds up to 3: 7 ready is enough for Helm', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }, status: full(10, { numberReady: 7, numberAvailable: 7 }) }), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  ['maxUnavailable 25% of 10: 6 ready is not', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }, status: full(10, { numberReady: 6, numberAvailable: 6 }) }), NONE_DONE],
  ['maxUnavailable 10% of 5 rounds up to 1', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } }, status: full(5, { numberReady: 4, numberAvailable: 4 }) }), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  ['maxUnavailable 0 with maxSurge 1: Helm wants every pod ready', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, status: full(4, { numberReady: 3, numberAvailable: 3 }) }), NONE_DONE],
  ['invalid maxUnavailable: Helm uses desired, so nothing need be ready', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 'many' } }, status: full(4, { numberReady: 0, numberAvailable: 0 }) }), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  ['no updateStrategy (API default RollingUpdate, maxUnavailable 1)', ds({ strategy: null, status: full(4, { numberReady: 3, numberAvailable: 3 }) }), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  // Helm reads numberReady, not numberAvailable: minReadySeconds is not waited for.
  ['all ready, one not yet available (minReadySeconds)', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, status: full(4, { numberAvailable: 3 }) }), { kubectl: 'in progress', helm: 'ready', kstatus: 'InProgress', argocd: 'Progressing' }],
  ['numberUnavailable is read by no tool', ds({ status: full(4, { numberUnavailable: 2 }) }), DONE],
  ['numberMisscheduled is read by no tool', ds({ status: full(4, { numberMisscheduled: 2 }) }), DONE],
  ['a node has no pod yet (currentNumberScheduled short), counted pods all updated', ds({ status: full(4, { currentNumberScheduled: 3 }) }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
  ['being deleted: kstatus Terminating, Argo CD Progressing', ds({ deleting: true, status: full(4) }), { kubectl: 'done', helm: 'ready', kstatus: 'Terminating', argocd: 'Progressing' }],
  ['a Stalled=True condition: kstatus Failed', ds({ status: full(4, { conditions: [{ type: 'Stalled', status: 'True', message: 'quota' }] }) }), { kubectl: 'done', helm: 'ready', kstatus: 'Failed', argocd: 'Healthy' }],
  ['a Reconciling=True condition: kstatus InProgress', ds({ status: full(4, { conditions: [{ type: 'Reconciling', status: 'True' }] }) }), { kubectl: 'done', helm: 'ready', kstatus: 'InProgress', argocd: 'Healthy' }],
];

for (const [name, d, expected] of cases) {
  test(`policies: ${name}`, () => {
    assert.deepEqual(verdicts(d), expected);
  });
}

const messages: [name: string, d: DaemonSet, policy: Policy, message: string][] = [
  ['kstatus names the first short counter', ds({ status: full(4, { currentNumberScheduled: 3, updatedNumberScheduled: 2 }) }), 'kstatus', 'Current: 3/4'],
  ['kstatus Updated', ds({ strategy: ON_DELETE, status: full(8, { updatedNumberScheduled: 2 }) }), 'kstatus', 'Updated: 2/8'],
  ['kstatus Available before Ready', ds({ status: full(4, { numberReady: 2, numberAvailable: 3 }) }), 'kstatus', 'Available: 3/4'],
  ['kstatus Ready', ds({ status: full(4, { numberReady: 3 }) }), 'kstatus', 'Ready: 3/4'],
  ['kstatus Current', ds({ status: full(4) }), 'kstatus', 'All replicas scheduled as expected. Replicas: 4'],
  ['kstatus generation', ds({ generation: 2, status: full(4) }), 'kstatus', 'DaemonSet generation is 2, but latest observed generation is 1'],
  ['kstatus no observedGeneration', ds({ status: { desiredNumberScheduled: 1 } }), 'kstatus', 'DaemonSet status.observedGeneration not found'],
  ['helm budget', ds({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } }, status: full(10, { numberReady: 6 }) }), 'helm', '6 pods ready, needs 7 (10 desired - maxUnavailable 3)'],
  ['argocd OnDelete', ds({ strategy: ON_DELETE, status: full(8, { updatedNumberScheduled: 2 }) }), 'argocd', 'daemon set 2 out of 8 new pods have been updated'],
  ['argocd available', ds({ status: full(4, { numberAvailable: 3 }) }), 'argocd', 'Waiting for daemon set "agent" rollout to finish: 3 of 4 updated pods are available...'],
  ['kubectl is today\'s message', ds({ status: full(4, { updatedNumberScheduled: 1 }) }), 'kubectl', 'Waiting for daemon set "agent" rollout to finish: 1 out of 4 new pods have been updated...'],
];

for (const [name, d, policy, message] of messages) {
  test(`policies message: ${name}`, () => {
    assert.equal(policyVerdict(policy, d, rolloutStatusView(d, SUMMARY, [])).message, message);
  });
}

test('policies: only kstatus Failed is terminal', () => {
  const d = ds({ status: full(4, { conditions: [{ type: 'Stalled', status: 'True', message: 'quota' }] }) });
  const view = rolloutStatusView(d, SUMMARY, []);
  assert.deepEqual(POLICIES.map((p) => policyVerdict(p, d, view).failed), [false, false, true, false]);
});

function cell(node: string, state: CoverageCell['state'], podUpdated: boolean | undefined): CoverageCell {
  const pods = podUpdated === undefined ? [] : [{ name: `agent-${node}`, phase: 'Running', ready: state === 'Ready', updated: podUpdated, bound: true, counted: true, terminating: false }];
  return { node, namespace: 'ops', daemonSet: 'agent', shouldRun: state !== 'Misscheduled', shouldContinueRunning: true, state, pods, reasons: [], counted: { ready: false, available: false, updated: podUpdated === true } };
}

const CELLS = [cell('ok', 'Ready', true), cell('old', 'Outdated', false), cell('none', 'Missing', undefined), cell('sick', 'NotReady', true), cell('stray', 'Misscheduled', true)];

const blocking: [name: string, d: DaemonSet, policy: Policy, nodes: string[]][] = [
  ['waiting on updated pods: every node not Ready and current (the rule wants all counters), never a misscheduled one', ds({ status: full(4, { updatedNumberScheduled: 2 }) }), 'argocd', ['old', 'none', 'sick']],
  ['waiting on readiness: the same nodes', ds({ status: full(4, { numberAvailable: 2 }) }), 'argocd', ['old', 'none', 'sick']],
  ['kstatus waiting on a missing pod', ds({ status: full(4, { currentNumberScheduled: 3 }) }), 'kstatus', ['old', 'none', 'sick']],
  ['kstatus on OnDelete: the nodes still on the old revision and the rest', ds({ strategy: ON_DELETE, status: full(4, { updatedNumberScheduled: 2 }) }), 'kstatus', ['old', 'none', 'sick']],
  ['Helm short of updated pods but within its readiness budget: only nodes without a current pod', ds({ status: full(4, { updatedNumberScheduled: 2, numberReady: 3 }) }), 'helm', ['old', 'none']],
  ['Helm short of updated pods and of ready ones: every node', ds({ status: full(4, { updatedNumberScheduled: 2, numberReady: 2 }) }), 'helm', ['old', 'none', 'sick']],
  ['Helm within its budget: done, no node blocks', ds({ status: full(4, { numberReady: 3, numberAvailable: 3 }) }), 'helm', []],
  ['spec not observed: no node is to blame', ds({ generation: 2, status: full(4, { numberReady: 1 }) }), 'helm', []],
  ['kstatus Failed by a condition: no node is to blame', ds({ status: full(4, { numberReady: 1, conditions: [{ type: 'Stalled', status: 'True' }] }) }), 'kstatus', []],
  ['kubectl waiting on available pods', ds({ status: full(4, { numberAvailable: 3 }) }), 'kubectl', ['old', 'none', 'sick']],
  ['kubectl waiting for the spec to be observed', ds({ generation: 2, status: full(4) }), 'kubectl', []],
];

for (const [name, d, policy, nodes] of blocking) {
  test(`policies blocking: ${name}`, () => {
    assert.deepEqual(policyVerdict(policy, d, rolloutStatusView(d, SUMMARY, CELLS)).blocking, nodes);
  });
}
