// Cluster state from the live API, scoped to what the command needs:
//  - DaemonSets of the namespace in scope (or every namespace with -A);
//  - coverage: every node; each DaemonSet's pods and ControllerRevisions listed with its own label
//    selector in its namespace (the model then applies the controller's ownership rules), a few lists
//    at a time; Warning events of those namespaces;
//  - why-not NODE: that node, the pods bound to it (field selector spec.nodeName, for resources and
//    host ports) plus the unscheduled pods of the DaemonSets' namespaces (a pod pinned to NODE by its
//    node affinity has no nodeName yet), and the same revisions and events.
// Items are trimmed to the fields the model reads as they arrive. A read the user may not do (RBAC)
// becomes a gap with the permission that would fill it, when the rest still makes sense.

import { RuntimeError, UsageError, didYouMean } from '../errors.ts';
import { formatLabelSelector } from '../model/labels.ts';
import { selectDaemonSets, selectNodes, type Scope } from '../model/scope.ts';
import type { ClusterState, Container, ControllerRevision, DaemonSet, Event, Gap, Node, Pod } from '../model/types.ts';
import { parseDuration } from '../util/duration.ts';
import { verbosity, type CliIO, type CommonFlags } from '../commands/context.ts';
import { ApiClient, ApiError, clientLimits, mapBounded, type Transport } from './http.ts';
import { httpsOptions, resolveConnection, type HttpsOptions, type ResolvedConnection } from './kubeconfig.ts';
import type { LiveLoader, LoadRequest, LoadedState } from './source.ts';

/** How many list requests run at once: enough to hide latency, few enough to be polite to the server. */
export const LIST_CONCURRENCY = 8;

const RBAC_HINT = 'see examples/rbac/ds-inspect-viewer.yaml';

export interface LiveSession {
  client: ApiClient;
  conn: ResolvedConnection;
}

/** Resolve the kubeconfig as kubectl does and open one keep-alive connection pool for the run. */
export async function openSession(flags: CommonFlags, io: CliIO): Promise<LiveSession> {
  const conn = resolveConnection(
    {
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      cluster: flags.cluster,
      user: flags.user,
      namespace: flags.namespace,
    },
    io.env,
  );
  const timeoutMs = parseDuration('--request-timeout', flags.requestTimeout ?? '0');
  let opts: HttpsOptions;
  try {
    // CA, client certificate/key and the Authorization header (token, exec credential plugin).
    opts = await httpsOptions(conn);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new RuntimeError(`cannot get credentials for user "${conn.userName}": ${firstLine(e)}`, { cause: e });
  }
  const headers = opts.headers;
  const transport: Transport = {
    server: conn.server,
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername,
    headers,
    timeoutMs,
    describe: `user "${conn.userName}" (context "${conn.contextName}")`,
  };
  const v = verbosity(flags);
  const client = new ApiClient(transport, { verbosity: v, write: (line) => io.stderr.write(`I ${line}\n`) }, clientLimits(io.env));
  return { client, conn };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

// ---- trimming: keep what src/model/types.ts declares, drop the rest (managedFields, volumes, env...)

function trimMeta<T extends { metadata: Record<string, unknown> }>(o: T, keepAnnotations: boolean): void {
  const m = o.metadata;
  delete m.managedFields;
  delete m.selfLink;
  delete m.generateName;
  if (!keepAnnotations) delete m.annotations;
}

function trimContainer(c: Container & Record<string, unknown>): Container {
  const out: Container = { name: c.name };
  if (c.image !== undefined) out.image = c.image;
  if (c.ports) out.ports = c.ports;
  if (c.resources) out.resources = c.resources;
  if (c.restartPolicy !== undefined) out.restartPolicy = c.restartPolicy;
  return out;
}

export function trimPod(p: Pod): Pod {
  trimMeta(p as Pod & { metadata: Record<string, unknown> }, false);
  const s = p.spec;
  if (s) {
    const spec: NonNullable<Pod['spec']> = {};
    if (s.nodeName) spec.nodeName = s.nodeName;
    if (s.nodeSelector) spec.nodeSelector = s.nodeSelector;
    if (s.affinity?.nodeAffinity) spec.affinity = { nodeAffinity: s.affinity.nodeAffinity };
    if (s.tolerations) spec.tolerations = s.tolerations;
    if (s.hostNetwork) spec.hostNetwork = true;
    if (s.containers) spec.containers = s.containers.map((c) => trimContainer(c as Container & Record<string, unknown>));
    if (s.initContainers) spec.initContainers = s.initContainers.map((c) => trimContainer(c as Container & Record<string, unknown>));
    if (s.overhead) spec.overhead = s.overhead;
    p.spec = spec;
  }
  const st = p.status as (Pod['status'] & Record<string, unknown>) | undefined;
  if (st) {
    delete st.podIPs;
    delete st.hostIPs;
    delete st.qosClass;
    for (const cs of [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])]) {
      const c = cs as unknown as Record<string, unknown>;
      delete c.imageID;
      delete c.containerID;
      delete c.volumeMounts;
      delete c.resources;
      delete c.allocatedResources;
      delete c.user;
    }
  }
  return p;
}

