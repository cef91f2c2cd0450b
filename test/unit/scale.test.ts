// Scale limits that do not show on a small cluster: `push(...xs)` passes every element as an argument
// and overflows the stack past about 100,000 elements (a 130,000-node matrix).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { append } from '../../src/util/array.ts';

test('append takes 500,000 elements, which push(...spread) cannot', () => {
  const big = new Array<number>(500_000).fill(1);
  assert.throws(() => [].push(...(big as never[])), RangeError);
  const to = [0];
  append(to, big);
  assert.equal(to.length, 500_001);
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no push(...), unshift(...), Math.max(...) or Math.min(...) of a spread anywhere in src', () => {
  const offenders = sources('src').flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((line, i) => ({ line, at: `${f}:${i + 1}` }))
      .filter(({ line }) => /(\.(push|unshift)|Math\.(max|min))\(\s*\.\.\./.test(line) && !line.trimStart().startsWith('//'))
      .map(({ at }) => at),
  );
  assert.deepEqual(offenders, []);
});
