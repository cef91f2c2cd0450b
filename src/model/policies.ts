// Every tool's definition of "this DaemonSet's rollout is done", pure: the DaemonSet as the tool reads it
// (metadata, spec.updateStrategy, the status counters the controller wrote) in, the tool's verdict in its
// own words out, plus the nodes that hold that verdict up (from the RolloutStatusView's blocking nodes).
// Each rule was read from the tool's source; the file is cited beside it. The tools disagree on OnDelete
// (Helm and Argo CD: done at once; kstatus: not until every old pod has been deleted by hand) and on
// readiness (Helm tolerates maxUnavailable unready pods; the others want every pod available).

import { CellState } from './coverage.ts';
import { scaledValue } from './rollout.ts';
import type { RolloutStatusView } from './rolloutStatus.ts';
import type { DaemonSet } from './types.ts';

export const POLICIES = ['kubectl', 'helm', 'kstatus', 'argocd'] as const;
export type Policy = (typeof POLICIES)[number];

/**
 * What a not-done verdict waits for, so the blocking nodes can be chosen: `spec` (the controller has not
 * observed the generation, or status is missing: no node is to blame), `deletion`, `scheduled` (a node has
 * no pod), `updated` (a node has no pod of the current revision), `ready` (a pod is not ready/available),
 * `condition` (a status condition decided it).
 */
type Waiting = 'spec' | 'deletion' | 'scheduled' | 'updated' | 'ready' | 'condition';

export interface PolicyVerdict {
  policy: Policy;
  /** The tool's own word: done / in progress, ready / not ready, Current / InProgress / Failed / Terminating, Healthy / Progressing. */
  verdict: string;
  done: boolean;
  /** Terminal (kstatus Failed): Helm 4 and Flux stop waiting; so does `rollout status --policy kstatus`. */
  failed: boolean;
  /** The tool's own message (kstatus and Argo CD print one; for Helm, which only logs, ours). */
  message: string;
  /** Nodes that hold this verdict up; empty when done or when no node is to blame. */
  blocking: string[];
}

interface Rule {
  verdict: string;
  done: boolean;
  failed?: boolean;
  message: string;
  waiting?: Waiting;
}

const counters = (ds: DaemonSet): Required<Pick<NonNullable<DaemonSet['status']>, 'desiredNumberScheduled' | 'currentNumberScheduled' | 'updatedNumberScheduled' | 'numberAvailable' | 'numberReady' | 'observedGeneration'>> => {
  // Go's typed structs read an absent counter as 0.
  const s = ds.status ?? {};
  return {
    desiredNumberScheduled: s.desiredNumberScheduled ?? 0,
    currentNumberScheduled: s.currentNumberScheduled ?? 0,
    updatedNumberScheduled: s.updatedNumberScheduled ?? 0,
    numberAvailable: s.numberAvailable ?? 0,
    numberReady: s.numberReady ?? 0,
    observedGeneration: s.observedGeneration ?? 0,
  };
};

/** The API server defaults updateStrategy.type to RollingUpdate; every tool reads the defaulted object. */
const strategyType = (ds: DaemonSet): string => ds.spec.updateStrategy?.type ?? 'RollingUpdate';

/** kubectl: today's `rollout status` (kubectlRolloutStatus for RollingUpdate; ds-inspect's OnDelete/paused extension), from the view. */
function kubectlRule(view: RolloutStatusView): Rule {
  return { verdict: view.done ? 'done' : 'in progress', done: view.done, message: view.message, waiting: waitingFromMessage(view.message) };
}

/** kubectl's messages name what it waits on (kubectl polymorphichelpers/rollout_status.go DaemonSetStatusViewer). */
function waitingFromMessage(message: string): Waiting {
  if (message.startsWith('Waiting for daemon set spec update')) return 'spec';
  if (message.includes('new pods have been updated')) return 'updated';
  return 'ready';
}

