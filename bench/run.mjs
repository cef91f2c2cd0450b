#!/usr/bin/env node
// `npm run bench [-- --quick]`: ds-inspect side by side with what operators run today, on this machine.
// Not a test: it prints a table and writes bench/results.json (median, min, max of each figure).
//   live      local control plane (test/cluster), 500 / 1,000 (--scale=5000: 1,000 / 5,000) realistic
//             nodes and 20 DaemonSets (bench/live.mjs, bench/realistic.mjs); `kubectl ds-inspect coverage -A -o json`
//             versus `kubectl get nodes -o json` + `kubectl get pods -A -o wide`, alternating A B A B.
//             Beside it the raw-fetch floor (bench/floor.mjs): the GETs the tool made, from a Go program
//             over the same kind of connection pool, bodies discarded; toolOverFloor = tool wall / floor wall.
//   snapshot  generated 5,000 nodes x 20 DaemonSets (100,000 minimal pods) as JSON: coverage --snapshot;
//             and realistic dumps (bench/snapshot.mjs): 2,000 nodes x 10 DaemonSets (about 170 MB) as -o yaml and -o json.
//   startup   the single executable's --version / --help / coverage of the demo through kubectl
//             versus kubectl version --client; node -e 0 as the floor; size and peak RSS.
//   render    printing the 5,000-row matrix as a table (in-process, rendering only).
//   watch     bench/watch.mjs: rollout status polling (--poll) versus watching, requests and bytes over a
//             window on 1,000 nodes (--quick: 100 nodes, 20 s); coverage --watch RSS through an
//             hour-equivalent of churn.
// Wall time from a monotonic clock; peak RSS from GNU time (%M) when /usr/bin/time exists.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFloor, floorPlan, runFloor } from './floor.mjs';
import { freshCluster, growFleet, localApi, stopControllerManager, waitRunning } from './live.mjs';
import { fleetNode as realisticNode, nodeName } from './realistic.mjs';
import { benchRealisticSnapshots, realisticSnapshotRows } from './snapshot.mjs';
import { benchWatch } from './watch.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
// --only snapshot,render,startup,live,watch: re-measure those parts and keep the others from results.json.
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const ONLY = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const want = (part) => !ONLY || ONLY.has(part);
const RUNS = QUICK ? 1 : 5;
// --scale=5000 adds the 5,000-node / ~80,000-pod run (an hour of set-up on 2 cores: kept out of the default).
const SCALES = QUICK ? [100] : process.argv.includes('--scale=5000') ? [1000, 5000] : [500, 1000];
const SNAP = QUICK ? { nodes: 500, daemonSets: 20 } : { nodes: 5000, daemonSets: 20 };
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const TMP = join(ROOT, 'bench', '.tmp');
mkdirSync(TMP, { recursive: true });

const log = (m) => process.stderr.write(`bench: ${m}\n`);
const stats = (xs) => {
  const s = [...xs].filter((x) => x !== null).sort((a, b) => a - b);
  if (s.length === 0) return { median: null, min: null, max: null, n: 0 };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median: round(median), min: round(s[0]), max: round(s[s.length - 1]), n: s.length };
};
const round = (x) => Math.round(x * 1000) / 1000;

