// Rollout logic for DaemonSets, pure: kubectl's rollout status algorithm (DaemonSetStatusViewer), the
// controller's maxUnavailable/maxSurge budget (util.UnavailableCount/SurgeCount), history rows, kubectl's
// undo target selection (DaemonSetRollbacker), and our pause/resume emulation.
// DaemonSets have no spec.paused; ds-inspect pauses by switching updateStrategy to OnDelete and keeps
// the previous strategy, exactly as it was, in an annotation (JSON), so resume can restore it.

import { REVISION_HASH_LABEL, CHANGE_CAUSE_ANNOTATION, controlledRevisions, revisionHash, revisionTemplate } from './revisions.ts';
import type { ControllerRevision, DaemonSet, DaemonSetUpdateStrategy, Pod } from './types.ts';

export const PAUSED_STRATEGY_ANNOTATION = 'ds-inspect.k8s.io/paused-update-strategy';

/** The strategy saved by `rollout pause`, or undefined when the DaemonSet is not paused by us. */
export function pausedStrategy(ds: DaemonSet): DaemonSetUpdateStrategy | undefined {
  const raw = ds.metadata.annotations?.[PAUSED_STRATEGY_ANNOTATION];
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return v !== null && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is; "N%" of total, rounded up or down; any other
 * string is an error ("invalid value for IntOrString: invalid type: string is not a percentage").
 */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number | string {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (!m) return `invalid value "${v}": not an integer or a percentage`;
  const pct = Number(m[1]);
  const raw = (pct * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

export interface RollingBudget {
  maxUnavailable: number;
  maxSurge: number;
  /** Both resolved to 0 with desired > 0: the controller uses maxUnavailable = 1. */
  safetyNet: boolean;
  error?: string;
}

/** util.UnavailableCount / util.SurgeCount against desiredNumberScheduled, percentages rounded up. */
export function rollingBudget(ds: DaemonSet, desired: number): RollingBudget {
  const st = ds.spec.updateStrategy;
  if ((st?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { maxUnavailable: 0, maxSurge: 0, safetyNet: false };
  const ru = st?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge, desired, true);
  const unavailable = scaledValue(ru.maxUnavailable, desired, true);
  if (typeof surge === 'string' || typeof unavailable === 'string') {
    return { maxUnavailable: 0, maxSurge: 0, safetyNet: false, error: typeof surge === 'string' ? surge : (unavailable as string) };
  }
  if (desired > 0 && surge === 0 && unavailable === 0) return { maxUnavailable: 1, maxSurge: 0, safetyNet: true };
  return { maxUnavailable: unavailable, maxSurge: surge, safetyNet: false };
}

export interface KubectlStatus {
  message: string;
  done: boolean;
  /** kubectl errors out (exit 1) for non-RollingUpdate strategies. */
  error?: string;
}

/** kubectl's DaemonSetStatusViewer.Status, messages byte for byte. */
export function kubectlRolloutStatus(ds: DaemonSet): KubectlStatus {
  if ((ds.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') {
    return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const name = ds.metadata.name ?? '';
  const s = ds.status ?? {};
  const generation = ds.metadata.generation ?? 0;
  if (generation <= (s.observedGeneration ?? 0)) {
    const desired = s.desiredNumberScheduled ?? 0;
    const updated = s.updatedNumberScheduled ?? 0;
    const available = s.numberAvailable ?? 0;
    if (updated < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if (available < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n`, done: false };
    }
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
}

export interface HistoryRow {
  revision: number;
  hash: string;
  name: string;
  current: boolean;
  changeCause: string;
  images: string[];
  createdAt?: string;
  pods: number;
  nodes: string[];
}

function templateImages(rev: ControllerRevision): string[] {
  const spec = revisionTemplate(rev)?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image ?? '<none>');
}

/**
 * One row per ControllerRevision the DaemonSet controls, ordered by revision, with how many of its pods
 * (and on which nodes) carry that revision's hash. `currentName` marks the revision matching the template.
 */
export function historyRows(ds: DaemonSet, revisions: readonly ControllerRevision[], pods: readonly Pod[], currentName: string | undefined): HistoryRow[] {
  return controlledRevisions(ds, revisions).map((r) => {
    const hash = revisionHash(r);
    const mine = pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash);
    return {
      revision: r.revision,
      hash,
      name: r.metadata.name ?? '',
      current: r.metadata.name === currentName,
      changeCause: r.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '<none>',
      images: templateImages(r),
      ...(r.metadata.creationTimestamp ? { createdAt: r.metadata.creationTimestamp } : {}),
      pods: mine.length,
      nodes: mine.map((p) => p.spec?.nodeName ?? '').filter(Boolean).sort(),
    };
  });
}

/**
 * kubectl's undo target: --to-revision 0 takes the second-highest revision ("previous"); otherwise the
 * revision with exactly that number. Errors carry kubectl's messages.
 */
export function undoTarget(revisions: readonly ControllerRevision[], toRevision: number): ControllerRevision | string {
  if (toRevision < 0) return `unable to find specified revision ${toRevision} in history`;
  const sorted = [...revisions].sort((a, b) => a.revision - b.revision);
  if (toRevision === 0) {
    if (sorted.length <= 1) return 'no last revision to roll back to';
    return sorted[sorted.length - 2]!;
  }
  return sorted.find((r) => r.revision === toRevision) ?? `unable to find specified revision ${toRevision} in history`;
}

export type PauseDecision =
  | { action: 'patch'; patch: unknown }
  | { action: 'noop'; message: string }
  | { action: 'refuse'; message: string };

/**
 * Pause: switch to OnDelete and save the current strategy exactly. The patch is a JSON merge patch whose
 * metadata.resourceVersion makes the API server refuse it (409) if the object changed meanwhile.
 */
export function pauseDecision(ds: DaemonSet): PauseDecision {
  if (pausedStrategy(ds)) return { action: 'noop', message: 'already paused' };
  const strategy = ds.spec.updateStrategy ?? { type: 'RollingUpdate' };
  if ((strategy.type ?? 'RollingUpdate') === 'OnDelete') {
    return { action: 'refuse', message: 'uses updateStrategy OnDelete by its own choice; there is no rollout to pause' };
  }
  return {
    action: 'patch',
    patch: {
      metadata: { resourceVersion: ds.metadata.resourceVersion, annotations: { [PAUSED_STRATEGY_ANNOTATION]: JSON.stringify(strategy) } },
      // rollingUpdate: null removes the RollingUpdate parameters, which OnDelete must not carry.
      spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: null } },
    },
  };
}

/** Resume: restore the saved strategy exactly and drop the annotation, with the same precondition. */
export function resumeDecision(ds: DaemonSet): PauseDecision {
  const saved = pausedStrategy(ds);
  if (!saved) {
    if (ds.metadata.annotations?.[PAUSED_STRATEGY_ANNOTATION] !== undefined) {
      return { action: 'refuse', message: `has an unreadable ${PAUSED_STRATEGY_ANNOTATION} annotation; fix or remove it by hand` };
    }
    return { action: 'noop', message: 'not paused' };
  }
  return {
    action: 'patch',
    patch: {
      metadata: { resourceVersion: ds.metadata.resourceVersion, annotations: { [PAUSED_STRATEGY_ANNOTATION]: null } },
      spec: { updateStrategy: { ...saved, ...(saved.rollingUpdate ? {} : { rollingUpdate: null }) } },
    },
  };
}
