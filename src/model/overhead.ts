// The DaemonSet tax: per node (or per group of nodes sharing label values), what DaemonSet pods request
// (cpu, memory, pods, extended resources) and which host ports they hold, DaemonSet by DaemonSet, and what
// is left of allocatable for everything else. The model Karpenter (provisioner getDaemonSetPods) and
// cluster-autoscaler compute internally and do not show (kubernetes-sigs/karpenter#715, #1749):
//  - a node with a pod of the DaemonSet counts that pod (admission, e.g. LimitRange defaults, is then
//    already applied): every non-terminal pod targeting the node, bound or still Pending, so a surge pod
//    beside the old one counts too, as does a misscheduled pod (it still occupies the node);
//  - a node that should run the DaemonSet (NodeShouldRunDaemonPod) but has no pod yet counts the
//    template, with limits standing in for absent requests as the API server defaults them;
//  - requests are the scheduler's effective requests (resourcehelper.PodRequests, see resources.ts),
//    plus one "pods" per pod. Pure.

import { nodeShouldRunDaemonPod } from './eligibility.ts';
import { isEmptyLabelSelector } from './labels.ts';
import { daemonPods, nodesToDaemonPods } from './pods.ts';
import { hostPortsOf, parseQuantity, podRequests } from './resources.ts';
import type { ClusterState, DaemonSet, Gap, Labels, Node, Pod, PodSpec } from './types.ts';

/** Resource name → quantity as the API writes it ("250m", "128Mi", "1"). */
export type Quantities = Record<string, string>;

export interface OverheadEntry {
  namespace: string;
  daemonSet: string;
  /** "pod": read from the real pods on the node; "template": the node should run one and has none yet. */
  source: 'pod' | 'template';
  /** The pods counted (empty for "template"). */
  pods: string[];
  /** Every counted pod is bound to the node (false: one is still Pending in the scheduler). */
  bound: boolean;
  /** NodeShouldRunDaemonPod; false with pods means they are misscheduled but still occupy the node. */
  shouldRun: boolean;
  requests: Quantities;
  hostPorts: string[];
}

interface OverheadNode {
  name: string;
  allocatable: Quantities;
  daemonSets: OverheadEntry[];
  /** The sum of the entries' requests. */
  total: Quantities;
  /** allocatable − total, per resource of either; negative when the DaemonSets alone do not fit. */
  left: Quantities;
  hostPorts: string[];
}

interface OverheadDaemonSet {
  namespace: string;
  name: string;
  /** Nodes it is counted on, and how many of those from the template. */
  nodes: number;
  fromTemplate: number;
  /** The smallest and the largest per-node request (they differ when pods were admitted differently). */
  perNode: { min: Quantities; max: Quantities };
  total: Quantities;
  hostPorts: string[];
}

interface OverheadGroup {
  /** --group-by key → the nodes' value; null when they lack the label. */
  labels: Record<string, string | null>;
  nodes: string[];
  daemonSets: { namespace: string; name: string; nodes: number; total: Quantities }[];
  total: Quantities;
  allocatable: Quantities;
  left: Quantities;
  /** The largest per-node total of the group, resource by resource (for sizing a node of the pool). */
  maxPerNode: Quantities;
}

export interface OverheadReport {
  kind: 'DaemonSetOverhead';
  groupBy: string[];
  daemonSets: OverheadDaemonSet[];
  nodes: OverheadNode[];
  /** Present with --group-by. */
  groups?: OverheadGroup[];
  /** Every node in scope together. */
  total: Quantities;
  /** False with --nodes: the totals cover the selected nodes only. */
  allNodes: boolean;
  gaps: Gap[];
}

type Amounts = Map<string, number>;

function add(acc: Amounts, m: ReadonlyMap<string, number>): void {
  for (const [k, v] of m) acc.set(k, (acc.get(k) ?? 0) + v);
}

function parseList(list: Record<string, string | number> | undefined): Amounts {
  const m: Amounts = new Map();
  for (const [k, q] of Object.entries(list ?? {})) {
    const v = parseQuantity(q);
    if (v !== undefined) m.set(k, v);
  }
  return m;
}

function subtract(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): Amounts {
  const out: Amounts = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) - v);
  return out;
}

const BINARY: [string, number][] = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
const DECIMAL: [string, number][] = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];

/**
 * A lossless quantity string (the table rounds; scripts compare): cpu in whole cores or millicores (the
 * scheduler counts milliCPU), everything else as an integer with the largest suffix that divides it.
 */