/** Run a command; wall seconds and peak RSS in MB. stdout goes to /dev/null (it is measured, not shown). */
function measure(cmd, args, env = {}) {
  const full = TIME ? [TIME, ['-f', '%M', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  const kb = TIME ? Number(r.stderr.trim().split('\n').pop()) : NaN;
  return { wall, rssMB: Number.isFinite(kb) ? kb / 1024 : null };
}


const PATH_WITH_PLUGIN = `${join(ROOT, 'bin')}:${process.env.PATH}`;

// ---------- live

const ZONES = ['a', 'b', 'c'];
function fleetNode(i) {
  const name = `fleet-${String(i).padStart(4, '0')}`;
  const labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'ds-inspect.bench/fleet': 'true', 'topology.kubernetes.io/zone': `zone-${ZONES[i % 3]}` };
  if (i % 10 === 0) labels['nvidia.com/gpu.present'] = 'true';
  if (i % 4 === 0) labels['node-role.kubernetes.io/storage'] = '';
  const taints = [];
  if (i % 10 === 0) taints.push({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' });
  if (i % 25 === 1) taints.push({ key: 'dedicated', value: 'infra', effect: 'NoSchedule' });
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels }, spec: taints.length ? { taints } : {} };
}

/**
 * The raw-fetch floor (bench/floor.mjs): the lists one `coverage -A -o json -v 6` run reads (found once
 * per scale), fetched again concurrently with the bodies discarded.
 */
function floorFor(kubeconfig, env) {
  const r = spawnSync('kubectl', ['ds-inspect', 'coverage', '-A', '-o', 'json', '-v', '6'], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`coverage -v 6 exited ${r.status}: ${r.stderr.slice(-500)}`);
  const bin = buildFloor(TMP);
  const plan = floorPlan(kubeconfig, r.stderr);
  return () => {
    const f = runFloor(bin, plan);
    return { wall: f.processWallSeconds, innerWall: f.wallSeconds, requests: f.requests, bytes: f.bytes };
  };
}

/**
 * The live part needs a cluster of its own: it stops the controller manager (bench/live.mjs says why),
 * so a local cluster already running is stopped first and a fresh one started.
 */
async function benchLive(onScale = () => {}) {
  const kubeconfig = freshCluster(ROOT);
  stopControllerManager(kubeconfig);
  const api = localApi(kubeconfig);
  const env = { KUBECONFIG: kubeconfig, PATH: PATH_WITH_PLUGIN };
  const fleet = {};
  const scaling = [];
  const byScale = {};
  let created = 0;
  try {
    for (const nodes of SCALES) {
      log(`live: ${nodes} realistic nodes x 20 DaemonSets`);
      const pods = await growFleet(api, fleet, created, nodes, log);
      created = nodes;
      await waitRunning(api, log);
      const bytes = listBytes(kubeconfig);
      const measureFloor = floorFor(kubeconfig, env);
      const tool = [];
      const kube = [];
      const ratios = [];
      const floor = [];
      for (let r = 0; r < RUNS; r++) {
        const a = measure('kubectl', ['ds-inspect', 'coverage', '-A', '-o', 'json'], env);
        const f = measureFloor();
        floor.push({ ...f, toolOverFloor: a.wall / f.wall });
        const b1 = measure('kubectl', ['get', 'nodes', '-o', 'json'], env);
        const b2 = measure('kubectl', ['get', 'pods', '-A', '-o', 'wide'], env);
        const b = { wall: b1.wall + b2.wall, rssMB: b1.rssMB === null ? null : Math.max(b1.rssMB, b2.rssMB) };
        tool.push(a);
        kube.push(b);
        ratios.push(a.wall / b.wall);
      }
      const whyNot = [];
      const history = [];
      for (let r = 0; r < RUNS; r++) {
        whyNot.push(measure('kubectl', ['ds-inspect', 'why-not', nodeName(Math.floor(nodes / 2)), '-A', '-o', 'json'], env).wall);
        history.push(measure('kubectl', ['ds-inspect', 'rollout', 'history', 'calico-node', '-n', 'kube-system', '-o', 'json'], env).wall);
      }
      const row = {
        nodes,
        pods,
        listMB: bytes,
        ratio: stats(ratios),
        toolWall: stats(tool.map((x) => x.wall)),
        kubectlWall: stats(kube.map((x) => x.wall)),
        toolPeakRssMB: stats(tool.map((x) => x.rssMB)),
        kubectlPeakRssMB: stats(kube.map((x) => x.rssMB)),
        whyNotWall: stats(whyNot),
        historyWall: stats(history),
        floorWall: stats(floor.map((x) => x.wall)),
        toolOverFloor: stats(floor.map((x) => x.toolOverFloor)),
        floorRequests: floor[0].requests,
        floorBytes: floor[0].bytes,
      };
      byScale[nodes] = row;
      scaling.push({ nodes, pods, toolWallMedianS: row.toolWall.median, kubectlWallMedianS: row.kubectlWall.median, ratioMedian: row.ratio.median, toolPeakRssMB: row.toolPeakRssMB.max, floorWallMedianS: row.floorWall.median, toolOverFloorMedian: row.toolOverFloor.median });
      log(`  ${nodes} nodes, ${pods} pods (${bytes} MB of lists): tool ${row.toolWall.median}s, ${row.toolPeakRssMB.max} MB vs kubectl ${row.kubectlWall.median}s (ratio ${row.ratio.median}); floor ${row.floorWall.median}s (${row.floorRequests} GETs, ${row.floorBytes} bytes; tool/floor ${row.toolOverFloor.median})`);
      // A long --scale=5000 run keeps what it has measured so far if it is stopped later.
      onScale(summary(byScale, scaling));
    }
  } finally {
    api.close();
  }
  return summary(byScale, scaling);
}

/** The live figures: the 1,000-node scale (the targets' scale) in front, every scale in byScale. */
function summary(byScale, scaling) {
  const main = byScale[1000] ?? Object.values(byScale).at(-1);
  return {
    fleet: 'realistic (bench/realistic.mjs): 40 images per node, managed-pool labels, pods with env, volumes, probes and managedFields; pods created directly with the controller manager stopped (bench/live.mjs)',
    nodes: main.nodes,
    pods: main.pods,
    listMB: main.listMB,
    runs: RUNS,
    ratioMedian: main.ratio.median,
    ratio: main.ratio,
    toolWallMedianS: main.toolWall.median,
    toolWall: main.toolWall,
    kubectlWallMedianS: main.kubectlWall.median,
    kubectlWall: main.kubectlWall,
    toolPeakRssMB: main.toolPeakRssMB.max,
    toolPeakRss: main.toolPeakRssMB,
    kubectlPeakRssMB: main.kubectlPeakRssMB.max,
    whyNotWall: main.whyNotWall,
    historyWall: main.historyWall,
    floorWall: main.floorWall,
    toolOverFloor: main.toolOverFloor,
    floorRequests: main.floorRequests,
    floorBytes: main.floorBytes,
    scaling,
    byScale,
  };
}


/** MB of the node and pod lists as JSON (what both tools read; kubectl reads every pod, we the DaemonSets'). */
function listBytes(kubeconfig) {
  const size = (args) => execFileSync('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', ...args], { maxBuffer: 4 << 30 }).length;
  return round((size(['/api/v1/nodes']) + size(['/api/v1/pods'])) / 1e6);
}

