// Reads of the live API with one rule for failures: a 403 on a read the answer cannot do without is one
// line naming the grant; on a read it can do without, a gap (a warning) naming the grant and what the
// answer lacks; a 404 on a named object says what was not found and suggests close names.

import { RuntimeError, UsageError } from '../../errors.ts';
import { formatLabelSelector } from '../../model/labels.ts';
import type { ControllerRevision, DaemonSet, Event, Gap, Node, Pod } from '../../model/types.ts';
import { didYouMean } from '../../util/suggest.ts';
import { ApiError, mapBounded, type ApiClient } from '../http.ts';
import { Interner, NODE_SKIP, POD_SKIP, trimMeta, trimNode, trimObject, trimPod } from '../trim.ts';

/** How many list requests run at once: enough to hide latency, few enough to be polite to the server. */
export const LIST_CONCURRENCY = 8;

const RBAC_HINT = 'see examples/rbac/ds-inspect-viewer.yaml';

export function isForbidden(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 403;
}

function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404;
}

/** "namespace "x"" or "the cluster scope", for messages. */
function scopeWords(ns: string | undefined): string {
  return ns === undefined ? 'at the cluster scope' : `in namespace "${ns}"`;
}

/** A required read was refused: one line, exit 1, naming the grant. */
// Still a 403 ApiError, so a caller for which the read is optional can turn it into a gap.
function forbidden(verb: string, resource: string, ns: string | undefined, e: ApiError, grantOn = resource): ApiError {
  return new ApiError(`cannot ${verb} ${resource} ${scopeWords(ns)}: ${e.message}; grant "${verb}" on ${grantOn} (${RBAC_HINT})`, 403, 'Forbidden');
}

/** An optional read was refused: the answer goes on without it, and says what it lacks. */
export function forbiddenGap(verb: string, resource: string, ns: string | undefined, e: ApiError, consequence: string): Gap {
  // The server's words only (e may already be one of ours, from forbidden()).
  const server = e.message.replace(/^cannot .*?: forbidden \(403\): /, '').replace(/^forbidden \(403\): /, '').replace(/; grant "[^"]*" on .*$/, '');
  return { resource, message: `cannot ${verb} ${resource} ${scopeWords(ns)} (${server}): ${consequence}; grant "${verb}" on ${resource} (${RBAC_HINT})` };
}

