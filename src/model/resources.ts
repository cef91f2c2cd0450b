// Scheduler-side checks for an eligible pod that cannot be placed: NodeResourcesFit (requests against
// allocatable minus what bound pods request, plus the pod-count limit) and NodePorts (host ports in use).

import type { Container, Pod, PodSpec, ResourceList } from './types.ts';

const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** resource.Quantity as a number of base units (cores for cpu, bytes for memory). */
export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (Number.isNaN(base)) return undefined;
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}

export function formatQuantity(resource: string, v: number): string {
  if (resource === 'cpu') {
    const milli = Math.round(v * 1000);
    return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
  }
  if (resource === 'memory' || resource === 'ephemeral-storage') {
    for (const [s, f] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
      if (Math.abs(v) >= f) return `${+(v / f).toFixed(2)}${s}`;
    }
    return `${v}`;
  }
  return `${+v.toFixed(3)}`;
}

function addInto(acc: Map<string, number>, list: ResourceList | undefined): void {
  for (const [k, q] of Object.entries(list ?? {})) {
    const v = parseQuantity(q);
    if (v !== undefined) acc.set(k, (acc.get(k) ?? 0) + v);
  }
}

/**
 * A container's requests as the API server stores them (SetDefaults_Pod): a resource with a limit and no
 * request gets request = limit. Only Pods are defaulted, never templates, so a DaemonSet template read
 * as such needs this to count what its pods will request.
 */
