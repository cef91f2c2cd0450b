// npm run fuzz -- [--seed N] [--iterations N] [--case N]   (or FUZZ_SEED, FUZZ_ITERATIONS)
// The long run of the snapshot fuzzer; prints the seed, a summary, and for each failure the seed and
// case to reproduce it with, writing the failing input next to it.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzSnapshots } from './snapshot-fuzz.ts';

const { values } = parseArgs({ options: { seed: { type: 'string' }, iterations: { type: 'string' }, case: { type: 'string' } } });
const seed = Number(values.seed ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const iterations = Number(values.iterations ?? process.env.FUZZ_ITERATIONS ?? 10_000);
const onlyCase = values.case === undefined ? undefined : Number(values.case);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(iterations) || iterations < 1 || (onlyCase !== undefined && !Number.isSafeInteger(onlyCase))) {
  console.error('usage: npm run fuzz -- [--seed N] [--iterations N] [--case N]');
  process.exit(2);
}
console.log(`fuzzing the snapshot reader: seed ${seed}, ${onlyCase !== undefined ? `case ${onlyCase}` : `${iterations} cases`}`);
const started = Date.now();
const s = await fuzzSnapshots({ seed, iterations, caseTimeoutMs: 20_000, ...(onlyCase !== undefined ? { onlyCase } : {}) });
const exits = Object.entries(s.exits)
  .map(([k, v]) => `exit ${k}: ${v}`)
  .join(', ');
console.log(`${s.cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (${exits}); ${s.failures.length} failures`);
if (s.failures.length > 0) {
  const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-fuzz-'));
  for (const f of s.failures.slice(0, 20)) {
    const file = join(dir, `seed-${f.seed}-case-${f.case}.txt`);
    writeFileSync(file, f.input);
    console.log(`FAIL seed ${f.seed} case ${f.case}: ${f.problem} (exit ${f.code ?? 'none'}) for ${f.argv.join(' ')} --snapshot -`);
    console.log(`  stderr: ${JSON.stringify(f.stderr.slice(0, 300))}`);
    console.log(`  input: ${file}; rerun: npm run fuzz -- --seed ${f.seed} --case ${f.case}`);
  }
  process.exit(1);
}