/** Helm 3 (and Helm 4 --wait=legacy): helm/helm pkg/kube/ready.go, ReadyChecker.daemonSetReady. */
function helmRule(ds: DaemonSet): Rule {
  const s = counters(ds);
  // ready.go: `ds.Status.ObservedGeneration != ds.Generation` → not ready (not `<`: any mismatch).
  if (s.observedGeneration !== (ds.metadata.generation ?? 0)) {
    return { verdict: 'not ready', done: false, message: `observedGeneration ${s.observedGeneration} does not match generation ${ds.metadata.generation ?? 0}`, waiting: 'spec' };
  }
  // ready.go: "If the update strategy is not a rolling update, there will be nothing to wait for".
  if (strategyType(ds) !== 'RollingUpdate') return { verdict: 'ready', done: true, message: `updateStrategy ${strategyType(ds)}: nothing to wait for` };
  // ready.go: UpdatedNumberScheduled != DesiredNumberScheduled → not ready.
  if (s.updatedNumberScheduled !== s.desiredNumberScheduled) {
    return { verdict: 'not ready', done: false, message: `${s.updatedNumberScheduled} of ${s.desiredNumberScheduled} pods updated`, waiting: 'updated' };
  }
  // ready.go: maxUnavailable scaled against desired, percentages rounded UP; an invalid value means
  // maxUnavailable = desired. Helm reads the object from the API server, which defaults an absent
  // rollingUpdate.maxUnavailable to 1 (apps/v1 SetDefaults_DaemonSet), so an absent one is 1 here.
  const raw = ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const scaled = scaledValue(raw, s.desiredNumberScheduled, true);
  const maxUnavailable = typeof scaled === 'number' ? scaled : s.desiredNumberScheduled;
  const expectedReady = s.desiredNumberScheduled - maxUnavailable;
  // ready.go: NumberReady (not numberAvailable: minReadySeconds is not waited for) >= desired - maxUnavailable.
  if (s.numberReady < expectedReady) {
    return { verdict: 'not ready', done: false, message: `${s.numberReady} pods ready, needs ${expectedReady} (${s.desiredNumberScheduled} desired - maxUnavailable ${maxUnavailable})`, waiting: 'ready' };
  }
  return { verdict: 'ready', done: true, message: `${s.numberReady} pods ready, needs ${Math.max(0, expectedReady)} (${s.desiredNumberScheduled} desired - maxUnavailable ${maxUnavailable})` };
}

/**
 * kstatus: kubernetes-sigs/cli-utils pkg/kstatus/status (status.go Compute: generic.go
 * checkGenericProperties first, then core.go daemonsetConditions). Used by Flux health checks, Pulumi and
 * Helm 4's default --wait. There is no OnDelete branch: under OnDelete updatedNumberScheduled stays below
 * desired until someone deletes every old pod, so such a DaemonSet stays InProgress (fluxcd/flux2#2078).
 */
function kstatusRule(ds: DaemonSet): Rule {
  const inProgress = (message: string, waiting: Waiting): Rule => ({ verdict: 'InProgress', done: false, message, waiting });
  // generic.go: a deletionTimestamp → Terminating.
  if (ds.metadata.deletionTimestamp) return { verdict: 'Terminating', done: false, message: 'Resource scheduled for deletion', waiting: 'deletion' };
  const generation = ds.metadata.generation;
  const observed = ds.status?.observedGeneration;
  // generic.go checkGeneration: only when both are set, and any mismatch (not only `<`).
  if (generation !== undefined && observed !== undefined && observed !== generation) {
    return inProgress(`DaemonSet generation is ${generation}, but latest observed generation is ${observed}`, 'spec');
  }
  // generic.go: a Reconciling=True condition → InProgress; Stalled=True → Failed (terminal for Helm 4's waiter, statuswait.go).
  for (const c of ds.status?.conditions ?? []) {
    if (c.type === 'Reconciling' && c.status === 'True') return inProgress(c.message ?? '', 'condition');
    if (c.type === 'Stalled' && c.status === 'True') return { verdict: 'Failed', done: false, failed: true, message: c.message ?? '', waiting: 'condition' };
  }
  // core.go checkGenerationSet: for a DaemonSet both fields must be present.
  if (generation === undefined) return inProgress('DaemonSet metadata.generation not found', 'spec');
  if (observed === undefined) return inProgress('DaemonSet status.observedGeneration not found', 'spec');
  // core.go daemonsetConditions: desired (absent → -1) against each counter (absent → 0), in this order.
  const desired = ds.status?.desiredNumberScheduled;
  if (desired === undefined) return inProgress('Missing .status.desiredNumberScheduled', 'spec');
  const s = counters(ds);
  if (desired > s.currentNumberScheduled) return inProgress(`Current: ${s.currentNumberScheduled}/${desired}`, 'scheduled');
  if (desired > s.updatedNumberScheduled) return inProgress(`Updated: ${s.updatedNumberScheduled}/${desired}`, 'updated');
  if (desired > s.numberAvailable) return inProgress(`Available: ${s.numberAvailable}/${desired}`, 'ready');
  if (desired > s.numberReady) return inProgress(`Ready: ${s.numberReady}/${desired}`, 'ready');
  return { verdict: 'Current', done: true, message: `All replicas scheduled as expected. Replicas: ${desired}` };
}

