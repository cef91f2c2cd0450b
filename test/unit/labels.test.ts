// Label keys, values, requirements and selectors as k8s.io/apimachinery validates and matches them
// (labels.NewRequirement, Requirement.Matches, metav1.LabelSelectorAsSelector) and the `-l` string syntax
// kubectl accepts (labels.Parse).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compileLabelSelector,
  isEmptyLabelSelector,
  labelKeyError,
  labelSelectorMatches,
  labelValueError,
  newRequirement,
  parseSelector,
  requirementMatches,
  type Requirement,
} from '../../src/model/labels.ts';
import type { LabelSelector, Labels } from '../../src/model/types.ts';

const keys: [string, boolean][] = [
  ['app', true],
  ['app.kubernetes.io/name', true],
  ['example.com/a_b-c.d', true],
  ['A9', true],
  ['a'.repeat(63), true],
  ['a'.repeat(64), false],
  ['invalid key', false],
  ['-app', false],
  ['app-', false],
  ['', false],
  ['/app', false],
  ['a/b/c', false],
  ['Example.com/app', false],
  ['example.com/', false],
  [`${'a'.repeat(254)}/x`, false],
];
for (const [key, valid] of keys) {
  test(`label key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 12)}…(${key.length})` : key)} is ${valid ? 'valid' : 'invalid'}`, () => {
    assert.equal(labelKeyError(key) === undefined, valid);
  });
}

const values: [string, boolean][] = [
  ['', true],
  ['production', true],
  ['a-b_c.d', true],
  ['0204', true],
  ['v'.repeat(63), true],
  ['v'.repeat(64), false],
  ['-a', false],
  ['a b', false],
  ['invalid value: ___@#$%^', false],
  ['-5', false],
];
for (const [value, valid] of values) {
  test(`label value ${JSON.stringify(value.length > 40 ? `${value.slice(0, 8)}…(${value.length})` : value)} is ${valid ? 'valid' : 'invalid'}`, () => {
    assert.equal(labelValueError(value) === undefined, valid);
  });
}

const requirements: [key: string, op: string, values: string[], valid: boolean][] = [
  ['foo', 'In', ['bar', 'baz'], true],
  ['foo', 'In', [], false],
  ['foo', 'NotIn', [], false],
  ['foo', 'Exists', [], true],
  ['foo', 'Exists', ['bar'], false],
  ['foo', 'DoesNotExist', ['bar'], false],
  ['foo', 'Gt', ['1'], true],
  ['foo', 'Gt', ['1', '2'], false],
  ['foo', 'Lt', ['x'], false],
  ['foo', 'Lt', ['-5'], false], // an integer, but not a valid label value
  ['foo', 'Equals', ['bar'], false],
  ['bad key', 'Exists', [], false],
  ['foo', 'In', ['bad value!'], false],
];
for (const [key, op, vals, valid] of requirements) {
  test(`NewRequirement ${key} ${op} [${vals.join(', ')}] is ${valid ? 'valid' : 'an error'}`, () => {
    assert.equal(typeof newRequirement(key, op, vals) !== 'string', valid);
  });
}

function req(key: string, operator: Requirement['operator'], values: string[] = []): Requirement {
  return { key, operator, values };
}

const matches: [name: string, r: Requirement, labels: Labels | undefined, want: boolean][] = [
  ['In: value listed', req('a', 'In', ['x', 'y']), { a: 'y' }, true],
  ['In: key missing', req('a', 'In', ['x']), {}, false],
  ['NotIn: key missing matches', req('a', 'NotIn', ['x']), {}, true],
  ['NotIn: value listed', req('a', 'NotIn', ['x']), { a: 'x' }, false],
  ['NotIn: nil labels match', req('a', 'NotIn', ['x']), undefined, true],
  ['Exists', req('a', 'Exists'), { a: '' }, true],
  ['DoesNotExist', req('a', 'DoesNotExist'), { a: '' }, false],
  ['Gt: 0206 > 0204 as integers', req('a', 'Gt', ['0204']), { a: '0206' }, true],
  ['Gt: strict', req('a', 'Gt', ['5']), { a: '5' }, false],
  ['Gt: non-integer label', req('a', 'Gt', ['5']), { a: 'x' }, false],
  ['Lt: negative label value', req('a', 'Lt', ['5']), { a: '-3' }, true],
  ['Lt: key missing', req('a', 'Lt', ['5']), {}, false],
  ['key from Object.prototype is not a label', req('toString', 'Exists'), {}, false],
];
for (const [name, r, labels, want] of matches) {
  test(`Requirement.Matches ${name} → ${want}`, () => {
    assert.equal(requirementMatches(r, labels), want);
  });
}

// metav1.LabelSelectorAsSelector.
const selectors: [name: string, sel: LabelSelector | null | undefined, labels: Labels, want: boolean][] = [
  ['nil selector selects nothing', undefined, { app: 'foo' }, false],
  ['null selector selects nothing', null, { app: 'foo' }, false],
  ['{} selects everything', {}, { app: 'foo' }, true],
  ['matchLabels subset', { matchLabels: { name: 'simple-daemon', type: 'production' } }, { name: 'simple-daemon', type: 'production', extra: 'x' }, true],
  ['matchLabels: simpleDaemonSetLabel2 pods are not selected', { matchLabels: { name: 'simple-daemon', type: 'production' } }, { name: 'simple-daemon', type: 'test' }, false],
  ['matchLabels AND matchExpressions', { matchLabels: { app: 'foo' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] }, { app: 'foo', tier: 'db' }, false],
  ['matchExpressions Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { tier: '' }, true],
  ['invalid matchLabels value: error, selects nothing', { matchLabels: { app: 'bad value' } }, { app: 'bad value' }, false],
  ['In without values: error, selects nothing', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, { app: 'x' }, false],
];
for (const [name, sel, labels, want] of selectors) {
  test(`LabelSelectorAsSelector: ${name} → ${want}`, () => {
    assert.equal(labelSelectorMatches(sel, labels), want);
  });
}

for (const op of ['Gt', 'Lt', 'Equals', '']) {
  test(`LabelSelectorAsSelector: operator ${JSON.stringify(op)} is not a valid label selector operator (only In, NotIn, Exists, DoesNotExist)`, () => {
    const c = compileLabelSelector({ matchExpressions: [{ key: 'v', operator: op, values: ['1'] }] });
    assert.match(c.error ?? '', /is not a valid label selector operator/);
    assert.equal(c.matchesNothing, true);
    assert.equal(labelSelectorMatches({ matchExpressions: [{ key: 'v', operator: op, values: ['1'] }] }, { v: '5' }), false);
  });
}

test('daemon_controller_test.go TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector: selector {} is the "selecting all" selector', () => {
  assert.equal(isEmptyLabelSelector({}), true);
  assert.equal(isEmptyLabelSelector({ matchLabels: { a: 'b' } }), false);
  assert.equal(isEmptyLabelSelector(undefined), false);
});

// labels.Parse, the syntax of kubectl -l.
const parsed: [input: string, want: [string, string, string[]][]][] = [
  ['', []],
  ['   ', []],
  ['a=b', [['a', 'In', ['b']]]],
  ['a==b', [['a', 'In', ['b']]]],
  ['a!=b', [['a', 'NotIn', ['b']]]],
  ['a=', [['a', 'In', ['']]]],
  ['a', [['a', 'Exists', []]]],
  ['!a', [['a', 'DoesNotExist', []]]],
  ['a>1', [['a', 'Gt', ['1']]]],
  ['a<10', [['a', 'Lt', ['10']]]],
  ['a in (x,y)', [['a', 'In', ['x', 'y']]]],
  ['a in(x)', [['a', 'In', ['x']]]],
  ['a notin (x, y)', [['a', 'NotIn', ['x', 'y']]]],
  ['a in ()', [['a', 'In', ['']]]],
  [' a = b , c != d ', [['a', 'In', ['b']], ['c', 'NotIn', ['d']]]],
  ['app.kubernetes.io/name=ds,!canary', [['app.kubernetes.io/name', 'In', ['ds']], ['canary', 'DoesNotExist', []]]],
  // The example in the labels.Parse documentation.
  ['x in (foo,,baz),y,z notin ()', [['x', 'In', ['foo', '', 'baz']], ['y', 'Exists', []], ['z', 'NotIn', ['']]]],
  // `in` and `notin` are keywords only as operators; as a key or value they are identifiers.
  ['in in (in)', [['in', 'In', ['in']]]],
];
for (const [input, want] of parsed) {
  test(`-l ${JSON.stringify(input)} parses`, () => {
    const r = parseSelector(input);
    assert.notEqual(typeof r, 'string', r as string);
    const got = (r as Requirement[]).map((x): [string, string, string[]] => [x.key, x.operator, [...x.values].sort()]);
    assert.deepEqual(
      got,
      want.map(([k, o, v]): [string, string, string[]] => [k, o, [...v].sort()]),
    );
  });
}

const rejected: [input: string, why: string][] = [
  ['a in (x', 'missing ")"'],
  ['a in x', '"(" expected'],
  ['a b', 'two identifiers'],
  ['a=b=c', 'trailing "="'],
  ['a=b c', 'trailing identifier'],
  [',a', 'leading comma'],
  ['a,', 'trailing comma'],
  ['a,,b', 'empty requirement'],
  ['!a=b', '"!" takes no value'],
  ['a>x', 'Gt needs an integer'],
  ['a>=1', '">=" is not an operator'],
  ['a>-5', '-5 is not a valid label value'],
  ['invalid key=x', 'space in key'],
  ['a=bad/value', 'invalid value'],
  ['a in (x y)', 'missing comma'],
  ['a IN (x)', 'keywords are lower case only'],
  ['a NotIn (x)', 'keywords are lower case only'],
];
for (const [input, why] of rejected) {
  test(`-l ${JSON.stringify(input)} is rejected (${why})`, () => {
    assert.equal(typeof parseSelector(input), 'string');
  });
}

test('-l parse result matches labels as the API server would', () => {
  const r = parseSelector('tier in (web,api),!canary,env!=prod') as Requirement[];
  const ok = (labels: Labels): boolean => r.every((x) => requirementMatches(x, labels));
  assert.equal(ok({ tier: 'web', env: 'dev' }), true);
  assert.equal(ok({ tier: 'web' }), true);
  assert.equal(ok({ tier: 'web', env: 'prod' }), false);
  assert.equal(ok({ tier: 'web', canary: 'true' }), false);
  assert.equal(ok({ tier: 'db' }), false);
});