function quantity(resource: string, v: number): string {
  if (resource === 'cpu') {
    const milli = Math.round(v * 1000);
    return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
  }
  if (!Number.isInteger(Math.round(v * 1e6) / 1e6)) return `${+v.toFixed(6)}`;
  const n = Math.round(v);
  // Binary first (what memory is usually written in), then decimal ("100M"), else plain.
  for (const [s, f] of [...BINARY, ...DECIMAL]) if (n !== 0 && n % f === 0) return `${n / f}${s}`;
  return `${n}`;
}

function quantities(m: ReadonlyMap<string, number>): Quantities {
  const out: Quantities = {};
  for (const k of [...m.keys()].sort()) out[k] = quantity(k, m.get(k)!);
  return out;
}

function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** cpu, memory and pods are always present (0 when nothing requests them), so scripts need no defaults. */
function zeros(): Amounts {
  return new Map([['cpu', 0], ['memory', 0], ['pods', 0]]);
}

function podAmounts(spec: PodSpec | undefined): Amounts {
  const m = zeros();
  add(m, podRequests(spec));
  // NodeResourcesFit counts each pod against allocatable "pods".
  m.set('pods', 1);
  return m;
}

function portText(spec: PodSpec | undefined): string[] {
  return hostPortsOf(spec).map((p) => `${p.hostIP === '0.0.0.0' ? '' : `${p.hostIP}:`}${p.port}/${p.protocol}`);
}

const unique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

interface Counted {
  entry: OverheadEntry;
  amounts: Amounts;
}

/** What one DaemonSet takes on one node, or undefined when it takes nothing there. */
function entryFor(ds: DaemonSet, node: Node, pods: readonly Pod[]): Counted | undefined {
  const el = nodeShouldRunDaemonPod(node, ds);
  const base = { namespace: ds.metadata.namespace ?? 'default', daemonSet: ds.metadata.name ?? '', shouldRun: el.shouldRun };
  const live = pods.filter((p) => !isTerminal(p));
  if (live.length > 0) {
    const amounts = zeros();
    for (const p of live) add(amounts, podAmounts(p.spec));
    const entry: OverheadEntry = {
      ...base,
      source: 'pod',
      pods: live.map((p) => p.metadata.name ?? ''),
      bound: live.every((p) => !!p.spec?.nodeName),
      requests: quantities(amounts),
      hostPorts: unique(live.flatMap((p) => portText(p.spec))),
    };
    return { entry, amounts };
  }
  // The controller creates no pod for a selector-all or deleted DaemonSet (syncDaemonSet returns early).
  if (!el.shouldRun || isEmptyLabelSelector(ds.spec.selector) || ds.metadata.deletionTimestamp) return undefined;
  const spec = ds.spec.template.spec;
  const amounts = podAmounts(spec);
  return { entry: { ...base, source: 'template', pods: [], bound: false, requests: quantities(amounts), hostPorts: unique(portText(spec)) }, amounts };
}

interface NodeWork {
  node: OverheadNode;
  labels: Labels;
  allocatable: Amounts;
  total: Amounts;
  entries: Counted[];
}

