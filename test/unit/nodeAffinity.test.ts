// Node selector / required node affinity vectors (component-helpers
// nodeaffinity_test.go) and GetTargetNodeName (pkg/controller/daemon/util daemonset_util_test.go).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRequirement, newRequirement } from '../../src/model/labels.ts';
import { evaluateNodeSelector, evaluateRequiredNodeAffinity, evaluateTerm, targetNodeName } from '../../src/model/nodeAffinity.ts';
import type { Affinity, Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from '../../src/model/types.ts';

function node(labels: Record<string, string> | undefined, name = 'node'): Node {
  return { metadata: { name, ...(labels ? { labels } : {}) } };
}

function required(terms: NodeSelectorTerm[] | null): Affinity {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

function expr(key: string, operator: string, values?: string[]): NodeSelectorRequirement {
  return { key, operator, ...(values ? { values } : {}) };
}

const nameIn = (v: string): NodeSelectorRequirement => expr('metadata.name', 'In', [v]);

type Case = [name: string, spec: PodSpec, node: Node, match: boolean];

// TestPodMatchesNodeSelectorAndAffinityTerms.
const cases: Case[] = [
  ['nodeaffinity_test.go case 1: no constraint, any node', {}, node({ any: 'thing' }), true],
  ['nodeaffinity_test.go case 2: nodeSelector {foo: bar}, node without labels', { nodeSelector: { foo: 'bar' } }, node(undefined), false],
  ['nodeaffinity_test.go case 3: nodeSelector {foo: bar}, node {foo: bar}', { nodeSelector: { foo: 'bar' } }, node({ foo: 'bar' }), true],
  ['nodeaffinity_test.go case 4: nodeSelector {foo: bar}, node {foo: bar, baz: blah}', { nodeSelector: { foo: 'bar' } }, node({ foo: 'bar', baz: 'blah' }), true],
  ['nodeaffinity_test.go case 5: nodeSelector {foo: bar, baz: blah}, node {foo: bar}', { nodeSelector: { foo: 'bar', baz: 'blah' } }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go case 6: foo In [bar, value2], node {foo: bar}', { affinity: required([{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }]) }, node({ foo: 'bar' }), true],
  ['nodeaffinity_test.go case 7: kernel-version Gt "0204", node "0206" (integers 206 > 204)', { affinity: required([{ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }]) }, node({ 'kernel-version': '0206' }), true],
  ['nodeaffinity_test.go case 8: mem-type NotIn [DDR, DDR2], node DDR3', { affinity: required([{ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }]) }, node({ 'mem-type': 'DDR3' }), true],
  ['nodeaffinity_test.go case 9: GPU Exists, node GPU=NVIDIA-GRID-K1', { affinity: required([{ matchExpressions: [expr('GPU', 'Exists')] }]) }, node({ GPU: 'NVIDIA-GRID-K1' }), true],
  ['nodeaffinity_test.go case 10: foo In [value1, value2], node {foo: bar}', { affinity: required([{ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }]) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go case 11: required with nodeSelectorTerms: nil matches no node', { affinity: required(null) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go case 12: required with nodeSelectorTerms: [] matches no node', { affinity: required([]) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go case 13: one term with matchExpressions: [] (empty term matches nothing)', { affinity: required([{ matchExpressions: [] }]) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go case 14: no affinity at all', {}, node({ foo: 'bar' }), true],
  ['nodeaffinity_test.go case 15: nodeAffinity with requiredDuringScheduling…: nil', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: null } } }, node({ foo: 'bar' }), true],
  [
    'nodeaffinity_test.go case 16: GPU Exists AND GPU NotIn [AMD, INTER]',
    { affinity: required([{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }]) },
    node({ GPU: 'NVIDIA-GRID-K1' }),
    true,
  ],
  [
    'nodeaffinity_test.go case 17: GPU Exists AND GPU In [AMD, INTER]',
    { affinity: required([{ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }]) },
    node({ GPU: 'NVIDIA-GRID-K1' }),
    false,
  ],
  [
    'nodeaffinity_test.go case 18: terms ORed: [foo In [bar, value2]] OR [diffkey In [wrong, value2]]',
    { affinity: required([{ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }]) },
    node({ foo: 'bar' }),
    true,
  ],
  ['nodeaffinity_test.go case 19: nodeSelector {foo: bar} + affinity foo Exists, node {foo: bar}', { nodeSelector: { foo: 'bar' }, affinity: required([{ matchExpressions: [expr('foo', 'Exists')] }]) }, node({ foo: 'bar' }), true],
  [
    'nodeaffinity_test.go case 20: nodeSelector {foo: bar} + affinity foo Exists, node {foo: barrrrrr} (nodeSelector fails)',
    { nodeSelector: { foo: 'bar' }, affinity: required([{ matchExpressions: [expr('foo', 'Exists')] }]) },
    node({ foo: 'barrrrrr' }),
    false,
  ],
  ['nodeaffinity_test.go case 21: foo NotIn ["invalid value: ___@#$%^"] (invalid value → parse error)', { affinity: required([{ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }]) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go case 22: matchFields metadata.name In [node_1], node node_1', { affinity: required([{ matchFields: [nameIn('node_1')] }]) }, node(undefined, 'node_1'), true],
  ['nodeaffinity_test.go case 23: matchFields metadata.name In [node_1], node node_2', { affinity: required([{ matchFields: [nameIn('node_1')] }]) }, node(undefined, 'node_2'), false],
  [
    'nodeaffinity_test.go case 24: two terms: fields name In [node_1] OR expr foo In [bar], node node_2 {foo: bar}',
    { affinity: required([{ matchFields: [nameIn('node_1')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }]) },
    node({ foo: 'bar' }, 'node_2'),
    true,
  ],
  [
    'nodeaffinity_test.go case 25: one term: fields name In [node_1] AND expr foo In [bar], node node_2 {foo: bar}',
    { affinity: required([{ matchFields: [nameIn('node_1')], matchExpressions: [expr('foo', 'In', ['bar'])] }]) },
    node({ foo: 'bar' }, 'node_2'),
    false,
  ],
  [
    'nodeaffinity_test.go case 26: one term: fields name In [node_1] AND expr foo In [bar], node node_1 {foo: bar}',
    { affinity: required([{ matchFields: [nameIn('node_1')], matchExpressions: [expr('foo', 'In', ['bar'])] }]) },
    node({ foo: 'bar' }, 'node_1'),
    true,
  ],
  [
    'nodeaffinity_test.go case 27: two terms: name In [node_1] OR foo In [not-match-to-bar], node node_2 {foo: bar}',
    { affinity: required([{ matchFields: [nameIn('node_1')] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }]) },
    node({ foo: 'bar' }, 'node_2'),
    false,
  ],
  // Rules behind the table (daemonset-semantics.md §1.3).
  ['nodeaffinity_test.go: NotIn matches a node without the key', { affinity: required([{ matchExpressions: [expr('foo', 'NotIn', ['bar'])] }]) }, node(undefined), true],
  ['nodeaffinity_test.go: DoesNotExist', { affinity: required([{ matchExpressions: [expr('foo', 'DoesNotExist')] }]) }, node({ bar: 'x' }), true],
  ['nodeaffinity_test.go: Gt with a non-integer label does not match', { affinity: required([{ matchExpressions: [expr('v', 'Gt', ['1'])] }]) }, node({ v: 'two' }), false],
  ['nodeaffinity_test.go: Lt is strict (5 < 5 is false)', { affinity: required([{ matchExpressions: [expr('v', 'Lt', ['5'])] }]) }, node({ v: '5' }), false],
  ['nodeaffinity_test.go: Gt without the key does not match', { affinity: required([{ matchExpressions: [expr('v', 'Gt', ['1'])] }]) }, node({}), false],
  ['nodeaffinity_test.go: nodeSelector value "" needs the label present with an empty value', { nodeSelector: { foo: '' } }, node({}), false],
  ['nodeaffinity_test.go: nodeSelector value "" with the label present and empty', { nodeSelector: { foo: '' } }, node({ foo: '' }), true],
  ['nodeaffinity_test.go: matchFields NotIn [node_1] on node_2', { affinity: required([{ matchFields: [expr('metadata.name', 'NotIn', ['node_1'])] }]) }, node(undefined, 'node_2'), true],
  ['nodeaffinity_test.go: matchFields with an unknown field key reads as "" (metadata.foo In [bar])', { affinity: required([{ matchFields: [expr('metadata.foo', 'In', ['bar'])] }]) }, node(undefined, 'node_1'), false],
  ['nodeaffinity_test.go: matchFields operator Exists is a parse error', { affinity: required([{ matchFields: [expr('metadata.name', 'Exists')] }]) }, node(undefined, 'node_1'), false],
  [
    'nodeaffinity_test.go: lazy errors: an invalid term is ignored when a later term matches',
    { affinity: required([{ matchExpressions: [expr('invalid key', 'In', ['x'])] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }]) },
    node({ foo: 'bar' }),
    true,
  ],
  ['nodeaffinity_test.go: In with an empty value list is a parse error', { affinity: required([{ matchExpressions: [expr('foo', 'In', [])] }]) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go: Exists with values is a parse error', { affinity: required([{ matchExpressions: [expr('foo', 'Exists', ['bar'])] }]) }, node({ foo: 'bar' }), false],
  ['nodeaffinity_test.go: Gt with two values is a parse error', { affinity: required([{ matchExpressions: [expr('v', 'Gt', ['1', '2'])] }]) }, node({ v: '5' }), false],
];

for (const [name, spec, n, match] of cases) {
  test(`${name} → ${match}`, () => {
    assert.equal(evaluateRequiredNodeAffinity(spec, n).matches, match);
  });
}

test('nodeaffinity_test.go: nodeSelector mismatches report the wanted and found values', () => {
  const r = evaluateRequiredNodeAffinity({ nodeSelector: { foo: 'bar', baz: 'blah' } }, node({ foo: 'bar' }));
  assert.deepEqual(r.nodeSelectorMismatches, [{ key: 'baz', wanted: 'blah', found: undefined }]);
  assert.equal(r.requiredTerms, undefined);
  assert.equal(r.requiredMatches, true);
});

// TestNodeSelectorMatch (strict NewNodeSelector). The controller uses the lazy form, where a term with an
// error simply never matches; the per-term errors are what the strict form reports.
const label1Host1: NodeSelectorTerm = { matchExpressions: [expr('label_1', 'In', ['label_1_val'])], matchFields: [nameIn('host_1')] };

test('nodeaffinity_test.go TestNodeSelectorMatch invalid: term 0 (name In [host_1, host_2]) and term 2 (key "invalid key") are errors', () => {
  const r = evaluateNodeSelector(
    { nodeSelectorTerms: [{ matchFields: [expr('metadata.name', 'In', ['host_1', 'host_2'])] }, label1Host1, { matchExpressions: [expr('invalid key', 'In', ['label_value'])] }] },
    node(undefined, 'host_1'),
  );
  assert.match(r.terms[0]!.error ?? '', /one element/);
  assert.equal(r.terms[1]!.error, undefined);
  assert.match(r.terms[2]!.error ?? '', /invalid key/);
  assert.equal(r.matches, false);
});

const strict: [name: string, terms: NodeSelectorTerm[], node: Node, match: boolean][] = [
  ['label_1 In [label_1_val] AND name In [host_1], node host_1 without labels', [label1Host1], node(undefined, 'host_1'), false],
  ['label_1 In [label_1_val] AND name In [host_1], node host_1 labelled label_1=label_1_val', [label1Host1], node({ label_1: 'label_1_val' }, 'host_1'), true],
  [
    '[label_1 In …] OR [fields name In [host_1]], node host_1 without labels',
    [{ matchExpressions: [expr('label_1', 'In', ['label_1_val'])] }, { matchFields: [nameIn('host_1')] }],
    node(undefined, 'host_1'),
    true,
  ],
];
for (const [name, terms, n, match] of strict) {
  test(`nodeaffinity_test.go TestNodeSelectorMatch: ${name} → ${match}`, () => {
    assert.equal(evaluateNodeSelector({ nodeSelectorTerms: terms }, n).matches, match);
  });
}

test('nodeaffinity_test.go: the fields check is skipped for a node without a name', () => {
  const t = evaluateTerm({ matchFields: [nameIn('host_1')] }, 0, { metadata: {} });
  assert.equal(t.matched, true);
});

// TestNodeSelectorRequirementsAsSelector.
test('nodeaffinity_test.go requirements: nil or [] → "nothing" (an empty term matches no node)', () => {
  for (const term of [{ matchExpressions: null }, { matchExpressions: [] }] as NodeSelectorTerm[]) {
    const t = evaluateTerm(term, 0, node({ foo: 'bar' }));
    assert.deepEqual([t.empty, t.matched], [true, false]);
  }
});

const asSelector: [NodeSelectorRequirement, string][] = [
  [expr('foo', 'In', ['bar', 'baz']), 'foo in (bar,baz)'],
  [expr('foo', 'Gt', ['1']), 'foo>1'],
  [expr('bar', 'Lt', ['7']), 'bar<7'],
];
for (const [r, want] of asSelector) {
  test(`nodeaffinity_test.go requirements: ${r.key} ${r.operator} [${(r.values ?? []).join(', ')}] → ${want}`, () => {
    const parsed = newRequirement(r.key, r.operator, r.values);
    assert.notEqual(typeof parsed, 'string');
    assert.equal(describeRequirement(parsed as Exclude<typeof parsed, string>), want);
  });
}

test('nodeaffinity_test.go requirements: foo Exists with values → "values set must be empty for exists and does not exist"', () => {
  assert.match(newRequirement('foo', 'Exists', ['bar']) as string, /values set must be empty for exists and does not exist/);
});

test('nodeaffinity_test.go requirements: operator "invalid" → not supported', () => {
  assert.match(newRequirement('foo', 'invalid', ['bar']) as string, /not supported/);
});

// GetTargetNodeName (daemonset_util_test.go).
const targets: [name: string, spec: PodSpec, want: string | undefined][] = [
  ['daemonset_util_test.go GetTargetNodeName: spec.nodeName node-1 → "node-1"', { nodeName: 'node-1' }, 'node-1'],
  ['daemonset_util_test.go GetTargetNodeName: no nodeName, required matchFields metadata.name In [node-1] → "node-1"', { affinity: required([{ matchFields: [nameIn('node-1')] }]) }, 'node-1'],
  ['daemonset_util_test.go GetTargetNodeName: In [node-1, node-2] → error (not unique)', { affinity: required([{ matchFields: [expr('metadata.name', 'In', ['node-1', 'node-2'])] }]) }, undefined],
  ['daemonset_util_test.go GetTargetNodeName: empty spec → error', {}, undefined],
  ['daemonset_util_test.go GetTargetNodeName: required affinity with no terms → error', { affinity: required([]) }, undefined],
  ['daemonset_util_test.go GetTargetNodeName: only matchExpressions (hostname In [node-1]) → error', { affinity: required([{ matchExpressions: [expr('kubernetes.io/hostname', 'In', ['node-1'])] }]) }, undefined],
  [
    'daemonset_util_test.go GetTargetNodeName: the first metadata.name In requirement of any term wins',
    { affinity: required([{ matchExpressions: [expr('a', 'Exists')] }, { matchFields: [expr('metadata.name', 'NotIn', ['x']), nameIn('node-2')] }]) },
    'node-2',
  ],
  ['daemonset_util_test.go GetTargetNodeName: spec.nodeName wins over the affinity pin', { nodeName: 'node-1', affinity: required([{ matchFields: [nameIn('node-2')] }]) }, 'node-1'],
];
for (const [name, spec, want] of targets) {
  test(name, () => {
    assert.equal(targetNodeName(spec), want);
  });
}
