// rollout advance's usage errors, in-process through main(): each is exit 2 before any request (the
// address is one nothing listens on). The walk itself, the lock and the budget are tested against the
// REAL controller in test/e2e/advance.test.ts, and the plan and lock decisions as tables in advance.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli.ts';
import type { CliIO } from '../../src/runtime.ts';

async function run(server: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: { write: (x: string) => (out += x) }, stderr: { write: (x: string) => (err += x) }, env: {}, readStdin: () => Promise.resolve(''), now: () => Date.parse('2026-12-01T10:00:00Z') };
  const code = await main([...argv, '--server', server, '--request-timeout', '2s'], io);
  return { code, out, err };
}

const usage: [string[], RegExp][] = [
  [['rollout', 'advance'], /error: missing required argument|name exactly one DaemonSet/],
  [['rollout', 'advance', 'a', 'b'], /name exactly one DaemonSet/],
  [['rollout', 'advance', 'a', '--max-unavailable', '0'], /--max-unavailable: "0" is not a number of nodes/],
  [['rollout', 'advance', 'a', '--max-unavailable', '150%'], /--max-unavailable: "150%"/],
  [['rollout', 'advance', 'a', '--partition', '-1'], /--partition/],
  [['rollout', 'advance', 'a', '--limit', '0'], /--limit: "0" is not a whole number of at least 1/],
  [['rollout', 'advance', 'a', '--nodes', 'pool in (a'], /--nodes/],
  [['rollout', 'advance', 'a', '--node-timeout', '0'], /--node-timeout must be more than 0/],
  [['rollout', 'advance', 'a', '--lock-ttl', '1s'], /--lock-ttl must be at least 3s/],
  [['rollout', 'advance', 'a', '--dry-run=server'], /a walk has no server-side dry run/],
];
for (const [argv, re] of usage) {
  test(`usage: ${argv.slice(2).join(' ') || '(no name)'} → exit 2 before any I/O`, async () => {
    const r = await run('http://127.0.0.1:9', argv);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, re);
  });
}
