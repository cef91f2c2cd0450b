// Rollouts with the real DaemonSet controller: status while an image change rolls node by node,
// timeouts naming the blocking nodes, history, undo (renumbering, dry runs), pause/resume (exact
// strategy round trip, idempotence), and writes that race a concurrent edit without losing it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { getJson, mustKubectl, plugin, settle, startCluster, waitFor, type Cluster } from './harness.ts';
import { daemonSetManifest } from './agreement.ts';

const NS = 'e2e-roll';
const NODES = ['roll-1', 'roll-2', 'roll-3', 'roll-4'];
let cluster: Cluster;

interface DS {
  metadata: { name: string; generation: number; resourceVersion: string; annotations?: Record<string, string> };
  spec: { updateStrategy: { type: string; rollingUpdate?: Record<string, unknown> }; template: { spec: { containers: { image: string }[] } } };
  status?: { updatedNumberScheduled?: number; desiredNumberScheduled?: number; observedGeneration?: number };
}

function dsManifest(name: string, opts: { strategy?: object; minReadySeconds?: number; hostPort?: number; image?: string } = {}): object {
  const container = { name: 'c', image: opts.image ?? 'agent:v1', ...(opts.hostPort ? { ports: [{ containerPort: opts.hostPort, hostPort: opts.hostPort }] } : {}) };
  return daemonSetManifest(NS, name, { nodeSelector: { e2e: 'roll' }, containers: [container] }, {
    ...(opts.minReadySeconds ? { minReadySeconds: opts.minReadySeconds } : {}),
    updateStrategy: opts.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
  });
}

function apply(objs: object[]): void {
  mustKubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
}

function getDs(name: string): DS {
  return getJson<DS>(cluster, ['daemonset', name, '-n', NS]);
}

function podImages(app: string): string[] {
  return getJson<{ items: { spec: { containers: { image: string }[] }; metadata: { deletionTimestamp?: string } }[] }>(cluster, ['pods', '-n', NS, '-l', `app=${app}`])
    .items.filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.spec.containers[0]!.image)
    .sort();
}

function revisions(name: string): { revision: number; current: boolean; images: string[]; pods: number; changeCause: string | null }[] {
  const r = plugin(cluster, ['rollout', 'history', name, '-n', NS, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { kind: string; revisions: { revision: number; current: boolean; images: string[]; pods: number; changeCause: string | null }[] };
  assert.equal(doc.kind, 'DaemonSetHistory');
  return doc.revisions;
}

function setImage(name: string, image: string): void {
  mustKubectl(cluster, ['set', 'image', `daemonset/${name}`, '-n', NS, `c=${image}`]);
}

function log(title: string, r: { code: number; out: string; err: string }): void {
  process.stdout.write(`# ${title} (exit ${r.code})\n${`${r.out}${r.err}`.trimEnd().replace(/^/gm, '#   ')}\n`);
}

before(async () => {
  cluster = startCluster();
  mustKubectl(cluster, ['create', 'namespace', NS]);
  apply(NODES.map((n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { e2e: 'roll', 'kubernetes.io/hostname': n } } })));
  apply([dsManifest('agent'), dsManifest('paced', { minReadySeconds: 8 }), dsManifest('stuck'), dsManifest('porty', { hostPort: 19200, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } })]);
  await settle(cluster, NS);
});

after(() => cluster?.stop());

test('an image change rolls node by node; status follows it and exits 0', async () => {
  setImage('agent', 'agent:v2');
  const r = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--timeout', '120s', '--interval', '300ms']);
  log('rollout status agent', r);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /daemon set "agent" successfully rolled out/);
  assert.deepEqual(podImages('agent'), ['agent:v2', 'agent:v2', 'agent:v2', 'agent:v2']);
  await settle(cluster, NS);
});

