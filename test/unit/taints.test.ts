// Toleration / taint matching vectors (upstream toleration/taint tests): k8s.io/api toleration_test.go
// (ToleratesTaint, compareNumericValues), component-helpers FindMatchingUntoleratedTaint, Taint.ToString.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMatchingUntoleratedTaint, indexTolerations, taintToString, toleratesTaint, untoleratedTaints, type ToleranceOptions } from '../../src/model/taints.ts';
import { nodeShouldRunDaemonPod } from '../../src/model/eligibility.ts';
import type { DaemonSet, Node } from '../../src/model/types.ts';
import type { Taint, Toleration } from '../../src/model/types.ts';

const gateOn: ToleranceOptions = { comparisonOperators: true };

type Case = [name: string, toleration: Toleration, taint: Taint, opts: ToleranceOptions, tolerated: boolean];

const cases: Case[] = [
  ['upstream toleration/taint tests case 1: foo Exists NoSchedule vs foo:NoSchedule', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, { key: 'foo', effect: 'NoSchedule' }, {}, true],
  ['upstream toleration/taint tests case 2: foo Exists NoSchedule vs foo=bar:NoSchedule', { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, {}, true],
  ['upstream toleration/taint tests case 3: "" Exists NoSchedule (empty key) vs foo=bar:NoSchedule', { key: '', operator: 'Exists', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, {}, true],
  ['upstream toleration/taint tests case 4: foo Equal bar NoSchedule vs foo=bar:NoSchedule', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, {}, true],
  ['upstream toleration/taint tests case 5: foo Equal value1 vs foo=value2: values differ', { key: 'foo', operator: 'Equal', value: 'value1', effect: 'NoSchedule' }, { key: 'foo', value: 'value2', effect: 'NoSchedule' }, {}, false],
  ['upstream toleration/taint tests case 6: foo Equal bar NoSchedule vs foo=bar:NoExecute: effect differs', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, { key: 'foo', value: 'bar', effect: 'NoExecute' }, {}, false],
  ['upstream toleration/taint tests case 7: sla Gt 950 NoSchedule (gate on) vs sla=800:NoSchedule', { key: 'sla', operator: 'Gt', value: '950', effect: 'NoSchedule' }, { key: 'sla', value: '800', effect: 'NoSchedule' }, gateOn, false],
  ['upstream toleration/taint tests case 8: sla Gt 750 (gate on) vs sla=950', { key: 'sla', operator: 'Gt', value: '750' }, { key: 'sla', value: '950', effect: 'NoSchedule' }, gateOn, true],
  ['upstream toleration/taint tests case 9: sla Lt 800 (gate on) vs sla=950', { key: 'sla', operator: 'Lt', value: '800' }, { key: 'sla', value: '950', effect: 'NoSchedule' }, gateOn, false],
  ['upstream toleration/taint tests case 10: sla Lt 950 (gate on) vs sla=800', { key: 'sla', operator: 'Lt', value: '950' }, { key: 'sla', value: '800', effect: 'NoSchedule' }, gateOn, true],
  ['upstream toleration/taint tests case 11: sla Gt 950 (gate on) vs sla=950: strict', { key: 'sla', operator: 'Gt', value: '950' }, { key: 'sla', value: '950', effect: 'NoSchedule' }, gateOn, false],
  ['upstream toleration/taint tests case 12: sla Gt 950 (gate on) vs sla=high: parse error', { key: 'sla', operator: 'Gt', value: '950' }, { key: 'sla', value: 'high', effect: 'NoSchedule' }, gateOn, false],
  ['upstream toleration/taint tests case 13: k Gt -100 (gate on) vs k=-200', { key: 'k', operator: 'Gt', value: '-100' }, { key: 'k', value: '-200', effect: 'NoSchedule' }, gateOn, false],
  ['upstream toleration/taint tests case 14: k Gt 9223372036854775806 (gate on) vs k=100', { key: 'k', operator: 'Gt', value: '9223372036854775806' }, { key: 'k', value: '100', effect: 'NoSchedule' }, gateOn, false],
  ['upstream toleration/taint tests case 15: Gt with the gate off tolerates nothing (sla Gt 750 vs sla=950)', { key: 'sla', operator: 'Gt', value: '750' }, { key: 'sla', value: '950', effect: 'NoSchedule' }, {}, false],
  ['upstream toleration/taint tests case 15: Lt with the gate off tolerates nothing (sla Lt 950 vs sla=800)', { key: 'sla', operator: 'Lt', value: '950' }, { key: 'sla', value: '800', effect: 'NoSchedule' }, { comparisonOperators: false }, false],
  // Rules behind the table (daemonset-semantics.md §1.5).
  ['upstream toleration/taint tests: empty operator means Equal (dedicated=user1)', { key: 'dedicated', value: 'user1', effect: 'NoSchedule' }, { key: 'dedicated', value: 'user1', effect: 'NoSchedule' }, {}, true],
  ['upstream toleration/taint tests: empty effect matches every effect', { key: 'foo', operator: 'Exists' }, { key: 'foo', effect: 'NoExecute' }, {}, true],
  ['upstream toleration/taint tests: Equal with empty values on both sides', { key: 'foo', operator: 'Equal' }, { key: 'foo', effect: 'NoSchedule' }, {}, true],
  ['upstream toleration/taint tests: unknown operator tolerates nothing', { key: 'foo', operator: 'Matches', value: 'bar' }, { key: 'foo', value: 'bar', effect: 'NoSchedule' }, {}, false],
  ['upstream toleration/taint tests: key differs', { key: 'foo', operator: 'Exists' }, { key: 'bar', effect: 'NoSchedule' }, {}, false],
];

for (const [name, toleration, taint, opts, tolerated] of cases) {
  test(`${name} → tolerated=${tolerated}`, () => {
    assert.equal(toleratesTaint(toleration, taint, opts), tolerated);
  });
}

// compareNumericValues (gate on), toleration value first: Gt(100 vs 200) means "taint 200 > toleration 100".
const numeric: [op: 'Gt' | 'Lt', toleration: string, taint: string, want: boolean][] = [
  ['Gt', '100', '200', true],
  ['Gt', '200', '100', false],
  ['Gt', '100', '100', false],
  ['Gt', '-100', '-50', true],
  ['Lt', '200', '100', true],
  ['Lt', '0', '-1', true],
];
for (const [op, tol, taint, want] of numeric) {
  test(`upstream toleration/taint tests compareNumericValues ${op}(${tol} vs ${taint}) → ${want}`, () => {
    assert.equal(toleratesTaint({ key: 'k', operator: op, value: tol }, { key: 'k', value: taint, effect: 'NoSchedule' }, gateOn), want);
  });
}

// Rejected toleration values. The taint value 200 would satisfy `Gt` under any lenient parse
// (Number("0100") = 100, Number("") = 0, Number("+100") = 100, 100.5 < 200), so only the strict parse gives false.
for (const bad of ['abc', '', '0100', '+100', '100.5', '-']) {
  test(`upstream toleration/taint tests compareNumericValues rejects the toleration value ${JSON.stringify(bad)} → false`, () => {
    assert.equal(toleratesTaint({ key: 'k', operator: 'Gt', value: bad }, { key: 'k', value: '200', effect: 'NoSchedule' }, gateOn), false);
  });
}

const fooExistsNoSchedule: Toleration = { key: 'foo', operator: 'Exists', effect: 'NoSchedule' };
const untolerated: [name: string, tolerations: Toleration[], taints: Taint[], filter: ((t: Taint) => boolean) | undefined, want: Taint | undefined][] = [
  ['no tolerations, no taints', [], [], undefined, undefined],
  ['toleration foo Exists NoSchedule, no taints', [fooExistsNoSchedule], [], undefined, undefined],
  ['same toleration, taint foo:NoSchedule', [fooExistsNoSchedule], [{ key: 'foo', effect: 'NoSchedule' }], undefined, undefined],
  ['same toleration, taint bar:NoSchedule, filter rejects everything', [fooExistsNoSchedule], [{ key: 'bar', effect: 'NoSchedule' }], () => false, undefined],
  ['same toleration, taint bar:NoSchedule, no filter → bar', [fooExistsNoSchedule], [{ key: 'bar', effect: 'NoSchedule' }], undefined, { key: 'bar', effect: 'NoSchedule' }],
  [
    'toleration foo Exists NoExecute, taints [foo:NoExecute, bar:NoSchedule], filter NoExecute only',
    [{ key: 'foo', operator: 'Exists', effect: 'NoExecute' }],
    [{ key: 'foo', effect: 'NoExecute' }, { key: 'bar', effect: 'NoSchedule' }],
    (t) => t.effect === 'NoExecute',
    undefined,
  ],
  [
    'first untolerated taint in node order is returned',
    [],
    [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'NoExecute' }, { key: 'c', effect: 'NoSchedule' }],
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
    { key: 'b', effect: 'NoExecute' },
  ],
];
for (const [name, tolerations, taints, filter, want] of untolerated) {
  test(`upstream toleration/taint tests FindMatchingUntoleratedTaint: ${name} → ${want ? want.key : 'tolerated'}`, () => {
    assert.deepEqual(findMatchingUntoleratedTaint(taints, tolerations, filter), want);
  });
}

const strings: [Taint, string][] = [
  [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }, 'dedicated=user1:NoSchedule'],
  [{ key: 'dedicated', value: 'user1', effect: '' }, 'dedicated=user1:'],
  [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, 'node.kubernetes.io/not-ready:NoExecute'],
  [{ key: 'dedicated', effect: '' }, 'dedicated'],
];
for (const [taint, want] of strings) {
  test(`upstream toleration/taint tests Taint.ToString → ${want}`, () => {
    assert.equal(taintToString(taint), want);
  });
}

