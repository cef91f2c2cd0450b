// Cluster state from files: the output of
//   kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml   (or -o json)
// as a `kind: List`, typed lists (PodList, ...), multi-document YAML, bare objects, or several files.
// Unknown kinds are ignored; anything malformed is a UsageError naming the file.

import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { defaultReadStdin } from './stdin.ts';
import { UsageError } from '../errors.ts';
import { emptyClusterState, type ClusterState } from '../model/types.ts';

const SNAPSHOT_COMMAND = 'kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml';

const KINDS = new Set(['Node', 'DaemonSet', 'Pod', 'ControllerRevision', 'Event']);

type Collected = Map<string, Map<string, Record<string, unknown>>>;

function describe(where: string, path: string): string {
  return path ? `${where} (${path})` : where;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function addObject(obj: Record<string, unknown>, kind: string, where: string, path: string, out: Collected): void {
  const meta = obj.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '') {
    throw new UsageError(`${describe(where, path)}: ${kind} without metadata.name`);
  }
  const spec = obj.spec;
  if (kind === 'DaemonSet' && (!isObject(spec) || !isObject(spec.template))) {
    throw new UsageError(`${describe(where, path)}: DaemonSet ${meta.name} has no spec.template`);
  }
  if (kind === 'ControllerRevision' && typeof obj.revision !== 'number') {
    throw new UsageError(`${describe(where, path)}: ControllerRevision ${meta.name} has no numeric revision`);
  }
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const byKind = out.get(kind) ?? new Map<string, Record<string, unknown>>();
  out.set(kind, byKind);
  byKind.set(`${ns}/${meta.name}`, { ...obj, kind });
}

function walk(v: unknown, where: string, path: string, out: Collected, impliedKind?: string): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => walk(x, where, `${path}[${i}]`, out, impliedKind));
    return;
  }
  if (v === null || v === undefined) return; // empty YAML document
  if (!isObject(v)) {
    throw new UsageError(`${describe(where, path)}: expected a Kubernetes object or List, found ${typeof v}`);
  }
  const kind = typeof v.kind === 'string' ? v.kind : impliedKind;
  if (Array.isArray(v.items) && (kind === undefined || kind.endsWith('List'))) {
    // Typed lists from the raw API (PodList) omit kind on their items.
    const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
    v.items.forEach((x, i) => walk(x, where, `${path ? `${path}.` : ''}items[${i}]`, out, itemKind));
    return;
  }
  if (kind === undefined) {
    throw new UsageError(`${describe(where, path)}: object without "kind"; is this the output of \`${SNAPSHOT_COMMAND}\`?`);
  }
  if (KINDS.has(kind)) addObject(v, kind, where, path, out);
}

/** Parse one file's text (JSON or YAML) into the collection. `where` names the file in errors. */
function parseSnapshotText(text: string, where: string, out: Collected): void {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new UsageError(`${where}: the file is empty; capture a snapshot with \`${SNAPSHOT_COMMAND} > FILE\``);
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${where}: invalid JSON: ${(e as Error).message}`);
    }
    walk(parsed, where, '', out);
    return;
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const [i, doc] of list.entries()) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new UsageError(`${where}: invalid YAML${at}: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    walk(doc.toJS({ maxAliasCount: 10000 }), where, list.length > 1 ? `document ${i + 1}` : '', out);
  }
}

async function readSource(file: string, readStdin: () => Promise<string>): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`snapshot ${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`snapshot ${file}: is a directory, not a file`);
    if (code === 'EACCES') throw new UsageError(`snapshot ${file}: permission denied`);
    throw new UsageError(`snapshot ${file}: cannot read: ${(e as Error).message}`);
  }
}


/** Load one or more snapshot files into a ClusterState. */
export async function loadSnapshot(files: readonly string[], readStdin: () => Promise<string> = defaultReadStdin): Promise<ClusterState> {
  const out: Collected = new Map();
  for (const f of files) parseSnapshotText(await readSource(f, readStdin), f === '-' ? 'snapshot <stdin>' : `snapshot ${f}`, out);
  const state = emptyClusterState();
  const get = <T>(kind: string): T[] => [...(out.get(kind)?.values() ?? [])] as T[];
  state.nodes = get('Node');
  state.daemonSets = get('DaemonSet');
  state.pods = get('Pod');
  state.controllerRevisions = get('ControllerRevision');
  state.events = get('Event');
  state.allPodsOnNodesKnown = state.pods.length > 0;
  const names = files.map((f) => (f === '-' ? '<stdin>' : f)).join(', ');
  if (state.nodes.length === 0 && state.daemonSets.length === 0) {
    throw new UsageError(`snapshot ${names} contains no Node or DaemonSet objects; capture one with \`${SNAPSHOT_COMMAND} > FILE\``);
  }
  if (state.pods.length === 0 && state.daemonSets.length > 0) {
    state.gaps.push({ resource: 'pods', message: 'the snapshot has no Pod objects: every eligible node shows as Missing' });
  }
  if (state.controllerRevisions.length === 0 && state.daemonSets.length > 0) {
    state.gaps.push({
      resource: 'controllerrevisions',
      message: 'the snapshot has no ControllerRevisions: pods count as updated only by their pod-template-generation label',
    });
  }
  return state;
}