// ---------- snapshot and render

function generateSnapshot(nodes, daemonSets) {
  const file = join(TMP, `snapshot-${nodes}x${daemonSets}.json`);
  if (existsSync(file)) return file;
  log(`snapshot: generating ${nodes} nodes x ${daemonSets} DaemonSets`);
  const items = [];
  const t0 = '2026-11-01T00:00:00Z';
  for (let i = 0; i < nodes; i++) {
    const n = fleetNode(i);
    n.metadata.uid = `node-${i}`;
    n.status = { allocatable: { cpu: '32', memory: '128Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] };
    items.push(n);
  }
  for (let d = 0; d < daemonSets; d++) {
    const name = `agent-${d}`;
    const uid = `ds-${d}`;
    const tpl = { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: `${name}:1`, resources: { requests: { cpu: '10m' } } }], tolerations: d % 2 ? [{ operator: 'Exists' }] : [] } };
    items.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'fleet', uid, generation: 1, annotations: { 'deprecated.daemonset.template.generation': '1' } },
      spec: { selector: { matchLabels: { app: name } }, template: tpl, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } },
      status: { observedGeneration: 1 },
    });
    items.push({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: `${name}-abc`, namespace: 'fleet', labels: { app: name, 'controller-revision-hash': 'abc' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid, controller: true }] },
      revision: 1,
      data: { spec: { template: { ...tpl, $patch: 'replace' } } },
    });
    for (let i = 0; i < nodes; i++) {
      const node = `fleet-${String(i).padStart(4, '0')}`;
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${name}-${i}`,
          namespace: 'fleet',
          uid: `pod-${d}-${i}`,
          creationTimestamp: t0,
          labels: { app: name, 'controller-revision-hash': 'abc', 'pod-template-generation': '1' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid, controller: true }],
        },
        spec: {
          nodeName: node,
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
          containers: tpl.spec.containers,
        },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
      });
    }
  }
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  return file;
}

function benchSnapshot(file, pods) {
  const walls = [];
  const rss = [];
  for (let r = 0; r < RUNS; r++) {
    const m = measure(process.execPath, [join(ROOT, 'bin/kubectl-ds_inspect'), 'coverage', '-A', '--snapshot', file, '-o', 'json']);
    walls.push(m.wall);
    rss.push(m.rssMB);
  }
  return { nodes: SNAP.nodes, daemonSets: SNAP.daemonSets, pods, wallMedianS: stats(walls).median, wall: stats(walls), peakRssMB: stats(rss).max, peakRss: stats(rss) };
}

async function benchRender(file) {
  const { loadSnapshot } = await import(join(ROOT, 'dist/io/snapshot.js'));
  const { computeCoverage } = await import(join(ROOT, 'dist/model/coverage.js'));
  const { renderCoverageTable } = await import(join(ROOT, 'dist/render/coverage.js'));
  const { Chalk } = await import('chalk');
  const report = computeCoverage(await loadSnapshot([file]), { nowMs: Date.parse('2026-11-23T00:00:00Z') });
  const c = new Chalk({ level: 0 });
  const walls = [];
  let bytes = 0;
  for (let r = 0; r < Math.max(RUNS, 3); r++) {
    const t0 = process.hrtime.bigint();
    const out = renderCoverageTable(report, c, { wide: false, problemsOnly: false });
    walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
    bytes = out.length;
  }
  return { rows: report.nodes.length, columns: report.daemonSets.length, bytes, wallMedianS: stats(walls).median, wall: stats(walls) };
}

/** Peak RSS (MB) of one run, or null without GNU time. */
const rssOf = (cmd, args, env) => measure(cmd, args, env).rssMB;

/**
 * Start-up of the single executable (dist/bin, npm run build:binary) through kubectl's plugin dispatch,
 * next to `kubectl version --client`, alternating runs; bare `node -e 0` is the floor, and the npm
 * package's bin (node + bundle) is shown too. Without --quick, also the three SEA variants (no code
 * cache, code cache, startup snapshot) run directly, to show what the code cache buys.
 */
function benchStartup() {
  const n = QUICK ? 5 : 21;
  const exeDir = join(ROOT, 'dist/bin');
  const exe = join(exeDir, 'kubectl-ds_inspect');
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-binary.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const seaEnv = { PATH: `${exeDir}:${process.env.PATH}` };
  const npmEnv = { PATH: PATH_WITH_PLUGIN };
  const cmds = {
    kubectl: ['kubectl', ['version', '--client'], seaEnv],
    version: ['kubectl', ['ds-inspect', '--version'], seaEnv],
    help: ['kubectl', ['ds-inspect', '--help'], seaEnv],
    coverage: ['kubectl', ['ds-inspect', 'coverage', '--snapshot', join(ROOT, 'examples/demo-cluster.yaml')], seaEnv],
    complete: ['kubectl', ['__complete', 'ds-inspect', 'coverage', '-o', ''], seaEnv],
    direct: [exe, ['--version'], seaEnv],
    bareNode: [process.execPath, ['-e', '0'], seaEnv],
    npmVersion: ['kubectl', ['ds-inspect', '--version'], npmEnv],
  };
  // Node reads and parses NODE_EXTRA_CA_CERTS before any script runs; where it is set (this sandbox sets
  // it for its proxy), every round also runs without it, as most users run.
  const envs = { asIs: {}, ...(process.env.NODE_EXTRA_CA_CERTS ? { withoutExtraCaCerts: { NODE_EXTRA_CA_CERTS: '' } } : {}) };
  const walls = Object.fromEntries(Object.keys(envs).map((e) => [e, Object.fromEntries(Object.keys(cmds).map((k) => [k, []]))]));
  for (let r = 0; r < n; r++) {
    for (const [k, [c, a, e]] of Object.entries(cmds)) for (const [name, extra] of Object.entries(envs)) walls[name][k].push(measure(c, a, { ...e, ...extra }).wall);
  }
  const summary = (w) => {
    const st = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, stats(v)]));
    return { runs: n, ...st, ratio: round(st.version.median / st.kubectl.median), ratioHelp: round(st.help.median / st.kubectl.median), ratioToNodeFloor: round(st.direct.median / st.bareNode.median) };
  };
  const out = {
    executable: { path: 'dist/bin/kubectl-ds_inspect', sizeMB: round(statSync(exe).size / 2 ** 20), nodeBinaryMB: round(statSync(process.execPath).size / 2 ** 20) },
    peakRssMB: {
      versionDirect: rssOf(exe, ['--version'], seaEnv),
      helpDirect: rssOf(exe, ['--help'], seaEnv),
      coverageDemoDirect: rssOf(exe, ['coverage', '--snapshot', join(ROOT, 'examples/demo-cluster.yaml')], seaEnv),
      bareNode: rssOf(process.execPath, ['-e', '0'], seaEnv),
      kubectlVersionClient: rssOf('kubectl', ['version', '--client'], seaEnv),
    },
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset',
    ...Object.fromEntries(Object.entries(walls).map(([name, w]) => [name, summary(w)])),
  };
  if (!QUICK) {
    const variants = {};
    for (const v of ['plain', 'codecache', 'snapshot']) {
      const dir = join(TMP, `sea-${v}`);
      const flag = v === 'plain' ? ['--plain'] : v === 'snapshot' ? ['--snapshot'] : [];
      execFileSync(process.execPath, [join(ROOT, 'scripts/build-binary.mjs'), `--out=${dir}`, ...flag], { stdio: ['ignore', 'ignore', 'ignore'] });
      variants[v] = { exe: join(dir, 'kubectl-ds_inspect'), version: [], help: [] };
    }
    const env = { NODE_EXTRA_CA_CERTS: '' };
    for (let r = 0; r < n; r++) {
      for (const v of Object.values(variants)) {
        v.version.push(measure(v.exe, ['--version'], env).wall);
        v.help.push(measure(v.exe, ['--help'], env).wall);
      }
    }
    out.seaVariants = Object.fromEntries(Object.entries(variants).map(([k, v]) => [k, { sizeMB: round(statSync(v.exe).size / 2 ** 20), version: stats(v.version), help: stats(v.help) }]));
  }
  return out;
}

function machine() {
  let kubectlVersion;
  try {
    kubectlVersion = JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' })).clientVersion.gitVersion;
  } catch {
    kubectlVersion = 'unknown';
  }
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()}`, node: process.version, kubectl: kubectlVersion, date: new Date().toISOString(), quick: QUICK, runs: RUNS, rssFrom: TIME ? 'GNU time %M' : 'not measured' };
}

