// The JSON emitter writes in pieces (render/output.ts jsonPieces); joined, they are JSON.stringify(doc, null, 2).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Chalk } from 'chalk';
import { stringify } from 'yaml';
import { emit, jsonPieces, yamlPieces } from '../../src/render/output.ts';

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

test('-o json waits for a slow reader: nothing more is written until the stream drains, and the bytes are the same', async () => {
  const doc = { kind: 'Coverage', cells: Array.from({ length: 3000 }, (_, i) => ({ node: `node-${i}`, reasons: [{ code: 'X', message: 'm'.repeat(40) }] })) };
  const written: string[] = [];
  let drain: (() => void) | undefined;
  const out = {
    write: (s: string) => (written.push(s), false),
    once: (_e: 'drain', listener: () => void) => void (drain = listener),
  };
  const done = emit(out, { kind: 'json' }, { doc, human: () => '' }, new Chalk({ level: 0 }));
  await new Promise((r) => setImmediate(r));
  assert.equal(written.length, 1, 'one piece, then a wait');
  let waits = 1;
  while (drain) {
    const d = drain;
    drain = undefined;
    d();
    await new Promise((r) => setImmediate(r));
    if (drain) waits++;
  }
  await done;
  assert.ok(waits > 2, `waited ${waits} times`);
  assert.equal(written.join(''), `${JSON.stringify(doc, null, 2)}\n`);
});

const YAML_DOCS: [name: string, doc: unknown][] = [
  // Reports hold no functions or symbols (the yaml package refuses them in lists).
  ...DOCS.filter(([name]) => name !== 'omitted members and array holes'),
  ['a list of maps with block scalars and empty lines', { cells: [{ node: 'n', message: 'a\n\nb\n', pods: [{ name: 'p' }], reasons: [] }, { node: 'm', x: { y: [1, { z: 'q\nr' }] } }] }],
  ['keys and values that need quotes', { 'a key': [{ 'k:1': '1', yes: 'no', n: '007', e: '', s: ' lead', h: '#x', c: 'a: b' }], '': [{ a: 1 }] }],
  ['lists that are not all maps, and empty maps', { a: [{ x: 1 }, 2], b: [{}, { x: 1 }], d: [[{ x: 1 }]] }],
  ['omitted members at the top and in items', { a: undefined, b: [{ x: undefined, y: 1 }, { z: 2 }] }],
  ['dates and nulls', { at: [{ when: new Date(0), v: null }] }],
  ['shared objects are written out, not aliased', (() => { const r = { code: 'X', message: 'm' }; return { cells: [{ reasons: [r] }, { reasons: [r, r] }] }; })()],
];

test('the pieces of a YAML document are stringify(doc) of the yaml package, byte for byte', () => {
  for (const [name, doc] of YAML_DOCS) assert.equal([...yamlPieces(doc)].join(''), stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }), name);
});

test('-o yaml of a coverage report of 30 realistic nodes is the yaml package\'s document', async () => {
  const { readSnapshot } = await import('../../src/io/snapshot.ts');
  const { computeCoverage } = await import('../../src/model/coverage.ts');
  const { state } = await readSnapshot(['examples/demo-cluster.yaml']);
  const report = computeCoverage(state, { nowMs: Date.parse('2026-12-01T00:00:00Z') });
  const written: string[] = [];
  await emit({ write: (s: string) => written.push(s) }, { kind: 'yaml' }, { doc: report, human: () => '' }, new Chalk({ level: 0 }));
  assert.equal(written.join(''), stringify(report, { lineWidth: 0, aliasDuplicateObjects: false }));
  assert.ok(report.cells.length > 10);
});
