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
 * Which nodes a not-done verdict blames: `none` (the controller has not observed the spec, the object is
 * being deleted, a condition decided: no node is to blame), `updated` (only nodes without a pod of the
 * current revision: Helm when its readiness budget is met), `all` (every node whose pod is not Ready and
 * current: the rule wants every counter at desired in the end).
 */
type Blame = 'none' | 'updated' | 'all';

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
  blame?: Blame;
}

interface Counters {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberReady: number;
  observedGeneration: number;
}

const counters = (ds: DaemonSet): Counters => {
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
  // kubectl's messages say what it waits on (kubectl polymorphichelpers/rollout_status.go DaemonSetStatusViewer).
  const blame: Blame = view.message.startsWith('Waiting for daemon set spec update') ? 'none' : 'all';
  return { verdict: view.done ? 'done' : 'in progress', done: view.done, message: view.message, blame };
}

/** Helm 3 (and Helm 4 --wait=legacy): helm/helm pkg/kube/ready.go, ReadyChecker.daemonSetReady. */
function helmRule(ds: DaemonSet): Rule {
  const s = counters(ds);
  // ready.go: `ds.Status.ObservedGeneration != ds.Generation` → not ready (not `<`: any mismatch).
  if (s.observedGeneration !== (ds.metadata.generation ?? 0)) {
    return { verdict: 'not ready', done: false, message: `observedGeneration ${s.observedGeneration} does not match generation ${ds.metadata.generation ?? 0}`, blame: 'none' };
  }
  // ready.go: "If the update strategy is not a rolling update, there will be nothing to wait for".
  if (strategyType(ds) !== 'RollingUpdate') return { verdict: 'ready', done: true, message: `updateStrategy ${strategyType(ds)}: nothing to wait for` };
  // ready.go: maxUnavailable scaled against desired, percentages rounded UP; an invalid value means
  // maxUnavailable = desired. Helm reads the object from the API server, which defaults an absent
  // rollingUpdate.maxUnavailable to 1 (apps/v1 SetDefaults_DaemonSet), so an absent one is 1 here.
  const raw = ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  const scaled = scaledValue(raw, s.desiredNumberScheduled, true);
  const maxUnavailable = typeof scaled === 'number' ? scaled : s.desiredNumberScheduled;
  const expectedReady = s.desiredNumberScheduled - maxUnavailable;
  // ready.go: NumberReady (not numberAvailable: minReadySeconds is not waited for) >= desired - maxUnavailable.
  const readyEnough = s.numberReady >= expectedReady;
  const budget = `${s.numberReady} pods ready, needs ${Math.max(0, expectedReady)} (${s.desiredNumberScheduled} desired - maxUnavailable ${maxUnavailable})`;
  // ready.go: UpdatedNumberScheduled != DesiredNumberScheduled → not ready, checked before readiness.
  // Only the nodes without a current pod hold it up, unless readiness would fail next.
  if (s.updatedNumberScheduled !== s.desiredNumberScheduled) {
    return { verdict: 'not ready', done: false, message: `${s.updatedNumberScheduled} of ${s.desiredNumberScheduled} pods updated`, blame: readyEnough ? 'updated' : 'all' };
  }
  if (!readyEnough) return { verdict: 'not ready', done: false, message: budget, blame: 'all' };
  return { verdict: 'ready', done: true, message: budget };
}

/**
 * kstatus: kubernetes-sigs/cli-utils pkg/kstatus/status (status.go Compute: generic.go
 * checkGenericProperties first, then core.go daemonsetConditions). Used by Flux health checks, Pulumi and
 * Helm 4's default --wait. There is no OnDelete branch: under OnDelete updatedNumberScheduled stays below
 * desired until someone deletes every old pod, so such a DaemonSet stays InProgress (fluxcd/flux2#2078).
 */