export function apiPath(group: string, resource: string, ns?: string, name?: string): string {
  const prefix = group === '' ? '/api/v1' : `/apis/${group}`;
  const base = ns === undefined ? `${prefix}/${resource}` : `${prefix}/namespaces/${encodeURIComponent(ns)}/${resource}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

/** Names of a resource, for "did you mean" after a 404 (best effort: a failure suggests nothing). */
async function namesOf(client: ApiClient, path: string): Promise<string[]> {
  return client
    .list<{ metadata: { name?: string } }>(path, {}, (o) => ({ metadata: { name: o.metadata.name ?? '' } }))
    .then((r) => r.items.map((o) => o.metadata.name ?? ''))
    .catch(() => [] as string[]);
}

export async function getNode(client: ApiClient, name: string): Promise<Node> {
  try {
    return trimNode(await client.get<Node>(apiPath('', 'nodes', undefined, name)));
  } catch (e) {
    if (isNotFound(e)) throw new UsageError(`node "${name}" not found${didYouMean(name, await namesOf(client, apiPath('', 'nodes')))}`);
    throw e;
  }
}

export async function getDaemonSet(client: ApiClient, ns: string, name: string): Promise<DaemonSet> {
  try {
    return await client.get<DaemonSet>(apiPath('apps/v1', 'daemonsets', ns, name));
  } catch (e) {
    if (isNotFound(e)) throw new UsageError(`daemonset "${name}" not found in namespace "${ns}"${didYouMean(name, await namesOf(client, apiPath('apps/v1', 'daemonsets', ns)))}`);
    if (isForbidden(e)) throw new RuntimeError(`cannot get daemonset "${name}" in namespace "${ns}": ${e.message}; grant "get" on daemonsets.apps`);
    throw e;
  }
}

export async function listNodes(client: ApiClient): Promise<Node[]> {
  // The nodes share their equal label values (io/trim.ts).
  const share = new Interner();
  return (await client.list<Node>(apiPath('', 'nodes'), {}, (n) => trimNode(n, share), NODE_SKIP)).items;
}

export async function listDaemonSets(client: ApiClient, ns: string | undefined): Promise<DaemonSet[]> {
  try {
    return (await client.list<DaemonSet>(apiPath('apps/v1', 'daemonsets', ns), {}, trimObject)).items;
  } catch (e) {
    if (isForbidden(e)) throw forbidden('list', 'daemonsets', ns, e, 'daemonsets.apps');
    throw e;
  }
}

/** Pods of one namespace (or all) matching `query` (a label or field selector). */
export async function listPods(client: ApiClient, ns: string | undefined, query: Record<string, string>, share?: Interner): Promise<Pod[]> {
  try {
    return (await client.list<Pod>(apiPath('', 'pods', ns), query, (p) => trimPod(p, share), POD_SKIP)).items;
  } catch (e) {
    if (isForbidden(e)) throw forbidden('list', 'pods', ns, e);
    throw e;
  }
}

/** A DaemonSet's candidate pods: selected by its selector in its namespace (ownership is the model's job). */
export function listDaemonSetPods(client: ApiClient, ds: DaemonSet, share?: Interner): Promise<Pod[]> {
  return listPods(client, ds.metadata.namespace ?? 'default', { labelSelector: formatLabelSelector(ds.spec.selector) }, share);
}

/** A list that the answer can do without: per scope, a 403 becomes one gap and no items. */
async function listOrGap<T>(scopes: readonly (string | undefined)[], gaps: Map<string, Gap>, resource: string, consequence: string, list: (ns: string | undefined) => Promise<T[]>): Promise<T[]> {
  const lists = await mapBounded(scopes, LIST_CONCURRENCY, async (ns) => {
    try {
      return await list(ns);
    } catch (e) {
      if (!isForbidden(e)) throw e;
      gaps.set(resource, forbiddenGap('list', resource, ns, e, consequence));
      return [];
    }
  });
  return lists.flat();
}

/** What the answer lacks without these reads; the watch's gaps say the same. */
export const REVISIONS_CONSEQUENCE = 'pods count as updated only by their pod-template-generation label';
export const EVENTS_CONSEQUENCE = 'scheduler messages (FailedScheduling) and controller errors (FailedCreate) are not shown';
export const NODES_CONSEQUENCE = "no node can be evaluated, only the DaemonSets' own status counters are shown";

/** ControllerRevisions of the DaemonSets' namespaces (the model matches them to owners). */
export function listRevisions(client: ApiClient, scopes: readonly (string | undefined)[], gaps: Map<string, Gap>): Promise<ControllerRevision[]> {
  return listOrGap(scopes, gaps, 'controllerrevisions', REVISIONS_CONSEQUENCE, async (ns) => (await client.list<ControllerRevision>(apiPath('apps/v1', 'controllerrevisions', ns), {}, trimObject)).items);
}

const EVENT_REASONS = new Set(['FailedScheduling', 'FailedCreate', 'FailedDaemonPod', 'FailedPlacement', 'BackOff', 'Unhealthy']);

/** A Warning event the model reads (scheduler and controller reasons); the list and the watch keep only these. */
export function isModelEvent(e: Event): boolean {
  return EVENT_REASONS.has(e.reason ?? '');
}

export function trimEvent(e: Event): Event {
  trimMeta(e as Event & { metadata: Record<string, unknown> }, false);
  return e;
}

/** Warning events of the namespaces in scope that the model reads (scheduler and controller reasons). */
export function listEvents(client: ApiClient, scopes: readonly (string | undefined)[], gaps: Map<string, Gap>): Promise<Event[]> {
  return listOrGap(scopes, gaps, 'events', EVENTS_CONSEQUENCE, async (ns) =>
    (await client.list<Event>(apiPath('', 'events', ns), { fieldSelector: 'type=Warning' }, trimEvent)).items.filter(isModelEvent),
  );
}
