// The streamed snapshot reader (io/snapshot.ts, io/yaml-items.ts) against the whole-file reader it
// replaces for kubectl's layout: on every input both give the same state and the same capture time, or
// the same error message. The fast YAML item reader gives `yaml`'s values whenever it does not give up.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDocument, stringify, type ToStringOptions, type DocumentOptions } from 'yaml';
import { readSnapshot } from '../../src/io/snapshot.ts';
import { BAIL, parseYamlItem } from '../../src/io/yaml-items.ts';
// @ts-expect-error: a plain .mjs module without types
import * as realistic from '../../bench/realistic.mjs';

const snapshotItems = (realistic as { snapshotItems: (nodes: number, daemonSets: number) => Iterable<Record<string, unknown>> }).snapshotItems;

const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-stream-'));
let n = 0;
function file(content: string | Buffer, ext = 'yaml'): string {
  const p = join(dir, `f${n++}.${ext}`);
  writeFileSync(p, content);
  return p;
}

type Outcome = { ok: Awaited<ReturnType<typeof readSnapshot>> } | { error: string };

async function outcome(f: string, whole: boolean, paths?: ('stream' | 'whole')[]): Promise<Outcome> {
  try {
    return { ok: await readSnapshot([f], undefined, { whole, ...(paths ? { paths } : {}) }) };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

/** Both readers agree on `content`; returns which path the streamed reader took. */
async function same(name: string, content: string | Buffer, ext = 'yaml'): Promise<'stream' | 'whole'> {
  const f = file(content, ext);
  const paths: ('stream' | 'whole')[] = [];
  const streamed = await outcome(f, false, paths);
  const whole = await outcome(f, true);
  assert.deepStrictEqual(streamed, whole, name);
  return paths[0]!;
}

/** kubectl's `-o yaml` layout: go-yaml v2 prints sequences at the key's column, keys sorted. */
const KUBECTL = { indent: 2, indentSeq: false, lineWidth: 0, sortMapEntries: true, version: '1.1' } as const;

function yamlList(items: unknown[], opts: ToStringOptions & DocumentOptions = KUBECTL): string {
  const body = items.map((o) => `- ${stringify(o, opts).slice(0, -1).replaceAll('\n', '\n  ')}\n`).join('');
  return `apiVersion: v1\nitems:\n${body}kind: List\nmetadata:\n  resourceVersion: ""\n`;
}

const node = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/os': 'linux' }, managedFields: [{ manager: 'kubelet', time: '2026-11-02T00:00:00Z', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {} } } } }] },
  status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-11-01T00:00:00Z' }], images: [{ names: ['a:1'], sizeBytes: 5 }] },
  ...extra,
});
const ds = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'kube-system', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}\n', note: 'line one\n- not an item\nitems:\n' } },
  spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'a:1' }] } } },
};

test('realistic kubectl -o yaml items: the fast reader reads every one, as yaml does', () => {
  let count = 0;
  for (const o of snapshotItems(12, 20)) {
    const text = `- ${stringify(o, KUBECTL).slice(0, -1).replaceAll('\n', '\n  ')}`;
    const lines = text.split('\n');
    const fast = parseYamlItem(lines.slice(), 0, lines.length);
    assert.notEqual(fast, BAIL, `${String(o.kind)} ${JSON.stringify((o.metadata as { name: string }).name)}`);
    assert.deepStrictEqual(fast, parseDocument(`  ${text.slice(2)}`).toJS(), String(o.kind));
    assert.deepStrictEqual(fast, o);
    count++;
  }
  assert.ok(count > 100);
});