// ---- the toleration index: the same answers as toleratesTaint one by one, in linear time

test('F the toleration index gives every upstream vector the answer of toleratesTaint', () => {
  for (const [name, toleration, taint, opts, tolerated] of cases) {
    assert.equal(indexTolerations([toleration]).tolerates(taint, opts), tolerated, name);
  }
});

test('F the toleration index agrees with toleratesTaint on random sets (seeded)', () => {
  let a = 12345;
  const rnd = (n: number): number => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a >>> 8) % n;
  };
  const keys = ['', 'a', 'b', 'node.kubernetes.io/not-ready'];
  const effects = ['', 'NoSchedule', 'NoExecute', 'PreferNoSchedule'];
  const values = ['', '1', '5', '-3', '01', 'x', '9223372036854775807'];
  const operators = ['', 'Equal', 'Exists', 'Gt', 'Lt', 'Bogus'];
  const opt = <T>(xs: T[]): T | undefined => (rnd(5) === 0 ? undefined : xs[rnd(xs.length)]);
  let checked = 0;
  for (let round = 0; round < 300; round++) {
    const tolerations: Toleration[] = Array.from({ length: rnd(6) }, () => {
      const t: Toleration = {};
      const [k, o, v, e] = [opt(keys), opt(operators), opt(values), opt(effects)];
      if (k !== undefined) t.key = k;
      if (o !== undefined) t.operator = o;
      if (v !== undefined) t.value = v;
      if (e !== undefined) t.effect = e;
      return t;
    });
    const index = indexTolerations(tolerations);
    for (let i = 0; i < 20; i++) {
      const taint: Taint = { key: keys[rnd(keys.length)]!, effect: effects[rnd(effects.length)]! };
      const v = opt(values);
      if (v !== undefined) taint.value = v;
      for (const opts of [{}, gateOn]) {
        const want = tolerations.some((t) => toleratesTaint(t, taint, opts));
        assert.equal(index.tolerates(taint, opts), want, `${JSON.stringify(tolerations)} vs ${JSON.stringify(taint)} ${JSON.stringify(opts)}`);
        checked++;
      }
    }
  }
  assert.equal(checked, 12000);
});

