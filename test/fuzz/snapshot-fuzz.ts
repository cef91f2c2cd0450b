// A bounded fuzzer of the snapshot reader through the real command path: mutate the demo snapshot and
// the small fixture (type swaps, deletions, nulls, huge numbers, deep nesting, hostile strings, random
// bytes), run main() in-process on the result, and check what a user would see: exit 0 or 2, no
// JavaScript error text or stack trace on stderr, no control characters in human output, no hang.
// Deterministic: every case derives from (seed, case number), so a failure reproduces from both.

import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { main } from '../../src/cli.ts';
import { captureIO } from '../support/cli.ts';

export interface FuzzOptions {
  seed: number;
  iterations: number;
  /** A case that takes longer than this is reported as a hang. */
  caseTimeoutMs: number;
  /** Only this case (reproducing a failure). */
  onlyCase?: number;
}

export interface FuzzFailure {
  seed: number;
  case: number;
  argv: string[];
  problem: string;
  code: number | undefined;
  stderr: string;
  input: string;
}

export interface FuzzSummary {
  cases: number;
  exits: Record<string, number>;
  failures: FuzzFailure[];
}

type Rng = () => number;

/** mulberry32: small, fast, and the same sequence on every platform. */
function rngFor(seed: number, n: number): Rng {
  let a = (seed ^ Math.imul(n + 1, 0x9e3779b9)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function items(file: string): Obj[] {
  const doc = parse(readFileSync(file, 'utf8')) as { items?: Obj[] };
  return doc.items ?? [];
}

let corpus: { demo: Obj[]; small: Obj[] } | undefined;
function loadCorpus(): { demo: Obj[]; small: Obj[] } {
  corpus ??= { demo: items('examples/demo-cluster.yaml'), small: items('test/fixtures/small.yaml') };
  return corpus;
}

const clone = <T>(v: T): T => structuredClone(v);

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\x1b]0;owned\x07\x1b[2J\x1b[H',
  'multi\nline\r\nmessage\twith tab',
  '\u009b31m8-bit CSI',
  '\u0000nul',
  '%s%n{{.}}${x}',
  'ünïcödé ✔ 日本',
  '-1',
  '1e400',
  'NaN',
  'true',
  '*',
  'a/b/c',
  '100%',
  '9223372036854775808',
  'Exists',
  'NoExecute',
  'Ready',
  'True',
];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 1, 2 ** 63, -1, 0, 0.5, 1e-320, 4294967296];
const KINDS = ['Node', 'DaemonSet', 'Pod', 'ControllerRevision', 'Event', 'List', 'NodeList', 'PodList', 'Status', ''];

/** Every (container, key) in the tree, breadth first, capped so huge documents stay cheap. */
function slots(root: Json): [Obj | Json[], string | number][] {
  const out: [Obj | Json[], string | number][] = [];
  const queue: Json[] = [root];
  while (queue.length > 0 && out.length < 5000) {
    const v = queue.shift()!;
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push([v, i]);
        queue.push(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push([v, k]);
        queue.push(v[k]!);
      }
    }
  }
  return out;
}

function nest(v: Json, depth: number, r: Rng): Json {
  let x = v;
  for (let i = 0; i < depth; i++) x = r() < 0.5 ? [x] : { a: x };
  return x;
}

function swapType(v: Json, r: Rng): Json {
  if (typeof v === 'string') return pick(r, [Number(v.length), true, [v], { v }, null]);
  if (typeof v === 'number') return pick(r, [String(v), pick(r, HUGE_NUMBERS), [v], { v }, false]);
  if (typeof v === 'boolean') return pick(r, [String(v), v ? 1 : 0, [v]]);
  if (Array.isArray(v)) return pick(r, [{ ...v }, v.length, 'list', v[0] ?? null]);
  if (v !== null && typeof v === 'object') return pick(r, [[v], Object.keys(v).join(','), 7, Object.values(v)]);
  return pick(r, ['', 0, [], {}]);
}

