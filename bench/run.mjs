#!/usr/bin/env node
// `npm run bench [-- --quick]`: ds-inspect side by side with what operators run today, on this machine.
// Not a test: it prints a table and writes bench/results.json (median, min, max of each figure).
//   live      local control plane (test/cluster), N kwok nodes with mixed labels and taints, 10
//             DaemonSets placed by the real controller; `kubectl ds-inspect coverage -A -o json`
//             versus `kubectl get nodes -o json` + `kubectl get pods -A -o wide`, alternating A B A B.
//   snapshot  generated 5,000 nodes x 20 DaemonSets (100,000 minimal pods) as JSON: coverage --snapshot;
//             and realistic dumps (bench/snapshot.mjs): 2,000 nodes x 10 DaemonSets (about 170 MB) as -o yaml and -o json.
//   startup   the single executable's --version / --help / coverage of the demo through kubectl
//             versus kubectl version --client; node -e 0 as the floor; size and peak RSS.
//   render    printing the 5,000-row matrix as a table (in-process, rendering only).
// Wall time from a monotonic clock; peak RSS from GNU time (%M) when /usr/bin/time exists.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchRealisticSnapshots, realisticSnapshotRows } from './snapshot.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const QUICK = process.argv.includes('--quick');
// --only snapshot,render,startup,live: re-measure those parts and keep the others from results.json.
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const ONLY = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const want = (part) => !ONLY || ONLY.has(part);
const RUNS = QUICK ? 1 : 5;
const SCALES = QUICK ? [100] : [250, 500, 1000];
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

