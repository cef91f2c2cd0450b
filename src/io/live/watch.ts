// List-then-watch of what `coverage --watch` and the wait of `rollout status` read, one loop per
// resource: list (the store's starting point and resourceVersion), then watch from that
// resourceVersion with bookmarks; a stream the server ends is resumed from the last resourceVersion
// seen (an event's or a bookmark's); 410 Gone (the version was compacted away) relists; a dropped
// connection reconnects with exponential backoff, a bounded number of times in a row.
//
// Written here on ApiClient.watch rather than with a client library: the plugin has no Kubernetes
// client dependency (README "Dependencies"), and this keeps one HTTP stack with one set of limits,
// credentials, proxy handling and one-line errors for lists and watches alike.
//
// What is watched: every node; the DaemonSets, pods, ControllerRevisions and Warning events of the
// namespace in scope (every namespace with -A). Pods are watched namespace-wide rather than per
// DaemonSet selector, so that a DaemonSet created mid-watch needs no new watch; the model applies the
// controller's ownership rules, so other pods of the namespace change nothing but the bytes received.

import { RuntimeError } from '../../errors.ts';
import type { Scope } from '../../model/scope.ts';
import type { Gap } from '../../model/types.ts';
import type { WatchedResource, WatchEvent } from '../../model/watchState.ts';
import { ApiError, WatchDropped, type ApiClient } from '../http.ts';
import { apiPath, EVENTS_CONSEQUENCE, forbiddenGap, isForbidden, isModelEvent, listDaemonSets, listPods, NODES_CONSEQUENCE, REVISIONS_CONSEQUENCE, trimEvent } from './reads.ts';
import { trimNode, trimObject, trimPod } from '../trim.ts';
import type { LiveSession } from './session.ts';

type Obj = WatchEvent['object'];

export interface WatchSink {
  /** The resource's objects are exactly these (first list, or a relist after 410 Gone). */
  relisted(resource: WatchedResource, items: Obj[]): void;
  event(resource: WatchedResource, ev: WatchEvent): void;
  /**
   * A read was refused (403): a list the matrix can do without (a warning, and the matrix goes on
   * without it), or a watch after an allowed list (what was listed stays, its changes are not seen;
   * `rollout status` polls instead).
   */
  gap(resource: WatchedResource, gap: Gap, refused: 'list' | 'watch'): void;
}

export interface WatchTuning {
  /** First reconnect delay; doubled per failure in a row up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Failures in a row (no event in between) before the watch gives up with an error. */
  maxReconnects: number;
}

const DEFAULT_TUNING: WatchTuning = { backoffMs: 1000, maxBackoffMs: 30_000, maxReconnects: 8 };

interface ResourceSpec {
  resource: WatchedResource;
  /** The namespace listed and watched; undefined = cluster-wide. */
  ns: string | undefined;
  path: string;
  query: Record<string, string>;
  trim: (o: Obj) => Obj;
  keep: (o: Obj) => boolean;
  /** The first list; a 403 either throws (the matrix needs it) or becomes a gap (returns undefined). */
  list: () => Promise<{ items: Obj[]; resourceVersion: string | undefined } | undefined>;
}

class Gone extends Error {}

