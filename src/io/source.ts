// Where cluster state comes from: snapshot files or the live API. Both produce the same ClusterState,
// already narrowed to the command's scope.

import { applyScope, type Scope } from '../model/scope.ts';
import type { ClusterState } from '../model/types.ts';
import type { CliIO, CommonFlags } from '../commands/context.ts';
import { loadSnapshot } from './snapshot.ts';

export interface LoadRequest {
  scope: Scope;
  /** why-not: the node whose pods and events are needed. */
  node?: string;
  /** Events about pending pods and the DaemonSets (FailedScheduling, FailedCreate). */
  wantEvents: boolean;
  /** false when the command needs no nodes (rollout history): the live path skips listing them. */
  wantNodes?: boolean;
}

export interface LoadedState {
  state: ClusterState;
  /** Every node of the cluster, before --nodes filtering (for name suggestions). */
  allNodeNames: string[];
  source: 'snapshot' | 'live';
}

export type LiveLoader = (flags: CommonFlags, req: LoadRequest, io: CliIO) => Promise<LoadedState>;

let liveLoader: LiveLoader | undefined;

/** The live path registers itself here; keeping it out of the import graph keeps snapshot runs fast. */
export function registerLiveLoader(loader: LiveLoader): void {
  liveLoader = loader;
}

export async function loadState(flags: CommonFlags, req: LoadRequest, io: CliIO): Promise<LoadedState> {
  if (flags.snapshot.length > 0) {
    const full = await loadSnapshot(flags.snapshot, io.readStdin);
    return { state: applyScope(full, req.scope), allNodeNames: full.nodes.map((n) => n.metadata.name ?? ''), source: 'snapshot' };
  }
  if (!liveLoader) {
    const mod = (await import('./live.ts')) as { liveLoad: LiveLoader };
    liveLoader = mod.liveLoad;
  }
  return liveLoader(flags, req, io);
}
