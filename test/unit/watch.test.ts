// coverage --watch. The model: recorded event sequences (added, modified, deleted, bookmark, a relist
// after 410) applied to the store give the cells of a fresh computeCoverage of the final objects, and the
// cell diff names each transition. The io and the command against a FAULT-INJECTION FAKE SERVER, not a
// Kubernetes API server: a few lines of node:http that answer lists and hold watch streams open, so a
// test can send events, bookmarks, a 410 Gone mid-watch, an end of stream or a dropped connection on
// demand. Live behaviour is tested against the real control plane in test/e2e/watch.test.ts.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { completeCoverage } from '../../src/commands/options.ts';
import { runCoverageWatch } from '../../src/commands/coverage-watch.ts';
import { ApiClient, DEFAULT_LIMITS, WatchDropped, type Transport } from '../../src/io/http.ts';
import { watchCoverage, type WatchSink } from '../../src/io/live/watch.ts';
import type { LiveSession } from '../../src/io/live/session.ts';
import { computeCoverage, type CoverageReport } from '../../src/model/coverage.ts';
import type { Scope } from '../../src/model/scope.ts';
import type { ClusterState, DaemonSet, Node, Pod } from '../../src/model/types.ts';
import { applyWatchEvent, diffCoverage, emptyStore, replaceResource, storeState, WATCHED, type WatchedResource, type WatchEvent } from '../../src/model/watchState.ts';
import type { CliIO } from '../../src/runtime.ts';
import { fakeServerKubeconfig } from '../support/cli.ts';

// ---- objects