test('history: three revisions, the current one marked, images and pod counts', async () => {
  setImage('agent', 'agent:v3');
  const s = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--timeout', '120s']);
  assert.equal(s.code, 0, s.err);
  await settle(cluster, NS);
  const revs = revisions('agent');
  assert.deepEqual(revs.map((r) => [r.revision, r.current, r.images[0], r.pods]), [
    [1, false, 'agent:v1', 0],
    [2, false, 'agent:v2', 0],
    [3, true, 'agent:v3', 4],
  ]);
  assert.ok(revs.every((r) => r.changeCause === null));
  const table = plugin(cluster, ['rollout', 'history', 'agent', '-n', NS, '-o', 'wide']);
  log('rollout history agent -o wide', table);
  assert.match(table.out, /^3 +\* +\S+ +\S+ +<none> +agent:v3 +4 +roll-1,roll-2,roll-3,roll-4$/m);
  const diff = plugin(cluster, ['rollout', 'history', 'agent', '-n', NS, '--diff']);
  assert.match(diff.out, /^-\s+- image: agent:v2$/m);
  assert.match(diff.out, /^\+\s+- image: agent:v3$/m);
});

test('undo --dry-run=client and --dry-run=server change nothing', () => {
  const before = getDs('agent');
  for (const mode of ['client', 'server']) {
    const r = plugin(cluster, ['rollout', 'undo', 'agent', '-n', NS, '--to-revision', '1', `--dry-run=${mode}`]);
    log(`rollout undo --dry-run=${mode}`, r);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\+\s+- image: agent:v1$/m);
    assert.doesNotMatch(r.out, /\$patch/);
    assert.match(r.out, /rolled back \((server )?dry run\)/);
  }
  const afterDs = getDs('agent');
  assert.equal(afterDs.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.equal(afterDs.metadata.generation, before.metadata.generation);
});

test('undo to an unknown revision is refused with the revisions that exist', () => {
  const r = plugin(cluster, ['rollout', 'undo', 'agent', '-n', NS, '--to-revision', '9']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unable to find specified revision 9 in history/);
});

test('undo --to-revision 1 makes revision 4 with revision 1\'s template; pods converge', async () => {
  const r = plugin(cluster, ['rollout', 'undo', 'agent', '-n', NS, '--to-revision', '1']);
  log('rollout undo agent --to-revision 1', r);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /daemonset\.apps\/agent rolled back/);
  assert.match(r.err, /renumbers it as revision 4/);
  const s = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--timeout', '120s']);
  assert.equal(s.code, 0, s.err);
  await settle(cluster, NS);
  const revs = revisions('agent');
  assert.deepEqual(revs.map((x) => [x.revision, x.current, x.images[0]]), [
    [2, false, 'agent:v2'],
    [3, false, 'agent:v3'],
    [4, true, 'agent:v1'],
  ]);
  assert.deepEqual(podImages('agent'), ['agent:v1', 'agent:v1', 'agent:v1', 'agent:v1']);
});

test('status --timeout exits 1 naming the blocking nodes: a new template that never becomes Ready', () => {
  mustKubectl(cluster, ['patch', 'daemonset', 'stuck', '-n', NS, '--type=merge', '-p', JSON.stringify({ spec: { template: { metadata: { labels: { 'ds-inspect.test/behavior': 'never-ready' } } } } })]);
  const r = plugin(cluster, ['rollout', 'status', 'stuck', '-n', NS, '--timeout', '15s']);
  log('rollout status stuck --timeout 15s', r);
  assert.equal(r.code, 1);
  assert.match(r.err, /^error: timed out after 15s waiting for the rollout; blocking: stuck@roll-\d/);
  assert.match(r.out, /roll-\d NotReady/);
});