test('the fast reader gives yaml\'s value or gives up, on scalars and keys yaml reads in surprising ways', () => {
  const words = [
    '', ' ', 'a', 'a b', 'a: b', 'a:b', 'a #b', 'a#b', '#x', '- x', '-x', '-', '?', ':', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', 'NULL', '~', 'true', 'True', 'TRUE', 'tRUE',
    'false', '1', '-1', '+1', '007', '1.5', '1.', '.5', '1e3', '1E-3', '.inf', '-.inf', '.NaN', '0x1f', '0x1F', '0o17', '0b1', '1_000', '2026-11-01', '2026-11-01T00:00:00Z', '12:30',
    '"q"', "'s'", 'it\'s', 'say "hi"', 'multi\nline', 'trail\n', 'trail\n\n', '\n', '\nlead', ' lead', 'trail ', '\ttab', 'tab\tin', 'k:{"a":1}', 'v:"x"', '[x]', '{x}', '[]', '{}', '*a', '&a',
    '!t', '|', '>', '%', '@', '`', '<<', '__proto__', 'é', '\u2028', '\u{1F600}', 'back\\slash', '\\n', '\x07bell', '\x1b[2J', '"', "'",
    'a long message with spaces that goes past eighty columns so that a printer folds it over several lines of text',
    'line\nwith  double  spaces\n  and an indented line\n',
  ];
  let rnd = 20261201;
  const next = (k: number): number => {
    rnd = (rnd * 1103515245 + 12345) >>> 0;
    return rnd % k;
  };
  const value = (depth: number): unknown => {
    const r = next(10);
    if (depth > 3 || r < 4) return words[next(words.length)];
    if (r < 5) return [0, 1, -2.5, 1e21, null, true, false][next(7)];
    if (r < 7) return Array.from({ length: next(4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: next(4) + 1 }, () => [words[next(words.length)], value(depth + 1)]));
  };
  const options: (ToStringOptions & DocumentOptions)[] = [
    KUBECTL,
    { ...KUBECTL, version: '1.2' },
    { ...KUBECTL, lineWidth: 40, minContentWidth: 0 },
    { ...KUBECTL, defaultStringType: 'QUOTE_DOUBLE' },
    { ...KUBECTL, defaultStringType: 'QUOTE_SINGLE' },
    { ...KUBECTL, defaultStringType: 'BLOCK_LITERAL' },
    { ...KUBECTL, indentSeq: true },
    { ...KUBECTL, indent: 4 },
  ];
  let fastCount = 0;
  for (let i = 0; i < 3000; i++) {
    const obj = { kind: 'X', v: value(0), w: value(1) };
    const opts = options[i % options.length]!;
    const text = `- ${stringify(obj, opts).slice(0, -1).replaceAll('\n', '\n  ')}`;
    const doc = parseDocument(`  ${text.slice(2)}`);
    if (doc.errors.length > 0) continue;
    const lines = text.split('\n');
    const fast = parseYamlItem(lines.slice(), 0, lines.length);
    if (fast === BAIL) continue;
    fastCount++;
    assert.deepStrictEqual(fast, doc.toJS(), `case ${i}: ${JSON.stringify(text)}`);
  }
  assert.ok(fastCount > 1000, `${fastCount} read by the fast reader`);
  // Hand-written items outside what a printer makes.
  const items = [
    '- a: 1\n  b:\n  - x\n  -\n  - - y\n    - z\n  c: |+\n    keep\n\n\n  d: end',
    '- a: |-\n    x\n\n    y\n  b: x\n    continued\n    again',
    '- a: "tab\\tand \\u00e9"\n  b: \'it\'\'s\'\n  c: {}\n  d: []',
    '- a: x # comment',
    '- a: x\n# comment\n  b: y',
    '- a: "unterminated\n  b: y',
    '- a: 1\n  a: 2',
    '- "quoted": 1',
    '- 1: one',
    '- a: &anchor x\n  b: *anchor',
    '- a: !!str 1',
    '- a: [1, 2]',
    '- a: >\n    folded\n    text',
    '- a:\n    b: 1\n   c: 2',
    '- a: x\n\n  b: y',
    '- a:\n  - b: 1\n    c: 2\n  - d',
  ];
  for (const text of items) {
    const lines = text.split('\n');
    const fast = parseYamlItem(lines.slice(), 0, lines.length);
    const doc = parseDocument(`  ${text.slice(2)}`);
    if (fast !== BAIL) {
      assert.equal(doc.errors.length, 0, text);
      assert.deepStrictEqual(fast, doc.toJS(), text);
    }
  }
});

