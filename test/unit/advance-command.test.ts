// rollout advance in-process through main(), against a loopback fake API server that plays the OnDelete
// DaemonSet controller: a deleted pod is replaced on its node by a pod of the current revision, Ready at
// once (or never, to test --node-timeout). The server records the DELETE bodies, the lock annotation's
// history and, after every change, how many nodes lack a Ready pod.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.ts';
import { ADVANCE_LOCK_ANNOTATION } from '../../src/model/advance.ts';
import type { CliIO } from '../../src/runtime.ts';

interface FakePod {
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; labels: Record<string, string>; ownerReferences: object[]; creationTimestamp: string };
  spec: { nodeName: string; containers: object[] };
  status: { phase: string; conditions: { type: string; status: string; lastTransitionTime: string }[] };
}

const T1 = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v1' }] } };
const T2 = { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v2' }] } };
const OWNER = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }];

function fakeCluster(opts: { nodes: string[]; pools?: Record<string, string>; newPodsReady?: boolean; annotations?: Record<string, string>; strategy?: string }) {
  let rv = 1;
  let podSeq = 0;
  const next = (): string => String(++rv);
  const ds = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'ns', uid: 'ds-uid', resourceVersion: next(), generation: 2, annotations: { ...(opts.annotations ?? {}) } as Record<string, string> },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: T2, updateStrategy: { type: opts.strategy ?? 'OnDelete' } },
    status: { observedGeneration: 2, desiredNumberScheduled: opts.nodes.length },
  };
  const nodes = opts.nodes.map((n) => ({ metadata: { name: n, labels: { 'kubernetes.io/hostname': n, ...(opts.pools?.[n] ? { pool: opts.pools[n] } : {}) } }, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } }));
  const revs = [
    { metadata: { name: 'agent-h1', namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': 'h1' }, ownerReferences: OWNER }, revision: 1, data: { spec: { template: { $patch: 'replace', ...T1 } } } },
    { metadata: { name: 'agent-h2', namespace: 'ns', labels: { app: 'agent', 'controller-revision-hash': 'h2' }, ownerReferences: OWNER }, revision: 2, data: { spec: { template: { $patch: 'replace', ...T2 } } } },
  ];
  const mkPod = (node: string, hash: string, ready: boolean): FakePod => {
    const id = ++podSeq;
    const at = new Date().toISOString();
    return {
      metadata: { name: `agent-${id}`, namespace: 'ns', uid: `uid-${id}`, resourceVersion: next(), labels: { app: 'agent', 'controller-revision-hash': hash }, ownerReferences: OWNER, creationTimestamp: at },
      spec: { nodeName: node, containers: [{ name: 'c' }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    };
  };
  let pods: FakePod[] = opts.nodes.map((n) => mkPod(n, 'h1', true));
  const deletes: unknown[] = [];
  const lockHistory: (string | undefined)[] = [];
  let maxDown = 0;
  const sample = (): void => {
    const down = opts.nodes.filter((n) => !pods.some((p) => p.spec.nodeName === n && p.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))).length;
    maxDown = Math.max(maxDown, down);
  };
  const send = (res: http.ServerResponse, code: number, body: unknown): void => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const m = req.method ?? 'GET';
      if (m === 'GET' && path === '/apis/apps/v1/namespaces/ns/daemonsets') return send(res, 200, { kind: 'DaemonSetList', items: [ds] });
      if (m === 'GET' && path === '/apis/apps/v1/namespaces/ns/daemonsets/agent') return send(res, 200, ds);
      if (m === 'GET' && path === '/api/v1/nodes') return send(res, 200, { kind: 'NodeList', items: nodes });
      if (m === 'GET' && path === '/api/v1/namespaces/ns/pods') return send(res, 200, { kind: 'PodList', items: pods });
      if (m === 'GET' && path === '/apis/apps/v1/namespaces/ns/controllerrevisions') return send(res, 200, { kind: 'ControllerRevisionList', items: revs });
      if (m === 'GET' && path === '/api/v1/namespaces/ns/events') return send(res, 200, { kind: 'EventList', items: [] });
      if (m === 'PATCH' && path === '/apis/apps/v1/namespaces/ns/daemonsets/agent') {
        const patch = JSON.parse(text) as { metadata: { resourceVersion?: string; annotations?: Record<string, string | null> } };
        if (patch.metadata.resourceVersion !== ds.metadata.resourceVersion) return send(res, 409, { kind: 'Status', code: 409, reason: 'Conflict', message: 'the object has been modified' });
        for (const [k, v] of Object.entries(patch.metadata.annotations ?? {})) {
          if (v === null) delete ds.metadata.annotations[k];
          else ds.metadata.annotations[k] = v;
        }
        lockHistory.push(ds.metadata.annotations[ADVANCE_LOCK_ANNOTATION]);
        ds.metadata.resourceVersion = next();
        return send(res, 200, ds);
      }
      const del = /^\/api\/v1\/namespaces\/ns\/pods\/([^/]+)$/.exec(path);
      if (m === 'DELETE' && del) {
        const body = JSON.parse(text) as { preconditions?: { uid?: string; resourceVersion?: string } };
        deletes.push(body);
        const p = pods.find((x) => x.metadata.name === del[1]);
        if (!p) return send(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' });
        if (body.preconditions?.uid !== p.metadata.uid || body.preconditions.resourceVersion !== p.metadata.resourceVersion) {
          return send(res, 409, { kind: 'Status', code: 409, reason: 'Conflict', message: 'precondition failed' });
        }
        pods = pods.filter((x) => x !== p);
        sample();
        // The controller's next sync: a pod of the current revision on that node.
        setTimeout(() => {
          pods.push(mkPod(p.spec.nodeName, 'h2', opts.newPodsReady !== false));
          sample();
        }, 50);
        return send(res, 200, { kind: 'Status', status: 'Success' });
      }
      send(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: `${m} ${path}` });
    });
  });
  return {
    ds,
    deletes,
    lockHistory,
    images: (): string[] => opts.nodes.map((n) => pods.find((p) => p.spec.nodeName === n)?.metadata.labels['controller-revision-hash'] ?? '-'),
    maxDown: (): number => maxDown,
    async start(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function kubeconfig(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ds-inspect-adv-')), 'config');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'fake', clusters: [{ name: 'fake', cluster: { server } }], users: [{ name: 'fake', user: { token: 't' } }], contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake', namespace: 'ns' } }] }));
  return file;
}