export function trimNode(n: Node): Node {
  trimMeta(n as Node & { metadata: Record<string, unknown> }, false);
  const st = n.status as (Node['status'] & Record<string, unknown>) | undefined;
  if (st) {
    delete st.images;
    delete st.volumesAttached;
    delete st.volumesInUse;
    delete st.nodeInfo;
    delete st.daemonEndpoints;
    delete st.config;
    delete st.runtimeHandlers;
    delete st.features;
  }
  return n;
}

function trimObject<T extends { metadata: object }>(o: T): T {
  trimMeta(o as T & { metadata: Record<string, unknown> }, true);
  return o;
}

// ---- reads

function forbiddenGap(resource: string, verbAndScope: string, e: ApiError, consequence: string): Gap {
  return { resource, message: `cannot ${verbAndScope} (${e.message.replace(/^forbidden \(403\): /, '')}): ${consequence}; grant "${verbAndScope.split(' ')[0]}" on ${resource} (${RBAC_HINT})` };
}

function isForbidden(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 403;
}

function nsPath(group: string, resource: string, ns: string | undefined): string {
  const prefix = group === '' ? '/api/v1' : `/apis/${group}`;
  return ns === undefined ? `${prefix}/${resource}` : `${prefix}/namespaces/${encodeURIComponent(ns)}/${resource}`;
}

async function listDaemonSets(client: ApiClient, scope: Scope): Promise<DaemonSet[]> {
  try {
    return (await client.list<DaemonSet>(nsPath('apps/v1', 'daemonsets', scope.namespace), {}, trimObject)).items;
  } catch (e) {
    if (isForbidden(e)) {
      const where = scope.namespace === undefined ? 'in any namespace (-A)' : `in namespace "${scope.namespace}"`;
      throw new RuntimeError(`cannot list daemonsets ${where}: ${e.message}; grant "list" on daemonsets.apps (${RBAC_HINT})`);
    }
    throw e;
  }
}

/** Pods of one namespace matching `query` (a label or field selector); a 403 says which grant is missing. */
async function listPodsIn(client: ApiClient, ns: string, query: Record<string, string>): Promise<Pod[]> {
  try {
    return (await client.list<Pod>(nsPath('', 'pods', ns), query, trimPod)).items;
  } catch (e) {
    if (isForbidden(e)) throw new RuntimeError(`cannot list pods in namespace "${ns}": ${e.message}; grant "list" on pods (${RBAC_HINT})`);
    throw e;
  }
}

/** A DaemonSet's candidate pods: selected by its selector in its namespace (ownership is the model's job). */
function listDaemonSetPods(client: ApiClient, ds: DaemonSet): Promise<Pod[]> {
  return listPodsIn(client, ds.metadata.namespace ?? 'default', { labelSelector: formatLabelSelector(ds.spec.selector) });
}

/**
 * Where to list namespace-wide things (revisions, events): each namespace of the DaemonSets, or, with
 * -A and several namespaces, once for the whole cluster (fewer round trips; the model keeps only what
 * belongs to the DaemonSets in scope).
 */