function startupRows(S) {
  const rows = [];
  const ms = (x) => `${Math.round(x.median * 1000)} ms`;
  for (const [label, r] of [['', S.asIs], [', NODE_EXTRA_CA_CERTS unset', S.withoutExtraCaCerts]]) {
    if (!r) continue;
    rows.push(
      [`start-up: kubectl ds-inspect --version, executable${label} (median of ${r.runs})`, ms(r.version), ms(r.kubectl), '<= 1.5x kubectl version --client', `${r.ratio <= 1.5 ? 'yes' : 'NO'} (${r.ratio}x)`],
      [`  --help / coverage --snapshot demo / __complete${label}`, `${ms(r.help)} / ${ms(r.coverage)} / ${ms(r.complete)}`, '', '', `(--help ${r.ratioHelp}x)`],
      [`  executable alone vs node -e 0 (floor)${label}`, ms(r.direct), `node ${ms(r.bareNode)}`, '', `${r.ratioToNodeFloor}x the floor`],
      [`  npm package (node + bundle) --version via kubectl${label}`, ms(r.npmVersion), '', '', ''],
    );
  }
  rows.push([`  executable size / peak RSS --version, --help`, `${S.executable.sizeMB} MB / ${S.peakRssMB.versionDirect} MB, ${S.peakRssMB.helpDirect} MB`, `kubectl ${S.peakRssMB.kubectlVersionClient} MB`, '', `node -e 0: ${S.peakRssMB.bareNode} MB`]);
  for (const [k, v] of Object.entries(S.seaVariants ?? {})) rows.push([`  SEA variant ${k}: --version / --help (direct, ${v.sizeMB} MB)`, `${ms(v.version)} / ${ms(v.help)}`, '', '', '']);
  return rows;
}

