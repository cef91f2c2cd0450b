// Live lists leave out what trimPod and trimNode drop before parsing (io/trim.ts POD_SKIP, NODE_SKIP):
// on realistic objects (bench/realistic.mjs) the trimmed result is the same with and without.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonListSplitter } from '../../src/io/json-items.ts';
import { NODE_SKIP, POD_SKIP, trimNode, trimPod } from '../../src/io/trim.ts';
import type { Node, Pod } from '../../src/model/types.ts';
// @ts-expect-error: a plain ES module of the benchmark, without types
import * as realistic from '../../bench/realistic.mjs';

const snapshotItems = (realistic as { snapshotItems: (nodes: number, daemonSets: number) => Iterable<{ kind: string }> }).snapshotItems;

test('trimming realistic pods and nodes gives the same objects whether the skipped members were parsed or not', () => {
  const all = [...snapshotItems(30, 20)];
  for (const [kind, skip, trim] of [['Pod', POD_SKIP, (o: unknown) => trimPod(o as Pod)], ['Node', NODE_SKIP, (o: unknown) => trimNode(o as Node)]] as const) {
    const items = all.filter((o) => o.kind === kind);
    assert.ok(items.length >= 30, kind);
    const text = Buffer.from(JSON.stringify({ kind: `${kind}List`, items }));
    for (const chunk of [977, 65_536]) {
      const got: unknown[] = [];
      const s = new JsonListSplitter({ item: (t) => got.push(trim(JSON.parse(t))), member: () => undefined }, { skip });
      for (let i = 0; i < text.length; i += chunk) s.write(text.subarray(i, i + chunk));
      s.end();
      assert.deepEqual(got, (JSON.parse(text.toString()) as { items: unknown[] }).items.map(trim), `${kind}, chunks of ${chunk}`);
    }
  }
});
