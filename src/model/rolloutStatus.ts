// What `rollout status` reports for one DaemonSet, pure: kubectl's verdict and message, plus what
// kubectl cannot say: the budget in effect, which nodes hold the rollout up and why, and, for OnDelete
// or paused DaemonSets (where kubectl errors out), which nodes still run an older revision.

import { CellState, type CoverageCell, type DaemonSetSummary } from './coverage.ts';
import { ReasonCode, type Reason } from './reasons.ts';
import { kubectlRolloutStatus, pauseState, rollingBudget, strategyText, type RollingBudget } from './rollout.ts';
import type { DaemonSet } from './types.ts';

interface BlockingNode {
  node: string;
  state: CellState;
  /** Why this node holds the rollout up, most telling reason first. */
  reasons: Reason[];
}

export interface RolloutStatusView {
  namespace: string;
  name: string;
  /** RollingUpdate, OnDelete, or Paused (ds-inspect's pause). */
  mode: 'RollingUpdate' | 'OnDelete' | 'Paused';
  done: boolean;
  /** kubectl's own line for RollingUpdate; ours for OnDelete and Paused. */
  message: string;
  desired: number;
  updated: number;
  available: number;
  budget?: RollingBudget;
  /** Nodes whose cell is not Ready-and-updated while the node should run the pod, plus misscheduled pods. */
  blocking: BlockingNode[];
  /** Nodes that still run a pod of an older revision. */
  oldRevisionNodes: string[];
  currentRevision?: number;
}

const ORDER: Record<string, number> = {
  [ReasonCode.FailedScheduling]: 0,
  [ReasonCode.HostPortConflict]: 1,
  [ReasonCode.InsufficientResource]: 2,
  [ReasonCode.NodeNotReady]: 3,
  [ReasonCode.ContainerWaiting]: 4,
  [ReasonCode.OutdatedRevision]: 5,
};

function rank(r: Reason): number {
  return ORDER[r.code] ?? 10;
}

/** One DaemonSet's rollout, from its coverage cells (same nodes and pods the controller sees). */
export function rolloutStatusView(ds: DaemonSet, summary: DaemonSetSummary, cells: readonly CoverageCell[]): RolloutStatusView {
  const name = ds.metadata.name ?? '';
  const pause = pauseState(ds);
  const paused = pause.state === 'paused';
  const type = ds.spec.updateStrategy?.type ?? 'RollingUpdate';
  const mode: RolloutStatusView['mode'] = paused ? 'Paused' : type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate';
  const mine = cells.filter((c) => c.daemonSet === name && c.namespace === (ds.metadata.namespace ?? 'default'));
  const blocking: BlockingNode[] = mine
    .filter((c) => (c.shouldRun && c.state !== CellState.Ready) || c.state === CellState.Misscheduled)
    .map((c) => ({ node: c.node, state: c.state, reasons: [...c.reasons].sort((a, b) => rank(a) - rank(b)) }));
  const oldRevisionNodes = mine.filter((c) => c.pods.some((p) => !p.updated && !p.terminating)).map((c) => c.node);
  const base = {
    namespace: ds.metadata.namespace ?? 'default',
    name,
    mode,
    // The counters kubectl's message is computed from: the status the controller wrote.
    desired: ds.status?.desiredNumberScheduled ?? summary.desired,
    updated: ds.status?.updatedNumberScheduled ?? summary.updated,
    available: ds.status?.numberAvailable ?? summary.available,
    blocking,
    oldRevisionNodes,
    ...(summary.currentRevision !== undefined ? { currentRevision: summary.currentRevision } : {}),
  };
  if (mode === 'RollingUpdate') {
    const k = kubectlRolloutStatus(ds);
    // A reverted pause is not a pause: the controller is replacing pods; say so beside kubectl's line.
    const reverted = pause.state === 'reverted' ? `; note: the pause was reverted (updateStrategy is ${strategyText(pause.current)} again): the controller replaces pods again` : '';
    return { ...base, done: k.done, message: `${k.message.trimEnd()}${reverted}`, budget: rollingBudget(ds, base.desired) };
  }
  const n = oldRevisionNodes.length;
  const which = n === 0 ? '' : `: ${oldRevisionNodes.join(', ')}`;
  const how =
    mode === 'Paused'
      ? `daemon set "${name}" is paused (kubectl ds-inspect rollout resume ${name} continues it)`
      : `daemon set "${name}" uses updateStrategy OnDelete: pods are replaced only when deleted`;
  const count = n === 0 ? 'every node runs the current revision' : `${n} of ${base.desired} node${base.desired === 1 ? '' : 's'} still run${n === 1 ? 's' : ''} an older revision${which}`;
  return { ...base, done: true, message: `${how}; ${count}` };
}
