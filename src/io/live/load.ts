// Cluster state from the live API, scoped to what the command needs:
//  - DaemonSets of the namespace in scope (or every namespace with -A);
//  - every node (or one, for why-not NODE), each DaemonSet's candidate pods listed with its own label
//    selector in its namespace (the model then applies the controller's ownership rules), a few lists
//    at a time; ControllerRevisions and Warning events of the DaemonSets' namespaces, or once for the
//    whole cluster with -A and several namespaces (fewer round trips);
//  - why-not NODE: also every pod bound to the node (field selector spec.nodeName, for resources and
//    host ports) plus the unscheduled pods of the DaemonSets' namespaces (a pod pinned to NODE by its
//    node affinity has no nodeName yet).
// A read the user may not do (RBAC) becomes a gap with the permission that would fill it, when the rest
// still makes sense.

import { selectDaemonSets, selectNodes, type Scope } from '../../model/scope.ts';
import type { ClusterState, ControllerRevision, DaemonSet, Event, Gap, Node, Pod } from '../../model/types.ts';
import { mapBounded } from '../http.ts';
import { forbiddenGap, getNode, isForbidden, LIST_CONCURRENCY, listDaemonSetPods, listDaemonSets, listEvents, listNodes, listPods, listRevisions, NODES_CONSEQUENCE } from './reads.ts';
import type { LiveSession } from './session.ts';
import { Interner } from '../trim.ts';

export interface LiveNeeds {
  /** 'all' for the matrix, a name for why-not NODE, 'none' for rollout history. */
  nodes: 'all' | 'none' | { name: string };
  events: boolean;
  /** Every pod of the cluster (what-if: will a new pod fit beside what the nodes already run?). */
  allPods?: boolean;
}

