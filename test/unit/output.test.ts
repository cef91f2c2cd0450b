// The JSON emitter writes in pieces (render/output.ts jsonPieces); joined, they are JSON.stringify(doc, null, 2).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonPieces } from '../../src/render/output.ts';

const DOCS: [name: string, doc: unknown][] = [
  ['a report', { kind: 'Coverage', cells: [{ node: 'n1', pods: [{ name: 'p', ready: true }], reasons: [] }, { node: 'n2', pods: [], reasons: ['x\ny'] }], gaps: [] }],
  ['empty containers', { a: [], b: {}, c: [[]], d: [{}] }],
  ['omitted members and array holes', { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s'), 1], d: null }],
  ['only omitted members', { a: undefined }],
  ['toJSON', { when: new Date(0), nested: [{ d: new Date(1000) }] }],
  ['scalars', 42],
  ['a string with newlines and quotes', 'a\n"b"'],
  ['null', null],
  ['a top-level array', [1, [2, [3, [4]]], { a: { b: { c: [1, 2] } } }]],
  ['deep nesting', { a: { b: { c: { d: [{ e: [1, { f: 2 }] }] } } } }],
  ['unicode keys', { 'ü\u2028': ['\u0000'] }],
];

test('the pieces of a JSON document are JSON.stringify(doc, null, 2), byte for byte', () => {
  for (const [name, doc] of DOCS) assert.equal([...jsonPieces(doc)].join(''), JSON.stringify(doc, null, 2), name);
});
