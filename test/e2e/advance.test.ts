// rollout advance with the REAL DaemonSet controller on 8 kwok nodes: an OnDelete walk within the budget
// (a sampler polling the pods every 200 ms never sees more nodes without a Ready pod than allowed), the
// canary pool (--nodes), --partition, a new template that never becomes Ready (the walk stops after the
// first wave with the node and the reason), and the lock: a second walk is refused, a killed walk's lock
// expires and is taken over, Ctrl-C releases it.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster, type RunResult } from './harness.ts';
import { daemonSetManifest } from './agreement.ts';

const NS = 'e2e-advance';
const NODES = ['adv-1', 'adv-2', 'adv-3', 'adv-4', 'adv-5', 'adv-6', 'adv-7', 'adv-8'];
const CANARY = new Set(['adv-2', 'adv-5', 'adv-7']);
const LOCK = 'ds-inspect.k8s.io/advance-lock';
const NEVER_READY = { spec: { template: { metadata: { labels: { 'ds-inspect.test/behavior': 'never-ready' } } } } };
let cluster: Cluster;

interface LivePod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: { image: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

function onDelete(name: string): object {
  return daemonSetManifest(NS, name, { nodeSelector: { e2e: 'advance' }, containers: [{ name: 'c', image: 'agent:v1' }] }, { updateStrategy: { type: 'OnDelete' } });
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function pods(app: string): LivePod[] {
  return getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS, '-l', `app=${app}`]).items.filter((p) => !p.metadata.deletionTimestamp);
}

/** node → image of its (non-terminating) pod. */
function imagesByNode(app: string): Map<string, string> {
  return new Map(pods(app).map((p) => [p.spec.nodeName ?? '?', p.spec.containers[0]!.image]));
}

/** Nodes with no Ready, non-terminating pod of `app`. */
function nodesDown(app: string): string[] {
  const all = getJson<{ items: LivePod[] }>(cluster, ['pods', '-n', NS, '-l', `app=${app}`]).items;
  return NODES.filter((n) => !all.some((p) => p.spec.nodeName === n && !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));
}

function lockOf(name: string): string | undefined {
  return getJson<{ metadata: { annotations?: Record<string, string> } }>(cluster, ['daemonset', name, '-n', NS]).metadata.annotations?.[LOCK];
}

function setImage(name: string, image: string): void {
  mustKubectl(cluster, ['set', 'image', `daemonset/${name}`, '-n', NS, `c=${image}`]);
}

function log(title: string, r: RunResult): void {
  process.stdout.write(`# ${title} (exit ${r.code})\n${`${r.out}${r.err}`.trimEnd().replace(/^/gm, '#   ')}\n`);
}