function specs(client: ApiClient, scope: Scope, gap: WatchSink['gap']): ResourceSpec[] {
  const ns = scope.namespace;
  const all = (): boolean => true;
  const optional = (resource: WatchedResource, path: string, query: Record<string, string>, trim: (o: Obj) => Obj, consequence: string, keep: (o: Obj) => boolean = all) => async () => {
    try {
      const r = await client.list<Obj>(path, query, trim);
      return { items: r.items.filter(keep), resourceVersion: r.resourceVersion };
    } catch (e) {
      if (!isForbidden(e)) throw e;
      gap(resource, forbiddenGap('list', resource, resource === 'nodes' ? undefined : ns, e, consequence), 'list');
      return undefined;
    }
  };
  // The required reads throw the one-shot path's one-line 403 (reads.ts); their resourceVersion comes
  // from a plain list of the same path, so they are listed here, with the same messages on failure.
  const required = (path: string, query: Record<string, string>, trim: (o: Obj) => Obj, check: () => Promise<unknown>) => async () => {
    try {
      return await client.list<Obj>(path, query, trim);
    } catch (e) {
      if (isForbidden(e)) await check();
      throw e;
    }
  };
  const trimEv = (o: Obj): Obj => trimEvent(o);
  const trimP = (o: Obj): Obj => trimPod(o);
  return [
    { resource: 'nodes', ns: undefined, path: apiPath('', 'nodes'), query: {}, trim: (o) => trimNode(o), keep: all, list: optional('nodes', apiPath('', 'nodes'), {}, (o) => trimNode(o), NODES_CONSEQUENCE) },
    { resource: 'daemonsets', ns, path: apiPath('apps/v1', 'daemonsets', ns), query: {}, trim: trimObject, keep: all, list: required(apiPath('apps/v1', 'daemonsets', ns), {}, trimObject, () => listDaemonSets(client, ns)) },
    { resource: 'pods', ns, path: apiPath('', 'pods', ns), query: {}, trim: trimP, keep: all, list: required(apiPath('', 'pods', ns), {}, trimP, () => listPods(client, ns, {})) },
    {
      resource: 'controllerrevisions',
      ns,
      path: apiPath('apps/v1', 'controllerrevisions', ns),
      query: {},
      trim: trimObject,
      keep: all,
      list: optional('controllerrevisions', apiPath('apps/v1', 'controllerrevisions', ns), {}, trimObject, REVISIONS_CONSEQUENCE),
    },
    {
      resource: 'events',
      ns,
      path: apiPath('', 'events', ns),
      query: { fieldSelector: 'type=Warning' },
      trim: trimEv,
      keep: (o) => isModelEvent(o),
      list: optional('events', apiPath('', 'events', ns), { fieldSelector: 'type=Warning' }, trimEv, EVENTS_CONSEQUENCE, (o) => isModelEvent(o)),
    },
  ];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** One line of a watch stream: the event, or Gone for a 410 ERROR, or an error for any other ERROR. */
function parseLine(line: string, path: string): { type: string; object: Obj } {
  let ev: unknown;
  try {
    ev = JSON.parse(line);
  } catch {
    throw new RuntimeError(`the API server sent a watch line that is not JSON for ${path}`);
  }
  const e = ev as { type?: unknown; object?: { metadata?: unknown; code?: unknown; message?: unknown } };
  if (typeof e.type !== 'string' || e.object === null || typeof e.object !== 'object') throw new RuntimeError(`the API server sent a watch line without type and object for ${path}`);
  if (e.type === 'ERROR') {
    const code = typeof e.object.code === 'number' ? e.object.code : 0;
    if (code === 410) throw new Gone();
    const msg = `the watch of ${path} ended with an error (${code}): ${typeof e.object.message === 'string' ? e.object.message.slice(0, 200) : 'no message'}`;
    throw code === 429 || code >= 500 ? new WatchDropped(msg) : new RuntimeError(msg);
  }
  if (e.object.metadata === null || typeof e.object.metadata !== 'object') throw new RuntimeError(`the API server sent a watch event without metadata for ${path}`);
  return { type: e.type, object: e.object as Obj };
}

async function runResource(client: ApiClient, spec: ResourceSpec, sink: WatchSink, signal: AbortSignal, tuning: WatchTuning, listed: () => void): Promise<void> {
  let first = true;
  let failures = 0;
  while (!signal.aborted) {
    const l = first ? await spec.list() : await client.list<Obj>(spec.path, spec.query, spec.trim).then((r) => ({ ...r, items: r.items.filter(spec.keep) }));
    if (first) listed();
    first = false;
    if (!l) return; // a gap: nothing to watch
    sink.relisted(spec.resource, l.items);
    let rv = l.resourceVersion;
    for (;;) {
      if (signal.aborted) return;
      try {
        // Ended by the server before our idle timeout (watchIdleTimeoutMs), spread as client-go spreads it.
        const timeoutSeconds = String(240 + Math.floor(Math.random() * 50));
        await client.watch(spec.path, { ...spec.query, resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds }, (line) => {
          const ev = parseLine(line, spec.path);
          const v = ev.object.metadata.resourceVersion;
          if (typeof v === 'string' && v !== '') rv = v;
          failures = 0;
          if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return; // BOOKMARK: only the version moves
          const object = spec.trim(ev.object);
          // An event that stopped being one the model reads is gone from the store.
          const type = ev.type !== 'DELETED' && !spec.keep(object) ? 'DELETED' : ev.type;
          sink.event(spec.resource, { type, object });
        });
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof Gone) break; // relist
        if (e instanceof ApiError && e.status === 410) break;
        if (isForbidden(e)) {
          // Listing was allowed, watching is not: what was listed stays, its changes are not seen.
          sink.gap(spec.resource, forbiddenGap('watch', spec.resource, spec.ns, e, `changes of ${spec.resource} after the first list are not seen`), 'watch');
          return;
        }
        if (!(e instanceof WatchDropped)) throw e;
        if (++failures > tuning.maxReconnects) throw new RuntimeError(`gave up watching ${spec.resource} after ${tuning.maxReconnects} reconnects in a row: ${e.message}`);
        await sleep(Math.min(tuning.maxBackoffMs, tuning.backoffMs * 2 ** (failures - 1)), signal);
      }
    }
  }
}

export interface CoverageWatch {
  /** Every resource has been listed once (or is a gap): the store holds a whole first look. */
  ready: Promise<void>;
  /** Ends with the first error that stops the watch; resolves only after `signal` aborts. */
  done: Promise<void>;
}

export function watchCoverage(s: LiveSession, scope: Scope, sink: WatchSink, signal: AbortSignal, tuning: WatchTuning = DEFAULT_TUNING): CoverageWatch {
  const all = specs(s.client, scope, (r, g, refused) => sink.gap(r, g, refused));
  let left = all.length;
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (onReady = r));
  const listed = (): void => {
    if (--left === 0) onReady();
  };
  const done = Promise.all(all.map((spec) => runResource(s.client, spec, sink, signal, tuning, listed))).then(() => undefined);
  // A failure before the first look is whole surfaces through done; ready then never resolves.
  return { ready: Promise.race([ready, done.then(() => new Promise<void>(() => undefined))]), done };
}
