// Rollout helpers shared by coverage and the rollout commands.
// DaemonSets have no spec.paused; ds-inspect pauses by switching updateStrategy to OnDelete and keeps
// the previous strategy, exactly as it was, in this annotation (JSON), so resume can restore it.

import type { DaemonSet, DaemonSetUpdateStrategy } from './types.ts';

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
