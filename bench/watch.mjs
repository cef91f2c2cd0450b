// The `watch` part of `npm run bench` (`--only=watch` alone): what waiting on watches costs next to
// polling, on a local control plane of its own (test/cluster: kwok nodes made as the live part makes
// them; the real DaemonSet controller and scheduler).
//
//   (a) `rollout status` for a window (5 minutes; --quick 20 s) on N nodes (1,000; --quick 100), once with
//       the hidden --poll (re-lists nodes, DaemonSets, pods, revisions and events every --interval, 2 s) and
//       once watching (the default): API requests and bytes received, from DS_INSPECT_STATS_FILE (the
//       client's own counters, written at exit, src/io/live/session.ts), wall time and peak RSS.
//       The rollout must not end in the window, so status keeps waiting and both runs end at --timeout
//       (exit 1). OnDelete or paused DaemonSets will not do: status reports them done at once (which nodes
//       run an older revision, exit 0). So: a RollingUpdate (maxUnavailable 1) whose new template never
//       becomes Ready (kwok's never-ready stage, test/cluster/kwok.yaml): the controller replaces one pod and
//       waits for it forever, as it does for a broken image in production.
//   (b) `coverage -A --watch -o json` RSS (VmRSS from /proc/PID/status) after the first look, in the middle
//       and at the end of an hour-equivalent of churn, plus its peak (VmHWM).
//
// An hour-equivalent for 1,000 nodes: what a watch of nodes, DaemonSets and pods receives in an hour of a
// healthy cluster with one DaemonSet rollout in it.
//   - Nodes: kubelet heartbeats go to Leases (not watched); the Node object itself is written about every
//     nodeStatusReportFrequency (5 minutes) when nothing changes: 12 MODIFIED per node per hour, 12,000 for
//     1,000 nodes. Played as 12 rounds of relabelling every node (a label the DaemonSets do not select on,
//     but one the store keeps, so every event is applied and judged).
//   - Pods and DaemonSets: one rollout of a DaemonSet over every node (each node's pod deleted, created,
//     scheduled, started, Ready: about five pod events, and two DaemonSet status writes), played by rolling
//     the benchmark DaemonSet to a new image (maxUnavailable 10%, to fit the compression).
// So about 12,000 node events, 5,000 pod events and 2,000 DaemonSet events, compressed into a few minutes.
// "Flat" means the resident set after the churn is within 10% (or 10 MB) of where it was in the middle.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { freshCluster } from './live.mjs';

const NS = 'bench-watch';
// Set on every node by the live part's fleetNode(); the DaemonSet runs on all of them.
const FLEET = 'ds-inspect.bench/fleet';
const CHURN_LABEL = 'ds-inspect.bench/churn';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function agent(image, behavior, maxUnavailable) {
  const labels = { app: 'agent', ...(behavior ? { 'ds-inspect.test/behavior': behavior } : {}) };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: NS, labels: { 'ds-inspect.bench': 'watch' } },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge: 0 } },
      template: { metadata: { labels }, spec: { nodeSelector: { [FLEET]: 'true' }, tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image }] } },
    },
  };
}

/**
 * N nodes made by the live part's `fleetNode(i)` (run.mjs passes it), so a polled node list weighs what
 * it weighs there; each carries FLEET=true.
 */
function createNodes(kc, kubectl, fleetNode, n, log) {
  for (let i = 0; i < n; i += 250) {
    const items = [];
    for (let k = i; k < Math.min(n, i + 250); k++) items.push(fleetNode(k));
    kubectl(kc, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  }
  log(`  watch: ${n} nodes created`);
}

function daemonSet(kc, kubectl) {
  return JSON.parse(kubectl(kc, ['get', 'daemonset', 'agent', '-n', NS, '-o', 'json']));
}

async function waitFor(what, fn, log, timeoutMs = 30 * 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`watch: timed out waiting for ${what}`);
    log(`  watch: waiting for ${what}`);
    await sleep(5000);
  }
}

