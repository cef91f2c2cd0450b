// The streaming list splitter (src/io/json-items.ts): for every input, cut into chunks of every size
// from 1 byte up, the items and members it hands out equal what JSON.parse of the whole text gives;
// what is not one JSON object is rejected with one line.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonListSplitter, JsonSplitError } from '../../src/io/json-items.ts';

function split(text: string, chunk: number): Record<string, unknown> {
  const items: unknown[] = [];
  const out: Record<string, unknown> = {};
  let sawItems = false;
  const s = new JsonListSplitter({ item: (t) => items.push(JSON.parse(t)), member: (k, v) => (out[k] = v) });
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += chunk) s.write(b.subarray(i, i + chunk));
  s.end();
  if (/"items"\s*:\s*\[/.test(text)) sawItems = true;
  return sawItems ? { ...out, items } : out;
}

/** Key order aside (items are handed out as they come), the same value as JSON.parse. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

const SAME: [name: string, text: string][] = [
  ['an API server page', '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"12","continue":"abc"},"items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]}'],
  ['kubectl -o json order: items before kind', '{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "kind": "Node",\n            "metadata": {"name": "n1"}\n        }\n    ],\n    "kind": "List",\n    "metadata": {"resourceVersion": ""}\n}\n'],
  ['escaped quotes and backslashes in strings', '{"items":[{"metadata":{"name":"a\\"b\\\\"},"x":"\\\\\\"","y":"}]\\"[{"}]}'],
  ['brackets and commas inside strings', '{"items":[{"a":"],[}{,:"},{"b":"\\\\"}],"k":"]"}'],
  ['multi-byte UTF-8 split anywhere', '{"items":[{"name":"é✓𝄞日本"}],"note":"ünïcödé"}'],
  ['unicode escapes', '{"items":[{"a":"\\u0022\\u005c"}],"b":"\\ud834\\udd1e"}'],
  ['empty items', '{ "items" : [ ] , "kind" : "List" }'],
  ['no items at all', '{"kind":"Status","status":"Failure","message":"gone"}'],
  ['items null', '{"items":null,"kind":"NodeList"}'],
  ['items an object', '{"items":{"a":[1,2]}}'],
  ['scalar and nested elements', '{"items":[ {"a":1} , {"b":[[[]]]}, "str,]", 12, null, true, [1,{"c":[]}] ]}'],
  ['an empty object', '{}'],
  ['numbers and literals as members', '{"a":-1.5e3,"b":true,"c":null,"d":[],"e":{}}'],
  ['whitespace everywhere', ' \r\n\t{ \n"items"\t:\r\n[\n{ }\n,\n{ }\n]\n}\n '],
  ['two items members', '{"items":[{"a":1}],"items":[{"b":2}]}'],
];

test('the splitter hands out what JSON.parse reads, for every chunk size', () => {
  for (const [name, text] of SAME) {
    let want = JSON.parse(text) as Record<string, unknown>;
    if (name === 'two items members') want = { items: [{ a: 1 }, { b: 2 }] }; // both arrays are streamed
    for (const n of [1, 2, 3, 5, 7, 13, 64, 1 << 16]) {
      assert.equal(canonical(split(text, n)), canonical(want), `${name}, chunks of ${n}`);
    }
  }
});

const REJECTED: [name: string, text: string, re: RegExp][] = [
  ['empty', '', /is empty/],
  ['only whitespace', '  \n', /is empty/],
  ['an array', '[1]', /is not a JSON object \(at byte 0\)/],
  ['a bare string', '"x"', /is not a JSON object/],
  ['truncated', '{"a":1', /ends before the object is complete/],
  ['truncated inside items', '{"items":[{"a":"b', /ends before the object is complete/],
  ['trailing comma in items', '{"items":[{},]}', /empty element in "items"/],
  ['leading comma in items', '{"items":[,{}]}', /empty element in "items"/],
  ['trailing comma in the object', '{"a":1,}', /expected a member name/],
  ['text after the object', '{"a":1}x', /more after the end of the object/],
  ['two objects', '{}{}', /more after the end/],
  ['missing colon', '{"a" 1}', /expected ":"/],
  ['unbalanced bracket in an item', '{"items":[{]}', /unbalanced bracket/],
  ['unquoted key', '{a:1}', /expected a member name/],
  ['invalid member value', '{"a":tru}', /member "a" is not valid JSON/],
];

test('what is not one JSON object is rejected in one line, for every chunk size', () => {
  for (const [name, text, re] of REJECTED) {
    for (const n of [1, 3, 1 << 16]) {
      assert.throws(() => split(text, n), (e: unknown) => e instanceof JsonSplitError && re.test(e.message) && !e.message.includes('\n'), `${name}, chunks of ${n}`);
    }
  }
});

test('an invalid element is left to JSON.parse, which rejects it', () => {
  assert.throws(() => split('{"items":[{"a":}]}', 4), SyntaxError);
});

test('a value larger than the bound is rejected before it is held', () => {
  const s = new JsonListSplitter({ item: () => undefined, member: () => undefined }, { maxValueBytes: 100 });
  s.write(Buffer.from('{"items":[{"a":"'));
  assert.throws(() => s.write(Buffer.from('x'.repeat(200))), /larger than 100 bytes/);
});

/** Items as JSON.parse reads them, with each `skip` member that is there (under an object) set to null. */
function nulled(items: unknown[], skip: readonly string[]): unknown[] {
  return items.map((it) => {
    if (!it || typeof it !== 'object' || Array.isArray(it)) return it;
    const o = it as Record<string, unknown>;
    for (const path of skip) {
      const [a, b] = path.split('.') as [string, string];
      const parent = o[a];
      if (parent && typeof parent === 'object' && !Array.isArray(parent) && Object.hasOwn(parent, b)) (parent as Record<string, unknown>)[b] = null;
    }
    return o;
  });
}

