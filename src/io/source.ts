// Where cluster state comes from: snapshot files or the live API, opened once per run. Both produce the
// same ClusterState, narrowed to the command's scope, and say which scope they used (the namespace of
// the kubeconfig context, when -n was not given). A live source keeps one session (credentials obtained
// once, one connection pool) for every load and watch of the run, so `rollout status` waits (watching, or
// polling) without re-logging in.

import { applyScope, type Scope } from '../model/scope.ts';
import type { ClusterState, DaemonSet, Pod } from '../model/types.ts';
import type { ConnectionFlags } from './kubeconfig.ts';
import type { LiveNeeds } from './live/load.ts';
import type { LiveSession, SessionLog } from './live/session.ts';
import type { CoverageWatch, WatchSink } from './live/watch.ts';
import { readSnapshot } from './snapshot.ts';

export type SourceSpec = { kind: 'snapshot'; files: string[] } | { kind: 'live'; connection: ConnectionFlags };

/** The scope as the command asked for it: -n as given (or none), -A, names and selectors. */
export interface ScopeRequest extends Omit<Scope, 'namespace'> {
  namespace: string | undefined;
  allNamespaces: boolean;
}

/**
 * Takes each DaemonSet's candidate pods (those that may be its own) as soon as they are read, so a run
 * need not hold every pod of a big cluster at once (issue 14). Called first with the rest of the state
 * (nodes, DaemonSets, revisions, events; pods only when every pod was read), then once per DaemonSet
 * in scope, before `load` resolves; `load` then returns no pods unless every pod was read.
 */
export type EachDaemonSet = (rest: LoadedState) => (ds: DaemonSet, candidates: readonly Pod[]) => void;

export interface LoadRequest {
  scope: ScopeRequest;
  needs: LiveNeeds;
  eachDaemonSet?: EachDaemonSet;
}

/** A state already read as a whole, handed over as `eachDaemonSet` takes it: every pod is a candidate. */
export function eachOfLoaded(loaded: LoadedState, each: EachDaemonSet): void {
  const add = each(loaded);
  for (const ds of loaded.state.daemonSets) add(ds, loaded.state.pods);
}

export interface LoadedState {
  state: ClusterState;
  /** The scope actually used: a snapshot without -n reads every namespace; live uses the context's. */
  scope: Scope;
  /** Snapshot: the newest timestamp it holds (when it was captured). */
  capturedAtMs?: number;
  /** Live why-not in the context's namespace: how many DaemonSets of other namespaces were not looked at. */
  elsewhere?: number;
}

export interface Source {
  readonly kind: 'snapshot' | 'live';
  load(req: LoadRequest): Promise<LoadedState>;
  /**
   * Live only: list and then watch what the coverage matrix (and `rollout status`) reads (io/live/watch.ts), feeding `sink`
   * until `signal` aborts. The scope it resolved (the context's namespace without -n) comes back at once.
   */
  watch(scope: ScopeRequest, sink: WatchSink, signal: AbortSignal): Promise<{ scope: Scope; watch: CoverageWatch }>;
  /** The live session (writes); opens it on first use. */
  session(): Promise<LiveSession>;
  close(): void;
}

export interface SourceEnv {
  env: NodeJS.ProcessEnv;
  readStdin: () => Promise<string>;
  log: SessionLog;
}

function snapshotSource(files: readonly string[], readStdin: () => Promise<string>): Source {
  let full: Promise<{ state: ClusterState; capturedAtMs?: number }> | undefined;
  return {
    kind: 'snapshot',
    async load(req) {
      full ??= readSnapshot(files, readStdin);
      const { state, capturedAtMs: at } = await full;
      // A snapshot has no current context: without -n it is read across all namespaces.
      const scope: Scope = { ...req.scope, namespace: req.scope.allNamespaces ? undefined : req.scope.namespace };
      const loaded: LoadedState = { state: applyScope(state, scope), scope, ...(at !== undefined ? { capturedAtMs: at } : {}) };
      if (req.eachDaemonSet) eachOfLoaded(loaded, req.eachDaemonSet);
      return loaded;
    },
    session() {
      return Promise.reject(new Error('a snapshot has no live session'));
    },
    watch() {
      // options.ts rejects --watch with --snapshot before any I/O; this is the backstop.
      return Promise.reject(new Error('a snapshot does not change: there is nothing to watch'));
    },
    close() {},
  };
}

function liveSource(connection: ConnectionFlags, senv: SourceEnv): Source {
  let opened: Promise<LiveSession> | undefined;
  // Loaded on demand: the live client stays out of the start-up path of snapshot and help runs.
  const session = (): Promise<LiveSession> => (opened ??= import('./live/session.ts').then((m) => m.openSession(connection, senv.env, senv.log)));
  return {
    kind: 'live',
    session,
    async load(req) {
      const s = await session();
      // The per-run byte cap holds per look: `rollout status` polling (--poll, a watch refused) loads through one client.
      s.client.beginLoad();
      const { countDaemonSetsOutside, loadCoverage, loadForNode } = await import('./live/load.ts');
      // kubectl: without -n or -A, the context's namespace (or "default").
      const scope: Scope = { ...req.scope, namespace: req.scope.allNamespaces ? undefined : (req.scope.namespace ?? s.conn.namespace) };
      const n = req.needs.nodes;
      const each = req.eachDaemonSet;
      if (typeof n !== 'object') return { state: await loadCoverage(s, scope, req.needs, each && ((rest) => each({ state: rest, scope }))), scope };
      // Neither -n nor -A: say how many DaemonSets of other namespaces why-not did not look at.
      const fromContext = req.scope.namespace === undefined && !req.scope.allNamespaces;
      const [state, elsewhere] = await Promise.all([loadForNode(s, scope, n.name, req.needs), fromContext ? countDaemonSetsOutside(s, scope.namespace ?? '') : Promise.resolve(undefined)]);
      const loaded: LoadedState = { state, scope, ...(elsewhere ? { elsewhere } : {}) };
      if (each) eachOfLoaded(loaded, each);
      return loaded;
    },
    async watch(req, sink, signal) {
      const s = await session();
      const { watchCoverage } = await import('./live/watch.ts');
      const scope: Scope = { ...req, namespace: req.allNamespaces ? undefined : (req.namespace ?? s.conn.namespace) };
      return { scope, watch: watchCoverage(s, scope, sink, signal) };
    },
    close() {
      void opened?.then((s) => s.client.close(), () => undefined);
    },
  };
}

export function openSource(spec: SourceSpec, senv: SourceEnv): Source {
  return spec.kind === 'snapshot' ? snapshotSource(spec.files, senv.readStdin) : liveSource(spec.connection, senv);
}