/** `rollout status` for the window: exit 1 at --timeout (the rollout cannot end), its counters and time. */
function statusRun(root, kc, windowS, poll) {
  const dir = mkdtempSync(join(tmpdir(), 'ds-inspect-bench-watch-'));
  const file = join(dir, 'stats.json');
  const args = [join(root, 'bin/kubectl-ds_inspect'), 'rollout', 'status', 'agent', '-n', NS, '--timeout', `${windowS}s`, ...(poll ? ['--poll'] : [])];
  const [cmd, argv] = TIME ? [TIME, ['-f', '%M', process.execPath, ...args]] : [process.execPath, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env: { ...process.env, KUBECONFIG: kc, DS_INSPECT_STATS_FILE: file, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 1 || !/timed out after/.test(r.stderr)) throw new Error(`watch: rollout status ${poll ? '--poll ' : ''}should time out waiting (exit 1), got exit ${r.status}: ${r.stderr.slice(-500)}`);
  const counters = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const kb = TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { ...counters, megabytesReceived: Math.round((counters.bytesReceived / 2 ** 20) * 100) / 100, wallS: Math.round(wall * 10) / 10, peakRssMB: Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : null };
}

function rssMB(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 102.4) / 10, hwm: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** (b): coverage --watch under the hour-equivalent of churn, RSS sampled every 2 s. */
async function churnRun(root, kc, kubectl, nodes, quick, log) {
  const child = spawn(process.execPath, [join(root, 'bin/kubectl-ds_inspect'), 'coverage', '-A', '--watch', '-o', 'json'], { env: { ...process.env, KUBECONFIG: kc, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  let err = '';
  child.stdout.on('data', (b) => {
    for (const c of b) if (c === 10) lines++;
  });
  child.stderr.on('data', (b) => (err += b));
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  // Sampled every 2 s as well, for the largest resident set seen between the three points.
  let sampled = 0;
  let sampledMax = 0;
  const sampler = setInterval(() => {
    sampled++;
    sampledMax = Math.max(sampledMax, rssMB(child.pid).rss);
  }, 2000);
  let result;
  try {
    await waitFor('the first look of coverage --watch', () => lines > 0, log, 5 * 60_000);
    await sleep(5000);
    const start = rssMB(child.pid);
    // 12 rounds of node writes (nodeStatusReportFrequency 5 min: 12 per node per hour); --quick: 2.
    const rounds = quick ? 2 : 12;
    const t0 = Date.now();
    let middle;
    // The DaemonSet rollout of the hour, started with the node rounds, on a template that becomes Ready.
    kubectl(kc, ['apply', '-f', '-'], JSON.stringify(agent('agent:3', undefined, '10%')));
    for (let r = 0; r < rounds; r++) {
      kubectl(kc, ['label', 'nodes', '-l', FLEET, `${CHURN_LABEL}=r${r}`, '--overwrite']);
      if (r === Math.floor(rounds / 2) - 1) middle = rssMB(child.pid);
      log(`  watch: churn round ${r + 1}/${rounds} (${nodes} node writes)`);
    }
    await waitFor('the churn rollout to finish', () => {
      const s = daemonSet(kc, kubectl).status ?? {};
      return s.updatedNumberScheduled === nodes && s.numberAvailable === nodes;
    }, log);
    const churnS = Math.round((Date.now() - t0) / 1000);
    // Let the watcher take in the last batches.
    await sleep(10_000);
    const end = rssMB(child.pid);
    middle ??= start;
    const growth = Math.round((end.rss - middle.rss) * 10) / 10;
    result = {
      nodes,
      rounds,
      nodeEvents: rounds * nodes,
      podsRolled: nodes,
      churnS,
      transitionLines: lines,
      rssStartMB: start.rss,
      rssMiddleMB: middle.rss,
      rssEndMB: end.rss,
      peakRssMB: end.hwm,
      growthMiddleToEndMB: growth,
      flat: growth <= Math.max(10, middle.rss * 0.1),
      rssMaxSampledMB: sampledMax,
      samples: sampled,
    };
  } finally {
    clearInterval(sampler);
    child.kill('SIGINT');
  }
  const code = await Promise.race([exited, sleep(15_000).then(() => 'hung')]);
  if (code !== 0) {
    child.kill('SIGKILL');
    throw new Error(`watch: coverage --watch did not end cleanly on SIGINT (${code}): ${err.slice(-500)}`);
  }
  return result;
}

/**
 * A cluster of its own, as the live part has: the live part stops the controller manager (bench/live.mjs),
 * and this part needs the real DaemonSet controller to roll pods. A running local cluster is stopped
 * first (one control plane at a time on this machine); run.mjs stops this one at the end.
 */
/** kubectl against the benchmark's cluster; its stdout, or an error with its exit status. */
function runKubectl(kubeconfig, args, input) {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, maxBuffer: 512 << 20, stdio: ['pipe', 'pipe', 'inherit'] });
}

export async function benchWatch({ root, quick, log, fleetNode, kubectl = runKubectl }) {
  const nodes = quick ? 100 : 1000;
  const windowS = Number(process.env.DS_INSPECT_BENCH_WATCH_WINDOW_S ?? (quick ? 20 : 300));
  const kc = freshCluster(root);
  createNodes(kc, kubectl, fleetNode, nodes, log);
  kubectl(kc, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
  kubectl(kc, ['apply', '-f', '-'], JSON.stringify(agent('agent:1', undefined, 1)));
  await waitFor(`agent Ready on ${nodes} nodes`, () => {
    const s = daemonSet(kc, kubectl).status ?? {};
    return s.desiredNumberScheduled === nodes && s.numberReady === nodes && s.updatedNumberScheduled === nodes;
  }, log);
  // The stuck rollout: one new pod that never becomes Ready, maxUnavailable 1 holds the rest.
  kubectl(kc, ['apply', '-f', '-'], JSON.stringify(agent('agent:2', 'never-ready', 1)));
  await waitFor('the stuck rollout (one new pod, never Ready)', () => {
    const d = daemonSet(kc, kubectl);
    return d.status?.observedGeneration === d.metadata.generation && (d.status?.updatedNumberScheduled ?? 0) >= 1;
  }, log);
  log(`  watch: rollout status --poll for ${windowS} s on ${nodes} nodes`);
  const poll = statusRun(root, kc, windowS, true);
  log(`  watch: rollout status (watching) for ${windowS} s on ${nodes} nodes`);
  const watched = statusRun(root, kc, windowS, false);
  log(`  watch: ${poll.requests} requests / ${poll.megabytesReceived} MB polling, ${watched.requests} / ${watched.megabytesReceived} MB watching`);
  log('  watch: coverage --watch under an hour-equivalent of churn');
  const churn = await churnRun(root, kc, kubectl, nodes, quick, log);
  log(`  watch: coverage --watch RSS ${churn.rssStartMB} → ${churn.rssMiddleMB} → ${churn.rssEndMB} MB (peak ${churn.peakRssMB} MB)`);
  return {
    nodes,
    fleet: "the live part's nodes (fleetNode), one DaemonSet over all of them, pods made by the real DaemonSet controller",
    windowS,
    intervalS: 2,
    rolloutStatus: { poll, watch: watched, requestsRatio: Math.round((watched.requests / poll.requests) * 1000) / 1000, bytesRatio: Math.round((watched.bytesReceived / poll.bytesReceived) * 1000) / 1000 },
    coverageWatch: churn,
  };
}
