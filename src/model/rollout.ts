// Rollout logic for DaemonSets, pure: kubectl's rollout status algorithm (DaemonSetStatusViewer), the
// controller's maxUnavailable/maxSurge budget (util.UnavailableCount/SurgeCount), history rows, kubectl's
// undo target selection (DaemonSetRollbacker), and our pause/resume emulation.
// DaemonSets have no spec.paused; ds-inspect pauses by switching updateStrategy to OnDelete and keeps
// the previous strategy, exactly as it was, in an annotation (JSON), so resume can restore it.

import { controllerOf } from './pods.ts';
import { REVISION_HASH_LABEL, CHANGE_CAUSE_ANNOTATION, controlledRevisions, revisionHash, revisionTemplate, templatesEqual } from './revisions.ts';
import type { ControllerRevision, DaemonSet, DaemonSetUpdateStrategy, Pod } from './types.ts';

export const PAUSED_STRATEGY_ANNOTATION = 'ds-inspect.k8s.io/paused-update-strategy';

export type PauseState =
  /** Paused by ds-inspect: the annotation holds the saved strategy and the strategy is still OnDelete. */
  | { state: 'paused'; saved: DaemonSetUpdateStrategy }
  /** The annotation is there but the strategy was changed since (kubectl apply, Helm, Argo CD restored it). */
  | { state: 'reverted'; saved: DaemonSetUpdateStrategy; current: DaemonSetUpdateStrategy }
  | { state: 'unreadable' }
  | { state: 'none' };

function strategyOf(ds: DaemonSet): DaemonSetUpdateStrategy {
  return ds.spec.updateStrategy ?? { type: 'RollingUpdate' };
}

/** What `rollout pause` leaves: OnDelete and no RollingUpdate parameters. */
function isPauseStrategy(st: DaemonSetUpdateStrategy): boolean {
  return st.type === 'OnDelete' && (st.rollingUpdate === undefined || st.rollingUpdate === null);
}

/**
 * Paused only when the annotation is present AND the strategy is still the one pause wrote: GitOps tools
 * and `kubectl apply` restore spec.updateStrategy but keep annotations they do not manage.
 */
export function pauseState(ds: DaemonSet): PauseState {
  const raw = ds.metadata.annotations?.[PAUSED_STRATEGY_ANNOTATION];
  if (raw === undefined) return { state: 'none' };
  let saved: unknown;
  try {
    saved = JSON.parse(raw);
  } catch {
    return { state: 'unreadable' };
  }
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return { state: 'unreadable' };
  const current = strategyOf(ds);
  return isPauseStrategy(current) ? { state: 'paused', saved } : { state: 'reverted', saved, current };
}

/** kubectl-style one-line rendering of a strategy: `RollingUpdate maxUnavailable=1 maxSurge=0`. */
export function strategyText(st: DaemonSetUpdateStrategy): string {
  const ru = st.rollingUpdate;
  const params = ru ? [ru.maxUnavailable !== undefined ? `maxUnavailable=${ru.maxUnavailable}` : '', ru.maxSurge !== undefined ? `maxSurge=${ru.maxSurge}` : ''].filter(Boolean) : [];
  return [st.type ?? 'RollingUpdate', ...params].join(' ');
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
  changeCause: string | undefined;
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
 * One row per ControllerRevision the DaemonSet controls (the controller's rule, controlledRevisions, used
 * by every history and undo path), ordered by revision, with how many of ITS pods (controlled by this
 * DaemonSet's UID, in its namespace: two DaemonSets with one template share a hash) carry that
 * revision's hash, and on which nodes. `currentName` marks the revision matching the template.
 */
export function historyRows(ds: DaemonSet, revisions: readonly ControllerRevision[], pods: readonly Pod[], currentName: string | undefined): HistoryRow[] {
  const ns = ds.metadata.namespace ?? 'default';
  const own = pods.filter((p) => (p.metadata.namespace ?? 'default') === ns && ds.metadata.uid !== undefined && controllerOf(p)?.uid === ds.metadata.uid);
  return controlledRevisions(ds, revisions).map((r) => {
    const hash = revisionHash(r);
    const withHash = own.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash);
    return {
      revision: r.revision,
      hash,
      name: r.metadata.name ?? '',
      current: r.metadata.name === currentName,
      changeCause: r.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION],
      images: templateImages(r),
      ...(r.metadata.creationTimestamp ? { createdAt: r.metadata.creationTimestamp } : {}),
      pods: withHash.length,
      nodes: withHash.map((p) => p.spec?.nodeName ?? '').filter(Boolean).sort(),
    };
  });
}

