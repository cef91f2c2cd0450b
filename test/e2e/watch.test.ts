// coverage --watch against the REAL control plane: `kubectl ds-inspect coverage --watch -o json` runs as
// a child process while the test adds a node, taints a node, rolls the image and deletes a pod; each
// expected cell transition appears on stdout in order within a few seconds, and the last state of every
// cell equals a one-shot `coverage -o json`. Ctrl-C (SIGINT) ends the watch with exit 0.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { CoverageReport } from '../../src/model/coverage.ts';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest } from './agreement.ts';

const NS = 'e2e-watch';
const ROOT = resolve(import.meta.dirname, '..', '..');
let cluster: Cluster;

interface Line {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  cell: { node: string; daemonSet: string; state: string; pods: { name: string; updated: boolean; ready: boolean }[] };
  previous?: string;
}

function nodeManifest(name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'watch', 'kubernetes.io/hostname': name } },
    status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

const agent = (image: string): object => daemonSetManifest(NS, 'agent', { nodeSelector: { e2e: 'watch' }, containers: [{ name: 'c', image }] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } } });

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

/** The watch as a child process, its stdout parsed line by line as it comes. */
function startWatch(): { child: ChildProcess; lines: Line[]; err: () => string; exited: Promise<number | null> } {
  const child = spawn('kubectl', ['ds-inspect', 'coverage', '-n', NS, '--nodes', 'e2e=watch', '--watch', '-o', 'json'], {
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig, PATH: `${resolve(ROOT, 'bin')}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let pending = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    pending += s;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const p of parts) if (p.trim() !== '') lines.push(JSON.parse(p) as Line);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, err: () => err, exited };
}

/** Wait (a few seconds) for a transition of `node`'s agent cell to `state` after line `from`; its index. */
async function transition(lines: Line[], from: number, node: string, state: string, ms = 20_000): Promise<number> {
  return waitFor<number>(
    `agent@${node} → ${state}`,
    () => {
      const i = lines.findIndex((l, j) => j >= from && l.cell.node === node && l.cell.daemonSet === 'agent' && l.cell.state === state);
      return i >= 0 ? i + 1 : undefined;
    },
    ms,
    200,
  ).catch((e: unknown) => {
    // Say what the watch did print: the transitions since `from`.
    throw new Error(`${(e as Error).message}; lines since ${from}: ${lines.slice(from).map((l) => `${l.type} ${l.cell.node} ${l.cell.state}`).join(', ')}`);
  });
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply([nodeManifest('wa-1'), nodeManifest('wa-2')]);
  await waitFor('watch nodes Ready', () => {
    const nodes = getJson<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>(cluster, ['nodes', '-l', 'e2e=watch']).items;
    return nodes.length === 2 && nodes.every((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
  apply([agent('busybox:1')]);
  await settle(cluster, NS);
});

after(() => {
  cluster?.stop();
});

test('coverage --watch -o json: node added, node tainted, image rolled, pod deleted, each transition in order; the end equals a one-shot coverage', async () => {
  const w = startWatch();
  try {
    // The first look: every cell ADDED, Ready.
    await waitFor('the first look', () => w.lines.filter((l) => l.type === 'ADDED').length >= 2, 20_000, 200);
    assert.ok(w.lines.every((l) => l.cell.state === 'Ready'), JSON.stringify(w.lines));
    let at = w.lines.length;

    // A node joins: a new cell, then the controller's pod runs there.
    apply([nodeManifest('wa-3')]);
    at = await transition(w.lines, at, 'wa-3', 'Ready');
    assert.ok(w.lines.some((l) => l.type === 'ADDED' && l.cell.node === 'wa-3'), 'wa-3 came as ADDED');

    // NoExecute taint on wa-2: the controller deletes its pod; the cell is Excluded.
    mustKubectl(cluster, ['taint', 'node', 'wa-2', 'e2e-watch=on:NoExecute']);
    at = await transition(w.lines, at, 'wa-2', 'Excluded');

    // Roll the image: each cell gets a pod of the new revision (kwok replaces pods at once, so the state
    // may stay Ready: the change is the pod, and it is printed as MODIFIED).
    apply([agent('busybox:1.36')]);
    const oldPod = w.lines.filter((l) => l.cell.node === 'wa-1').at(-1)!.cell.pods[0]?.name;
    at = await waitFor('wa-1 on a new pod of the new revision', () => {
      const i = w.lines.findIndex((l, j) => j >= at && l.type === 'MODIFIED' && l.cell.node === 'wa-1' && l.cell.state === 'Ready' && l.cell.pods.some((p) => p.updated && p.name !== oldPod));
      return i >= 0 ? i + 1 : undefined;
    }, 30_000, 200);

    // Delete the pod on wa-3: Missing or Pending, then Ready again once the controller recreates it.
    const podName = getJson<{ items: { metadata: { name: string }; spec: { nodeName?: string } }[] }>(cluster, ['pods', '-n', NS]).items.find((p) => p.spec.nodeName === 'wa-3')!.metadata.name;
    mustKubectl(cluster, ['delete', 'pod', '-n', NS, podName, '--wait=false']);
    await waitFor('wa-3 on the pod the controller recreated', () => w.lines.some((l, j) => j >= at && l.type === 'MODIFIED' && l.cell.node === 'wa-3' && l.cell.state === 'Ready' && l.cell.pods.length > 0 && l.cell.pods.every((p) => p.name !== podName)), 30_000, 200);

    // The last state of each cell equals a fresh one-shot look.
    await settle(cluster, NS);
    await new Promise((r) => setTimeout(r, 2000));
    const last = new Map<string, string | undefined>();
    for (const l of w.lines) last.set(`${l.cell.daemonSet}/${l.cell.node}`, l.type === 'DELETED' ? undefined : l.cell.state);
    const r = plugin(cluster, ['coverage', '-n', NS, '--nodes', 'e2e=watch', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    const oneShot = new Map((JSON.parse(r.out) as CoverageReport).cells.map((c) => [`${c.daemonSet}/${c.node}`, c.state as string | undefined]));
    for (const k of last.keys()) if (last.get(k) === undefined) last.delete(k);
    assert.deepEqual(Object.fromEntries([...last].sort()), Object.fromEntries([...oneShot].sort()));
  } finally {
    w.child.kill('SIGINT');
  }
  assert.equal(await w.exited, 0, w.err());
  assert.equal(w.err(), '');
  mustKubectl(cluster, ['taint', 'node', 'wa-2', 'e2e-watch=on:NoExecute-']);
});
