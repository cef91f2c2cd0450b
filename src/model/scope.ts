// Which DaemonSets and nodes a command looks at: -n/-A, names, -l, --nodes. Pure: it narrows a
// ClusterState and reports unknown names with close matches.

import { didYouMean, UsageError } from '../errors.ts';
import { parseSelector, requirementMatches, type Requirement } from './labels.ts';
import type { ClusterState, DaemonSet, Node } from './types.ts';

export interface Scope {
  /** undefined means every namespace (-A). */
  namespace: string | undefined;
  /** DaemonSet names given as arguments (already stripped of `daemonset/`). */
  names: string[];
  daemonSetSelector: Requirement[];
  nodeSelector: Requirement[];
  nodesFiltered: boolean;
}

const DS_PREFIXES = ['daemonset/', 'daemonsets/', 'ds/', 'daemonset.apps/', 'daemonsets.apps/'];

/** Accept `NAME`, `daemonset/NAME`, `ds/NAME`, `daemonsets.apps/NAME` as kubectl does. */
export function parseDaemonSetArg(arg: string): string {
  const lower = arg.toLowerCase();
  for (const p of DS_PREFIXES) if (lower.startsWith(p)) return arg.slice(p.length);
  if (arg.includes('/')) {
    throw new UsageError(`"${arg}" is not a DaemonSet reference: use NAME or daemonset/NAME (and -n NAMESPACE)`);
  }
  if (arg === '') throw new UsageError('empty DaemonSet name');
  return arg;
}

export function parseSelectorFlag(flag: string, value: string | undefined): Requirement[] {
  if (value === undefined || value === '') return [];
  const r = parseSelector(value);
  if (typeof r === 'string') throw new UsageError(`${flag}: ${r}`);
  return r;
}

export function buildScope(opts: {
  namespace: string | undefined;
  allNamespaces: boolean;
  names: readonly string[];
  selector?: string | undefined;
  nodes?: string | undefined;
}): Scope {
  if (opts.allNamespaces && opts.namespace !== undefined) {
    // kubectl lets -A win over -n; say so instead of silently ignoring one.
    throw new UsageError('--namespace and --all-namespaces cannot be used together');
  }
  const nodeSelector = parseSelectorFlag('--nodes', opts.nodes);
  return {
    namespace: opts.allNamespaces ? undefined : opts.namespace,
    names: opts.names.map(parseDaemonSetArg),
    daemonSetSelector: parseSelectorFlag('--selector', opts.selector),
    nodeSelector,
    nodesFiltered: nodeSelector.length > 0,
  };
}

function nsOf(ds: DaemonSet): string {
  return ds.metadata.namespace ?? 'default';
}

/** DaemonSets in scope; a named DaemonSet that does not exist is a UsageError with suggestions. */
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
        throw new UsageError(`daemonset "${name}" not found ${where}${hint}`);
      }
      for (const h of hits) if (!chosen.includes(h)) chosen.push(h);
    }
  }
  if (scope.daemonSetSelector.length > 0) {
    chosen = chosen.filter((d) => scope.daemonSetSelector.every((r) => requirementMatches(r, d.metadata.labels)));
  }
  return chosen;
}

export function selectNodes(all: readonly Node[], scope: Scope): Node[] {
  if (scope.nodeSelector.length === 0) return [...all];
  return all.filter((n) => scope.nodeSelector.every((r) => requirementMatches(r, n.metadata.labels)));
}

export function findNode(all: readonly Node[], name: string): Node {
  const node = all.find((n) => n.metadata.name === name);
  if (!node) {
    throw new UsageError(`node "${name}" not found${didYouMean(name, all.map((n) => n.metadata.name ?? ''))}`);
  }
  return node;
}

/** Narrow a full ClusterState to the scope (used for snapshots, which hold everything). */
export function applyScope(state: ClusterState, scope: Scope): ClusterState {
  return { ...state, daemonSets: selectDaemonSets(state.daemonSets, scope), nodes: selectNodes(state.nodes, scope) };
}
