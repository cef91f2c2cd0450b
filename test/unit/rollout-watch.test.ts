// `rollout status` waiting on watches versus polling, against a FAULT-INJECTION FAKE SERVER (node:http,
// not a Kubernetes API server) that keeps each resource's objects and a log of their changes with
// resourceVersions, as the API server's watch cache does: a list answers the objects and the current
// version; a watch from version V replays the changes after V and then streams new ones; a version
// compacted away answers 410 Gone. Recorded sequences of states (a rolling update node by node) are
// played to both paths; each must print the same lines and end with the same exit code and error.
// Live behaviour is tested against the real control plane in test/e2e/rollout.test.ts.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli.ts';
import type { DaemonSet, Node, Pod } from '../../src/model/types.ts';
import type { CliIO } from '../../src/runtime.ts';
import { fakeServerKubeconfig } from '../support/cli.ts';

type Res = 'nodes' | 'daemonsets' | 'pods' | 'controllerrevisions' | 'events';
const RESOURCES: Res[] = ['nodes', 'daemonsets', 'pods', 'controllerrevisions', 'events'];
const KIND: Record<Res, string> = { nodes: 'NodeList', daemonsets: 'DaemonSetList', pods: 'PodList', controllerrevisions: 'ControllerRevisionList', events: 'EventList' };
type Obj = { metadata: { uid?: string; name?: string; resourceVersion?: string } };

// ---- the fake API server

interface Watcher {
  res: Res;
  resp: http.ServerResponse;
  from: number;
}

class FakeApi {
  server!: http.Server;
  base = '';
  private rv = 100;
  private objects = new Map<Res, Map<string, Obj>>();
  private changes: { rv: number; res: Res; type: string; object: Obj }[] = [];
  /** Per resource: a watch from an older version than this gets 410 Gone (compacted). */
  private compacted = new Map<Res, number>();
  watchers: Watcher[] = [];
  /** Every request: resource, list or watch, and the resourceVersion a watch asked for. */
  requests: { res: Res; watch: boolean; rv?: string }[] = [];
  forbidWatch = new Set<Res>();
  bytes = 0;