async function run(server: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: { KUBECONFIG: kubeconfig(server) },
    readStdin: () => Promise.resolve(''),
    now: () => Date.now(),
  };
  const code = await main(argv, io);
  return { code, out, err };
}

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

test('advance --max-unavailable 2: every node reaches the new revision, never more than 2 down; preconditions sent; lock released', async () => {
  const f = fakeCluster({ nodes: NODES });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent', '--max-unavailable', '2']);
    assert.equal(r.code, 0, r.err + r.out);
    assert.deepEqual(f.images(), ['h2', 'h2', 'h2', 'h2', 'h2']);
    assert.ok(f.maxDown() <= 2, `max down ${f.maxDown()}`);
    assert.match(r.out, /^wave 1: n1, n2$/m);
    assert.match(r.out, /^wave 3: n5$/m);
    assert.match(r.out, /\[█+\] 5\/5 updated, 5\/5 available \(revision 2\) done/);
    assert.match(r.out, /every node runs the current revision/);
    assert.equal(f.deletes.length, 5);
    for (const d of f.deletes) {
      const body = d as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['apiVersion', 'kind', 'preconditions'], 'no gracePeriodSeconds: the template decides');
    }
    assert.equal(f.ds.metadata.annotations[ADVANCE_LOCK_ANNOTATION], undefined, 'lock released');
    assert.match(f.lockHistory[0] ?? '', /"holder":"[^"]+@[^"]+\/\d+"/);
  } finally {
    await f.close();
  }
});

test('advance --dry-run prints the plan and deletes nothing', async () => {
  const f = fakeCluster({ nodes: NODES });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent', '--max-unavailable', '40%', '--partition', '1', '--dry-run']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /5 of 5 nodes run an older revision; this walk advances 4 nodes in 2 waves \(max unavailable 2, 0 nodes unavailable now\)/);
    assert.match(r.out, /wave 1: n1 \(pod agent-\d, revision 1\), n2 /);
    assert.match(r.out, /skipped n5: kept on its revision by --partition 1/);
    assert.equal(f.deletes.length, 0);
    assert.deepEqual(f.lockHistory, []);
  } finally {
    await f.close();
  }
});

