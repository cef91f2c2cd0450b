// Cluster state from files: the output of
//   kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml   (or -o json)
// as a `kind: List`, typed lists (PodList, ...), multi-document YAML, bare objects, or several files.
// Unknown kinds are ignored; anything malformed is a UsageError naming the file and the object: the
// fields the model reads are shape-checked (validate.ts), nesting is bounded, YAML alias expansion is
// bounded, a UTF-8 BOM is skipped and UTF-16 (with BOM) is decoded.
//
// Files are read as streams (issue 14): JSON through the item splitter (json-items.ts), one JSON.parse
// per element of "items"; kubectl's YAML layout split at its items (`- ` at column 0 under a top-level
// `items:`), each item read by yaml-items.ts (or by `yaml` when outside its subset). Each object is
// validated whole, its newest timestamp noted (capturedAt), then trimmed to what the model reads
// (trim.ts, as the live path does). Anything off the beaten path (a JSON array, flow style, anchors
// across items, directives, an error of any kind but a validation error of a plain List) is read again
// the way it always was, the whole file at once, so answers and error messages do not depend on the path.

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseAllDocuments, parseDocument } from 'yaml';
import { JsonListSplitter, JsonSplitError } from './json-items.ts';
import { defaultReadStdin } from './stdin.ts';
import { trimMeta, trimNode, trimObject, trimPod } from './trim.ts';
import { objectProblem } from './validate.ts';
import { BAIL, parseYamlItem } from './yaml-items.ts';
import { UsageError } from '../errors.ts';
import { newestTime } from '../model/capturedAt.ts';
import { emptyClusterState, type ClusterState, type Node, type Pod } from '../model/types.ts';
import { safeText } from '../util/sanitize.ts';

const SNAPSHOT_COMMAND = 'kubectl get nodes,daemonsets,pods,controllerrevisions,events -A -o yaml';

const KINDS = new Set(['Node', 'DaemonSet', 'Pod', 'ControllerRevision', 'Event']);

/** An object as kept: trimmed, with the newest timestamp of the whole object (capturedAt). */
interface Entry {
  obj: Record<string, unknown>;
  at: number;
}
type Collected = Map<string, Map<string, Entry>>;

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

/**
 * Whether a parsed value nests objects deeper than `limit` (the value itself at depth 1). Recursive,
 * but never deeper than `limit` + 1 calls: it stops as soon as the limit is passed.
 */
function depthExceeds(v: unknown, limit: number, d = 1): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (d > limit) return true;
  if (Array.isArray(v)) {
    for (const y of v) if (y !== null && typeof y === 'object' && depthExceeds(y, limit, d + 1)) return true;
    return false;
  }
  for (const k in v) {
    const y = (v as Record<string, unknown>)[k];
    if (y !== null && typeof y === 'object' && depthExceeds(y, limit, d + 1)) return true;
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
  const byKind = out.get(kind) ?? new Map<string, Entry>();
  out.set(kind, byKind);
  const full = { ...obj, kind };
  byKind.set(`${ns}/${meta.name}`, { at: newestTime(full), obj: trimFor(kind, full) });
}

/**
 * `o` trimmed as the live path trims it. trimPod and trimNode build new objects; the other trims delete
 * from `metadata`, which is copied first: YAML aliases can share one map between objects, and the next
 * object must still see it whole.
 */
function trimFor(kind: string, o: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'Node':
      return trimNode(o as unknown as Node) as unknown as Record<string, unknown>;
    case 'Pod':
      return trimPod(o as unknown as Pod) as unknown as Record<string, unknown>;
  }
  o.metadata = { ...(o.metadata as Record<string, unknown>) };
  if (kind === 'Event') {
    trimMeta(o as { metadata: Record<string, unknown> }, false);
    return o;
  }
  return trimObject(o as { metadata: Record<string, unknown> });
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

function readError(file: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UsageError(`snapshot ${file}: no such file`);
  if (code === 'EISDIR') return new UsageError(`snapshot ${file}: is a directory, not a file`);
  if (code === 'EACCES') return new UsageError(`snapshot ${file}: permission denied`);
  return new UsageError(`snapshot ${file}: cannot read: ${(e as Error).message}`);
}

function readWhole(file: string): string {
  try {
    return decode(readFileSync(file));
  } catch (e) {
    throw readError(file, e);
  }
}

const CHUNK = 1 << 20;