  async start(): Promise<void> {
    this.server = http.createServer((req, resp) => this.handle(req, resp));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  reset(): void {
    for (const w of this.watchers) w.resp.destroy();
    this.rv = 100;
    this.objects = new Map(RESOURCES.map((r) => [r, new Map<string, Obj>()]));
    this.changes = [];
    this.compacted.clear();
    this.watchers = [];
    this.requests = [];
    this.forbidWatch.clear();
  }

  lists(res: Res): number {
    return this.requests.filter((r) => r.res === res && !r.watch).length;
  }

  /**
   * The resources named become exactly these objects: each difference is a change with a new version,
   * streamed to open watches unless `silent` (events the client misses: only a relist finds them).
   */
  set(state: Partial<Record<Res, object[]>>, opts: { silent?: boolean } = {}): void {
    for (const [res, items] of Object.entries(state) as [Res, Obj[]][]) {
      const now = this.objects.get(res)!;
      const next = new Map(items.map((o) => [o.metadata.uid!, structuredClone(o)]));
      const emit = (type: string, object: Obj): void => {
        object.metadata.resourceVersion = String(++this.rv);
        this.changes.push({ rv: this.rv, res, type, object });
        if (!opts.silent) for (const w of this.watchers) if (w.res === res) this.write(w, type, object);
      };
      for (const [uid, o] of now) if (!next.has(uid)) emit('DELETED', { ...o });
      for (const [uid, o] of next) {
        const old = now.get(uid);
        const same = old && JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: '' } }) === JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
        if (same) next.set(uid, old);
        else emit(old ? 'MODIFIED' : 'ADDED', o);
      }
      this.objects.set(res, next);
      // Missed changes are compacted away: resuming from before them must relist.
      if (opts.silent) this.compacted.set(res, this.rv);
    }
  }

  /** 410 Gone on the open watches of `res` (as etcd compaction does), and on any resume from before now. */
  gone(res: Res): void {
    this.compacted.set(res, this.rv);
    for (const w of this.watchers.filter((x) => x.res === res)) {
      this.write(w, 'ERROR', { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: `too old resource version: ${w.from} (${this.rv})` } as unknown as Obj);
      this.end(w);
    }
  }

  /** The server ends the open watches of `res` (its timeoutSeconds): the client resumes. */
  endWatches(res: Res): void {
    for (const w of this.watchers.filter((x) => x.res === res)) this.end(w);
  }

  private end(w: Watcher): void {
    this.watchers = this.watchers.filter((x) => x !== w);
    w.resp.end();
  }

  private write(w: Watcher, type: string, object: Obj): void {
    const line = `${JSON.stringify({ type, object })}\n`;
    this.bytes += line.length;
    w.resp.write(line);
  }

  private handle(req: http.IncomingMessage, resp: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const res = url.pathname.split('/').filter(Boolean).at(-1) as Res;
    const watch = url.searchParams.get('watch') === 'true';
    this.requests.push({ res, watch, ...(watch ? { rv: url.searchParams.get('resourceVersion') ?? '' } : {}) });
    if (!RESOURCES.includes(res)) {
      resp.writeHead(404, { 'Content-Type': 'application/json' });
      resp.end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' }));
      return;
    }
    if (watch && this.forbidWatch.has(res)) {
      resp.writeHead(403, { 'Content-Type': 'application/json' });
      resp.end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 403, reason: 'Forbidden', message: `${res} is forbidden: User "tester" cannot watch resource "${res}"` }));
      return;
    }
    if (!watch) {
      const body = JSON.stringify({ kind: KIND[res], metadata: { resourceVersion: String(this.rv) }, items: [...this.objects.get(res)!.values()] });
      this.bytes += body.length;
      resp.writeHead(200, { 'Content-Type': 'application/json' });
      resp.end(body);
      return;
    }
    const from = Number(url.searchParams.get('resourceVersion') ?? '0');
    resp.writeHead(200, { 'Content-Type': 'application/json' });
    resp.flushHeaders();
    const w: Watcher = { res, resp, from };
    if (from < (this.compacted.get(res) ?? 0)) {
      this.write(w, 'ERROR', { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: `too old resource version: ${from}` } as unknown as Obj);
      resp.end();
      return;
    }
    for (const c of this.changes) if (c.res === res && c.rv > from) this.write(w, c.type, c.object);
    this.watchers.push(w);
  }
}

const api = new FakeApi();
before(() => api.start());
after(() => api.stop());

// ---- the objects: DaemonSet agent (template generation 2) rolling over nodes n1..n3

const NODES = ['n1', 'n2', 'n3'];

function node(name: string): Node {
  return { metadata: { name, uid: `node-${name}`, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
}

function agent(status: { observed: number; updated: number; available: number }): DaemonSet {
  return {
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'uid-agent', generation: 2, annotations: { 'deprecated.daemonset.template.generation': '2' } },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v2' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
    },
    status: { observedGeneration: status.observed, desiredNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0, numberReady: status.available, updatedNumberScheduled: status.updated, numberAvailable: status.available },
  };
}

