// The version comes from package.json through the generated src/version.ts, not from reading
// package.json at run time (which a bundle or single executable cannot do).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { main } from '../../src/cli.ts';
import { VERSION } from '../../src/version.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('--version prints package.json version from the generated module', async () => {
  assert.equal(VERSION, pkg.version);
  let out = '';
  const code = await main(['--version'], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    env: {},
    readStdin: () => Promise.resolve(''),
    now: () => 0,
  });
  assert.equal(code, 0);
  assert.equal(out, `${pkg.version}\n`);
});