function kubectl(kubeconfig, args, input) {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', input, maxBuffer: 512 << 20, stdio: ['pipe', 'pipe', 'inherit'] });
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

function fleetDaemonSets() {
  const fleet = { key: 'ds-inspect.bench/fleet', operator: 'In', values: ['true'] };
  const aff = (...extra) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [fleet, ...extra] }] } } });
  const ds = (name, ns, spec) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: `${name}:1` }], ...spec } } },
  });
  return [
    ds('cni', 'bench-system', { affinity: aff(), hostNetwork: true, tolerations: [{ operator: 'Exists' }] }),
    ds('proxy', 'bench-system', { affinity: aff(), hostNetwork: true, tolerations: [{ operator: 'Exists' }] }),
    ds('csi-node', 'bench-system', { affinity: aff(), tolerations: [{ key: 'dedicated', operator: 'Exists' }] }),
    ds('node-exporter', 'bench-monitoring', { affinity: aff() }),
    ds('dcgm-exporter', 'bench-monitoring', { affinity: aff({ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }), tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }),
    ds('fluent-bit', 'bench-logging', { affinity: aff(), tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }] }),
    ds('filebeat', 'bench-logging', { affinity: aff({ key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['zone-c'] }) }),
    ds('storage-agent', 'bench-storage', { affinity: aff({ key: 'node-role.kubernetes.io/storage', operator: 'Exists' }) }),
    ds('security-agent', 'bench-security', { affinity: aff(), tolerations: [{ operator: 'Exists' }] }),
    ds('zone-ab-agent', 'bench-security', { affinity: aff({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a', 'zone-b'] }) }),
  ];
}

async function waitSettled(kubeconfig, nodes) {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const ds = JSON.parse(kubectl(kubeconfig, ['get', 'daemonsets', '-A', '-l', 'ds-inspect.bench=true', '-o', 'json'])).items;
    const ready = ds.every((d) => d.status && d.status.observedGeneration === d.metadata.generation && d.status.desiredNumberScheduled > 0 && d.status.numberReady === d.status.desiredNumberScheduled && d.status.currentNumberScheduled === d.status.desiredNumberScheduled);
    const pods = ds.reduce((n, d) => n + (d.status?.numberReady ?? 0), 0);
    if (ready) return pods;
    if (Date.now() > deadline) throw new Error(`DaemonSets not settled after 30 minutes (${pods} pods ready)`);
    log(`  waiting for the controller: ${pods} pods ready on ${nodes} nodes`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

async function benchLive() {
  const line = execFileSync('bash', [join(ROOT, 'test/cluster/up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  const kubeconfig = line.replace(/^KUBECONFIG=/, '');
  const dss = fleetDaemonSets().map((d) => ({ ...d, metadata: { ...d.metadata, labels: { 'ds-inspect.bench': 'true' } } }));
  const namespaces = [...new Set(dss.map((d) => d.metadata.namespace))];
  kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } })) }));
  kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: dss }));
  const env = { KUBECONFIG: kubeconfig, PATH: PATH_WITH_PLUGIN };
  const scaling = [];
  let last;
  let created = 0;
  for (const nodes of SCALES) {
    log(`live: ${nodes} nodes`);
    const batch = [];
    for (let i = created; i < nodes; i++) batch.push(fleetNode(i));
    for (let i = 0; i < batch.length; i += 250) kubectl(kubeconfig, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: batch.slice(i, i + 250) }));
    created = nodes;
    const pods = await waitSettled(kubeconfig, nodes);
    const tool = [];
    const kube = [];
    const ratios = [];
    for (let r = 0; r < RUNS; r++) {
      const a = measure('kubectl', ['ds-inspect', 'coverage', '-A', '-o', 'json'], env);
      const b1 = measure('kubectl', ['get', 'nodes', '-o', 'json'], env);
      const b2 = measure('kubectl', ['get', 'pods', '-A', '-o', 'wide'], env);
      const b = { wall: b1.wall + b2.wall, rssMB: b1.rssMB === null ? null : Math.max(b1.rssMB, b2.rssMB) };
      tool.push(a);
      kube.push(b);
      ratios.push(a.wall / b.wall);
    }
    const node = batch.length > 0 ? batch[Math.floor(batch.length / 2)].metadata.name : 'fleet-0000';
    const whyNot = [];
    const history = [];
    for (let r = 0; r < RUNS; r++) {
      whyNot.push(measure('kubectl', ['ds-inspect', 'why-not', node, '-A', '-o', 'json'], env).wall);
      history.push(measure('kubectl', ['ds-inspect', 'rollout', 'history', 'cni', '-n', 'bench-system', '-o', 'json'], env).wall);
    }
    last = {
      nodes,
      pods,
      ratio: stats(ratios),
      toolWall: stats(tool.map((x) => x.wall)),
      kubectlWall: stats(kube.map((x) => x.wall)),
      toolPeakRssMB: stats(tool.map((x) => x.rssMB)),
      kubectlPeakRssMB: stats(kube.map((x) => x.rssMB)),
      whyNotWall: stats(whyNot),
      historyWall: stats(history),
    };
    scaling.push({ nodes, pods, toolWallMedianS: last.toolWall.median, kubectlWallMedianS: last.kubectlWall.median, ratioMedian: last.ratio.median });
    log(`  ${nodes} nodes, ${pods} pods: tool ${last.toolWall.median}s vs kubectl ${last.kubectlWall.median}s (ratio ${last.ratio.median})`);
  }
  return {
    nodes: last.nodes,
    pods: last.pods,
    runs: RUNS,
    ratioMedian: last.ratio.median,
    ratio: last.ratio,
    toolWallMedianS: last.toolWall.median,
    toolWall: last.toolWall,
    kubectlWallMedianS: last.kubectlWall.median,
    kubectlWall: last.kubectlWall,
    toolPeakRssMB: last.toolPeakRssMB.max,
    toolPeakRss: last.toolPeakRssMB,
    kubectlPeakRssMB: last.kubectlPeakRssMB.max,
    whyNotWall: last.whyNotWall,
    historyWall: last.historyWall,
    scaling,
  };
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
    results.live = await benchLive();
  }
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  const L = results.live;
  const rows = [
    ['figure', 'ds-inspect', 'today (kubectl)', 'target', 'met'],
    [`live coverage -A, ${L.nodes} nodes / ${L.pods} pods (wall, median of ${RUNS})`, `${L.toolWallMedianS}s`, `${L.kubectlWallMedianS}s`, 'ratio <= 0.7', `${L.ratioMedian <= 0.7 ? 'yes' : 'NO'} (ratio ${L.ratioMedian})`],
    ['live peak RSS', `${L.toolPeakRssMB} MB`, `${L.kubectlPeakRssMB} MB`, '<= 150 MB', L.toolPeakRssMB === null ? 'n/a' : L.toolPeakRssMB <= 150 ? 'yes' : 'NO'],
    ...L.scaling.map((s) => [`  scaling: ${s.nodes} nodes / ${s.pods} pods`, `${s.toolWallMedianS}s`, `${s.kubectlWallMedianS}s`, 'linear', '']),
    [`why-not NODE -A (${L.nodes} nodes)`, `${L.whyNotWall.median}s`, '', '', ''],
    ['rollout history (one DaemonSet)', `${L.historyWall.median}s`, '', '', ''],
    [`snapshot ${results.snapshot.pods} minimal pods, JSON (wall / peak RSS, median of ${results.snapshot.wall.n})`, `${results.snapshot.wallMedianS}s / ${results.snapshot.peakRss.median} MB`, `min ${results.snapshot.wall.min}s, max ${results.snapshot.wall.max}s / ${results.snapshot.peakRss.min}-${results.snapshot.peakRss.max} MB`, '<= 4 s, <= 600 MB', results.snapshot.wallMedianS <= 4 && (results.snapshot.peakRss.max ?? 0) <= 600 ? 'yes' : 'NO'],
    ...realisticSnapshotRows(results.snapshotRealistic),
    ...startupRows(results.startup),
    [`render ${results.render.rows}-row matrix`, `${results.render.wallMedianS}s`, '', '<= 1 s', results.render.wallMedianS <= 1 ? 'yes' : 'NO'],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => String(c).padEnd(widths[i])).join('   ').trimEnd()}\n`);
  process.stdout.write(`\nmachine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGB} GB, node ${results.machine.node}, kubectl ${results.machine.kubectl}\nwritten: ${out}\n`);
  if (want('live') && !process.env.DS_INSPECT_KEEP_CLUSTER) execFileSync('bash', [join(ROOT, 'test/cluster/down.sh')], { stdio: 'inherit' });
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
