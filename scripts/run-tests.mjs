#!/usr/bin/env node
// Node 20's `node --test` takes paths, not globs: find the test files ourselves and hand them over.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  if (!statSync(dir).isDirectory()) return [dir];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// Directories are searched for *.test.ts; a file is taken as it is (`npm run test:e2e test/e2e/x.test.ts`).
const dirs = process.argv.slice(2);
const files = dirs.flatMap(collect);
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const extra = (process.env.TEST_ARGS ?? '').split(' ').filter(Boolean);
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files], {
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
