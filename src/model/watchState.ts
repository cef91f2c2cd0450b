// `coverage --watch`, the pure part: one store of the cluster objects the matrix reads, kept by uid and
// changed by watch events (ADDED, MODIFIED, DELETED, BOOKMARK) or replaced wholesale by a relist (after
// 410 Gone); the ClusterState the model reads, made from it; and the cell-by-cell difference between two
// coverage reports as transitions. No I/O, no clock: the shell feeds events in and prints transitions.

import type { CellState, CoverageCell, CoverageReport } from './coverage.ts';
import { requirementMatches } from './labels.ts';
import { selectDaemonSets, selectNodes, type Scope } from './scope.ts';
import type { ClusterState, ControllerRevision, DaemonSet, Event, Gap, Node, Pod } from './types.ts';

export const WATCHED = ['nodes', 'daemonsets', 'pods', 'controllerrevisions', 'events'] as const;
export type WatchedResource = (typeof WATCHED)[number];

interface Meta {
  metadata: { uid?: string; name?: string; namespace?: string; resourceVersion?: string };
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: Meta;
}

/** The objects seen so far, per resource, keyed by uid; gaps per resource (a 403 on its list). */
export interface WatchStore {
  objects: Record<WatchedResource, Map<string, Meta>>;
  gaps: Map<WatchedResource, Gap>;
}

export function emptyStore(): WatchStore {
  return {
    objects: { nodes: new Map(), daemonsets: new Map(), pods: new Map(), controllerrevisions: new Map(), events: new Map() },
    gaps: new Map(),
  };
}

// The uid identifies an object across renames-by-recreation (a pod deleted and recreated under the same
// name is a new object); the name is the fallback for objects without one (hand-written test events).
function keyOf(o: Meta): string {
  return o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/**
 * One watch event applied to the store. Returns whether the store changed: a BOOKMARK only moves the
 * resourceVersion (the caller keeps it), so it changes nothing the matrix reads.
 */
export function applyWatchEvent(store: WatchStore, resource: WatchedResource, ev: WatchEvent): boolean {
  const m = store.objects[resource];
  switch (ev.type) {
    case 'BOOKMARK':
      return false;
    case 'DELETED':
      return m.delete(keyOf(ev.object));
    case 'ADDED':
    case 'MODIFIED':
      m.set(keyOf(ev.object), ev.object);
      return true;
  }
}

/** A (re)list: the resource's objects are exactly these now, as after 410 Gone, where events were missed. */
export function replaceResource(store: WatchStore, resource: WatchedResource, items: readonly Meta[]): void {
  const m = store.objects[resource];
  m.clear();
  for (const it of items) m.set(keyOf(it), it);
}

function values<T>(store: WatchStore, resource: WatchedResource): T[] {
  return [...store.objects[resource].values()] as unknown as T[];
}

/**
 * The state the model reads, narrowed to the scope. `strict` (the first look) reports a named DaemonSet
 * that does not exist, as the one-shot path does; later, a named DaemonSet that was deleted only leaves
 * the matrix (its cells go as DELETED transitions) instead of ending the watch.
 */
export function storeState(store: WatchStore, scope: Scope, strict: boolean): ClusterState {
  const all = values<DaemonSet>(store, 'daemonsets');
  const daemonSets = strict
    ? selectDaemonSets(all, scope)
    : all.filter(
        (d) =>
          (scope.namespace === undefined || (d.metadata.namespace ?? 'default') === scope.namespace) &&
          (scope.names.length === 0 || scope.names.includes(d.metadata.name ?? '')) &&
          scope.daemonSetSelector.every((r) => requirementMatches(r, d.metadata.labels)),
      );
  return {
    nodes: selectNodes(values<Node>(store, 'nodes'), scope),
    daemonSets,
    pods: values<Pod>(store, 'pods'),
    controllerRevisions: values<ControllerRevision>(store, 'controllerrevisions'),
    events: values<Event>(store, 'events'),
    allPodsOnNodesKnown: false,
    gaps: [...store.gaps.values()],
  };
}

export interface Transition {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The cell as it is now (for DELETED, as it was last). */
  cell: CoverageCell;
  /** The state before, for MODIFIED and DELETED. */
  previous?: CellState;
}

const cellKey = (c: CoverageCell): string => `${c.namespace}/${c.daemonSet}\u0000${c.node}`;

/**
 * The cells whose state changed from `before` to `after`, in the order of `after` (deleted cells last,
 * in the order of `before`). A change of reasons alone (a new event message) is not a transition: the
 * log is of states, as `kubectl get -w` prints a line per status change.
 */
/**
 * What of a cell a person (or a script) watches: its state and which pods it counts, on which revision.
 * A pod replaced within one debounced batch (kwok, a fast node) changes no state but is a change, as
 * `kubectl get -w` prints every modification.
 */
function cellFingerprint(c: CoverageCell): string {
  return `${c.state}|${c.pods.map((p) => `${p.name}:${p.updated ? 1 : 0}:${p.ready ? 1 : 0}`).join(',')}`;
}

export function diffCoverage(before: CoverageReport | undefined, after: CoverageReport): Transition[] {
  const prev = new Map((before?.cells ?? []).map((c) => [cellKey(c), c]));
  const out: Transition[] = [];
  const seen = new Set<string>();
  for (const c of after.cells) {
    const k = cellKey(c);
    seen.add(k);
    const p = prev.get(k);
    if (!p) out.push({ type: 'ADDED', cell: c });
    else if (cellFingerprint(p) !== cellFingerprint(c)) out.push({ type: 'MODIFIED', cell: c, previous: p.state });
  }
  for (const [k, p] of prev) if (!seen.has(k)) out.push({ type: 'DELETED', cell: p, previous: p.state });
  return out;
}