function node(name: string, taints: { key: string; effect: string }[] = []): Node {
  return { metadata: { name, uid: `node-${name}`, labels: { 'kubernetes.io/hostname': name } }, spec: { taints }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
}

const agent: DaemonSet = {
  metadata: { name: 'agent', namespace: 'kube-system', uid: 'uid-agent', generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v1' }] } } },
};

function pod(nodeName: string, ready: boolean, uid = `pod-${nodeName}`): Pod {
  return {
    metadata: { name: `agent-${nodeName}`, namespace: 'kube-system', uid, labels: { app: 'agent', 'pod-template-generation': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true }] },
    spec: { nodeName, containers: [{ name: 'c', image: 'agent:v1' }] },
    status: { phase: ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const scope: Scope = { namespace: 'kube-system', names: [], daemonSetSelector: [], nodeSelector: [], nodesFiltered: false };
const NOW = Date.parse('2026-12-01T10:00:00Z');

function fresh(objects: Partial<Record<WatchedResource, object[]>>): ClusterState {
  return { nodes: (objects.nodes ?? []) as Node[], daemonSets: (objects.daemonsets ?? []) as DaemonSet[], pods: (objects.pods ?? []) as Pod[], controllerRevisions: [], events: [], allPodsOnNodesKnown: false, gaps: [] };
}

type Step = { relist: WatchedResource; items: object[] } | { resource: WatchedResource; type: WatchEvent['type']; object: object };

const cases: { name: string; start: Partial<Record<WatchedResource, object[]>>; steps: Step[]; end: Partial<Record<WatchedResource, object[]>>; transitions: string[] }[] = [
  {
    name: 'a node added: a new Missing cell, then its pod Pending, then Ready',
    start: { nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', true)] },
    steps: [
      { resource: 'nodes', type: 'ADDED', object: node('n2') },
      { resource: 'pods', type: 'ADDED', object: pod('n2', false) },
      { resource: 'pods', type: 'MODIFIED', object: pod('n2', true) },
    ],
    end: { nodes: [node('n1'), node('n2')], daemonsets: [agent], pods: [pod('n1', true), pod('n2', true)] },
    transitions: ['ADDED n2 Ready'],
  },
  {
    name: 'a pod deleted: Ready → Missing; a bookmark changes nothing',
    start: { nodes: [node('n1'), node('n2')], daemonsets: [agent], pods: [pod('n1', true), pod('n2', true)] },
    steps: [
      { resource: 'pods', type: 'BOOKMARK', object: { metadata: { resourceVersion: '99' } } },
      { resource: 'pods', type: 'DELETED', object: pod('n2', true) },
    ],
    end: { nodes: [node('n1'), node('n2')], daemonsets: [agent], pods: [pod('n1', true)] },
    transitions: ['MODIFIED n2 Missing Ready'],
  },
  {
    name: 'a NoSchedule taint: a node without a pod goes Missing → Excluded',
    start: { nodes: [node('n1'), node('n2')], daemonsets: [agent], pods: [pod('n1', true)] },
    steps: [{ resource: 'nodes', type: 'MODIFIED', object: node('n2', [{ key: 'dedicated', effect: 'NoSchedule' }]) }],
    end: { nodes: [node('n1'), node('n2', [{ key: 'dedicated', effect: 'NoSchedule' }])], daemonsets: [agent], pods: [pod('n1', true)] },
    transitions: ['MODIFIED n2 Excluded Missing'],
  },
  {
    name: '410 Gone → relist: events missed while away are replaced by the list (a deleted node, a recreated pod)',
    start: { nodes: [node('n1'), node('n2')], daemonsets: [agent], pods: [pod('n1', true), pod('n2', true)] },
    steps: [
      { relist: 'nodes', items: [node('n1')] },
      { relist: 'pods', items: [pod('n1', false, 'pod-n1-new')] },
    ],
    end: { nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', false, 'pod-n1-new')] },
    transitions: ['MODIFIED n1 Pending Ready', 'DELETED n2 Ready'],
  },
  {
    name: 'the DaemonSet deleted: every cell DELETED',
    start: { nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', true)] },
    steps: [{ resource: 'daemonsets', type: 'DELETED', object: agent }],
    end: { nodes: [node('n1')], daemonsets: [], pods: [pod('n1', true)] },
    transitions: ['DELETED n1 Ready'],
  },
];

for (const c of cases) {
  test(`watch state: ${c.name}`, () => {
    const store = emptyStore();
    for (const r of WATCHED) replaceResource(store, r, (c.start[r] ?? []) as WatchEvent['object'][]);
    const before = computeCoverage(storeState(store, scope, true), { nowMs: NOW });
    assert.deepEqual(before, computeCoverage(fresh(c.start), { nowMs: NOW }));
    for (const s of c.steps) {
      if ('relist' in s) replaceResource(store, s.relist, s.items as WatchEvent['object'][]);
      else applyWatchEvent(store, s.resource, { type: s.type, object: structuredClone(s.object) as WatchEvent['object'] });
    }
    const after = computeCoverage(storeState(store, scope, false), { nowMs: NOW });
    assert.deepEqual(after, computeCoverage(fresh(c.end), { nowMs: NOW }));
    const ts = diffCoverage(before, after).map((t) => [t.type, t.cell.node, t.type === 'DELETED' ? undefined : t.cell.state, t.previous].filter(Boolean).join(' '));
    assert.deepEqual(ts, c.transitions);
  });
}

test('watch state: a BOOKMARK does not change the store; a DELETED of an unknown object neither', () => {
  const store = emptyStore();
  assert.equal(applyWatchEvent(store, 'pods', { type: 'BOOKMARK', object: { metadata: { resourceVersion: '5' } } }), false);
  assert.equal(applyWatchEvent(store, 'pods', { type: 'DELETED', object: pod('nx', true) }), false);
  assert.equal(store.objects.pods.size, 0);
});

test('watch state: the first look reports a named DaemonSet that does not exist; later looks do not', () => {
  const store = emptyStore();
  const named = { ...scope, names: ['agent'] };
  assert.throws(() => storeState(store, named, true), /daemonset "agent" not found/);
  assert.deepEqual(storeState(store, named, false).daemonSets, []);
});

// ---- the fake server

interface Watcher {
  res: http.ServerResponse;
  url: URL;
}

let server: http.Server;
let base = '';
const listed: string[] = [];
const watchers: Watcher[] = [];
let objects: Record<string, object[]> = {};
let forbidden = new Set<string>();
let listRv = '10';

function resourceOf(path: string): string {
  return path.split('/').filter(Boolean).at(-1)!;
}

const KIND: Record<string, string> = { nodes: 'NodeList', daemonsets: 'DaemonSetList', pods: 'PodList', controllerrevisions: 'ControllerRevisionList', events: 'EventList' };

before(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const r = resourceOf(url.pathname);
    if (forbidden.has(r)) {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 403, reason: 'Forbidden', message: `${r} is forbidden: User "tester" cannot list resource "${r}"` }));
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      watchers.push({ res, url });
      return;
    }
    listed.push(r);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: KIND[r], metadata: { resourceVersion: listRv }, items: objects[r] ?? [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function resetServer(o: Record<string, object[]>, deny: string[] = []): void {
  objects = o;
  forbidden = new Set(deny);
  listed.length = 0;
  watchers.length = 0;
  listRv = '10';
}

async function until<T>(what: string, f: () => T | undefined, ms = 3000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The open watch of a resource (the latest one), once the client has connected. */
function watcherOf(r: string, n = 1): Promise<Watcher> {
  return until(`watch #${n} of ${r}`, () => {
    const ws = watchers.filter((w) => resourceOf(w.url.pathname) === r);
    return ws.length >= n ? ws[n - 1] : undefined;
  });
}

function send(w: Watcher, ev: object): void {
  w.res.write(`${JSON.stringify(ev)}\n`);
}

function session(): LiveSession {
  const t: Transport = { server: base, headers: {}, timeoutMs: 0, describe: 'user "tester"' };
  return { client: new ApiClient(t, { verbosity: 0, write: () => undefined }, DEFAULT_LIMITS), conn: { namespace: 'kube-system' } } as unknown as LiveSession;
}

function recorder(): { sink: WatchSink; log: string[] } {
  const log: string[] = [];
  return {
    log,
    sink: {
      relisted: (r, items) => log.push(`relist ${r} ${items.length}`),
      event: (r, ev) => log.push(`${ev.type} ${r} ${ev.object.metadata.name ?? ''}`),
      gap: (r) => log.push(`gap ${r}`),
    },
  };
}

const TUNING = { backoffMs: 10, maxBackoffMs: 20, maxReconnects: 3 };

test('watch io: list, then watch from the list resourceVersion with bookmarks; a bookmark moves the resume point', async () => {
  resetServer({ nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', true)] });
  const s = session();
  const ctl = new AbortController();
  const { sink, log } = recorder();
  const w = watchCoverage(s, scope, sink, ctl.signal, TUNING);
  await w.ready;
  const nodes = await watcherOf('nodes');
  assert.equal(nodes.url.searchParams.get('resourceVersion'), '10');
  assert.equal(nodes.url.searchParams.get('allowWatchBookmarks'), 'true');
  assert.ok(Number(nodes.url.searchParams.get('timeoutSeconds')) < DEFAULT_LIMITS.watchIdleTimeoutMs / 1000);
  assert.equal((await watcherOf('events')).url.searchParams.get('fieldSelector'), 'type=Warning');
  send(nodes, { type: 'ADDED', object: { ...node('n2'), metadata: { ...node('n2').metadata, resourceVersion: '11' } } });
  send(nodes, { type: 'BOOKMARK', object: { kind: 'Node', metadata: { resourceVersion: '15' } } });
  await until('the ADDED event', () => log.includes('ADDED nodes n2'));
  nodes.res.end(); // the server's timeoutSeconds: resumed from the bookmark
  const again = await watcherOf('nodes', 2);
  assert.equal(again.url.searchParams.get('resourceVersion'), '15');
  assert.equal(listed.filter((r) => r === 'nodes').length, 1, 'a resume does not relist');
  ctl.abort();
  s.client.close();
  await w.done.catch(() => undefined);
});

test('watch io: 410 Gone mid-watch relists; a dropped connection reconnects from the last version', async () => {
  resetServer({ nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', true)] });
  const s = session();
  const ctl = new AbortController();
  const { sink, log } = recorder();
  const w = watchCoverage(s, scope, sink, ctl.signal, TUNING);
  await w.ready;
  const pods = await watcherOf('pods');
  listRv = '20';
  objects.pods = [pod('n1', true), pod('n2', true)];
  send(pods, { type: 'ERROR', object: { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 10 (15)' } });
  const relisted = await watcherOf('pods', 2);
  assert.equal(relisted.url.searchParams.get('resourceVersion'), '20');
  assert.ok(log.includes('relist pods 2'), log.join('\n'));
  send(relisted, { type: 'MODIFIED', object: { ...pod('n2', false), metadata: { ...pod('n2', false).metadata, resourceVersion: '21' } } });
  await until('the MODIFIED event', () => log.includes('MODIFIED pods agent-n2'));
  relisted.res.destroy(); // dropped mid-stream
  const resumed = await watcherOf('pods', 3);
  assert.equal(resumed.url.searchParams.get('resourceVersion'), '21');
  assert.equal(listed.filter((r) => r === 'pods').length, 2);
  ctl.abort();
  s.client.close();
  await w.done.catch(() => undefined);
});

test('watch io: reconnects are bounded: a server that keeps dropping the watch ends it with one line', async () => {
  resetServer({ nodes: [node('n1')], daemonsets: [agent] });
  const s = session();
  const ctl = new AbortController();
  const w = watchCoverage(s, scope, recorder().sink, ctl.signal, TUNING);
  await w.ready;
  const dropper = setInterval(() => {
    for (const x of watchers.splice(0)) if (resourceOf(x.url.pathname) === 'nodes') x.res.destroy();
  }, 5);
  await assert.rejects(w.done, (e: unknown) => {
    assert.match((e as Error).message, /^gave up watching nodes after 3 reconnects in a row: /);
    assert.ok(!(e as Error).message.includes('\n'));
    return true;
  });
  clearInterval(dropper);
  ctl.abort();
  s.client.close();
});

test('watch io: a 403 on an optional resource is a gap (a warning), the rest is watched', async () => {
  resetServer({ nodes: [node('n1')], daemonsets: [agent] }, ['events']);
  const s = session();
  const ctl = new AbortController();
  const { sink, log } = recorder();
  const w = watchCoverage(s, scope, sink, ctl.signal, TUNING);
  await w.ready;
  assert.ok(log.includes('gap events'), log.join('\n'));
  await watcherOf('pods');
  assert.equal(watchers.filter((x) => resourceOf(x.url.pathname) === 'events').length, 0);
  ctl.abort();
  s.client.close();
  await w.done.catch(() => undefined);
});

test('ApiClient.watch: a line longer than the per-response cap ends the watch; a 503 is a WatchDropped', async () => {
  resetServer({});
  const t: Transport = { server: base, headers: {}, timeoutMs: 0, describe: 'user "tester"' };
  const c = new ApiClient(t, { verbosity: 0, write: () => undefined }, { ...DEFAULT_LIMITS, maxResponseBytes: 1000 });
  const p = c.watch('/api/v1/nodes', {}, () => undefined);
  const w = await watcherOf('nodes');
  w.res.write('x'.repeat(2000));
  await assert.rejects(p, /sent a watch event of more than 1000 bytes/);
  c.close();
  resetServer({}, ['nodes']);
  const c2 = new ApiClient(t, { verbosity: 0, write: () => undefined });
  await assert.rejects(c2.watch('/api/v1/nodes', {}, () => undefined), (e: unknown) => !(e instanceof WatchDropped) && /forbidden \(403\)/.test((e as Error).message));
  c2.close();
});

// ---- the command: coverage --watch -o json against the fake server

const kubeconfig = (): string => fakeServerKubeconfig(base, { namespace: 'kube-system' });

function cliIO(out: string[], err: string[], tty = false): CliIO {
  return {
    stdout: { write: (s: string) => out.push(s), isTTY: tty, columns: tty ? 100 : 0, rows: tty ? 40 : 0 },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    env: { KUBECONFIG: kubeconfig() },
    readStdin: () => Promise.resolve(''),
    now: () => Date.now(),
  };
}

test('coverage --watch -o json: the first cells as ADDED, then one line per changed cell with the previous state; Ctrl-C ends it cleanly', async () => {
  resetServer({ nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', false)] });
  const out: string[] = [];
  const err: string[] = [];
  const ctl = new AbortController();
  const run = runCoverageWatch(completeCoverage([], { watch: true, output: 'json' }), cliIO(out, err), ctl.signal);
  await until('the first cell', () => out.length > 0);
  assert.equal((JSON.parse(out[0]!.trim()) as { type: string }).type, 'ADDED');
  const pods = await watcherOf('pods');
  send(pods, { type: 'MODIFIED', object: pod('n1', true) });
  const line = await until('the transition', () => out.join('').split('\n').find((l) => l.includes('"MODIFIED"')));
  const t = JSON.parse(line) as { type: string; cell: { node: string; state: string }; previous: string };
  assert.deepEqual([t.type, t.cell.node, t.cell.state, t.previous], ['MODIFIED', 'n1', 'Ready', 'Pending']);
  ctl.abort();
  await run;
  assert.deepEqual(err, []);
});

test('coverage --watch on a terminal: the matrix redrawn with the last change and a log line, a 403 as a warning, the cursor hidden and shown again', async () => {
  resetServer({ nodes: [node('n1')], daemonsets: [agent], pods: [pod('n1', true)] }, ['events']);
  const out: string[] = [];
  const err: string[] = [];
  const ctl = new AbortController();
  const run = runCoverageWatch(completeCoverage([], { watch: true, color: false }), cliIO(out, err, true), ctl.signal);
  await until('the first frame', () => out.some((s) => s.includes('no change yet')));
  assert.match(err.join(''), /Warning: cannot list events in namespace "kube-system"/);
  const pods = await watcherOf('pods');
  send(pods, { type: 'DELETED', object: pod('n1', true) });
  await until('the redraw', () => out.some((s) => s.includes('last change')));
  assert.ok(out.join('').includes('n1 agent ✔ Ready → ! Missing'), JSON.stringify(out.join('').slice(-600)));
  ctl.abort();
  await run;
  assert.equal(out[0], '\x1b[?25l');
  assert.equal(out.at(-1), '\x1b[?25h\n');
});

test('coverage --watch: usage errors before any I/O', () => {
  assert.throws(() => completeCoverage([], { watch: true, snapshot: ['x.yaml'] }), /--watch cannot be used with --snapshot: a file does not change/);
  assert.throws(() => completeCoverage([], { watchOnly: true, snapshot: ['x.yaml'] }), /--watch-only cannot be used with --snapshot/);
  assert.throws(() => completeCoverage([], { watch: true, output: 'yaml' }), /-o yaml is not offered/);
  assert.throws(() => completeCoverage([], { watch: true, failOn: true }), /cannot be used with --fail-on/);
  assert.equal(completeCoverage([], { watchOnly: true }).watch, true);
});

test('a pod replaced within one batch is a MODIFIED cell even when its state stays Ready', () => {
  const cell = (pod: string, updated: boolean) => ({ node: 'n1', namespace: 'ns', daemonSet: 'agent', shouldRun: true, shouldContinueRunning: true, state: 'Ready', pods: [{ name: pod, phase: 'Running', ready: true, updated, counted: true, terminating: false }], reasons: [], counted: { ready: true, available: true, updated } });
  const report = (c: object) => ({ kind: 'DaemonSetCoverage', daemonSets: [], nodes: [], cells: [c], allNodes: true, podsOnMissingNodes: [], gaps: [] }) as unknown as CoverageReport;
  const ts = diffCoverage(report(cell('agent-old', false)), report(cell('agent-new', true)));
  assert.deepEqual(ts.map((t) => [t.type, t.previous, t.cell.pods[0]!.name]), [['MODIFIED', 'Ready', 'agent-new']]);
  assert.deepEqual(diffCoverage(report(cell('agent-new', true)), report(cell('agent-new', true))), []);
});
