// Cluster state from files: the output of
//   kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml   (or -o json)
// as a `kind: List`, typed lists (PodList, ...), multi-document YAML, bare objects, or several files.
// Unknown kinds are ignored; anything malformed is a UsageError naming the file and the object: the
// fields the model reads are shape-checked (validate.ts), nesting is bounded, YAML alias expansion is
// bounded, a UTF-8 BOM is skipped and UTF-16 (with BOM) is decoded.

import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { defaultReadStdin } from './stdin.ts';
import { objectProblem } from './validate.ts';
import { UsageError } from '../errors.ts';
import { emptyClusterState, type ClusterState } from '../model/types.ts';
import { safeText } from '../util/sanitize.ts';

const SNAPSHOT_COMMAND = 'kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml';

const KINDS = new Set(['Node', 'DaemonSet', 'Pod', 'ControllerRevision', 'Event']);

type Collected = Map<string, Map<string, Record<string, unknown>>>;

function describe(where: string, path: string): string {
  return path ? `${where} (${path})` : where;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Deeper than this is not a Kubernetes object (real ones nest a few dozen levels, CRD schemas in a
 * List perhaps a hundred); the recursive code after the reader (selectors, template comparison, the
 * YAML/JSON printers) then never meets a nesting that could overflow the stack.
 */
const MAX_DEPTH = 256;

/** YAML aliases expanded per document; kubectl never writes aliases, a billion-laughs file needs many. */
const MAX_ALIASES = 10_000;

/** The nesting depth of a parsed value, counted without recursion, stopping once past `limit`. */
function depthExceeds(v: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object') continue;
    if (d > limit) return true;
    for (const y of Array.isArray(x) ? x : Object.values(x)) if (y !== null && typeof y === 'object') stack.push([y, d + 1]);
  }
  return false;
}

/** A name from the file as messages quote it: printable, and short (a name can be 100,000 characters). */
function quoted(s: string): string {
  const t = safeText(s);
  return t.length > 80 ? `${t.slice(0, 80)}...` : t;
}

function addObject(obj: Record<string, unknown>, kind: string, where: string, path: string, out: Collected): void {
  const meta = obj.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || meta.name === '') {
    throw new UsageError(`${describe(where, path)}: ${kind} without metadata.name`);
  }
  const name = quoted(meta.name);
  const spec = obj.spec;
  if (kind === 'DaemonSet' && (!isObject(spec) || !isObject(spec.template))) {
    throw new UsageError(`${describe(where, path)}: DaemonSet ${name} has no spec.template`);
  }
  if (kind === 'ControllerRevision' && (typeof obj.revision !== 'number' || !Number.isFinite(obj.revision))) {
    throw new UsageError(`${describe(where, path)}: ControllerRevision ${name} has no numeric revision`);
  }
  const problem = objectProblem(kind, obj);
  if (problem !== undefined) {
    const ns = typeof meta.namespace === 'string' ? `${quoted(meta.namespace)}/` : '';
    throw new UsageError(`${describe(where, path)}: ${kind} ${ns}${name}: ${safeText(problem)}; is this the output of \`${SNAPSHOT_COMMAND}\`?`);
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

const tooDeep = (where: string): UsageError =>
  new UsageError(`${where}: nested more than ${MAX_DEPTH} levels deep, which no Kubernetes object is; is this the output of \`${SNAPSHOT_COMMAND}\`?`);

function walkChecked(v: unknown, where: string, path: string, out: Collected): void {
  if (depthExceeds(v, MAX_DEPTH)) throw tooDeep(describe(where, path));
  walk(v, where, path, out);
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && /Maximum call stack size exceeded/.test(e.message));
}

/** Parse one file's text (JSON or YAML) into the collection. `where` names the file in errors. */
function parseSnapshotText(raw: string, where: string, out: Collected): void {
  // A UTF-8 byte order mark (Windows editors, PowerShell's Out-File) is not part of the text.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const trimmed = text.trimStart();
  if (trimmed === '') throw new UsageError(`${where}: the file is empty; capture a snapshot with \`${SNAPSHOT_COMMAND} > FILE\``);
  if (trimmed.startsWith('\uFFFD\uFFFD')) {
    throw new UsageError(`${where}: is not UTF-8 text (UTF-16 from standard input? convert it with iconv -f UTF-16 -t UTF-8)`);
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      if (isStackOverflow(e)) throw tooDeep(where);
      throw new UsageError(`${where}: invalid JSON: ${safeText((e as Error).message)}`);
    }
    walkChecked(parsed, where, '', out);
    return;
  }
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch (e) {
    if (isStackOverflow(e)) throw tooDeep(where);
    throw new UsageError(`${where}: invalid YAML: ${safeText((e as Error).message.split('\n')[0] ?? '')}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  for (const [i, doc] of list.entries()) {
    const docWhere = list.length > 1 ? `document ${i + 1}` : '';
    const err = doc.errors[0];
    if (err) {
      if (/Maximum call stack size exceeded/.test(err.message)) throw tooDeep(describe(where, docWhere));
      const pos = err.linePos?.[0];
      const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      throw new UsageError(`${where}: invalid YAML${at}: ${safeText(err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''))}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      if (isStackOverflow(e)) throw tooDeep(describe(where, docWhere));
      if (e instanceof ReferenceError && /alias/i.test(e.message)) {
        throw new UsageError(`${describe(where, docWhere)}: YAML aliases expand into more than ${MAX_ALIASES} nodes (a resource exhaustion attack, or not a kubectl dump)`);
      }
      throw new UsageError(`${describe(where, docWhere)}: invalid YAML: ${safeText((e as Error).message.split('\n')[0] ?? '')}`);
    }
    walkChecked(value, where, docWhere, out);
  }
}

/**
 * File bytes as text: UTF-8 (a BOM is skipped later), or UTF-16 when the file starts with its byte
 * order mark (PowerShell's `>` writes UTF-16LE).
 */
function decode(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const le = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    le.swap16();
    return le.toString('utf16le');
  }
  return buf.toString('utf8');
}

async function readSource(file: string, readStdin: () => Promise<string>): Promise<string> {
  if (file === '-') return readStdin();
  try {
    return decode(readFileSync(file));
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