test('streamed and whole-file reads agree on tricky files', async () => {
  const a = node('a');
  const b = node('b', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
  const pod = { kind: 'Pod', metadata: { name: 'agent-1', namespace: 'kube-system', labels: { app: 'a' }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', controller: true }] }, spec: { nodeName: 'a', resources: { requests: { cpu: '1' } }, containers: [{ name: 'c', image: 'a:1', env: [{ name: 'X' }] }] }, status: { phase: 'Running', podIPs: [{ ip: '1.2.3.4' }], containerStatuses: [{ name: 'c', ready: true, imageID: 'x', state: { running: { startedAt: '2026-11-03T00:00:00Z' } } }] } };
  const list = yamlList([a, b, ds, pod]);
  const cases: [name: string, content: string | Buffer, path?: 'stream' | 'whole', ext?: string][] = [
    ['kubectl layout', list, 'stream'],
    ['comments at column 0 between items', list.replace('- apiVersion: v1\n  kind: Node\n  metadata:\n    labels:\n      kubernetes.io/os: linux\n    managedFields:\n    - fieldsV1:', '# first\n\n- apiVersion: v1\n  kind: Node\n  metadata:\n    labels:\n      kubernetes.io/os: linux\n    managedFields:\n    - fieldsV1:').replace('- apiVersion: apps/v1', '# a comment\n# two\n- apiVersion: apps/v1'), 'stream'],
    ['a comment, then an indented line', list.replace('  kind: DaemonSet\n', '# c\n  kind: DaemonSet\n')],
    ['- inside a block scalar', yamlList([ds, { ...a, metadata: { ...(a.metadata as object), annotations: { x: '- a\n- b\nitems:\n---\n...\n' } } }]), 'stream'],
    ['items: []', 'apiVersion: v1\nitems: []\nkind: List\n', 'stream'],
    ['items: null', 'apiVersion: v1\nitems:\nkind: List\n'],
    ['a 0-item list and a Node', 'apiVersion: v1\nitems: []\nkind: List\n---\n' + stringify(a), 'stream'],
    ['CRLF', list.replaceAll('\n', '\r\n'), 'stream'],
    ['a lone CR', list.replace('kind: List', 'kind: List\r ')],
    ['BOM', `\uFEFF${list}`, 'stream'],
    ['UTF-16LE', Buffer.from(`\uFEFF${list}`, 'utf16le'), 'whole'],
    ['UTF-16BE', Buffer.from(`\uFEFF${list}`, 'utf16le').swap16(), 'whole'],
    ['--- separators', `---\n${list}---\n${yamlList([node('c')])}---\n`, 'stream'],
    ['... document end', `${list}...\n---\n${yamlList([node('c')])}...\n`, 'stream'],
    ['content after ...', `${list}...\n${yamlList([node('c')])}`],
    ['%YAML directive', `%YAML 1.2\n---\n${list}`, 'whole'],
    ['flow items', 'apiVersion: v1\nitems:\n- {kind: Node, metadata: {name: n1}}\n- {kind: Node, metadata: {name: n2, labels: {a: "1"}}}\nkind: List\n', 'stream'],
    ['flow list', '{kind: List, items: [{kind: Node, metadata: {name: n1}}]}\n'],
    ['indented items', 'apiVersion: v1\nitems:\n  - kind: Node\n    metadata: {name: n1}\nkind: List\n', 'stream'],
    ['anchors across items', 'items:\n- kind: Node\n  metadata: &m\n    name: n1\n- kind: Pod\n  metadata: *m\nkind: List\n', 'whole'],
    ['anchors within an item', 'items:\n- kind: Node\n  metadata: &m\n    name: n1\n  x: *m\nkind: List\n', 'stream'],
    ['an anchor in the list, used in an item', 'metadata: &m {name: n1}\nitems:\n- kind: Node\n  metadata: *m\nkind: List\n', 'whole'],
    ['tabs', list.replace('  kind: DaemonSet', '\tkind: DaemonSet')],
    ['a tab in a value', list.replace('kind: DaemonSet', 'kind: DaemonSet\t')],
    ['quoted scalar over lines, a - line at column 0', 'items:\n- kind: Node\n  metadata:\n    name: n1\n  x: "a\n- kind: Node\n  metadata: {name: n2}"\nkind: List\n'],
    ['quoted scalar swallowing items', 'foo: "a\nitems:\n- kind: Node\n  metadata: {name: n2}\nbar: b"\nkind: List\n'],
    ['typed list, items without kind', 'apiVersion: v1\nkind: NodeList\nitems:\n- metadata: {name: n1}\n- metadata: {name: n2}\n', 'stream'],
    ['typed list, kind after items', 'apiVersion: v1\nitems:\n- metadata: {name: n1}\nkind: NodeList\n', 'stream'],
    ['mixed list', 'items:\n- metadata: {name: n1}\n- kind: Node\n  metadata: {name: n2}\nkind: NodeList\n'],
    ['duplicate items', 'items:\n- kind: Node\n  metadata: {name: n1}\nitems:\n- kind: Node\n  metadata: {name: n2}\nkind: List\n'],
    ['a Node with items', 'kind: Node\nmetadata: {name: n1}\nitems:\n- a\n'],
    ['a duplicate key in an item', 'items:\n- kind: Node\n  kind: Node\n  metadata: {name: n1}\nkind: List\n'],
    ['a syntax error after the items', `${list}metadata: [\n`],
    ['a validation error, then a syntax error in the same document', list.replace('effect: NoSchedule', 'effect: 5').replace('kind: List', 'kind: List\nx: [')],
    ['a validation error', list.replace('effect: NoSchedule', 'effect: 5'), 'stream'],
    ['a validation error in document 2', `${yamlList([node('c')])}---\n${list.replace('effect: NoSchedule', 'effect: 5')}`, 'whole'],
    ['a non-object item', 'items:\n- 42\n- kind: Node\n  metadata: {name: n1}\nkind: List\n', 'stream'],
    ['a null item', 'items:\n-\n- kind: Node\n  metadata: {name: n1}\nkind: List\n', 'stream'],
    ['deep nesting in an item', `items:\n- kind: Node\n  metadata: {name: n1}\n  x: ${'['.repeat(300)}${']'.repeat(300)}\nkind: List\n`],
    ['an item one space in', 'items:\n- kind: Node\n metadata: {name: n1}\nkind: List\n'],
    ['duplicate objects: the last wins', yamlList([a, node('a', { spec: { unschedulable: true } }), ds]), 'stream'],
    ['only comments', '# nothing\n# here\n'],
    ['empty', ''],
    ['a bare Node', stringify(a), 'stream'],
    ['bare objects in documents', `${stringify(a)}---\n${stringify(b)}---\n${stringify(ds)}`, 'stream'],
    ['a document that is a list of objects', `- ${stringify(a).replaceAll('\n', '\n  ')}`, 'stream'],
    ['kubectl -o json', `${JSON.stringify({ apiVersion: 'v1', items: [a, b, ds, pod], kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`, 'stream', 'json'],
    ['JSON typed list', JSON.stringify({ kind: 'NodeList', items: [{ metadata: { name: 'n1' } }] }), 'stream', 'json'],
    ['JSON mixed list', JSON.stringify({ items: [{ metadata: { name: 'n1' } }, a], kind: 'NodeList' }), 'whole', 'json'],
    ['JSON array', JSON.stringify([a, b]), 'whole', 'json'],
    ['JSON bare object', JSON.stringify(a), 'stream', 'json'],
    ['JSON duplicate kind', '{"kind":"List","items":[],"kind":"NodeList"}', 'whole', 'json'],
    ['JSON duplicate items', `{"items":[${JSON.stringify(a)}],"items":[${JSON.stringify(b)}],"kind":"List"}`, 'whole', 'json'],
    ['JSON invalid item', `{"items":[${JSON.stringify(a)},{"kind":}],"kind":"List"}`, 'whole', 'json'],
    ['JSON validation error then invalid JSON', `{"items":[${JSON.stringify(b).replace('"NoSchedule"', '5')},{"kind":}],"kind":"List"}`, 'whole', 'json'],
    ['JSON validation error', `{"items":[${JSON.stringify(b).replace('"NoSchedule"', '5')}],"kind":"List"}`, 'stream', 'json'],
    ['JSON deep item', `{"items":[${'['.repeat(300)}${']'.repeat(300)}],"kind":"List"}`, 'whole', 'json'],
    ['JSON trailing garbage', `${JSON.stringify({ kind: 'List', items: [a] })} x`, 'whole', 'json'],
    ['JSON with a BOM and leading space', `\uFEFF  ${JSON.stringify({ kind: 'List', items: [a] })}`, 'stream', 'json'],
    ['JSON a Node with items', JSON.stringify({ ...a, items: [1] }), 'whole', 'json'],
  ];
  for (const [name, content, path, ext] of cases) {
    const took = await same(name, content, ext);
    if (path) assert.equal(took, path, `${name}: read by the ${took} path`);
  }
});

test('trimmed objects keep the capture time of the whole object (managedFields times count)', async () => {
  const f = file(yamlList([node('a'), ds]));
  const r = await readSnapshot([f]);
  assert.equal(r.capturedAtMs, Date.parse('2026-11-02T00:00:00Z'));
  const n1 = r.state.nodes[0]!;
  assert.equal((n1.metadata as Record<string, unknown>).managedFields, undefined);
  assert.equal((n1.status as Record<string, unknown>).images, undefined);
  assert.deepEqual(r.state.daemonSets[0]!.metadata.annotations, ds.metadata.annotations);
});