function uniqueByUid<T extends { metadata: { uid?: string; name?: string; namespace?: string } }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const it of items) {
    const k = it.metadata.uid ?? `${it.metadata.namespace}/${it.metadata.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(it);
  }
  return out;
}

/** Where to list namespace-wide things (revisions, events): each DaemonSet namespace, or once with -A. */
function listScopes(scope: Scope, namespaces: readonly string[]): (string | undefined)[] {
  return scope.namespace === undefined && namespaces.length > 1 ? [undefined] : [...namespaces];
}

const namespacesOf = (dss: readonly { metadata: { namespace?: string } }[]): string[] => [...new Set(dss.map((d) => d.metadata.namespace ?? 'default'))];

async function allNodes(s: LiveSession, gaps: Map<string, Gap>): Promise<Node[] | undefined> {
  try {
    return await listNodes(s.client);
  } catch (e) {
    if (!isForbidden(e)) throw e;
    gaps.set('nodes', forbiddenGap('list', 'nodes', undefined, e, NODES_CONSEQUENCE));
    return undefined;
  }
}

/**
 * The matrix's reads. With `each`, each DaemonSet's pods go to it as soon as they are listed (once the
 * nodes, revisions and events are in) and are not kept: the state returned then has no pods.
 */
export async function loadCoverage(s: LiveSession, scope: Scope, needs: LiveNeeds, each?: (rest: ClusterState) => (ds: DaemonSet, candidates: readonly Pod[]) => void): Promise<ClusterState> {
  const { client } = s;
  const gaps = new Map<string, Gap>();
  const [nodes, everyDaemonSet] = await Promise.all([needs.nodes === 'none' ? Promise.resolve([]) : allNodes(s, gaps), listDaemonSets(client, scope.namespace)]);
  const daemonSets = selectDaemonSets(everyDaemonSet, scope);
  const scopes = listScopes(scope, namespacesOf(daemonSets));
  // One interner per load: the pods of this answer share their identical pieces (io/trim.ts).
  const share = new Interner();
  const everyPod = needs.allPods ? await allPodsOrGap(s, gaps, share) : undefined;
  const restOf = (revisions: ControllerRevision[], events: Event[], pods: Pod[]): ClusterState => ({
    nodes: nodes ? selectNodes(nodes, scope) : [],
    daemonSets,
    pods,
    controllerRevisions: revisions,
    events,
    allPodsOnNodesKnown: everyPod !== undefined,
    gaps: [...gaps.values()],
  });
  const rest = Promise.all([listRevisions(client, scopes, gaps), needs.events ? listEvents(client, scopes, gaps) : Promise.resolve([])]);
  if (everyPod) {
    const [revisions, events] = await rest;
    const state = restOf(revisions, events, everyPod);
    if (each) {
      const add = each(state);
      for (const ds of daemonSets) add(ds, everyPod);
    }
    return state;
  }
  if (each) {
    const ready = rest.then(([revisions, events]) => {
      const state = restOf(revisions, events, []);
      return { state, add: each(state) };
    });
    const [{ state }] = await Promise.all([
      ready,
      mapBounded(daemonSets, LIST_CONCURRENCY, async (ds) => {
        const pods = await listDaemonSetPods(client, ds, share);
        (await ready).add(ds, pods);
      }),
    ]);
    return state;
  }
  const [perDs, [revisions, events]] = await Promise.all([mapBounded(daemonSets, LIST_CONCURRENCY, (ds) => listDaemonSetPods(client, ds, share)), rest]);
  return restOf(revisions, events, uniqueByUid(perDs.flat()));
}

async function allPodsOrGap(s: LiveSession, gaps: Map<string, Gap>, share: Interner): Promise<Pod[] | undefined> {
  try {
    return await listPods(s.client, undefined, {}, share);
  } catch (e) {
    if (!isForbidden(e)) throw e;
    gaps.set('pods', forbiddenGap('list', 'pods', undefined, e, 'whether new pods fit (cpu, memory, pods, host ports) is not checked'));
    return undefined;
  }
}

export async function loadForNode(s: LiveSession, scope: Scope, nodeName: string, needs: LiveNeeds): Promise<ClusterState> {
  const { client } = s;
  const gaps = new Map<string, Gap>();
  // Every pod bound to the node (any namespace): resources and host ports are per node, not per DaemonSet.
  const boundP = listPods(client, undefined, { fieldSelector: `spec.nodeName=${nodeName}` }).then(
    (pods) => ({ pods, complete: true }),
    (e: unknown) => {
      if (!isForbidden(e)) throw e;
      gaps.set('pods', forbiddenGap('list', 'pods', undefined, e, "cpu, memory, pod-count and host-port checks only see the DaemonSets' own pods"));
      return { pods: [] as Pod[], complete: false };
    },
  );
  const nodeP = getNode(client, nodeName).catch((e: unknown) => {
    if (!isForbidden(e)) throw e;
    // The rest can still be known: the DaemonSets' pods on the node, their states and reasons.
    gaps.set('nodes', forbiddenGap('get', 'nodes', undefined, e, 'whether each DaemonSet should run on the node is unknown; shown are its pods on the node and their states'));
    return undefined;
  });
  const [node, everyDaemonSet, bound] = await Promise.all([nodeP, listDaemonSets(client, scope.namespace), boundP]);
  // Without the node there are no resource or host-port checks to be incomplete: one warning, not two.
  if (!node) gaps.delete('pods');
  const daemonSets = selectDaemonSets(everyDaemonSet, scope);
  const namespaces = namespacesOf(daemonSets);
  // Unscheduled pods of the DaemonSets' namespaces: one of them may be pinned to this node by affinity.
  const unscheduled = await mapBounded(namespaces, LIST_CONCURRENCY, (ns) => listPods(client, ns, { fieldSelector: 'spec.nodeName=' }));
  let boundPods = bound.pods;
  if (!bound.complete) {
    // No cluster-wide pod list: fall back to the node's pods in the DaemonSets' namespaces.
    boundPods = (await mapBounded(namespaces, LIST_CONCURRENCY, (ns) => listPods(client, ns, { fieldSelector: `spec.nodeName=${nodeName}` }))).flat();
  }
  const scopes = listScopes(scope, namespaces);
  const [revisions, events] = await Promise.all([listRevisions(client, scopes, gaps), needs.events ? listEvents(client, scopes, gaps) : Promise.resolve([])]);
  return {
    nodes: node ? [node] : [],
    daemonSets,
    pods: uniqueByUid([...boundPods, ...unscheduled.flat()]),
    controllerRevisions: revisions,
    events,
    allPodsOnNodesKnown: bound.complete,
    gaps: [...gaps.values()],
  };
}

/** DaemonSets outside `ns` (a cluster-wide list); undefined when the user may not list them all. */
export async function countDaemonSetsOutside(s: LiveSession, ns: string): Promise<number | undefined> {
  try {
    return (await listDaemonSets(s.client, undefined)).filter((d) => (d.metadata.namespace ?? 'default') !== ns).length;
  } catch (e) {
    if (isForbidden(e)) return undefined;
    throw e;
  }
}
