// The short run of the snapshot fuzzer (test/fuzz/snapshot-fuzz.ts) inside npm test: a fixed seed, a
// few hundred mutated snapshots through main(). `npm run fuzz` runs thousands with a random seed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everyFieldNullOrDeleted, fuzzSnapshots } from '../fuzz/snapshot-fuzz.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const iterations = Number(process.env.FUZZ_ITERATIONS ?? 300);

test(`mutated snapshots exit 0 or 2 with one clean line, never a JavaScript error (seed ${seed})`, async () => {
  const s = await fuzzSnapshots({ seed, iterations, caseTimeoutMs: 20_000 });
  assert.equal(s.cases, iterations);
  const report = s.failures
    .slice(0, 5)
    .map((f) => `seed ${f.seed} case ${f.case}: ${f.problem} for ${f.argv.join(' ')}: ${f.stderr.slice(0, 200)} (rerun: npm run fuzz -- --seed ${f.seed} --case ${f.case})`)
    .join('\n');
  assert.equal(s.failures.length, 0, report);
  // Both outcomes are reached: the mutations neither always break nor never break the input.
  assert.ok((s.exits['0'] ?? 0) > 0 && (s.exits['2'] ?? 0) > 0, JSON.stringify(s.exits));
});

test('every field of the small fixture set to null or deleted: exit 0 or 2, never "null" or "undefined" printed', async () => {
  const s = await everyFieldNullOrDeleted(20_000);
  assert.ok(s.cases > 300, `${s.cases} cases`);
  const report = s.failures
    .slice(0, 5)
    .map((f) => `${f.argv.join(' ')}: ${f.problem}: ${f.stderr.slice(0, 200)}`)
    .join('\n');
  assert.equal(s.failures.length, 0, report);
});