/** One structural mutation somewhere in the tree (in place). */
function mutate(root: Obj, r: Rng): void {
  const all = slots(root);
  if (all.length === 0) return;
  const [parent, key] = pick(r, all);
  const get = (): Json => (Array.isArray(parent) ? parent[key as number]! : parent[key as string]!);
  const set = (v: Json): void => {
    if (Array.isArray(parent)) parent[key as number] = v;
    else parent[key as string] = v;
  };
  const v = get();
  switch (int(r, 12)) {
    case 0:
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 1:
      set(null);
      break;
    case 2:
    case 3:
      set(swapType(v, r));
      break;
    case 4:
      set(pick(r, HUGE_NUMBERS));
      break;
    case 5:
      set(pick(r, HOSTILE_STRINGS));
      break;
    case 6:
      set('x'.repeat(1 + int(r, 100_000)));
      break;
    case 7:
      set(nest(v, 1 + int(r, 400), r));
      break;
    case 8:
      if (Array.isArray(v) && v.length > 0) for (let i = 0, n = int(r, 500); i < n; i++) v.push(clone(pick(r, v)));
      else set([v, clone(v)]);
      break;
    case 9:
      set(clone(pick(r, all)[0] as Json));
      break;
    case 10:
      set(pick(r, ['', [], {}, 0]));
      break;
    default:
      // Structure confusion: an object announcing another kind.
      if (!Array.isArray(parent)) parent.kind = pick(r, KINDS);
      else set(pick(r, KINDS));
  }
}

/** Byte-level damage to the serialized text. */
function damage(text: string, r: Rng): string {
  const buf = Buffer.from(text, 'utf8');
  switch (int(r, 6)) {
    case 0: {
      for (let i = 0, n = 1 + int(r, 10); i < n && buf.length > 0; i++) buf[int(r, buf.length)] = int(r, 256);
      return buf.toString('utf8');
    }
    case 1:
      return text.slice(0, int(r, text.length + 1));
    case 2: {
      const at = int(r, text.length + 1);
      const junk = Buffer.from(Array.from({ length: 1 + int(r, 64) }, () => int(r, 256))).toString('latin1');
      return text.slice(0, at) + junk + text.slice(at);
    }
    case 3:
      return pick(r, ['\uFEFF', '\uFFFD\uFFFD', '\u0000', '%YAML 1.1\n---\n', '--- !!binary\n']) + text;
    case 4: {
      const at = text.indexOf('\n', int(r, text.length));
      const bomb = 'x: &a [1,1,1,1,1,1,1,1]\ny: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nw: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
      return at < 0 ? text + '\n' + bomb : text.slice(0, at + 1) + pick(r, [bomb, '&anchor\n', '*undefined_alias\n', '? complex key\n']) + text.slice(at + 1);
    }
    default:
      return text.replace(/: /g, (m) => (r() < 0.02 ? ':\t' : m));
  }
}

function nameOf(o: Json | undefined): string | undefined {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const m = o.metadata;
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return undefined;
  return typeof m.name === 'string' ? m.name : undefined;
}

function argvFor(doc: Obj[], r: Rng): string[] {
  const nodes = doc.filter((o) => o.kind === 'Node');
  const dss = doc.filter((o) => o.kind === 'DaemonSet');
  const node = nameOf(nodes.length ? pick(r, nodes) : undefined) ?? 'worker-1';
  const ds = dss.length ? pick(r, dss) : undefined;
  const dsName = nameOf(ds) ?? 'node-exporter';
  const meta = ds?.metadata as Obj | undefined;
  const ns = typeof meta?.namespace === 'string' ? meta.namespace : 'default';
  switch (int(r, 9)) {
    case 0:
      return ['coverage', '-A'];
    case 1:
      return ['coverage', '-A', '-o', 'wide'];
    case 2:
      return ['coverage', '-A', '-o', pick(r, ['json', 'yaml'])];
    case 3:
      return ['coverage', '-A', '--problems', '-o', 'wide'];
    case 4:
      return ['why-not', node, '-A'];
    case 5:
      return ['why-not', node, '-A', '-o', 'json'];
    case 6:
      return ['rollout', 'status', dsName, '-n', ns, '--watch=false'];
    case 7:
      return ['rollout', 'history', dsName, '-n', ns, ...pick(r, [[], ['--diff'], ['--revision', '1'], ['-o', 'wide']])];
    default:
      return ['rollout', 'history', dsName, '-n', ns, '-o', 'json'];
  }
}

/** JavaScript failure text a user must never see without -v. */
const JS_ERROR = /TypeError|ReferenceError|RangeError|SyntaxError|is not a function|is not iterable|Cannot read properties|Cannot convert|undefined is not|Maximum call stack|Invalid string length|\n {4}at /;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function buildCase(r: Rng): { doc: Obj[]; text: string } {
  const { demo, small } = loadCorpus();
  let doc: Obj[];
  if (r() < 0.3) {
    doc = clone(small);
  } else {
    // A sample of the demo keeps each case fast while reaching every kind and field.
    const n = 3 + int(r, 14);
    doc = Array.from({ length: n }, () => clone(pick(r, demo)));
    const ds = demo.filter((o) => o.kind === 'DaemonSet');
    doc.push(clone(pick(r, ds)));
  }
  const list: Obj = { apiVersion: 'v1', kind: 'List', items: doc };
  for (let i = 0, n = 1 + int(r, 4); i < n; i++) mutate(list, r);
  const finalItems = Array.isArray(list.items) ? (list.items.filter((x) => x !== null && typeof x === 'object' && !Array.isArray(x)) as Obj[]) : [];
  const mode = r();
  let text: string;
  if (mode < 0.6) text = JSON.stringify(list);
  else if (mode < 0.85) text = stringify(list, { lineWidth: 0, aliasDuplicateObjects: false });
  else text = damage(r() < 0.5 ? JSON.stringify(list) : stringify(list, { lineWidth: 0, aliasDuplicateObjects: false }), r);
  return { doc: finalItems, text };
}