function kstatusRule(ds: DaemonSet): Rule {
  const inProgress = (message: string, blame: Blame): Rule => ({ verdict: 'InProgress', done: false, message, blame });
  // generic.go: a deletionTimestamp → Terminating.
  if (ds.metadata.deletionTimestamp) return { verdict: 'Terminating', done: false, message: 'Resource scheduled for deletion', blame: 'none' };
  const generation = ds.metadata.generation;
  const observed = ds.status?.observedGeneration;
  // generic.go checkGeneration: only when both are set, and any mismatch (not only `<`).
  if (generation !== undefined && observed !== undefined && observed !== generation) {
    return inProgress(`DaemonSet generation is ${generation}, but latest observed generation is ${observed}`, 'none');
  }
  // generic.go: a Reconciling=True condition → InProgress; Stalled=True → Failed (terminal for Helm 4's waiter, statuswait.go).
  for (const c of ds.status?.conditions ?? []) {
    if (c.type === 'Reconciling' && c.status === 'True') return inProgress(c.message ?? '', 'none');
    if (c.type === 'Stalled' && c.status === 'True') return { verdict: 'Failed', done: false, failed: true, message: c.message ?? '', blame: 'none' };
  }
  // core.go checkGenerationSet: for a DaemonSet both fields must be present.
  if (generation === undefined) return inProgress('DaemonSet metadata.generation not found', 'none');
  if (observed === undefined) return inProgress('DaemonSet status.observedGeneration not found', 'none');
  // core.go daemonsetConditions: desired (absent → -1) against each counter (absent → 0), in this order.
  const desired = ds.status?.desiredNumberScheduled;
  if (desired === undefined) return inProgress('Missing .status.desiredNumberScheduled', 'none');
  const s = counters(ds);
  if (desired > s.currentNumberScheduled) return inProgress(`Current: ${s.currentNumberScheduled}/${desired}`, 'all');
  if (desired > s.updatedNumberScheduled) return inProgress(`Updated: ${s.updatedNumberScheduled}/${desired}`, 'all');
  if (desired > s.numberAvailable) return inProgress(`Available: ${s.numberAvailable}/${desired}`, 'all');
  if (desired > s.numberReady) return inProgress(`Ready: ${s.numberReady}/${desired}`, 'all');
  return { verdict: 'Current', done: true, message: `All replicas scheduled as expected. Replicas: ${desired}` };
}

/** Argo CD: argoproj/gitops-engine pkg/health/health_daemonset.go getAppsv1DaemonSetHealth (and health.go for deletion). */
function argocdRule(ds: DaemonSet): Rule {
  const s = counters(ds);
  const progressing = (message: string, blame: Blame): Rule => ({ verdict: 'Progressing', done: false, message, blame });
  // health.go GetResourceHealth: a deletionTimestamp → Progressing "Pending deletion" (unless the object
  // carries Argo CD's hook finalizer, which ds-inspect does not read; a DaemonSet is rarely a hook).
  if (ds.metadata.deletionTimestamp) return progressing('Pending deletion', 'none');
  // health_daemonset.go: Generation > ObservedGeneration (only `>`, as kubectl) → Progressing.
  if ((ds.metadata.generation ?? 0) > s.observedGeneration) return progressing('Waiting for rollout to finish: observed daemon set generation less than desired generation', 'none');
  // health_daemonset.go: OnDelete → Healthy, whatever the counters say (gitops-engine#137).
  if (strategyType(ds) === 'OnDelete') {
    return { verdict: 'Healthy', done: true, message: `daemon set ${s.updatedNumberScheduled} out of ${s.desiredNumberScheduled} new pods have been updated` };
  }
  if (s.updatedNumberScheduled < s.desiredNumberScheduled) {
    return progressing(`Waiting for daemon set "${ds.metadata.name ?? ''}" rollout to finish: ${s.updatedNumberScheduled} out of ${s.desiredNumberScheduled} new pods have been updated...`, 'all');
  }
  if (s.numberAvailable < s.desiredNumberScheduled) {
    return progressing(`Waiting for daemon set "${ds.metadata.name ?? ''}" rollout to finish: ${s.numberAvailable} of ${s.desiredNumberScheduled} updated pods are available...`, 'all');
  }
  return { verdict: 'Healthy', done: true, message: '' };
}

/**
 * The nodes to blame, from the view's blocking nodes. Misscheduled pods never count: no tool's rule reads
 * numberMisscheduled, and the controller counts them in none of the other counters.
 */
function blockingFor(view: RolloutStatusView, rule: Rule): string[] {
  if (rule.done || rule.blame === undefined || rule.blame === 'none') return [];
  const nodes = view.blocking.filter((b) => b.state !== CellState.Misscheduled);
  if (rule.blame === 'all') return nodes.map((b) => b.node);
  const old = new Set(view.oldRevisionNodes);
  return nodes.filter((b) => b.state === CellState.Missing || old.has(b.node)).map((b) => b.node);
}

/** One policy's verdict on one DaemonSet; `view` is the same DaemonSet's rollout status view. */
export function policyVerdict(policy: Policy, ds: DaemonSet, view: RolloutStatusView): PolicyVerdict {
  const rule = policy === 'kubectl' ? kubectlRule(view) : policy === 'helm' ? helmRule(ds) : policy === 'kstatus' ? kstatusRule(ds) : argocdRule(ds);
  return { policy, verdict: rule.verdict, done: rule.done, failed: rule.failed ?? false, message: rule.message.trimEnd(), blocking: blockingFor(view, rule) };
}