test('status --timeout exits 1 on a host port conflict with maxSurge, naming the node and the port', () => {
  setImage('porty', 'agent:v2');
  const r = plugin(cluster, ['rollout', 'status', 'porty', '-n', NS, '--timeout', '15s']);
  log('rollout status porty --timeout 15s', r);
  assert.equal(r.code, 1);
  assert.match(r.err, /blocking: porty@roll-\d/);
  assert.match(r.out, /budget: maxUnavailable 0, maxSurge 1 of 4 desired/);
  assert.match(r.out, /roll-\d Outdated: surge pod porty-\S+: .*didn't have free ports/);
});

test('pause stops a rollout midway; resume restores the strategy exactly and finishes it', async () => {
  const original = getDs('paced').spec.updateStrategy;
  const revsBefore = revisions('paced').length;
  setImage('paced', 'agent:v2');
  await waitFor('the first node of paced to be updated', () => (getDs('paced').status?.updatedNumberScheduled ?? 0) >= 1, 60_000, 200);
  const p = plugin(cluster, ['rollout', 'pause', 'paced', '-n', NS]);
  log('rollout pause paced', p);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /daemonset\.apps\/paced paused/);
  const paused = getDs('paced');
  assert.equal(paused.spec.updateStrategy.type, 'OnDelete');
  const updatedAtPause = podImages('paced').filter((i) => i === 'agent:v2').length;
  assert.ok(updatedAtPause < 4, 'paused before the end');
  await new Promise((r) => setTimeout(r, 20_000)); // more than two minReadySeconds steps
  assert.equal(podImages('paced').filter((i) => i === 'agent:v2').length, updatedAtPause, 'no pod replaced while paused');
  const st = plugin(cluster, ['rollout', 'status', 'paced', '-n', NS]);
  log('rollout status paced (paused)', st);
  assert.equal(st.code, 0, st.err);
  assert.match(st.out, /daemon set "paced" is paused .*; \d of 4 nodes still runs? an older revision: roll-/);
  const cov = plugin(cluster, ['coverage', 'paced', '-n', NS]);
  assert.match(cov.out, /paced .* Paused /);
  assert.equal(revisions('paced').length, revsBefore + 1, 'pause made no revision (only the image change did)');

  const resume = plugin(cluster, ['rollout', 'resume', 'paced', '-n', NS]);
  log('rollout resume paced', resume);
  assert.equal(resume.code, 0, resume.err);
  const resumed = getDs('paced');
  assert.deepEqual(resumed.spec.updateStrategy, original);
  assert.equal(resumed.metadata.annotations?.['ds-inspect.k8s.io/paused-update-strategy'], undefined);
  // minReadySeconds makes each node take a while: status reports progress in kubectl's words, then success.
  const s = plugin(cluster, ['rollout', 'status', 'paced', '-n', NS, '--timeout', '180s', '--interval', '500ms']);
  log('rollout status paced (after resume)', s);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /Waiting for daemon set "paced" rollout to finish: \d (out of 4 new pods have been updated|of 4 updated pods are available)\.\.\./);
  assert.match(s.out, /\[[█░]+\] \d\/4 updated/);
  assert.match(s.out, /daemon set "paced" successfully rolled out/);
  assert.deepEqual(podImages('paced'), ['agent:v2', 'agent:v2', 'agent:v2', 'agent:v2']);
  assert.equal(revisions('paced').length, revsBefore + 1, 'resume made no revision');
});

test('pause twice and resume twice are harmless', () => {
  assert.match(plugin(cluster, ['rollout', 'pause', 'agent', '-n', NS]).out, /paused/);
  const rv = getDs('agent').metadata.resourceVersion;
  const again = plugin(cluster, ['rollout', 'pause', 'agent', '-n', NS]);
  assert.equal(again.code, 0);
  assert.match(again.out, /daemonset\.apps\/agent already paused/);
  assert.equal(getDs('agent').metadata.resourceVersion, rv, 'second pause wrote nothing');
  assert.match(plugin(cluster, ['rollout', 'resume', 'agent', '-n', NS]).out, /resumed/);
  const twice = plugin(cluster, ['rollout', 'resume', 'agent', '-n', NS]);
  assert.equal(twice.code, 0);
  assert.match(twice.out, /daemonset\.apps\/agent not paused/);
  assert.deepEqual(getDs('agent').spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
});

const PAUSE_ANNOTATION = 'ds-inspect.k8s.io/paused-update-strategy';
const ORIGINAL = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };

test('a pause reverted by kubectl apply is reported as reverted everywhere, and pause pauses again', () => {
  assert.equal(plugin(cluster, ['rollout', 'pause', 'agent', '-n', NS]).code, 0);
  // What a GitOps tool or a re-apply does: the manifest's strategy comes back, our annotation stays.
  apply([dsManifest('agent', { image: getDs('agent').spec.template.spec.containers[0]!.image })]);
  const reverted = getDs('agent');
  assert.equal(reverted.spec.updateStrategy.type, 'RollingUpdate');
  assert.ok(reverted.metadata.annotations?.[PAUSE_ANNOTATION], 'apply kept the annotation it does not manage');
  const st = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--watch=false']);
  log('rollout status agent (pause reverted)', st);
  assert.equal(st.code, 0, st.err);
  assert.match(st.out, /the pause was reverted \(updateStrategy is RollingUpdate maxUnavailable=1 maxSurge=0 again\)/);
  assert.doesNotMatch(st.out, /is paused/);
  assert.match(plugin(cluster, ['coverage', 'agent', '-n', NS]).out, /RollingUpdate \(pause reverted\)/);
  const again = plugin(cluster, ['rollout', 'pause', 'agent', '-n', NS]);
  log('rollout pause agent (after the revert)', again);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /daemonset\.apps\/agent paused/);
  assert.match(again.err, /the earlier pause was reverted .*paused again/);
  assert.equal(getDs('agent').spec.updateStrategy.type, 'OnDelete');
});

test('resume refuses a strategy changed while paused, showing both; --force writes the saved one', () => {
  // agent is paused (previous test). Someone chooses RollingUpdate 25% meanwhile.
  mustKubectl(cluster, ['patch', 'daemonset', 'agent', '-n', NS, '--type', 'merge', '-p', JSON.stringify({ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } } } })]);
  const rv = getDs('agent').metadata.resourceVersion;
  const refused = plugin(cluster, ['rollout', 'resume', 'agent', '-n', NS]);
  log('rollout resume agent (strategy changed while paused)', refused);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /now RollingUpdate maxUnavailable=25%.*saved by pause is RollingUpdate maxUnavailable=1 maxSurge=0.*--force/);
  assert.equal(getDs('agent').metadata.resourceVersion, rv, 'nothing written');
  const forced = plugin(cluster, ['rollout', 'resume', 'agent', '-n', NS, '--force']);
  assert.equal(forced.code, 0, forced.err);
  const after = getDs('agent');
  assert.deepEqual(after.spec.updateStrategy, ORIGINAL);
  assert.equal(after.metadata.annotations?.[PAUSE_ANNOTATION], undefined);
});

test('pause prints how to restore by hand; with the annotation removed, resume --strategy restores it', () => {
  const p = plugin(cluster, ['rollout', 'pause', 'agent', '-n', NS]);
  log('rollout pause agent', p);
  assert.equal(p.code, 0, p.err);
  const cmd = /restore it with: (kubectl ds-inspect rollout resume agent -n e2e-roll --strategy='(.*)')$/m.exec(p.err);
  assert.ok(cmd, p.err);
  assert.deepEqual(JSON.parse(cmd[2]!), ORIGINAL);
  mustKubectl(cluster, ['annotate', 'daemonset', 'agent', '-n', NS, `${PAUSE_ANNOTATION}-`]);
  const lost = plugin(cluster, ['rollout', 'resume', 'agent', '-n', NS]);
  assert.equal(lost.code, 2);
  assert.match(lost.err, /holds no saved strategy .*--strategy=/);
  const byHand = plugin(cluster, ['rollout', 'resume', 'agent', '-n', NS, `--strategy=${cmd[2]!}`]);
  log('rollout resume agent --strategy=...', byHand);
  assert.equal(byHand.code, 0, byHand.err);
  assert.deepEqual(getDs('agent').spec.updateStrategy, ORIGINAL);
});