/** Nodes grouped by their values of `keys` (a node without a key's label has null there), in value order. */
export function groupNodes<T extends { labels: Labels }>(items: readonly T[], keys: readonly string[]): { labels: Record<string, string | null>; items: T[] }[] {
  const groups = new Map<string, { labels: Record<string, string | null>; items: T[] }>();
  for (const it of items) {
    const labels: Record<string, string | null> = {};
    for (const k of keys) labels[k] = it.labels[k] ?? null;
    // JSON of the values keeps "no label" (null) apart from an empty value ("").
    const id = JSON.stringify(keys.map((k) => labels[k]));
    const g = groups.get(id);
    if (g) g.items.push(it);
    else groups.set(id, { labels, items: [it] });
  }
  const sortKey = (l: Record<string, string | null>): (string | null)[] => keys.map((k) => l[k] ?? null);
  return [...groups.values()].sort((a, b) => {
    const ka = sortKey(a.labels);
    const kb = sortKey(b.labels);
    for (let i = 0; i < keys.length; i++) {
      const x = ka[i] ?? null;
      const y = kb[i] ?? null;
      if (x === y) continue;
      // Nodes without the label last.
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return 0;
  });
}

function maxInto(acc: Amounts, m: ReadonlyMap<string, number>): void {
  for (const [k, v] of m) acc.set(k, Math.max(acc.get(k) ?? -Infinity, v));
}

function minInto(acc: Amounts, m: ReadonlyMap<string, number>): void {
  for (const [k, v] of m) acc.set(k, Math.min(acc.get(k) ?? Infinity, v));
}

function buildGroup(labels: Record<string, string | null>, members: readonly NodeWork[]): OverheadGroup {
  const total = zeros();
  const allocatable: Amounts = new Map();
  const maxPerNode = zeros();
  const perDs = new Map<string, { namespace: string; name: string; nodes: number; total: Amounts }>();
  for (const w of members) {
    add(total, w.total);
    add(allocatable, w.allocatable);
    maxInto(maxPerNode, w.total);
    for (const c of w.entries) {
      const id = `${c.entry.namespace}/${c.entry.daemonSet}`;
      let d = perDs.get(id);
      if (!d) perDs.set(id, (d = { namespace: c.entry.namespace, name: c.entry.daemonSet, nodes: 0, total: new Map() }));
      d.nodes++;
      add(d.total, c.amounts);
    }
  }
  return {
    labels,
    nodes: members.map((w) => w.node.name),
    daemonSets: [...perDs.values()].sort((a, b) => compareNames(a, b)).map((d) => ({ namespace: d.namespace, name: d.name, nodes: d.nodes, total: quantities(d.total) })),
    total: quantities(total),
    allocatable: quantities(allocatable),
    left: quantities(subtract(allocatable, total)),
    maxPerNode: quantities(maxPerNode),
  };
}

function compareNames(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  const ka = `${a.namespace}/${a.name}`;
  const kb = `${b.namespace}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export interface OverheadOptions {
  groupBy: readonly string[];
  /** Set when the node list was filtered (--nodes). */
  nodesFiltered?: boolean;
}

/** The DaemonSet tax of the DaemonSets and nodes in `state` (already scoped by the caller). */
export function computeOverhead(state: ClusterState, opts: OverheadOptions): OverheadReport {
  const daemonSets = [...state.daemonSets].sort((a, b) => compareNames({ namespace: a.metadata.namespace ?? 'default', name: a.metadata.name ?? '' }, { namespace: b.metadata.namespace ?? 'default', name: b.metadata.name ?? '' }));
  const podsByDs = daemonSets.map((ds) => nodesToDaemonPods(daemonPods(ds, state.pods)));
  const nodes = [...state.nodes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const work: NodeWork[] = nodes.map((n) => {
    const name = n.metadata.name ?? '';
    const entries = daemonSets.map((ds, i) => entryFor(ds, n, podsByDs[i]!.get(name) ?? [])).filter((c): c is Counted => c !== undefined);
    const total = zeros();
    for (const c of entries) add(total, c.amounts);
    const allocatable = parseList(n.status?.allocatable);
    return {
      node: {
        name,
        allocatable: quantities(allocatable),
        daemonSets: entries.map((c) => c.entry),
        total: quantities(total),
        left: quantities(subtract(allocatable, total)),
        hostPorts: unique(entries.flatMap((c) => c.entry.hostPorts)),
      },
      labels: n.metadata.labels ?? {},
      allocatable,
      total,
      entries,
    };
  });
  const summaries: OverheadDaemonSet[] = daemonSets.map((ds) => {
    const namespace = ds.metadata.namespace ?? 'default';
    const name = ds.metadata.name ?? '';
    const mine = work.flatMap((w) => w.entries.filter((c) => c.entry.namespace === namespace && c.entry.daemonSet === name));
    const total = zeros();
    const min: Amounts = mine.length === 0 ? zeros() : new Map<string, number>();
    const max = zeros();
    for (const c of mine) {
      add(total, c.amounts);
      maxInto(max, c.amounts);
    }
    // A resource one node's pod lacks is 0 there, not absent from the minimum.
    for (const c of mine) minInto(min, new Map([...max.keys()].map((k) => [k, c.amounts.get(k) ?? 0])));
    return {
      namespace,
      name,
      nodes: mine.length,
      fromTemplate: mine.filter((c) => c.entry.source === 'template').length,
      perNode: { min: quantities(min), max: quantities(max) },
      total: quantities(total),
      hostPorts: unique(mine.flatMap((c) => c.entry.hostPorts)),
    };
  });
  const total = zeros();
  for (const w of work) add(total, w.total);
  return {
    kind: 'DaemonSetOverhead',
    groupBy: [...opts.groupBy],
    daemonSets: summaries,
    nodes: work.map((w) => w.node),
    ...(opts.groupBy.length > 0 ? { groups: groupNodes(work, opts.groupBy).map((g) => buildGroup(g.labels, g.items)) } : {}),
    total: quantities(total),
    allNodes: !opts.nodesFiltered,
    gaps: state.gaps,
  };
}