async function runCase(argv: string[], stdin: string, timeoutMs: number): Promise<{ code: number | undefined; out: string; err: string; ms: number }> {
  const c = captureIO({ stdin, nowIso: '2026-11-23T01:00:00Z' });
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const code = await Promise.race([main([...argv, '--snapshot', '-'], c.io), hang]);
  clearTimeout(timer);
  return { code, out: c.out(), err: c.err(), ms: Date.now() - started };
}

function problemOf(argv: string[], res: { code: number | undefined; out: string; err: string; ms: number }, timeoutMs: number): string | undefined {
  const human = !argv.includes('json') && !argv.includes('yaml');
  if (res.code === undefined || res.ms > timeoutMs) return `no answer within ${timeoutMs} ms`;
  if (res.code !== 0 && res.code !== 2) return `exit ${res.code}`;
  if (JS_ERROR.test(res.err)) return 'JavaScript error text on stderr';
  if (CONTROL.test(res.err)) return 'control character on stderr';
  if (human && CONTROL.test(res.out)) return 'control character in human output';
  if (res.code === 2 && res.err.split('\n').filter(Boolean).length !== 1 + (res.err.match(/^Warning:/gm)?.length ?? 0)) return 'usage error is not one line';
  return undefined;
}

export async function fuzzSnapshots(opts: FuzzOptions): Promise<FuzzSummary> {
  const summary: FuzzSummary = { cases: 0, exits: {}, failures: [] };
  const first = opts.onlyCase ?? 0;
  const last = opts.onlyCase ?? opts.iterations - 1;
  for (let i = first; i <= last; i++) {
    const r = rngFor(opts.seed, i);
    const { doc, text } = buildCase(r);
    const argv = argvFor(doc, r);
    const res = await runCase(argv, text, opts.caseTimeoutMs);
    summary.cases++;
    const key = String(res.code ?? 'hang');
    summary.exits[key] = (summary.exits[key] ?? 0) + 1;
    const problem = problemOf(argv, res, opts.caseTimeoutMs);
    if (problem) summary.failures.push({ seed: opts.seed, case: i, argv, problem, code: res.code, stderr: res.err.slice(0, 2000), input: text });
  }
  return summary;
}

/**
 * Not random: every field of the small fixture, one at a time, set to null and deleted. Go encodes a
 * nil pointer, slice or map as null, and a hand-edited YAML `key:` reads as null: the model must take
 * either as absent and never print "null", "undefined" or "NaN".
 */
export async function everyFieldNullOrDeleted(caseTimeoutMs: number): Promise<FuzzSummary> {
  const summary: FuzzSummary = { cases: 0, exits: {}, failures: [] };
  const base: Obj = { apiVersion: 'v1', kind: 'List', items: loadCorpus().small };
  const count = slots(base).length;
  for (let i = 0; i < count; i++) {
    for (const mode of ['null', 'delete'] as const) {
      const doc = clone(base);
      const [parent, key] = slots(doc)[i]!;
      if (mode === 'null') (parent as Record<string | number, Json>)[key] = null;
      else if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      const text = JSON.stringify(doc);
      for (const argv of [['coverage', '-A', '-o', 'wide'], ['why-not', 'n1', '-A'], ['why-not', 'n2', '-A']]) {
        const res = await runCase(argv, text, caseTimeoutMs);
        summary.cases++;
        const k = String(res.code ?? 'hang');
        summary.exits[k] = (summary.exits[k] ?? 0) + 1;
        const problem = problemOf(argv, res, caseTimeoutMs) ?? (/\b(null|undefined|NaN)\b/.test(res.out) ? 'null, undefined or NaN in the output' : undefined);
        if (problem) summary.failures.push({ seed: 0, case: i, argv: [...argv, `(field ${i} ${mode})`], problem, code: res.code, stderr: res.err.slice(0, 2000), input: text });
      }
    }
  }
  return summary;
}