function listScopes(scope: Scope, namespaces: readonly string[]): (string | undefined)[] {
  return scope.namespace === undefined && namespaces.length > 1 ? [undefined] : [...namespaces];
}

const where = (ns: string | undefined): string => (ns === undefined ? 'at the cluster scope' : `in namespace "${ns}"`);

/** ControllerRevisions of the DaemonSets' namespaces (the model matches them to owners by UID). */
async function listRevisionsIn(client: ApiClient, scopes: readonly (string | undefined)[], gaps: Map<string, Gap>): Promise<ControllerRevision[]> {
  const lists = await mapBounded(scopes, LIST_CONCURRENCY, async (ns) => {
    try {
      return (await client.list<ControllerRevision>(nsPath('apps/v1', 'controllerrevisions', ns), {}, trimObject)).items;
    } catch (e) {
      if (!isForbidden(e)) throw e;
      gaps.set('controllerrevisions', forbiddenGap('controllerrevisions', `list controllerrevisions ${where(ns)}`, e, 'pods count as updated only by their pod-template-generation label'));
      return [];
    }
  });
  return lists.flat();
}

const EVENT_REASONS = new Set(['FailedScheduling', 'FailedCreate', 'FailedDaemonPod', 'FailedPlacement', 'BackOff', 'Unhealthy']);

