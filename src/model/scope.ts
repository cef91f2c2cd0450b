// Which DaemonSets and nodes a command looks at: -n/-A, names, -l, --nodes. Pure: it narrows a
// ClusterState and reports unknown names with close matches (InputError, exit 2 at the top).

import { didYouMean } from '../util/suggest.ts';
import { InputError } from './inputError.ts';
import { requirementMatches, type Requirement } from './labels.ts';
import type { ClusterState, DaemonSet, Node } from './types.ts';

export interface Scope {
  /** undefined means every namespace (-A, or a snapshot read without -n). */
  namespace: string | undefined;
  /** DaemonSet names given as arguments (already stripped of `daemonset/`). */
  names: string[];
  daemonSetSelector: Requirement[];
  nodeSelector: Requirement[];
  nodesFiltered: boolean;
}

function nsOf(o: { metadata: { namespace?: string | undefined } }): string {
  return o.metadata.namespace ?? 'default';
}

/** DaemonSets in scope; a named DaemonSet that does not exist is an InputError with suggestions. */
export function selectDaemonSets(all: readonly DaemonSet[], scope: Scope): DaemonSet[] {
  const inNs = all.filter((d) => scope.namespace === undefined || nsOf(d) === scope.namespace);
  let chosen = inNs;
  if (scope.names.length > 0) {
    chosen = [];
    for (const name of scope.names) {
      const hits = inNs.filter((d) => d.metadata.name === name);
      if (hits.length === 0) {
        const where = scope.namespace === undefined ? 'in any namespace' : `in namespace "${scope.namespace}"`;
        const elsewhere = all.filter((d) => d.metadata.name === name).map(nsOf);
        const hint =
          elsewhere.length > 0
            ? `; it exists in namespace ${elsewhere.map((n) => `"${n}"`).join(', ')} (use -n or -A)`
            : didYouMean(name, inNs.map((d) => d.metadata.name ?? ''));
        throw new InputError(`daemonset "${name}" not found ${where}${hint}`);
      }
      for (const h of hits) if (!chosen.includes(h)) chosen.push(h);
    }
  }
  if (scope.daemonSetSelector.length > 0) {
    chosen = chosen.filter((d) => scope.daemonSetSelector.every((r) => requirementMatches(r, d.metadata.labels)));
  }
  return chosen;
}

/**
 * The one DaemonSet a single-object command (rollout history, undo) names. Across namespaces (a snapshot
 * read without -n) a name held by several namespaces is ambiguous: say which, never pick one silently.
 */
export function selectOneDaemonSet(all: readonly DaemonSet[], scope: Scope, name: string): DaemonSet {
  const hits = selectDaemonSets(all, { ...scope, names: [name], daemonSetSelector: [] });
  if (hits.length > 1) {
    throw new InputError(`daemonset "${name}" exists in namespaces ${hits.map((d) => `"${nsOf(d)}"`).join(', ')}: choose one with -n`);
  }
  return hits[0]!;
}

export function selectNodes(all: readonly Node[], scope: Scope): Node[] {
  if (scope.nodeSelector.length === 0) return [...all];
  return all.filter((n) => scope.nodeSelector.every((r) => requirementMatches(r, n.metadata.labels)));
}

export function findNode(all: readonly Node[], name: string): Node {
  const node = all.find((n) => n.metadata.name === name);
  if (!node) {
    throw new InputError(`node "${name}" not found${didYouMean(name, all.map((n) => n.metadata.name ?? ''))}`);
  }
  return node;
}

/** Narrow a full ClusterState to the scope (used for snapshots, which hold everything). */
export function applyScope(state: ClusterState, scope: Scope): ClusterState {
  return { ...state, daemonSets: selectDaemonSets(state.daemonSets, scope), nodes: selectNodes(state.nodes, scope) };
}