function splitSkipping(text: string, chunk: number, skip: readonly string[]): unknown[] {
  const items: unknown[] = [];
  const s = new JsonListSplitter({ item: (t) => items.push(JSON.parse(t)), member: () => undefined }, { skip });
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += chunk) s.write(b.subarray(i, i + chunk));
  s.end();
  return items;
}

const SKIPPED: [name: string, items: unknown[]][] = [
  ['a pod', [{ metadata: { name: 'p', managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:status': { '.': {}, 'f:x': {} } } }], labels: { a: 'b' } }, spec: { nodeName: 'n', volumes: [{ name: 'v', hostPath: { path: '/"x,}' } }] } }]],
  ['skipped members last, first, alone', [{ metadata: { managedFields: [] } }, { metadata: { annotations: { 'a,"}': 'x' }, name: 'q' } }, { spec: { volumes: null } }]],
  ['skipped names at other depths stay', [{ a: { metadata: { managedFields: [1] } }, metadata: [{ managedFields: 1 }], managedFields: 2, spec: { x: { volumes: [3] } } }]],
  ['a name that is a value, and escaped names', [{ metadata: { name: 'managedFields', 'managed\\Fields': 1, 'k"': 'annotations' } }, { metadata: { annotations: 'a string', managedFields: 12.5e3 } }]],
  ['empty and odd items', [{}, { metadata: {} }, [], 'managedFields', null, { metadata: { managedFields: { nested: [[{ '}': ']' }]] } } }]],
];

test('skipped members are null in the item text, everything else as JSON.parse reads it, for every chunk size', () => {
  const skip = ['metadata.managedFields', 'metadata.annotations', 'spec.volumes'];
  for (const [name, items] of SKIPPED) {
    for (const spacing of [0, 2]) {
      const text = JSON.stringify({ kind: 'PodList', items, metadata: { resourceVersion: '1' } }, null, spacing);
      for (const n of [1, 2, 3, 7, 64, 1 << 16]) {
        assert.deepEqual(splitSkipping(text, n, skip), nulled((JSON.parse(text) as { items: unknown[] }).items, skip), `${name}, indent ${spacing}, chunks of ${n}`);
      }
    }
  }
});
