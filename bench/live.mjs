// The live benchmark's fleet on the local control plane (issue 14): realistic nodes (bench/realistic.mjs)
// and 20 DaemonSets whose pods are created directly, bound to their nodes, with owner references and
// revision-hash labels, the way the DaemonSet controller creates them. The controller manager is stopped
// first: running the DaemonSet controller and the scheduler over 100,000 pods does not fit 2 cores, and
// pods written by hand would otherwise be fought over (the controller computes its own revision hash).
// kwok still plays kubelet: it reports every node Ready and every pod Running and Ready.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { connection } from './floor.mjs';
import { fleetDaemonSets, fleetNode, fleetPod, fleetRevision, podNodes } from './realistic.mjs';

/** A minimal client for the local cluster's kubeconfig (client certificate, CA): POST and GET JSON. */
export function localApi(kubeconfig) {
  const conn = connection(kubeconfig);
  const base = new URL(conn.server);
  const pem = (file, text) => (file ? readFileSync(file) : text);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca: pem(conn.ca, conn.caPEM), cert: pem(conn.cert, conn.certPEM), key: pem(conn.key, conn.keyPEM) });
  const call = (method, path, body) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(new URL(path, base), { method, agent, headers: { Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 300 && !(method === 'POST' && res.statusCode === 409)) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(text ? JSON.parse(text) : {});
        });
        res.on('error', reject);
      });
      req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(data);
    });
  // A keep-alive connection the server has just closed fails with ECONNRESET / socket hang up, or EPIPE
  // while the body is being written: each seen once creating 5,000 nodes. Asked again (a create that did
  // land answers 409, which counts as done).
  const retried = async (method, path, body) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(method, path, body);
      } catch (e) {
        if (attempt >= 4 || !(e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.message === 'socket hang up' || e.message.endsWith(': timed out'))) throw e;
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
  };
  return { post: (path, body) => retried('POST', path, body), get: (path) => retried('GET', path), close: () => agent.destroy() };
}

async function pool(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** A local control plane of its own (test/cluster): one already recorded as running is stopped first. Its kubeconfig. */
export function freshCluster(root) {
  execFileSync('bash', [join(root, 'test/cluster/down.sh')], { stdio: 'inherit' });
  const line = execFileSync('bash', [join(root, 'test/cluster/up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  return line.replace(/^KUBECONFIG=/, '');
}

/** Stop the controller manager up.sh started (its PID is in the cluster's data dir). */
export function stopControllerManager(kubeconfig) {
  const dir = kubeconfig.replace(/\/kubeconfig$/, '');
  const line = readFileSync(`${dir}/pids`, 'utf8').split('\n').find((l) => l.endsWith(' kube-controller-manager'));
  if (!line) throw new Error('no kube-controller-manager recorded in the cluster data dir');
  try {
    process.kill(Number(line.split(' ')[0]), 'SIGTERM');
  } catch (e) {
    if (e.code !== 'ESRCH') throw e;
  }
}

const HASH = 'bench1';

/**
 * The DaemonSets and their ControllerRevisions (once), then nodes [from, to) and their pods. Returns the
 * number of pods created so far for the DaemonSets' nodes below `to`.
 */
export async function growFleet(api, state, from, to, log) {
  if (!state.daemonSets) {
    const dss = fleetDaemonSets();
    for (const ns of new Set(dss.map((d) => d.daemonSet.metadata.namespace))) {
      await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      // The controller manager that would create it is stopped; admission needs the pods' service account.
      await api.post(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
    }
    state.daemonSets = [];
    for (const { daemonSet, where } of dss) {
      const { namespace, name } = daemonSet.metadata;
      let created = await api.post(`/apis/apps/v1/namespaces/${namespace}/daemonsets`, daemonSet);
      if (!created.metadata) created = await api.get(`/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`);
      await api.post(`/apis/apps/v1/namespaces/${namespace}/controllerrevisions`, fleetRevision(daemonSet, created.metadata.uid, HASH));
      state.daemonSets.push({ daemonSet, where, uid: created.metadata.uid });
    }
    state.pods = 0;
  }
  const nodes = [];
  for (let i = from; i < to; i++) nodes.push(i);
  log(`  creating nodes ${from}..${to - 1}`);
  await pool(nodes, 16, (i) => api.post('/api/v1/nodes', fleetNode(i)));
  const pods = [];
  for (const d of state.daemonSets) for (const i of podNodes(d.where, to)) if (i >= from) pods.push([d, i]);
  log(`  creating ${pods.length} pods`);
  const t0 = Date.now();
  await pool(pods, 32, ([d, i]) => api.post(`/api/v1/namespaces/${d.daemonSet.metadata.namespace}/pods`, fleetPod(d.daemonSet, d.uid, HASH, i)));
  log(`  created in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  state.pods += pods.length;
  return state.pods;
}

/** Until kwok has every pod Running (a field-selected list comes back empty) and every node Ready. */
export async function waitRunning(api, log) {
  const deadline = Date.now() + 60 * 60_000;
  for (;;) {
    // A whole first page, not limit=1: once a limit=1 list kept naming a pod that every other read showed Running.
    const notRunning = await api.get('/api/v1/pods?fieldSelector=status.phase%21%3DRunning&limit=500');
    if (notRunning.items.length === 0) return;
    if (Date.now() > deadline) throw new Error('pods not Running after an hour');
    log(`  waiting for kwok: ${notRunning.items.length}${notRunning.metadata.continue ? '+' : ''} pods not Running yet`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}
