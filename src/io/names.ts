// Names for shell completion: DaemonSets, nodes, namespaces, revision numbers and kubeconfig contexts,
// from the snapshot files on the command line or from the live API. Completion runs on every <TAB>, so a
// live read has one short deadline for everything (credentials included) and answers nothing rather
// than keep the shell waiting; errors are swallowed the same way.

import type { ControllerRevision, DaemonSet } from '../model/types.ts';
import { controlledRevisions } from '../model/revisions.ts';
import type { CliIO } from '../runtime.ts';
import { kubeconfigFiles, mergeConfigs, readConfig } from './kubeconfig.ts';
import type { ApiClient } from './http.ts';
import { loadSnapshot } from './snapshot.ts';

export type NameKind = 'daemonsets' | 'nodes' | 'namespaces' | 'revisions' | 'contexts';

export interface NameQuery {
  kind: NameKind;
  /** -n as typed; undefined = the context's namespace (live) or every namespace (snapshot). */
  namespace?: string | undefined;
  allNamespaces: boolean;
  /** revisions: the DaemonSet whose revisions are wanted. */
  daemonSet?: string | undefined;
}

/** Where cluster state comes from, as typed on the command line being completed. */
export interface NameSource {
  snapshot: string[];
  kubeconfig?: string | undefined;
  context?: string | undefined;
  cluster?: string | undefined;
  user?: string | undefined;
}

export type NameReader = (source: NameSource, query: NameQuery) => Promise<string[]>;

/** The whole budget of one live completion, connection and credentials included. */
const COMPLETION_TIMEOUT_MS = 1500;

const uniqueSorted = (xs: Iterable<string>): string[] => [...new Set(xs)].filter((x) => x !== '').sort();
const revisionNumbers = (revs: readonly ControllerRevision[]): string[] => revs.map((r) => String(r.revision)).reverse();

async function fromSnapshot(files: string[], q: NameQuery): Promise<string[]> {
  // Standard input belongs to the shell during completion.
  const state = await loadSnapshot(files.filter((f) => f !== '-'));
  const inNs = (d: DaemonSet): boolean => q.allNamespaces || q.namespace === undefined || (d.metadata.namespace ?? 'default') === q.namespace;
  switch (q.kind) {
    case 'nodes':
      return uniqueSorted(state.nodes.map((n) => n.metadata.name ?? ''));
    case 'namespaces':
      return uniqueSorted([...state.daemonSets, ...state.pods].map((o) => o.metadata.namespace ?? 'default'));
    case 'daemonsets':
      return uniqueSorted(state.daemonSets.filter(inNs).map((d) => d.metadata.name ?? ''));
    case 'revisions': {
      const ds = state.daemonSets.find((d) => inNs(d) && d.metadata.name === q.daemonSet);
      return ds ? revisionNumbers(controlledRevisions(ds, state.controllerRevisions)) : [];
    }
    default:
      return [];
  }
}

interface Named {
  metadata: { name?: string | undefined; namespace?: string | undefined };
}
const nameOnly = (o: Named): Named => ({ metadata: { name: o.metadata.name, namespace: o.metadata.namespace } });

async function fromApi(client: ApiClient, namespace: string, q: NameQuery): Promise<string[]> {
  const ns = encodeURIComponent(namespace);
  switch (q.kind) {
    case 'nodes':
      return uniqueSorted((await client.list<Named>('/api/v1/nodes', {}, nameOnly)).items.map((n) => n.metadata.name ?? ''));
    case 'namespaces':
      return uniqueSorted((await client.list<Named>('/api/v1/namespaces', {}, nameOnly)).items.map((n) => n.metadata.name ?? ''));
    case 'daemonsets': {
      const path = q.allNamespaces ? '/apis/apps/v1/daemonsets' : `/apis/apps/v1/namespaces/${ns}/daemonsets`;
      return uniqueSorted((await client.list<Named>(path, {}, nameOnly)).items.map((d) => d.metadata.name ?? ''));
    }
    case 'revisions': {
      if (!q.daemonSet) return [];
      const ds = await client.get<DaemonSet>(`/apis/apps/v1/namespaces/${ns}/daemonsets/${encodeURIComponent(q.daemonSet)}`);
      const { listRevisions } = await import('./live/reads.ts');
      return revisionNumbers(controlledRevisions(ds, await listRevisions(client, [namespace], new Map())));
    }
    default:
      return [];
  }
}

function contexts(source: NameSource, env: NodeJS.ProcessEnv): string[] {
  const merged = mergeConfigs(kubeconfigFiles({ kubeconfig: source.kubeconfig }, env).map((f) => readConfig(f)));
  return uniqueSorted(merged.contexts.keys());
}

/** The default reader: snapshot files when given, else the cluster, within COMPLETION_TIMEOUT_MS. */
export function completionNames(io: CliIO, timeoutMs = COMPLETION_TIMEOUT_MS): NameReader {
  return async (source, q) => {
    try {
      if (q.kind === 'contexts') return contexts(source, io.env);
      if (source.snapshot.length > 0) return await fromSnapshot(source.snapshot, q);
      const { openSession } = await import('./live/session.ts');
      let client: ApiClient | undefined;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<string[]>((resolve) => {
        timer = setTimeout(() => resolve([]), timeoutMs);
        timer.unref();
      });
      const work = (async (): Promise<string[]> => {
        const flags = { ...source, namespace: q.namespace, requestTimeout: `${timeoutMs}ms` };
        const session = await openSession(flags, io.env, { verbosity: 0, write: () => true });
        client = session.client;
        return fromApi(session.client, q.namespace ?? session.conn.namespace, q);
      })().catch(() => [] as string[]);
      try {
        return await Promise.race([work, deadline]);
      } finally {
        clearTimeout(timer);
        client?.close();
      }
    } catch {
      return [];
    }
  };
}