function containerRequests(c: Container): Map<string, number> {
  const m = new Map<string, number>();
  addInto(m, { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
  return m;
}

function addMap(acc: Map<string, number>, m: ReadonlyMap<string, number>): void {
  for (const [k, v] of m) acc.set(k, (acc.get(k) ?? 0) + v);
}

/** IsSupportedPodLevelResource: what pod-level spec.resources may set (KEP-2837). */
function podLevelResource(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

/**
 * The pod's effective request (resourcehelper.PodRequests): the larger of the containers' sum (plus
 * restartable sidecar init containers) and each init container's own request plus the sidecars
 * started before it; pod-level requests (spec.resources) replace that for cpu, memory and hugepages;
 * then pod overhead. Container and pod-level limits stand in for absent requests, as the API server
 * defaults them. Resources reported in status by an in-place resize are not read.
 */
export function podRequests(spec: PodSpec | undefined): Map<string, number> {
  const total = new Map<string, number>();
  for (const c of spec?.containers ?? []) addMap(total, containerRequests(c));
  const sidecars = new Map<string, number>();
  const initMax = new Map<string, number>();
  for (const c of spec?.initContainers ?? []) {
    const req = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      for (const [k, v] of req) {
        sidecars.set(k, (sidecars.get(k) ?? 0) + v);
        total.set(k, (total.get(k) ?? 0) + v);
      }
      continue;
    }
    for (const [k, v] of req) {
      const withSidecars = v + (sidecars.get(k) ?? 0);
      initMax.set(k, Math.max(initMax.get(k) ?? 0, withSidecars));
    }
  }
  for (const [k, v] of initMax) total.set(k, Math.max(total.get(k) ?? 0, v));
  applyPodLevel(total, spec?.resources);
  addInto(total, spec?.overhead);
  return total;
}

/**
 * Pod-level requests win for the resources they may set. A pod-level limit without a request defaults the
 * request (defaultPodRequests): to the containers' aggregate for cpu and memory when containers request
 * them, else to the limit; hugepages (not overcommittable) always to the limit.
 */
function applyPodLevel(total: Map<string, number>, res: PodSpec['resources']): void {
  const requests = new Map<string, number>();
  addInto(requests, res?.requests);
  const limits = new Map<string, number>();
  addInto(limits, res?.limits);
  for (const [k, v] of limits) {
    if (!podLevelResource(k) || requests.has(k)) continue;
    if (k.startsWith('hugepages-') || !total.has(k)) requests.set(k, v);
  }
  for (const [k, v] of requests) if (podLevelResource(k)) total.set(k, v);
}

export interface ResourceShortfall {
  resource: string;
  requested: number;
  allocatable: number;
  used: number;
  /** Scheduler wording: "Insufficient cpu", "Too many pods". */
  schedulerReason: string;
}

/** Pods that occupy a node for the scheduler: bound to it and not terminal. */
export function podsOccupyingNode(nodeName: string, pods: readonly Pod[], exclude?: Pod): Pod[] {
  const same = (p: Pod): boolean =>
    !!exclude &&
    (p === exclude || (p.metadata.name === exclude.metadata.name && p.metadata.namespace === exclude.metadata.namespace));
  return pods.filter(
    (p) => !same(p) && p.spec?.nodeName === nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
}

/** NodeResourcesFit's Filter for one pod against one node. */
export function resourceShortfalls(
  podSpec: PodSpec | undefined,
  allocatableList: ResourceList | undefined,
  otherPods: readonly Pod[],
): ResourceShortfall[] {
  const out: ResourceShortfall[] = [];
  const allocatable = new Map<string, number>();
  addInto(allocatable, allocatableList);
  const podsAllowed = allocatable.get('pods');
  if (podsAllowed !== undefined && otherPods.length + 1 > podsAllowed) {
    out.push({ resource: 'pods', requested: 1, allocatable: podsAllowed, used: otherPods.length, schedulerReason: 'Too many pods' });
  }
  const want = podRequests(podSpec);
  const used = new Map<string, number>();
  for (const p of otherPods) for (const [k, v] of podRequests(p.spec)) used.set(k, (used.get(k) ?? 0) + v);
  for (const [res, req] of want) {
    if (req <= 0 || res === 'pods') continue;
    const alloc = allocatable.get(res) ?? 0;
    const u = used.get(res) ?? 0;
    // A tiny epsilon keeps float noise (0.1 + 0.2) from inventing a shortfall.
    if (req > alloc - u + 1e-9) {
      out.push({ resource: res, requested: req, allocatable: alloc, used: u, schedulerReason: `Insufficient ${res}` });
    }
  }
  return out;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

/**
 * util.GetHostPorts (scheduler): host ports of the containers and of the restartable (sidecar, restartPolicy
 * Always) init containers, which run for the pod's whole life. Regular init containers' ports are not counted.
 * With hostNetwork a port without hostPort takes its containerPort (SetDefaults_Pod defaultHostNetworkPorts;
 * pods are defaulted, templates are not).
 */
export function hostPortsOf(spec: PodSpec | undefined): HostPort[] {
  const out: HostPort[] = [];
  const sidecars = (spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...sidecars, ...(spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      const hostPort = p.hostPort || (spec?.hostNetwork === true ? p.containerPort : 0);
      if (!hostPort || hostPort <= 0) continue;
      out.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: hostPort });
    }
  }
  return out;
}

/**
 * HostPortInfo.CheckConflict: an empty hostIP is sanitized to 0.0.0.0, and 0.0.0.0 is the only bind-all
 * key. "::" is compared as an ordinary IP string there, so it does not clash with 10.0.0.1.
 */
function ipsOverlap(a: string, b: string): boolean {
  return a === b || a === '0.0.0.0' || b === '0.0.0.0';
}

export interface HostPortConflict {
  port: HostPort;
  pod: Pod;
}

/** NodePorts: a wanted host port (protocol + overlapping IP) already used by a pod on the node. */
export function hostPortConflicts(podSpec: PodSpec | undefined, otherPods: readonly Pod[]): HostPortConflict[] {
  const wanted = hostPortsOf(podSpec);
  const out: HostPortConflict[] = [];
  for (const w of wanted) {
    for (const p of otherPods) {
      const hit = hostPortsOf(p.spec).find((u) => u.port === w.port && u.protocol === w.protocol && ipsOverlap(u.hostIP, w.hostIP));
      if (hit) {
        out.push({ port: w, pod: p });
        break;
      }
    }
  }
  return out;
}
