// End-to-end harness: a REAL control plane (kube-apiserver, kube-controller-manager, kube-scheduler
// built from upstream, etcd, kwok) started by test/cluster/up.sh, driven with kubectl, and the plugin
// run the way users run it: `kubectl ds-inspect ...` with bin/ on PATH.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface Cluster {
  kubeconfig: string;
  dataDir?: string;
  stop(): void;
}

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** Use DS_INSPECT_E2E_KUBECONFIG if set (a cluster already up), else start one with test/cluster/up.sh. */
export function startCluster(): Cluster {
  const existing = process.env.DS_INSPECT_E2E_KUBECONFIG;
  if (existing) return { kubeconfig: existing, stop: () => undefined };
  const up = spawnSync('bash', [resolve(ROOT, 'test/cluster/up.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60 * 60_000 });
  const last = up.stdout.trim().split('\n').pop() ?? '';
  if (up.status !== 0 || !last.startsWith('KUBECONFIG=')) {
    throw new Error(`test/cluster/up.sh failed (exit ${up.status}): ${up.stdout.slice(-2000)}`);
  }
  const kubeconfig = last.slice('KUBECONFIG='.length);
  const dataDir = resolve(kubeconfig, '..');
  return {
    kubeconfig,
    dataDir,
    stop: () => {
      spawnSync('bash', [resolve(ROOT, 'test/cluster/down.sh'), dataDir], { stdio: 'inherit' });
    },
  };
}

export function kubectl(cluster: Cluster, args: string[], input?: string): RunResult {
  const r = spawnSync('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}), timeout: 120_000 });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

export function mustKubectl(cluster: Cluster, args: string[], input?: string): string {
  const r = kubectl(cluster, args, input);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.err}`);
  return r.out;
}

/** The installed-plugin path: kubectl finds kubectl-ds_inspect on PATH. */
export function plugin(cluster: Cluster, args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync('kubectl', ['ds-inspect', ...args], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig, PATH: `${resolve(ROOT, 'bin')}:${process.env.PATH ?? ''}`, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status ?? 1, out: r.stdout, err: r.stderr };
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 120_000, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}

interface Obj {
  metadata: { name: string; namespace?: string; generation?: number; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function getJson<T = { items: Obj[] }>(cluster: Cluster, args: string[]): T {
  return JSON.parse(mustKubectl(cluster, ['get', ...args, '-o', 'json'])) as T;
}

/**
 * Wait until the real controller and scheduler have settled in `namespace`: every DaemonSet's status
 * observed its generation, nothing is terminating, and the DaemonSets and pods look the same twice in a
 * row a few seconds apart.
 */
export async function settle(cluster: Cluster, namespace: string, timeoutMs = 180_000): Promise<void> {
  let previous = '';
  await waitFor(
    `DaemonSets in ${namespace} to settle`,
    () => {
      const ds = getJson(cluster, ['daemonsets', '-n', namespace]).items;
      const pods = getJson(cluster, ['pods', '-n', namespace]).items;
      const observed = ds.every((d) => (d.status?.observedGeneration as number | undefined) === d.metadata.generation);
      const terminating = pods.some((p) => p.metadata.deletionTimestamp);
      const fingerprint = JSON.stringify([
        ds.map((d) => [d.metadata.name, d.status]),
        pods.map((p) => [p.metadata.name, p.spec?.nodeName, p.status?.phase, (p.status?.conditions as unknown[] | undefined)?.length]),
      ]);
      const stable = observed && !terminating && fingerprint === previous;
      previous = fingerprint;
      return stable;
    },
    timeoutMs,
    3000,
  );
}