/** The file's bytes, a chunk at a time (each chunk a new buffer: the JSON splitter keeps parts of them). */
function* chunksOf(file: string): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (e) {
    throw readError(file, e);
  }
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (e) {
        throw readError(file, e);
      }
      if (n === 0) return;
      yield n === CHUNK ? buf : buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The stream could not be read item by item: read the whole file as before. */
class Fallback extends Error {}

/** What the streamed file held, in the order the whole-file path would have met it. */
interface ItemOutcome {
  /** Objects of the file, to merge into the result once the file is read to its end. */
  out: Collected;
  /** The first validation error of an item handled at once (thrown once the document is known to parse). */
  error?: UsageError;
  /** Items handled at once (they carry their kind) and items that wait for the List's kind. */
  immediate: number;
  deferred: { index: number; value: unknown }[];
}

const newOutcome = (): ItemOutcome => ({ out: new Map(), immediate: 0, deferred: [] });

/** An item nested too deep: the whole document nests 2 levels above its items (the document, the list). */
function checkItemDepth(value: unknown): void {
  if (depthExceeds(value, MAX_DEPTH - 2)) throw new Fallback();
}

/** One element of a List's items: checked and collected now when its kind does not depend on the List's. */
function takeItem(o: ItemOutcome, value: unknown, index: number, where: string): void {
  if (value === null || value === undefined) return;
  if (o.error !== undefined) return;
  if (Array.isArray(value) || (isObject(value) && typeof value.kind !== 'string')) {
    o.deferred.push({ index, value });
    return;
  }
  o.immediate++;
  try {
    walk(value, where, `items[${index}]`, o.out);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    o.error = e;
  }
}

/** The List's own members are known (kubectl prints "kind" after "items"): finish its items. */
function finishList(o: ItemOutcome, top: Record<string, unknown>, where: string): void {
  const kind = typeof top.kind === 'string' ? top.kind : undefined;
  if (!(kind === undefined || kind.endsWith('List'))) throw new Fallback(); // an object with an "items" field
  if (depthExceeds(top, MAX_DEPTH)) throw new Fallback();
  if (o.deferred.length > 0 && (o.immediate > 0 || o.error !== undefined)) throw new Fallback(); // the order of a mixed list
  if (o.error !== undefined) throw o.error;
  const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
  for (const { index, value } of o.deferred) walk(value, where, `items[${index}]`, o.out, itemKind);
  o.deferred = [];
}

function merge(from: Collected, into: Collected): void {
  for (const [kind, m] of from) {
    const byKind = into.get(kind) ?? new Map<string, Entry>();
    into.set(kind, byKind);
    for (const [k, v] of m) byKind.set(k, v);
  }
}

const isSpaceByte = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A JSON file through the splitter. Returns the file's objects; throws Fallback when the file is not
 * one object or anything about it is unusual, UsageError for what the whole-file path would report.
 */
function streamJson(chunks: Iterable<Buffer>, where: string): Collected {
  const o = newOutcome();
  const members = new Map<string, unknown>();
  let arrays = 0;
  let index = 0;
  let problem = false;
  const splitter = new JsonListSplitter({
    itemsStart() {
      arrays++;
    },
    item(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Fallback();
      }
      checkItemDepth(value);
      takeItem(o, value, index++, where);
    },
    member(key, value) {
      if (members.has(key) || key === 'items' || key === '__proto__') problem = true;
      members.set(key, value);
    },
  });
  try {
    for (const c of chunks) {
      splitter.write(c);
      if (problem || arrays > 1) throw new Fallback();
    }
    splitter.end();
  } catch (e) {
    if (e instanceof JsonSplitError || e instanceof RangeError) throw new Fallback();
    throw e;
  }
  if (problem || arrays > 1) throw new Fallback();
  const top = Object.fromEntries(members);
  if (arrays === 0) {
    walkChecked(top, where, '', o.out);
    return o.out;
  }
  finishList(o, { ...top, items: [] }, where);
  return o.out;
}

/** A value's strings copied out of the text they were cut from (a kept 20-byte label must not hold a 1 MB chunk). */
function detached(v: unknown): unknown {
  if (typeof v === 'string') return v.length < 16 ? v : (` ${v}`).slice(1);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = detached(v[i]);
    return v;
  }
  const r = v as Record<string, unknown>;
  for (const k of Object.keys(r)) r[k] = detached(r[k]);
  return v;
}