/** Wraps each object so that every property read is counted. */
function counted<T extends object>(xs: T[], counter: { reads: number }): T[] {
  return xs.map(
    (x) =>
      new Proxy(x, {
        get(target, prop, receiver) {
          counter.reads++;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }),
  );
}

const N = 5000;
const manyTaints = (): Taint[] => Array.from({ length: N }, (_, i) => ({ key: `t${i}`, value: `v${i}`, effect: i % 2 ? 'NoSchedule' : 'NoExecute' }));
// None of them tolerates any taint above (different keys), so every pair would be compared.
const manyTolerations = (): Toleration[] => Array.from({ length: N }, (_, i) => ({ key: `k${i}`, operator: 'Equal', value: `v${i}`, effect: 'NoSchedule' }));

test('F 5,000 taints against 5,000 tolerations read each object a bounded number of times, not once per pair', () => {
  const taintReads = { reads: 0 };
  const tolerationReads = { reads: 0 };
  const taints = counted(manyTaints(), taintReads);
  const tolerations = counted(manyTolerations(), tolerationReads);
  const blocking = untoleratedTaints(taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute', gateOn);
  assert.equal(blocking.length, N);
  // A quadratic check reads some 25,000,000 times; this one a handful per object.
  assert.ok(taintReads.reads <= 10 * N, `taint reads: ${taintReads.reads}`);
  assert.ok(tolerationReads.reads <= 10 * N, `toleration reads: ${tolerationReads.reads}`);
});

test('F NodeShouldRunDaemonPod on a node with 5,000 taints and a DaemonSet with 5,000 tolerations stays linear', () => {
  const taintReads = { reads: 0 };
  const node: Node = { metadata: { name: 'n1' }, spec: { taints: counted(manyTaints(), taintReads) } };
  const ds: DaemonSet = { metadata: { name: 'd', namespace: 'ns' }, spec: { template: { spec: { tolerations: [...manyTolerations(), { key: 't7', operator: 'Exists' }] } } } };
  const el = nodeShouldRunDaemonPod(node, ds);
  assert.equal(el.shouldRun, false);
  assert.equal(el.untoleratedTaints.length, N - 1, 't7 is tolerated');
  assert.equal(el.reasons.length, N - 1);
  assert.ok(taintReads.reads <= 20 * N, `taint reads: ${taintReads.reads}`);
});
