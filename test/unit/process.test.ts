// The executable as users run it: a real process behind real pipes (not an injected reader or writer).
// Needs the build (`npm test` builds before the unit tests).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { VERSION } from '../../src/version.ts';

const BIN = 'bin/kubectl-ds_inspect';
const DEMO = 'examples/demo-cluster.yaml';

function sh(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--snapshot - reads a real pipe whose writer is slow (no EAGAIN)', () => {
  const r = sh(`(sleep 0.5; cat ${DEMO}) | node ${BIN} coverage -A --snapshot - -o name`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(r.stdout.trim().split('\n'), ['daemonset.apps/dcgm-exporter', 'daemonset.apps/calico-node', 'daemonset.apps/kube-proxy', 'daemonset.apps/node-exporter']);
});

test('--snapshot - from a pipe of several documents in JSON', () => {
  const r = sh(`node -e 'const y=require("yaml");process.stdout.write(JSON.stringify(y.parse(require("fs").readFileSync("${DEMO}","utf8"))))' | node ${BIN} coverage -A --snapshot - -o jsonpath='{.kind}'`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'DaemonSetCoverage');
});

/** The demo with 400 more nodes: output far larger than a pipe's buffer, so the writer meets EPIPE. */
function bigSnapshot(): string {
  const list = parse(readFileSync(DEMO, 'utf8')) as { items: { kind: string; metadata: { name: string; labels?: Record<string, string> } }[] };
  const node = list.items.find((i) => i.kind === 'Node')!;
  for (let i = 0; i < 400; i++) list.items.push({ ...node, metadata: { ...node.metadata, name: `clone-${i}`, labels: { ...node.metadata.labels, 'kubernetes.io/hostname': `clone-${i}` } } });
  const file = join(mkdtempSync(join(tmpdir(), 'ds-inspect-big-')), 'big.json');
  writeFileSync(file, JSON.stringify(list));
  return file;
}
const BIG = bigSnapshot();

const closedPipes: [string, string][] = [
  ['yaml | head -1', `node ${BIN} coverage -A --snapshot ${BIG} -o yaml | head -1`],
  ['wide matrix | head -1', `node ${BIN} coverage -A --snapshot ${BIG} -o wide --layout matrix | head -1`],
  ['help | head -1', `node ${BIN} help | head -1`],
  ['json | true (the reader never reads)', `node ${BIN} coverage -A --snapshot ${BIG} -o json | true`],
];

for (const [name, pipeline] of closedPipes) {
  test(`a closed output pipe ends quietly: ${name}`, () => {
    const r = sh(`set -o pipefail; ${pipeline}; echo "status=$?" >&2`);
    const status = /status=(\d+)/.exec(r.stderr)?.[1];
    // 141 (SIGPIPE's status) when the reader left first; 0 when the output fitted in the pipe (help).
    assert.ok(status === '141' || (status === '0' && name.startsWith('help')), r.stderr);
    assert.equal(r.stderr.replace(/status=\d+\n/, ''), '', 'nothing on stderr: no stack trace');
  });
}

test('--version prints the version of package.json, through the fast path and the full CLI', () => {
  const pkg = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  assert.equal(VERSION, pkg);
  assert.equal(sh(`node ${BIN} --version`).stdout, `${pkg}\n`);
  assert.equal(sh(`node ${BIN} rollout --version`).stdout, `${pkg}\n`);
});