/** `kubectl ds-inspect ...` in the background, so the test can sample, race or interrupt it. */
function pluginAsync(args: string[]): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn('kubectl', ['ds-inspect', ...args], {
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig, PATH: `${resolve(import.meta.dirname, '..', '..', 'bin')}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<RunResult>((r) => child.on('close', (code) => r({ code: code ?? 1, out, err })));
  return { child, done };
}

/** Wait until the new revision is known to the controller (observedGeneration), so advance sees old pods. */
async function observed(name: string): Promise<void> {
  await waitFor(`${name} observed`, () => {
    const d = getJson<{ metadata: { generation: number }; status?: { observedGeneration?: number } }>(cluster, ['daemonset', name, '-n', NS]);
    return d.status?.observedGeneration === d.metadata.generation;
  }, 60_000, 300);
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply(NODES.map((n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'advance', 'kubernetes.io/hostname': n, ...(CANARY.has(n) ? { pool: 'canary' } : {}) } } })));
  apply(['walk', 'canary', 'part', 'stuck', 'locked', 'held'].map(onDelete));
  apply([daemonSetManifest(NS, 'rolling', { nodeSelector: { e2e: 'advance' }, containers: [{ name: 'c', image: 'agent:v1' }] }, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } })]);
  await settle(cluster, NS);
});

after(() => cluster?.stop());

test('--dry-run prints the plan (4 waves of 2) and deletes nothing', async () => {
  setImage('walk', 'agent:v2');
  await observed('walk');
  const before = pods('walk').map((p) => p.metadata.name).sort();
  const r = plugin(cluster, ['rollout', 'advance', 'walk', '-n', NS, '--max-unavailable', '2', '--dry-run']);
  log('rollout advance walk --dry-run', r);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /8 of 8 nodes run an older revision; this walk advances 8 nodes in 4 waves \(max unavailable 2, 0 nodes unavailable now\)/);
  assert.match(r.out, /^ {2}wave 1: adv-1 \(pod walk-\S+, revision 1\), adv-2 /m);
  assert.match(r.out, /^ {2}wave 4: adv-7 .*, adv-8 /m);
  assert.deepEqual(pods('walk').map((p) => p.metadata.name).sort(), before);
  assert.equal(lockOf('walk'), undefined);
});

test('advance --max-unavailable 2 brings every pod to the new revision; never more than 2 nodes without a Ready pod', async () => {
  const run = pluginAsync(['rollout', 'advance', 'walk', '-n', NS, '--max-unavailable', '2']);
  let finished = false;
  void run.done.then(() => (finished = true));
  let worst: string[] = [];
  let samples = 0;
  while (!finished) {
    const down = nodesDown('walk');
    samples++;
    if (down.length > worst.length) worst = down;
    await sleep(200);
  }
  const r = await run.done;
  log('rollout advance walk --max-unavailable 2', r);
  assert.equal(r.code, 0, r.err);
  assert.ok(samples > 5, `only ${samples} samples`);
  assert.ok(worst.length <= 2, `the sampler saw ${worst.length} nodes without a Ready pod: ${worst.join(', ')}`);
  assert.deepEqual([...imagesByNode('walk').values()], NODES.map(() => 'agent:v2'));
  assert.match(r.out, /\[█+\] 8\/8 updated, 8\/8 available \(revision 2\) done/);
  assert.match(r.out, /every node runs the current revision/);
  assert.equal(lockOf('walk'), undefined, 'the lock is released');
});

test('--nodes pool=canary advances only the canary pool', async () => {
  setImage('canary', 'agent:v2');
  await observed('canary');
  const r = plugin(cluster, ['rollout', 'advance', 'canary', '-n', NS, '--nodes', 'pool=canary', '--max-unavailable', '3']);
  log('rollout advance canary --nodes pool=canary', r);
  assert.equal(r.code, 0, r.err);
  for (const [node, image] of imagesByNode('canary')) assert.equal(image, CANARY.has(node) ? 'agent:v2' : 'agent:v1', node);
  assert.match(r.out, /5 of 8 nodes still run an older revision: adv-1, adv-3, adv-4, adv-6, adv-8/);
});

test('--partition 3 leaves 3 pods on the old revision', async () => {
  setImage('part', 'agent:v2');
  await observed('part');
  const r = plugin(cluster, ['rollout', 'advance', 'part', '-n', NS, '--partition', '3', '--max-unavailable', '25%']);
  log('rollout advance part --partition 3', r);
  assert.equal(r.code, 0, r.err);
  const images = [...imagesByNode('part').values()];
  assert.equal(images.length, 8);
  assert.equal(images.filter((i) => i === 'agent:v1').length, 3);
  // The order is by name: the last three stay.
  assert.match(r.out, /3 of 8 nodes still run an older revision: adv-6, adv-7, adv-8/);
});

test('a new template that never becomes Ready stops the walk after the first wave, with the node and the reason', async () => {
  mustKubectl(cluster, ['patch', 'daemonset', 'stuck', '-n', NS, '--type=merge', '-p', JSON.stringify(NEVER_READY)]);
  await observed('stuck');
  const r = plugin(cluster, ['rollout', 'advance', 'stuck', '-n', NS, '--max-unavailable', '2', '--node-timeout', '20s']);
  log('rollout advance stuck --node-timeout 20s', r);
  assert.equal(r.code, 1);
  assert.match(r.err, /^error: the new pod did not become Ready and available within --node-timeout 20s, so the walk stopped \(every other node keeps its pod\): adv-1: NotReady \(.*not ready.*\); adv-2: NotReady/m);
  assert.match(r.out, /^wave 1: adv-1, adv-2$/m);
  assert.doesNotMatch(r.out, /^wave 2/m);
  assert.match(r.out, /6 of 8 nodes still run an older revision: adv-3, adv-4, adv-5, adv-6, adv-7, adv-8/);
  // Every other node keeps its old pod, untouched.
  assert.equal(pods('stuck').length, 8);
  assert.equal(lockOf('stuck'), undefined);
});

test('two concurrent walks: the second is refused by the lock, naming the first', async () => {
  mustKubectl(cluster, ['patch', 'daemonset', 'held', '-n', NS, '--type=merge', '-p', JSON.stringify(NEVER_READY)]);
  await observed('held');
  // The first walk waits for a pod that never becomes Ready: it holds the lock meanwhile.
  const first = pluginAsync(['rollout', 'advance', 'held', '-n', NS, '--node-timeout', '60s']);
  await waitFor('the first walk to take the lock', () => lockOf('held'), 30_000, 200);
  const second = plugin(cluster, ['rollout', 'advance', 'held', '-n', NS]);
  log('second rollout advance held', second);
  assert.equal(second.code, 1);
  assert.match(second.err, /^error: daemonset "held" is being advanced by \S+@\S+\/\d+ \(since /m);
  // Ctrl-C: the first walk stops waiting, releases the lock and exits 1.
  first.child.kill('SIGINT');
  const r = await first.done;
  log('first rollout advance held (Ctrl-C)', r);
  assert.equal(r.code, 1);
  assert.match(r.err, /interrupted \(Ctrl-C\) while waiting for adv-1/);
  assert.equal(lockOf('held'), undefined, 'Ctrl-C released the lock');
});

test('a killed walk leaves its lock; after --lock-ttl it is taken over, saying by whom it was held', async () => {
  mustKubectl(cluster, ['patch', 'daemonset', 'locked', '-n', NS, '--type=merge', '-p', JSON.stringify(NEVER_READY)]);
  await observed('locked');
  const first = pluginAsync(['rollout', 'advance', 'locked', '-n', NS, '--node-timeout', '60s', '--lock-ttl', '15s']);
  const raw = await waitFor('the first walk to take the lock', () => lockOf('locked'), 30_000, 200);
  const holder = (JSON.parse(raw) as { holder: string }).holder;
  first.child.kill('SIGKILL');
  await first.done;
  assert.ok(lockOf('locked'), 'a killed walk cannot release its lock');
  const early = plugin(cluster, ['rollout', 'advance', 'locked', '-n', NS]);
  assert.equal(early.code, 1, 'still within the TTL');
  assert.match(early.err, /is being advanced by/);
  await sleep(16_000);
  // A template that becomes Ready again, so the taking-over walk can finish.
  mustKubectl(cluster, ['patch', 'daemonset', 'locked', '-n', NS, '--type=merge', '-p', JSON.stringify({ spec: { template: { metadata: { labels: { 'ds-inspect.test/behavior': null } }, spec: { containers: [{ name: 'c', image: 'agent:v3' }] } } } })]);
  await observed('locked');
  const r = plugin(cluster, ['rollout', 'advance', 'locked', '-n', NS, '--max-unavailable', '4']);
  log('rollout advance locked (takeover)', r);
  assert.equal(r.code, 0, r.err);
  assert.ok(r.err.includes(`took over the lock of daemonset "locked" held by ${holder}`), r.err);
  assert.deepEqual([...imagesByNode('locked').values()], NODES.map(() => 'agent:v3'));
  assert.equal(lockOf('locked'), undefined);
});

test('RollingUpdate is refused with the hint to pause; a paused DaemonSet is walked', async () => {
  const refused = plugin(cluster, ['rollout', 'advance', 'rolling', '-n', NS]);
  log('rollout advance rolling (RollingUpdate)', refused);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /the controller is already walking it; pause it first \(kubectl ds-inspect rollout pause rolling\)/);
  assert.equal(plugin(cluster, ['rollout', 'pause', 'rolling', '-n', NS]).code, 0);
  setImage('rolling', 'agent:v2');
  await observed('rolling');
  const r = plugin(cluster, ['rollout', 'advance', 'rolling', '-n', NS, '--limit', '2']);
  log('rollout advance rolling (paused) --limit 2', r);
  assert.equal(r.code, 0, r.err);
  assert.equal([...imagesByNode('rolling').values()].filter((i) => i === 'agent:v2').length, 2);
  assert.match(r.out, /6 of 8 nodes still run an older revision/);
});