/** `rollout history -o json|yaml`: the machine document. */
export function historyDocument(ds: DaemonSet, rows: readonly HistoryRow[]): { kind: 'DaemonSetHistory'; namespace: string; name: string; revisions: unknown[] } {
  return {
    kind: 'DaemonSetHistory',
    namespace: ds.metadata.namespace ?? 'default',
    name: ds.metadata.name ?? '',
    revisions: rows.map((r) => ({ revision: r.revision, hash: r.hash, current: r.current, changeCause: r.changeCause ?? null, images: r.images, pods: r.pods, nodes: r.nodes, name: r.name, createdAt: r.createdAt ?? null })),
  };
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
  | { action: 'patch'; patch: unknown; note?: string }
  | { action: 'noop'; message: string }
  | { action: 'refuse'; message: string };

function pausePatch(ds: DaemonSet, strategy: DaemonSetUpdateStrategy): unknown {
  return {
    metadata: { resourceVersion: ds.metadata.resourceVersion, annotations: { [PAUSED_STRATEGY_ANNOTATION]: JSON.stringify(strategy) } },
    // rollingUpdate: null removes the RollingUpdate parameters, which OnDelete must not carry.
    spec: { updateStrategy: { type: 'OnDelete', rollingUpdate: null } },
  };
}

/** The command that puts a strategy back by hand, for when the annotation is lost. */
export function restoreCommand(ds: DaemonSet, strategy: DaemonSetUpdateStrategy): string {
  return `kubectl ds-inspect rollout resume ${ds.metadata.name ?? ''} -n ${ds.metadata.namespace ?? 'default'} --strategy='${JSON.stringify(strategy)}'`;
}

/**
 * Pause: switch to OnDelete and save the current strategy exactly. The patch is a JSON merge patch whose
 * metadata.resourceVersion makes the API server refuse it (409) if the object changed meanwhile. A pause
 * that was reverted (strategy restored by a GitOps tool) is paused again, saving the restored strategy.
 */
export function pauseDecision(ds: DaemonSet): PauseDecision {
  const p = pauseState(ds);
  if (p.state === 'paused') return { action: 'noop', message: 'already paused' };
  if (p.state === 'unreadable') return { action: 'refuse', message: `has an unreadable ${PAUSED_STRATEGY_ANNOTATION} annotation; fix or remove it by hand` };
  const strategy = strategyOf(ds);
  if (p.state === 'reverted') {
    return { action: 'patch', patch: pausePatch(ds, strategy), note: `the earlier pause was reverted (updateStrategy is ${strategyText(strategy)} again, probably by kubectl apply or a GitOps tool); paused again` };
  }
  if ((strategy.type ?? 'RollingUpdate') === 'OnDelete') {
    return { action: 'refuse', message: 'uses updateStrategy OnDelete by its own choice; there is no rollout to pause' };
  }
  return { action: 'patch', patch: pausePatch(ds, strategy) };
}

function restorePatch(ds: DaemonSet, strategy: DaemonSetUpdateStrategy, dropAnnotation: boolean): unknown {
  return {
    metadata: { resourceVersion: ds.metadata.resourceVersion, ...(dropAnnotation ? { annotations: { [PAUSED_STRATEGY_ANNOTATION]: null } } : {}) },
    spec: { updateStrategy: { ...strategy, ...(strategy.rollingUpdate ? {} : { rollingUpdate: null }) } },
  };
}

/**
 * Resume: restore the saved strategy exactly and drop the annotation, only from the state pause wrote.
 * A strategy changed while paused is not overwritten unless `force`; `strategy` (from --strategy)
 * restores by hand when the annotation was lost.
 */
export function resumeDecision(ds: DaemonSet, opts: { force?: boolean; strategy?: DaemonSetUpdateStrategy } = {}): PauseDecision {
  const p = pauseState(ds);
  if (opts.strategy) {
    if (p.state === 'paused' && !opts.force) {
      return { action: 'refuse', message: `is paused with a saved strategy (${strategyText(p.saved)}); resume without --strategy restores it, or add --force to write ${strategyText(opts.strategy)} instead` };
    }
    return { action: 'patch', patch: restorePatch(ds, opts.strategy, p.state !== 'none') };
  }
  switch (p.state) {
    case 'unreadable':
      return { action: 'refuse', message: `has an unreadable ${PAUSED_STRATEGY_ANNOTATION} annotation; fix or remove it by hand, or give the strategy with --strategy` };
    case 'none': {
      const st = strategyOf(ds);
      if ((st.type ?? 'RollingUpdate') === 'OnDelete') {
        return { action: 'refuse', message: `uses OnDelete and holds no saved strategy (not paused by ds-inspect, or its ${PAUSED_STRATEGY_ANNOTATION} annotation was removed); restore one by hand with --strategy='{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}'` };
      }
      return { action: 'noop', message: 'not paused' };
    }
    case 'reverted':
      if (!opts.force) {
        return { action: 'refuse', message: `was changed while paused: updateStrategy is now ${strategyText(p.current)}, the strategy saved by pause is ${strategyText(p.saved)}; resume --force writes the saved one, or remove the ${PAUSED_STRATEGY_ANNOTATION} annotation to keep the current one` };
      }
      return { action: 'patch', patch: restorePatch(ds, p.saved, true) };
    case 'paused':
      return { action: 'patch', patch: restorePatch(ds, p.saved, true) };
  }
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Field managers of GitOps and package tools, as they appear in managedFields. */
const MANAGERS: [RegExp, string][] = [
  [/^argocd/, 'Argo CD'],
  [/^(kustomize-controller|helm-controller)$/, 'Flux'],
  [/^helm$/, 'Helm'],
];

/**
 * Who else manages this DaemonSet: a pause, undo or restart here will be reverted or fought over.
 * `verb` is the user's command, for the message.
 */
export function managerWarnings(ds: DaemonSet, verb: string): string[] {
  const a = ds.metadata.annotations ?? {};
  const l = ds.metadata.labels ?? {};
  const managers = new Set((ds.metadata.managedFields ?? []).map((m) => m.manager ?? ''));
  const has = (name: string): boolean => [...managers].some((m) => MANAGERS.some(([re, n]) => n === name && re.test(m)));
  const out: string[] = [];
  if (a[LAST_APPLIED] !== undefined) out.push(`it is managed with \`kubectl apply\` (last-applied-configuration annotation): the next apply of its manifest will undo this ${verb}`);
  if (a['argocd.argoproj.io/tracking-id'] !== undefined || l['argocd.argoproj.io/instance'] !== undefined || has('Argo CD')) {
    out.push(`it is managed by Argo CD: auto-sync will revert this ${verb} unless you change the source in Git`);
  }
  if (Object.keys(l).some((k) => k.startsWith('kustomize.toolkit.fluxcd.io/') || k.startsWith('helm.toolkit.fluxcd.io/')) || has('Flux')) {
    out.push(`it is managed by Flux: the next reconciliation will revert this ${verb} unless you change the source`);
  }
  if (l['app.kubernetes.io/managed-by'] === 'Helm' || a['meta.helm.sh/release-name'] !== undefined || has('Helm')) {
    out.push(`it is managed by Helm (release "${a['meta.helm.sh/release-name'] ?? 'unknown'}"): the next helm upgrade will revert this ${verb}`);
  }
  return out;
}

export type UndoDecision =
  | { action: 'refuse'; message: string }
  | { action: 'skip'; target: ControllerRevision; message: string }
  | { action: 'patch'; target: ControllerRevision; patch: unknown; nextRevision: number };

/**
 * kubectl's DaemonSetRollbacker over the revisions the DaemonSet controls: pick the target, skip when
 * the template already matches, else the revision's data (the template with "$patch": "replace") as a
 * strategic merge patch, with the resourceVersion as a precondition. The controller then renumbers the
 * restored revision as max + 1.
 */
export function undoDecision(ds: DaemonSet, revisions: readonly ControllerRevision[], toRevision: number): UndoDecision {
  const owned = controlledRevisions(ds, revisions);
  const target = undoTarget(owned, toRevision);
  if (typeof target === 'string') return { action: 'refuse', message: target };
  if (templatesEqual(revisionTemplate(target), ds.spec.template)) {
    return { action: 'skip', target, message: `skipped rollback (current template already matches revision ${target.revision})` };
  }
  const data = (target.data ?? {}) as Record<string, unknown>;
  return { action: 'patch', target, patch: { ...data, metadata: { resourceVersion: ds.metadata.resourceVersion } }, nextRevision: owned.reduce((m, r) => Math.max(m, r.revision), -Infinity) + 1 };
}

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** As kubectl: a restartedAt annotation on the pod template makes a new revision and rolls the pods. */
export function restartPatch(nowMs: number): unknown {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: new Date(nowMs).toISOString().replace(/\.\d+Z$/, 'Z') } } } } };
}