/** The watch part's rows: polling versus watching for rollout status, and coverage --watch memory. */
function watchRows(W) {
  if (!W) return [];
  const { poll, watch } = W.rolloutStatus;
  const C = W.coverageWatch;
  return [
    [`rollout status ${W.windowS} s, ${W.nodes} nodes: requests / MB received (watch vs --poll)`, `${watch.requests} / ${watch.megabytesReceived} MB`, `--poll ${poll.requests} / ${poll.megabytesReceived} MB`, '', `${W.rolloutStatus.bytesRatio}x the bytes`],
    [`coverage --watch RSS, ${C.nodeEvents} node events + ${C.podsRolled} pods rolled`, `${C.rssStartMB} → ${C.rssMiddleMB} → ${C.rssEndMB} MB`, '', 'flat', C.flat ? 'yes' : 'NO'],
  ];
}

async function main() {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const out = join(ROOT, 'bench', QUICK ? 'results-quick.json' : 'results.json');
  const results = ONLY && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};
  results.machine = { ...machine(), ...(ONLY ? { partialRerun: [...ONLY] } : {}) };
  if (want('startup')) {
    log('start-up');
    results.startup = benchStartup();
  }
  const snapFile = want('snapshot') || want('render') ? generateSnapshot(SNAP.nodes, SNAP.daemonSets) : undefined;
  if (want('snapshot')) {
    log('snapshot');
    results.snapshot = benchSnapshot(snapFile, SNAP.nodes * SNAP.daemonSets);
    results.snapshotRealistic = benchRealisticSnapshots({ tmp: TMP, quick: QUICK, runs: RUNS, log, stats, run: (file) => measure(process.execPath, [join(ROOT, 'bin/kubectl-ds_inspect'), 'coverage', '-A', '--snapshot', file, '-o', 'json']) });
  }
  if (want('render')) {
    log('render');
    results.render = await benchRender(snapFile);
  }
  if (want('live')) {
    log('live (starts the local control plane; the first run builds it)');
    results.live = await benchLive((partial) => {
      results.live = partial;
      writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    });
  }
  if (want('watch')) {
    log('watch (a local control plane of its own: the DaemonSet controller must run; bench/watch.mjs)');
    results.watch = await benchWatch({ root: ROOT, quick: QUICK, log, fleetNode: realisticNode });
  }
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const L = results.live;
  const rows = [
    ['figure', 'ds-inspect', 'today (kubectl)', 'target', 'met'],
    [`live coverage -A, ${L.nodes} realistic nodes / ${L.pods} pods (wall, median of ${RUNS})`, `${L.toolWallMedianS}s`, `${L.kubectlWallMedianS}s`, 'ratio <= 0.5', `${L.ratioMedian <= 0.5 ? 'yes' : 'NO'} (ratio ${L.ratioMedian})`],
    [`  raw-fetch floor: the same ${L.floorRequests} GETs, bodies discarded`, `${L.floorWall.median}s`, '', 'tool <= 1.5x', `${L.toolOverFloor.median <= 1.5 ? 'yes' : 'NO'} (${L.toolOverFloor.median}x)`],
    ['live peak RSS', `${L.toolPeakRssMB} MB`, `${L.kubectlPeakRssMB} MB`, '<= 120 MB', L.toolPeakRssMB === null ? 'n/a' : L.toolPeakRssMB <= 120 ? 'yes' : 'NO'],
    ...L.scaling.map((s) => [`  scaling: ${s.nodes} nodes / ${s.pods} pods`, `${s.toolWallMedianS}s, ${s.toolPeakRssMB} MB`, `${s.kubectlWallMedianS}s`, s.nodes >= 5000 ? '<= 250 MB, linear' : 'linear', s.nodes >= 5000 ? (s.toolPeakRssMB <= 250 ? 'yes' : 'NO') : '']),
    [`why-not NODE -A (${L.nodes} nodes)`, `${L.whyNotWall.median}s`, '', '', ''],
    ['rollout history (one DaemonSet)', `${L.historyWall.median}s`, '', '', ''],
    [`snapshot ${results.snapshot.pods} minimal pods, JSON (wall / peak RSS, median of ${results.snapshot.wall.n})`, `${results.snapshot.wallMedianS}s / ${results.snapshot.peakRss.median} MB`, `min ${results.snapshot.wall.min}s, max ${results.snapshot.wall.max}s / ${results.snapshot.peakRss.min}-${results.snapshot.peakRss.max} MB`, '<= 4 s, <= 600 MB', results.snapshot.wallMedianS <= 4 && (results.snapshot.peakRss.max ?? 0) <= 600 ? 'yes' : 'NO'],
    ...realisticSnapshotRows(results.snapshotRealistic),
    ...startupRows(results.startup),
    [`render ${results.render.rows}-row matrix`, `${results.render.wallMedianS}s`, '', '<= 1 s', results.render.wallMedianS <= 1 ? 'yes' : 'NO'],
    ...watchRows(results.watch),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => String(c).padEnd(widths[i])).join('   ').trimEnd()}\n`);
  process.stdout.write(`\nmachine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGB} GB, node ${results.machine.node}, kubectl ${results.machine.kubectl}\nwritten: ${out}\n`);
  if ((want('live') || want('watch')) && !process.env.DS_INSPECT_KEEP_CLUSTER) execFileSync('bash', [join(ROOT, 'test/cluster/down.sh')], { stdio: 'inherit' });
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