function pod(nodeName: string, generation: 1 | 2, ready = true): Pod {
  return {
    metadata: {
      name: `agent-${nodeName}-g${generation}`,
      namespace: 'kube-system',
      uid: `pod-${nodeName}-${generation}`,
      labels: { app: 'agent', 'pod-template-generation': String(generation) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true }],
    },
    spec: { nodeName, containers: [{ name: 'c', image: `agent:v${generation}` }] },
    status: { phase: ready ? 'Running' : 'Pending', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

/** The pods when the first `k` nodes run the new template (the k-th not yet Ready when `starting`). */
function podsAt(k: number, starting = false): Pod[] {
  return NODES.map((n, i) => (i < k ? pod(n, 2, !(starting && i === k - 1)) : pod(n, 1)));
}

// One rollout, as the controller writes it: pods change first, then the status that counts them, each
// its own step (a look between the two sees the old status with the new pods, on either path).
type Step = Partial<Record<Res, object[]>>;
const ROLLOUT: Step[] = [
  { daemonsets: [agent({ observed: 2, updated: 0, available: 3 })] },
  { pods: podsAt(1, true) },
  { daemonsets: [agent({ observed: 2, updated: 1, available: 2 })] },
  { pods: podsAt(1) },
  { daemonsets: [agent({ observed: 2, updated: 1, available: 3 })] },
  { pods: podsAt(2) },
  { daemonsets: [agent({ observed: 2, updated: 2, available: 3 })] },
  { pods: podsAt(3) },
  { daemonsets: [agent({ observed: 2, updated: 3, available: 3 })] },
];

function startState(): void {
  api.reset();
  api.set({ nodes: NODES.map(node), daemonsets: [agent({ observed: 1, updated: 3, available: 3 })], pods: podsAt(0) });
}

// ---- running the command

const kubeconfig = (): string => fakeServerKubeconfig(api.base, { namespace: 'kube-system' });

interface Run {
  code: number;
  out: string;
  err: string;
  /** Screen writes (a terminal run): one per redraw. */
  writes: string[];
  ms: number;
}

function io(out: string[], err: string[], tty: boolean): CliIO {
  return {
    stdout: { write: (s: string) => out.push(s), isTTY: tty, columns: tty ? 120 : 0, rows: tty ? 40 : 0 },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
    env: { KUBECONFIG: kubeconfig(), NO_COLOR: '1' },
    readStdin: () => Promise.resolve(''),
    now: () => Date.now(),
  };
}

async function until(what: string, f: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * `rollout status agent` with `args` while `script` plays steps. A step is held until the command has
 * surely looked at it: polling, two more DaemonSet lists (a whole poll began and ended after the
 * step); watching, longer than the coalescing of a burst.
 */
async function runWith(args: string[], script: (hold: () => Promise<void>) => Promise<void>, opts: { tty?: boolean } = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const polling = args.includes('--poll');
  let code: number | undefined;
  const hold = async (): Promise<void> => {
    if (!polling) return sleep(250);
    const n = api.lists('daemonsets');
    await until('two more polls', () => code !== undefined || api.lists('daemonsets') >= n + 2);
  };
  const t0 = Date.now();
  const cmd = main(['rollout', 'status', 'agent', '-n', 'kube-system', ...args], io(out, err, opts.tty ?? false));
  void cmd.then((c) => (code = c));
  // The first look is taken once every resource was listed.
  await until('the first look', () => code !== undefined || RESOURCES.every((r) => api.lists(r) > 0));
  await script(async () => {
    if (code === undefined) await hold();
  });
  const c = await cmd;
  return { code: c, out: out.join(''), err: err.join(''), writes: out, ms: Date.now() - t0 };
}

const play = (steps: Step[]) => async (hold: () => Promise<void>): Promise<void> => {
  await hold();
  for (const s of steps) {
    api.set(s);
    await hold();
  }
};

const EXPECTED = [
  'Waiting for daemon set spec update to be observed...',
  'Waiting for daemon set "agent" rollout to finish: 0 out of 3 new pods have been updated...',
  'Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...',
  'Waiting for daemon set "agent" rollout to finish: 2 out of 3 new pods have been updated...',
  'daemon set "agent" successfully rolled out',
];

for (const format of [[], ['-o', 'json']]) {
  test(`rollout status ${format.join(' ') || '(text)'}: watching prints what polling prints for the same states, and exits 0 without waiting for --interval`, async () => {
    // -o json prints the last look only: a shorter rollout will do.
    const steps = format.length === 0 ? ROLLOUT : [ROLLOUT[0]!, ...ROLLOUT.slice(-2)];
    startState();
    const polled = await runWith(['--poll', '--interval', '200ms', ...format], play(steps));
    const pollLists = api.lists('pods');
    startState();
    // --interval 30s: a watched look follows a change at once; only the quiet re-judge waits that long.
    const watched = await runWith(['--interval', '30s', ...format], play(steps));
    assert.equal(polled.code, 0, polled.err);
    assert.deepEqual([watched.code, watched.err], [0, '']);
    assert.equal(watched.out, polled.out);
    if (format.length === 0) {
      const headlines = polled.out.split('\n').filter((l) => !l.startsWith(' ') && l !== '');
      assert.deepEqual(headlines, EXPECTED);
    } else {
      assert.equal((JSON.parse(watched.out) as { done: boolean }).done, true);
    }
    // Listed once, then watched (each resource one list); polling listed pods at every look.
    assert.deepEqual(RESOURCES.map((r) => api.lists(r)), [1, 1, 1, 1, 1]);
    assert.ok(pollLists > steps.length, `polling listed pods ${pollLists} times`);
    assert.ok(api.requests.filter((r) => r.watch).length >= 5);
  });
}

test('rollout status: a 410 Gone mid-wait relists what was missed; a stream the server ends resumes from its last version; the lines equal polling', async () => {
  // Changes the watch never streams (silent), then 410 on the open pods watch: only a relist sees them.
  const script = async (hold: () => Promise<void>): Promise<void> => {
    await hold();
    api.set(ROLLOUT[0]!);
    await hold();
    api.set(ROLLOUT[1]!, { silent: true });
    api.gone('pods');
    await hold();
    api.set(ROLLOUT[2]!);
    await hold();
    // The server ends the DaemonSet watch (its timeoutSeconds); the next status arrives on the resumed one.
    api.endWatches('daemonsets');
    for (const s of ROLLOUT.slice(3)) {
      api.set(s);
      await hold();
    }
  };
  startState();
  const polled = await runWith(['--poll', '--interval', '200ms'], script);
  startState();
  const watched = await runWith(['--interval', '30s'], script);
  assert.equal(polled.code, 0, polled.err);
  assert.deepEqual([watched.code, watched.err], [0, '']);
  assert.equal(watched.out, polled.out);
  assert.equal(api.lists('pods'), 2, 'the 410 relisted pods');
  assert.equal(api.lists('daemonsets'), 1, 'a resume does not relist');
  const dsWatches = api.requests.filter((r) => r.res === 'daemonsets' && r.watch);
  assert.ok(dsWatches.length >= 2, 'the DaemonSet watch was resumed');
  // Resumed from the version of the last DaemonSet change seen before the end of the stream, not 0.
  assert.ok(Number(dsWatches[1]!.rv) > 100, JSON.stringify(dsWatches));
  const podWatches = api.requests.filter((r) => r.res === 'pods' && r.watch);
  assert.ok(Number(podWatches.at(-1)!.rv) > Number(podWatches[0]!.rv), 'the relisted pods are watched from the new list version');
});

test('rollout status --timeout: watching and polling give up with the same error and blocking nodes; a watch does not wait for --interval', async () => {
  const stuck: Step[] = [ROLLOUT[0]!, ROLLOUT[1]!, ROLLOUT[2]!];
  startState();
  const polled = await runWith(['--poll', '--interval', '200ms', '--timeout', '2s'], play(stuck));
  startState();
  const watched = await runWith(['--interval', '30s', '--timeout', '2s'], play(stuck));
  assert.equal(polled.code, 1);
  assert.deepEqual([watched.code, watched.out, watched.err], [1, polled.out, polled.err]);
  assert.match(watched.err, /^error: timed out after 2s waiting for the rollout; blocking: agent@n1, agent@n2, agent@n3\n$/);
  assert.ok(watched.ms < 6000, `took ${watched.ms} ms`);
});

test('rollout status: a watch refused (403) after its list falls back to polling with a warning; the lines equal polling', async () => {
  const steps = [...ROLLOUT.slice(0, 3), ...ROLLOUT.slice(-2)];
  startState();
  const polled = await runWith(['--poll', '--interval', '200ms'], play(steps));
  startState();
  api.forbidWatch.add('pods');
  // Polling from here on: hold each step for two more polls, as for --poll.
  const watched = await runWith(['--interval', '200ms'], async (hold) => {
    await until('the fall-back', () => api.lists('daemonsets') >= 2);
    const n = (): number => api.lists('daemonsets');
    const twoPolls = async (): Promise<void> => {
      const k = n();
      await until('two more polls', () => n() >= k + 2);
    };
    await hold();
    for (const s of steps) {
      api.set(s);
      await twoPolls().catch(() => undefined);
    }
  });
  assert.equal(watched.code, 0, watched.err);
  assert.equal(watched.out, polled.out);
  assert.match(watched.err, /^Warning: cannot watch pods \(forbidden\): rollout status re-lists every 0\.2s instead; grant "watch" on pods to wait on changes\n$/);
  assert.ok(api.lists('pods') > 3, 'it polled');
});

test('rollout status on a terminal: a burst of changes is one redraw, not one per event', async () => {
  startState();
  api.set(ROLLOUT[0]!);
  const run = await runWith(['--interval', '30s'], async (hold) => {
    await hold();
    // Twenty changes within a few milliseconds: pod readiness flapping on n1, then the rollout ends.
    for (let i = 0; i < 20; i++) api.set({ pods: podsAt(1, i % 2 === 0) });
    await hold();
    api.set({ pods: podsAt(3) });
    api.set({ daemonsets: [agent({ observed: 2, updated: 3, available: 3 })] });
  }, { tty: true });
  assert.equal(run.code, 0, run.err);
  const frames = run.writes.filter((w) => w.includes('daemon set')).length;
  // The first look, the burst (one or two looks), the end (one or two looks).
  assert.ok(frames >= 3 && frames <= 6, `${frames} frames: ${JSON.stringify(run.writes)}`);
  assert.match(run.writes.join(''), /successfully rolled out/);
});

test('DS_INSPECT_STATS_FILE: the requests made and the bytes received, written at exit (the benchmark reads them)', async () => {
  const stuck = [ROLLOUT[0]!, ROLLOUT[1]!, ROLLOUT[2]!];
  const figures: Record<string, { requests: number; watches: number; bytesReceived: number }> = {};
  for (const mode of ['watch', 'poll']) {
    startState();
    for (const s of stuck) api.set(s);
    api.bytes = 0;
    const file = join(mkdtempSync(join(tmpdir(), 'ds-inspect-stats-')), 'stats.json');
    const args = ['bin/kubectl-ds_inspect', 'rollout', 'status', 'agent', '-n', 'kube-system', '--timeout', '1s', '--interval', '200ms', ...(mode === 'poll' ? ['--poll'] : [])];
    // A child process (the figures are written at its exit), waited for without blocking the fake server.
    const child = spawn(process.execPath, args, { env: { ...process.env, KUBECONFIG: kubeconfig(), DS_INSPECT_STATS_FILE: file, NO_COLOR: '1' }, stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 1, 'timed out');
    figures[mode] = JSON.parse(readFileSync(file, 'utf8')) as { requests: number; watches: number; bytesReceived: number };
    // Every byte the server sent (list bodies, watch lines), as counted on the client.
    assert.equal(figures[mode].bytesReceived, api.bytes, mode);
    assert.equal(figures[mode].requests, api.requests.length, mode);
  }
  assert.ok(figures.watch!.watches >= 5 && figures.poll!.watches === 0, JSON.stringify(figures));
  assert.ok(figures.poll!.requests > figures.watch!.requests, JSON.stringify(figures));
});