test('advance --nodes and --limit: only the canary pool, at most N nodes', async () => {
  const f = fakeCluster({ nodes: NODES, pools: { n2: 'canary', n4: 'canary', n5: 'canary' } });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent', '--nodes', 'pool=canary', '--limit', '2']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(f.images(), ['h1', 'h2', 'h1', 'h2', 'h1']);
    assert.match(r.out, /3 of 5 nodes still run an older revision: n1, n3, n5/);
  } finally {
    await f.close();
  }
});

test('a new pod that never becomes Ready stops the walk after the first wave, naming the node and the reason (exit 1)', async () => {
  const f = fakeCluster({ nodes: NODES, newPodsReady: false });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent', '--max-unavailable', '2', '--node-timeout', '2s']);
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, /^error: the new pod did not become Ready and available within --node-timeout 2s, so the walk stopped \(every other node keeps its pod\): n1: NotReady \(.*\); n2: NotReady/m);
    assert.equal(f.deletes.length, 2);
    assert.deepEqual(f.images(), ['h2', 'h2', 'h1', 'h1', 'h1']);
    assert.equal(f.ds.metadata.annotations[ADVANCE_LOCK_ANNOTATION], undefined, 'lock released after a failure');
  } finally {
    await f.close();
  }
});

test('the lock: held by a live walk → refused naming the holder; stale → taken over, said so, released', async () => {
  const fresh = JSON.stringify({ holder: 'bob@ci/77', startedAt: new Date().toISOString(), renewedAt: new Date().toISOString(), ttlSeconds: 600 });
  const f = fakeCluster({ nodes: ['n1'], annotations: { [ADVANCE_LOCK_ANNOTATION]: fresh } });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^error: daemonset "agent" is being advanced by bob@ci\/77 \(since /m);
    assert.equal(f.deletes.length, 0);
    assert.equal(f.ds.metadata.annotations[ADVANCE_LOCK_ANNOTATION], fresh, 'their lock is untouched');
  } finally {
    await f.close();
  }
  const stale = JSON.stringify({ holder: 'bob@ci/77', startedAt: '2026-01-01T00:00:00Z', renewedAt: '2026-01-01T00:00:00Z', ttlSeconds: 5 });
  const g = fakeCluster({ nodes: ['n1'], annotations: { [ADVANCE_LOCK_ANNOTATION]: stale } });
  const url2 = await g.start();
  try {
    const r = await run(url2, ['rollout', 'advance', 'agent']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /Warning: took over the lock of daemonset "agent" held by bob@ci\/77/);
    assert.deepEqual(g.images(), ['h2']);
    assert.equal(g.ds.metadata.annotations[ADVANCE_LOCK_ANNOTATION], undefined);
  } finally {
    await g.close();
  }
});

test('the lock is renewed every third of --lock-ttl, keeping its holder and start, then released', async () => {
  const f = fakeCluster({ nodes: ['n1'], newPodsReady: false });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent', '--node-timeout', '4s', '--lock-ttl', '3s']);
    assert.equal(r.code, 1);
    const held = f.lockHistory.slice(0, -1).map((v) => JSON.parse(v ?? '{}') as { holder: string; startedAt: string; renewedAt: string; ttlSeconds: number });
    assert.ok(held.length >= 3, `taken and renewed: ${f.lockHistory.length} writes`);
    assert.equal(new Set(held.map((h) => `${h.holder} ${h.startedAt}`)).size, 1);
    assert.ok(held.every((h) => h.ttlSeconds === 3));
    assert.ok(held.at(-1)!.renewedAt > held[0]!.renewedAt, 'renewedAt moves');
    assert.equal(f.lockHistory.at(-1), undefined, 'released');
  } finally {
    await f.close();
  }
});

test('RollingUpdate is refused with the hint to pause (exit 2), nothing written', async () => {
  const f = fakeCluster({ nodes: ['n1'], strategy: 'RollingUpdate' });
  const url = await f.start();
  try {
    const r = await run(url, ['rollout', 'advance', 'agent']);
    assert.equal(r.code, 2);
    assert.match(r.err, /the controller is already walking it; pause it first \(kubectl ds-inspect rollout pause agent\)/);
    assert.deepEqual(f.lockHistory, []);
  } finally {
    await f.close();
  }
});

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