test('pause and undo racing a concurrent edit never lose it (409, nothing written)', async () => {
  for (const args of [
    ['rollout', 'pause', 'agent', '-n', NS],
    ['rollout', 'undo', 'agent', '-n', NS],
  ]) {
    const stamp = `edit-${Date.now()}`;
    const child = import('node:child_process').then(
      ({ spawn }) =>
        new Promise<{ code: number; out: string; err: string }>((resolve) => {
          const p = spawn('kubectl', ['ds-inspect', ...args], { env: { ...process.env, KUBECONFIG: cluster.kubeconfig, PATH: `${process.cwd()}/bin:${process.env.PATH ?? ''}`, NO_COLOR: '1', DS_INSPECT_WRITE_DELAY_MS: '4000' } });
          let out = '';
          let err = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.stderr.on('data', (d: Buffer) => (err += d.toString()));
          p.on('close', (code) => resolve({ code: code ?? 1, out, err }));
        }),
    );
    await new Promise((r) => setTimeout(r, 1500)); // ds-inspect has read the DaemonSet and waits to write
    mustKubectl(cluster, ['annotate', 'daemonset', 'agent', '-n', NS, `team.example.com/edit=${stamp}`, '--overwrite']);
    const r = await child;
    log(`${args.slice(0, 2).join(' ')} racing an edit`, r);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /was changed by someone else while ds-inspect was working \(409 Conflict\): nothing was changed/);
    const ds = getDs('agent');
    assert.equal(ds.metadata.annotations?.['team.example.com/edit'], stamp, 'the concurrent edit survived');
    assert.equal(ds.spec.updateStrategy.type, 'RollingUpdate', 'nothing of ours was written');
    assert.equal(ds.spec.template.spec.containers[0]!.image, 'agent:v1');
  }
});

test('restart: --dry-run changes nothing; a real restart makes a new revision and rolls every pod', async () => {
  const before = getDs('agent');
  const revsBefore = revisions('agent');
  const dry = plugin(cluster, ['rollout', 'restart', 'agent', '-n', NS, '--dry-run=server']);
  log('rollout restart agent --dry-run=server', dry);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /daemonset\.apps\/agent restarted \(server dry run\)/);
  assert.equal(getDs('agent').metadata.resourceVersion, before.metadata.resourceVersion);
  const podsBefore = getJson<{ items: { metadata: { name: string } }[] }>(cluster, ['pods', '-n', NS, '-l', 'app=agent']).items.map((p) => p.metadata.name);
  const r = plugin(cluster, ['rollout', 'restart', 'agent', '-n', NS]);
  log('rollout restart agent', r);
  assert.equal(r.code, 0, r.err);
  const s = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--timeout', '120s']);
  assert.equal(s.code, 0, s.err);
  await settle(cluster, NS);
  const after = revisions('agent');
  assert.equal(after.at(-1)!.revision, Math.max(...revsBefore.map((x) => x.revision)) + 1);
  assert.ok(after.at(-1)!.current);
  const podsAfter = getJson<{ items: { metadata: { name: string } }[] }>(cluster, ['pods', '-n', NS, '-l', 'app=agent']).items.map((p) => p.metadata.name);
  assert.equal(podsAfter.length, 4);
  assert.ok(podsAfter.every((p) => !podsBefore.includes(p)), 'every pod was replaced');
});

test('status of several DaemonSets selected with -l waits for all of them', () => {
  mustKubectl(cluster, ['label', 'daemonset', 'agent', 'paced', '-n', NS, 'tier=node-agents', '--overwrite']);
  const r = plugin(cluster, ['rollout', 'status', '-n', NS, '-l', 'tier=node-agents', '--timeout', '120s']);
  log('rollout status -l tier=node-agents', r);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /daemon set "agent" successfully rolled out/);
  assert.match(r.out, /daemon set "paced" successfully rolled out/);
});

/** The API requests of a `-v 6` run: lists (path without watch=true) and watches, by resource. */
function requestLog(err: string): { lists: Record<string, number>; watches: Record<string, number> } {
  const lists: Record<string, number> = {};
  const watches: Record<string, number> = {};
  for (const m of err.matchAll(/^I GET \S+?\/(nodes|daemonsets|pods|controllerrevisions|events)\?(\S*) \d+/gm)) {
    const into = /(^|&)watch=true(&|$)/.test(m[2]!) ? watches : lists;
    into[m[1]!] = (into[m[1]!] ?? 0) + 1;
  }
  return { lists, watches };
}