/** A YAML text (a document's members, or an item outside the fast subset) through `yaml`; Fallback on any error. */
function yamlValue(text: string): unknown {
  try {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new Fallback();
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch {
    throw new Fallback();
  }
}

const TOP_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*:( |$)/;
const ITEMS_KEY = /^items: *$/;
const MARKER = /^(---|\.\.\.) *$/;
const BLANK = /^ *$/;

/**
 * A YAML file as lines: documents split at `---`, each a mapping whose `items:` is followed by `- `
 * entries at column 0 (kubectl's layout); each entry is read on its own, the other members together.
 */
class YamlStream {
  private readonly where: string;
  readonly out: Collected = new Map();
  private o = newOutcome();
  private mode: 'top' | 'pending' | 'items' | 'afterComment' | 'ended' = 'top';
  private rest: string[] = [];
  private item: string[] = [];
  private index = 0;
  private sawItems = false;
  private fragments = false;
  private content = false;
  private sawMarker = false;
  private first = true;

  constructor(where: string) {
    this.where = where;
  }

  line(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.first) {
      this.first = false;
      if (line.startsWith('\uFEFF')) line = line.slice(1);
    }
    if (line.includes('\r')) throw new Fallback();
    const c = line.charCodeAt(0);
    if (line === '' || c === 0x20) {
      // Blank or indented: part of the current item or member.
      if (this.mode === 'ended' || this.mode === 'afterComment') {
        if (BLANK.test(line)) return;
        throw new Fallback();
      }
      if (this.mode === 'items') {
        if (!line.startsWith('  ') && !BLANK.test(line)) throw new Fallback();
        this.item.push(line);
        return;
      }
      if (this.mode === 'pending') {
        if (BLANK.test(line)) return;
        this.rest.push('items:');
        this.mode = 'top';
      }
      this.rest.push(line);
      return;
    }
    if (c === 0x23) {
      // A comment at column 0: it ends an item, and an item must follow it (or the list must end).
      if (this.mode === 'items') {
        this.endItem();
        this.mode = 'afterComment';
      } else if (this.mode === 'top') this.rest.push(line);
      return;
    }
    if (MARKER.test(line)) {
      this.endDocument(true);
      this.mode = line.startsWith('.') ? 'ended' : 'top';
      return;
    }
    if (this.mode === 'ended') throw new Fallback();
    this.content = true;
    if (c === 0x2d && (line.length === 1 || line.charCodeAt(1) === 0x20)) {
      if (this.mode === 'items' || this.mode === 'afterComment' || this.mode === 'pending') {
        if (this.mode === 'items') this.endItem();
        else if (this.mode === 'pending') {
          this.rest.push('items: []');
          this.fragments = true;
        }
        this.mode = 'items';
        this.item = [line];
        return;
      }
      this.rest.push(line);
      return;
    }
    if (!TOP_KEY.test(line)) throw new Fallback();
    if (this.mode === 'items') this.endItem();
    if (this.mode === 'pending') this.rest.push('items:');
    this.mode = 'top';
    if (line.startsWith('items:')) {
      if (this.sawItems) throw new Fallback();
      this.sawItems = true;
      if (ITEMS_KEY.test(line)) {
        this.mode = 'pending';
        return;
      }
    }
    this.rest.push(line);
  }

  private endItem(): void {
    const lines = this.item;
    this.item = [];
    let value = parseYamlItem(lines.slice(), 0, lines.length);
    if (value === BAIL) value = yamlValue(`  ${lines[0]!.slice(2)}\n${lines.slice(1).join('\n')}`);
    checkItemDepth(value);
    takeItem(this.o, detached(value), this.index++, this.where);
  }

  /** The end of a document (at a marker or the end of the file). */
  endDocument(atMarker: boolean): void {
    if (this.mode === 'items') this.endItem();
    if (this.mode === 'pending') this.rest.push('items:');
    if (atMarker) this.sawMarker = true;
    const o = this.o;
    const rest = this.rest;
    const fragments = this.fragments;
    const content = this.content;
    this.o = newOutcome();
    this.rest = [];
    this.index = 0;
    this.sawItems = false;
    this.fragments = false;
    this.content = false;
    if (!content) return; // blank or comments only: an empty document
    try {
      const value = yamlValue(rest.join('\n'));
      if (depthExceeds(value, MAX_DEPTH)) throw new Fallback();
      if (!fragments) {
        walkChecked(detached(value), this.where, '', o.out);
      } else {
        if (!isObject(value) || !Array.isArray(value.items) || value.items.length > 0) throw new Fallback();
        finishList(o, value, this.where);
      }
    } catch (e) {
      // Errors name the document ("document 2") when the file has several: left to the whole-file path.
      if (e instanceof UsageError && this.sawMarker) throw new Fallback();
      throw e;
    }
    merge(o.out, this.out);
  }
}