/** Warning events of the namespaces in scope that the model reads (scheduler and controller reasons). */
async function listEvents(client: ApiClient, namespaces: readonly (string | undefined)[], gaps: Map<string, Gap>): Promise<Event[]> {
  const lists = await mapBounded(namespaces, LIST_CONCURRENCY, async (ns) => {
    try {
      return (
        await client.list<Event>(nsPath('', 'events', ns), { fieldSelector: 'type=Warning' }, (e) => {
          trimMeta(e as Event & { metadata: Record<string, unknown> }, false);
          return e;
        })
      ).items.filter((e) => EVENT_REASONS.has(e.reason ?? ''));
    } catch (e) {
      if (!isForbidden(e)) throw e;
      gaps.set('events', forbiddenGap('events', `list events ${where(ns)}`, e, 'scheduler messages (FailedScheduling) and controller errors (FailedCreate) are not shown'));
      return [];
    }
  });
  return lists.flat();
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

function effectiveScope(scope: Scope, flags: CommonFlags, conn: ResolvedConnection): Scope {
  // kubectl: without -n or -A, the context's namespace (or "default").
  return { ...scope, namespace: flags.allNamespaces === true ? undefined : (flags.namespace ?? conn.namespace) };
}

async function loadCoverage(s: LiveSession, flags: CommonFlags, req: LoadRequest): Promise<LoadedState> {
  const { client, conn } = s;
  const scope = effectiveScope(req.scope, flags, conn);
  const gaps = new Map<string, Gap>();
  const nodesP = (req.wantNodes === false ? Promise.resolve({ items: [] as Node[] }) : client.list<Node>('/api/v1/nodes', {}, trimNode)).then(
    (r) => r.items,
    (e: unknown) => {
      if (!isForbidden(e)) throw e;
      gaps.set('nodes', forbiddenGap('nodes', 'list nodes at the cluster scope', e, 'no node can be evaluated, only the DaemonSets\' own status counters are shown'));
      return undefined;
    },
  );
  const dsP = listDaemonSets(client, scope);
  const [allNodes, allDaemonSets] = await Promise.all([nodesP, dsP]);
  const daemonSets = selectDaemonSets(allDaemonSets, scope);
  const nodes = allNodes ? selectNodes(allNodes, scope) : [];
  const namespaces = [...new Set(daemonSets.map((d) => d.metadata.namespace ?? 'default'))];
  const scopes = listScopes(scope, namespaces);
  const [perDs, revisions, events] = await Promise.all([
    mapBounded(daemonSets, LIST_CONCURRENCY, (ds) => listDaemonSetPods(client, ds)),
    listRevisionsIn(client, scopes, gaps),
    req.wantEvents ? listEvents(client, scopes, gaps) : Promise.resolve([]),
  ]);
  const state: ClusterState = {
    nodes,
    daemonSets,
    pods: uniqueByUid(perDs.flat()),
    controllerRevisions: revisions,
    events,
    allPodsOnNodesKnown: false,
    gaps: [...gaps.values()],
  };
  return { state, allNodeNames: (allNodes ?? []).map((n) => n.metadata.name ?? ''), source: 'live' };
}

async function loadForNode(s: LiveSession, flags: CommonFlags, req: LoadRequest, nodeName: string): Promise<LoadedState> {
  const { client, conn } = s;
  const scope = effectiveScope(req.scope, flags, conn);
  const gaps = new Map<string, Gap>();
  const nodeP = client.get<Node>(`/api/v1/nodes/${encodeURIComponent(nodeName)}`).then(trimNode, async (e: unknown) => {
    if (e instanceof ApiError && e.status === 404) {
      // Suggest close names, as for snapshots; only names are needed.
      const names = await client
        .list<Node>('/api/v1/nodes', {}, (n) => ({ metadata: { name: n.metadata.name ?? '' } }))
        .then((r) => r.items.map((n) => n.metadata.name ?? ''))
        .catch(() => [] as string[]);
      throw new UsageError(`node "${nodeName}" not found${didYouMean(nodeName, names)}`);
    }
    if (isForbidden(e)) {
      throw new RuntimeError(`cannot get node "${nodeName}": ${e.message}; grant "get" on nodes (${RBAC_HINT})`);
    }
    throw e;
  });
  const dsP = listDaemonSets(client, scope);
  // Every pod bound to the node (any namespace): resources and host ports are per node, not per DaemonSet.
  const boundP = client.list<Pod>('/api/v1/pods', { fieldSelector: `spec.nodeName=${nodeName}` }, trimPod).then(
    (r) => ({ pods: r.items, complete: true }),
    (e: unknown) => {
      if (!isForbidden(e)) throw e;
      gaps.set('pods', forbiddenGap('pods', 'list pods at the cluster scope', e, 'cpu, memory, pod-count and host-port checks only see the DaemonSets\' own pods'));
      return { pods: [] as Pod[], complete: false };
    },
  );
  const [node, allDaemonSets, bound] = await Promise.all([nodeP, dsP, boundP]);
  const daemonSets = selectDaemonSets(allDaemonSets, scope);
  const namespaces = [...new Set(daemonSets.map((d) => d.metadata.namespace ?? 'default'))];
  // Unscheduled pods of the DaemonSets' namespaces: one of them may be pinned to this node by affinity.
  const unscheduled = await mapBounded(namespaces, LIST_CONCURRENCY, (ns) => listPodsIn(client, ns, { fieldSelector: 'spec.nodeName=' }));
  let boundPods = bound.pods;
  if (!bound.complete) {
    // No cluster-wide pod list: fall back to the node's pods in the DaemonSets' namespaces.
    const perNs = await mapBounded(namespaces, LIST_CONCURRENCY, (ns) => listPodsIn(client, ns, { fieldSelector: `spec.nodeName=${nodeName}` }));
    boundPods = perNs.flat();
  }
  const scopes = listScopes(scope, namespaces);
  const [revisions, events] = await Promise.all([listRevisionsIn(client, scopes, gaps), req.wantEvents ? listEvents(client, scopes, gaps) : Promise.resolve([])]);
  const state: ClusterState = {
    nodes: [node],
    daemonSets,
    pods: uniqueByUid([...boundPods, ...unscheduled.flat()]),
    controllerRevisions: revisions,
    events,
    allPodsOnNodesKnown: bound.complete,
    gaps: [...gaps.values()],
  };
  return { state, allNodeNames: [nodeName], source: 'live' };
}

export const liveLoad: LiveLoader = async (flags, req, io) => {
  const s = await openSession(flags, io);
  try {
    return req.node !== undefined ? await loadForNode(s, flags, req, req.node) : await loadCoverage(s, flags, req);
  } finally {
    s.client.close();
  }
};