test('status waits on watches: each resource listed once, then watched; the end is seen at once, not at the next --interval', () => {
  // A rolling update of 4 nodes, one at a time, each pod counted available 3 s after Ready (kwok makes pods
  // Ready at once, so without minReadySeconds the roll can end before the status command has started):
  // polling at 60 s would look at most twice in the first minute.
  mustKubectl(cluster, ['patch', 'daemonset', 'agent', '-n', NS, '--type=merge', '-p', '{"spec":{"minReadySeconds":3}}']);
  setImage('agent', 'agent:v4');
  const t0 = Date.now();
  const r = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--timeout', '120s', '--interval', '60s', '-v', '6']);
  const ms = Date.now() - t0;
  log(`rollout status agent --interval 60s (watch path, ${ms} ms)`, { ...r, err: r.err.split('\n').filter((l) => !l.startsWith('I ')).join('\n') });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Waiting for daemon set "agent" rollout to finish: \d (out of 4 new pods have been updated|of 4 updated pods are available)\.\.\./);
  assert.match(r.out, /daemon set "agent" successfully rolled out\n( {2}\[.*\n)?$/);
  const { lists, watches } = requestLog(r.err);
  assert.deepEqual(lists, { nodes: 1, daemonsets: 1, pods: 1, controllerrevisions: 1, events: 1 }, r.err);
  for (const res of ['nodes', 'daemonsets', 'pods']) assert.ok((watches[res] ?? 0) >= 1, `${res} watched: ${JSON.stringify(watches)}`);
  assert.ok(ms < 50_000, `the end was seen after ${ms} ms: not before the next 60 s look`);
  assert.deepEqual(podImages('agent'), ['agent:v4', 'agent:v4', 'agent:v4', 'agent:v4']);
});

test('status --poll (hidden, for the benchmark) re-lists every --interval and prints the same kubectl lines', async () => {
  await settle(cluster, NS);
  setImage('agent', 'agent:v5');
  const r = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--timeout', '120s', '--interval', '300ms', '--poll', '-v', '6']);
  log('rollout status agent --poll', { ...r, err: r.err.split('\n').filter((l) => !l.startsWith('I ')).join('\n') });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Waiting for daemon set "agent" rollout to finish/);
  assert.match(r.out, /daemon set "agent" successfully rolled out\n( {2}\[.*\n)?$/);
  const { lists, watches } = requestLog(r.err);
  assert.deepEqual(watches, {});
  assert.ok((lists.daemonsets ?? 0) >= 2, JSON.stringify(lists));
  // One look (--watch=false) is the same on both paths.
  await settle(cluster, NS);
  const once = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS, '--watch=false']);
  const watched = plugin(cluster, ['rollout', 'status', 'agent', '-n', NS]);
  assert.deepEqual([watched.code, watched.out.split('\n')[0]], [once.code, once.out.split('\n')[0]]);
});

test('status on watches follows a stuck rollout to --timeout with the same blocking nodes as polling', () => {
  // `stuck` still waits for its never-Ready template (the --timeout test above).
  const watched = plugin(cluster, ['rollout', 'status', 'stuck', '-n', NS, '--timeout', '6s', '--interval', '60s']);
  const polled = plugin(cluster, ['rollout', 'status', 'stuck', '-n', NS, '--timeout', '6s', '--poll']);
  log('rollout status stuck --timeout 6s (watch)', watched);
  assert.equal(watched.code, 1);
  assert.equal(polled.code, 1);
  assert.match(watched.err, /^error: timed out after 6s waiting for the rollout; blocking: stuck@roll-\d/);
  assert.equal(watched.err, polled.err);
  // The same headline and the same blocking nodes (their reasons may count a restart more or less).
  const shape = (out: string): string[] => out.split('\n').map((l) => l.replace(/^( {2}roll-\d \S+).*$/, '$1'));
  assert.deepEqual(shape(watched.out), shape(polled.out));
});