function streamYaml(chunks: Iterable<string>, where: string): Collected {
  const y = new YamlStream(where);
  let pending = '';
  for (const chunk of chunks) {
    const text = pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      y.line(text.slice(start, nl));
      start = nl + 1;
    }
    pending = text.slice(start);
  }
  if (pending !== '') y.line(pending);
  y.endDocument(false);
  return y.out;
}

function* decoded(chunks: Iterable<Buffer>): Generator<string> {
  const d = new StringDecoder('utf8');
  for (const c of chunks) yield d.write(c);
  const last = d.end();
  if (last) yield last;
}

/** Streams a file's chunks; the first (already read) chunk comes first. */
function* withFirst(first: Buffer, rest: Iterator<Buffer>): Generator<Buffer> {
  yield first;
  for (let r = rest.next(); !r.done; r = rest.next()) yield r.value;
}

/** For tests: `whole` reads every file the way it was read before streaming; `paths` records which path read each. */
interface ReadOptions {
  whole?: boolean;
  paths?: ('stream' | 'whole')[];
}

/** Read one file (or stdin) into `out`: streamed when it can be, else the whole text as before. */
async function readFile(file: string, where: string, readStdin: () => Promise<string>, out: Collected, opts: ReadOptions): Promise<void> {
  let text: string | undefined;
  let got: Collected | undefined;
  if (opts.whole) text = file === '-' ? await readStdin() : readWhole(file);
  else try {
    if (file === '-') {
      text = await readStdin();
      const t = text.startsWith('\uFEFF') ? text.slice(1) : text;
      const head = t.trimStart();
      if (head.startsWith('{')) got = streamJson([Buffer.from(t)], where);
      else if (head !== '' && !head.startsWith('[')) got = streamYaml([t], where);
    } else {
      const it = chunksOf(file)[Symbol.iterator]();
      try {
        got = streamFile(it, where);
      } finally {
        it.return?.(undefined);
      }
    }
  } catch (e) {
    if (!(e instanceof Fallback)) {
      opts.paths?.push('stream');
      throw e;
    }
    got = undefined;
  }
  opts.paths?.push(got === undefined ? 'whole' : 'stream');
  if (got === undefined) {
    const whole: Collected = new Map();
    parseSnapshotText(text ?? readWhole(file), where, whole);
    got = whole;
  }
  merge(got, out);
}

/** A file's chunks, streamed as JSON or YAML by its first byte; undefined for the whole-file path. */
function streamFile(it: Iterator<Buffer>, where: string): Collected | undefined {
  const r = it.next();
  const first = r.done ? Buffer.alloc(0) : r.value;
  // UTF-16 (PowerShell) is decoded whole; a UTF-8 BOM is skipped.
  const utf16 = first.length >= 2 && ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff));
  let k = first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf ? 3 : 0;
  const bom = k;
  while (k < first.length && isSpaceByte(first[k]!)) k++;
  if (utf16 || k === first.length) return undefined;
  const chunks = withFirst(first.subarray(bom), it);
  if (first[k] === 0x7b) return streamJson(chunks, where);
  if (first[k] === 0x5b) return undefined;
  return streamYaml(decoded(chunks), where);
}

/** Load one or more snapshot files: the state, and when the snapshot was taken (its newest timestamp). */
export async function readSnapshot(
  files: readonly string[],
  readStdin: () => Promise<string> = defaultReadStdin,
  opts: ReadOptions = {},
): Promise<{ state: ClusterState; capturedAtMs?: number }> {
  const out: Collected = new Map();
  for (const f of files) await readFile(f, f === '-' ? 'snapshot <stdin>' : `snapshot ${f}`, readStdin, out, opts);
  const state = emptyClusterState();
  let newest = -Infinity;
  const get = <T>(kind: string): T[] => {
    const list: T[] = [];
    for (const e of out.get(kind)?.values() ?? []) {
      if (e.at > newest) newest = e.at;
      list.push(e.obj as T);
    }
    return list;
  };
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
  return Number.isFinite(newest) ? { state, capturedAtMs: newest } : { state };
}

/** Load one or more snapshot files into a ClusterState. */
export async function loadSnapshot(files: readonly string[], readStdin: () => Promise<string> = defaultReadStdin): Promise<ClusterState> {
  return (await readSnapshot(files, readStdin)).state;
}