/** Argo CD: argoproj/gitops-engine pkg/health/health_daemonset.go getAppsv1DaemonSetHealth (and health.go for deletion). */
function argocdRule(ds: DaemonSet): Rule {
  const s = counters(ds);
  const progressing = (message: string, waiting: Waiting): Rule => ({ verdict: 'Progressing', done: false, message, waiting });
  // health.go GetResourceHealth: a deletionTimestamp → Progressing "Pending deletion" (unless the object
  // carries Argo CD's hook finalizer, which ds-inspect does not read; a DaemonSet is rarely a hook).
  if (ds.metadata.deletionTimestamp) return progressing('Pending deletion', 'deletion');
  // health_daemonset.go: Generation > ObservedGeneration (only `>`, as kubectl) → Progressing.
  if ((ds.metadata.generation ?? 0) > s.observedGeneration) return progressing('Waiting for rollout to finish: observed daemon set generation less than desired generation', 'spec');
  // health_daemonset.go: OnDelete → Healthy, whatever the counters say (gitops-engine#137).
  if (strategyType(ds) === 'OnDelete') {
    return { verdict: 'Healthy', done: true, message: `daemon set ${s.updatedNumberScheduled} out of ${s.desiredNumberScheduled} new pods have been updated` };
  }
  if (s.updatedNumberScheduled < s.desiredNumberScheduled) {
    return progressing(`Waiting for daemon set "${ds.metadata.name ?? ''}" rollout to finish: ${s.updatedNumberScheduled} out of ${s.desiredNumberScheduled} new pods have been updated...`, 'updated');
  }
  if (s.numberAvailable < s.desiredNumberScheduled) {
    return progressing(`Waiting for daemon set "${ds.metadata.name ?? ''}" rollout to finish: ${s.numberAvailable} of ${s.desiredNumberScheduled} updated pods are available...`, 'ready');
  }
  return { verdict: 'Healthy', done: true, message: '' };
}

/**
 * The nodes to blame for a wait, from the view's blocking nodes. Misscheduled pods never count: no
 * tool's rule reads numberMisscheduled, and the controller counts them in none of the other counters.
 */
function blockingFor(view: RolloutStatusView, rule: Rule): string[] {
  if (rule.done || rule.waiting === undefined || rule.waiting === 'spec' || rule.waiting === 'deletion') return [];
  const nodes = view.blocking.filter((b) => b.state !== CellState.Misscheduled);
  const old = new Set(view.oldRevisionNodes);
  switch (rule.waiting) {
    case 'scheduled':
      return nodes.filter((b) => b.state === CellState.Missing).map((b) => b.node);
    case 'updated':
      return nodes.filter((b) => b.state === CellState.Missing || old.has(b.node)).map((b) => b.node);
    default:
      return nodes.map((b) => b.node);
  }
}

/** One policy's verdict on one DaemonSet; `view` is the same DaemonSet's rollout status view. */
export function policyVerdict(policy: Policy, ds: DaemonSet, view: RolloutStatusView): PolicyVerdict {
  const rule = policy === 'kubectl' ? kubectlRule(view) : policy === 'helm' ? helmRule(ds) : policy === 'kstatus' ? kstatusRule(ds) : argocdRule(ds);
  return { policy, verdict: rule.verdict, done: rule.done, failed: rule.failed ?? false, message: rule.message.trimEnd(), blocking: blockingFor(view, rule) };
}
