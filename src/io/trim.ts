// Objects trimmed to the fields the model reads (src/model/types.ts), as each item arrives, so a page
// of 500 pods (or a 100,000-pod snapshot) does not keep managedFields, env and volumes alive. Live
// objects and snapshot objects (io/snapshot.ts, after validation) go through the same functions.
//
// With an Interner, identical pieces of many pods are kept once: every pod of a DaemonSet carries the
// same labels, owner reference, tolerations and containers, and the pods of one node the same node
// affinity (the controller's matchFields), so 16,000 pods hold a few thousand of these, not 16,000 of
// each (issue 14: memory of a 1,000-node cluster). Safe because nothing mutates what the model reads.

import type { Container, Node, Pod } from '../model/types.ts';

export function trimMeta<T extends { metadata: Record<string, unknown> }>(o: T, keepAnnotations: boolean): void {
  const m = o.metadata;
  delete m.managedFields;
  delete m.selfLink;
  delete m.generateName;
  if (!keepAnnotations) delete m.annotations;
}

function trimContainer(c: Container & Record<string, unknown>): Container {
  const out: Container = { name: c.name };
  for (const k of CONTAINER_KEYS) if (Object.hasOwn(c, k)) (out as unknown as Record<string, unknown>)[k] = c[k];
  return out;
}

/** What the model reads of a container and of a pod's spec (pod-level resources: KEP-2837). */
const CONTAINER_KEYS = ['image', 'ports', 'resources', 'restartPolicy'] as const;
const POD_SPEC_KEYS = ['nodeName', 'nodeSelector', 'tolerations', 'hostNetwork', 'overhead', 'resources'] as const;

/** Equal values (by their JSON) replaced by the first one seen; bounded, so unique values cost only a lookup. */
export class Interner {
  private readonly seen = new Map<string, unknown>();
  private readonly max: number;
  constructor(max = 20_000) {
    this.max = max;
  }

  of<T>(v: T): T {
    if (v === undefined || v === null) return v;
    const key = JSON.stringify(v);
    const hit = this.seen.get(key);
    if (hit !== undefined) return hit as T;
    if (this.seen.size < this.max) this.seen.set(key, v);
    return v;
  }
}

export function trimPod(p: Pod, share?: Interner): Pod {
  trimMeta(p as Pod & { metadata: Record<string, unknown> }, false);
  const s = p.spec;
  if (s) {
    // Kept fields keep their values exactly (null, false, ''), as the model would have read them.
    const spec: NonNullable<Pod['spec']> = {};
    for (const k of POD_SPEC_KEYS) if (Object.hasOwn(s, k)) spec[k] = s[k] as never;
    if (s.affinity?.nodeAffinity) spec.affinity = { nodeAffinity: s.affinity.nodeAffinity };
    else if (Object.hasOwn(s, 'affinity') && !s.affinity) spec.affinity = s.affinity;
    for (const k of ['containers', 'initContainers'] as const) {
      const cs = s[k];
      if (Array.isArray(cs)) spec[k] = cs.map((c) => trimContainer(c as Container & Record<string, unknown>));
      else if (Object.hasOwn(s, k)) spec[k] = cs;
    }
    if (share) {
      if (spec.affinity) spec.affinity = share.of(spec.affinity);
      if (spec.tolerations) spec.tolerations = share.of(spec.tolerations);
      if (spec.containers) spec.containers = share.of(spec.containers);
      if (spec.initContainers) spec.initContainers = share.of(spec.initContainers);
      if (spec.nodeSelector) spec.nodeSelector = share.of(spec.nodeSelector);
    }
    p.spec = spec;
  }
  if (share) {
    const m = p.metadata;
    if (m.labels) m.labels = share.of(m.labels);
    if (m.ownerReferences) m.ownerReferences = share.of(m.ownerReferences);
  }
  const st = p.status as (Pod['status'] & Record<string, unknown>) | undefined;
  if (st) {
    delete st.podIPs;
    delete st.hostIPs;
    delete st.qosClass;
    for (const cs of [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])]) {
      const c = cs as unknown as Record<string, unknown>;
      delete c.imageID;
      delete c.containerID;
      delete c.volumeMounts;
      delete c.resources;
      delete c.allocatedResources;
      delete c.user;
    }
  }
  return p;
}

/**
 * What trimPod and trimNode drop, by the two levels of name the list splitter can see: left out of each
 * item's text before JSON.parse (ApiClient.list's `skip`), half a pod's bytes and most of a node's.
 */
export const POD_SKIP = ['metadata.managedFields', 'metadata.annotations', 'spec.volumes'] as const;
export const NODE_SKIP = ['metadata.managedFields', 'metadata.annotations', 'status.images', 'status.volumesAttached', 'status.volumesInUse', 'status.nodeInfo'] as const;

export function trimNode(n: Node): Node {
  trimMeta(n as Node & { metadata: Record<string, unknown> }, false);
  const st = n.status as (Node['status'] & Record<string, unknown>) | undefined;
  if (st) {
    delete st.images;
    delete st.volumesAttached;
    delete st.volumesInUse;
    delete st.nodeInfo;
    delete st.daemonEndpoints;
    delete st.config;
    delete st.runtimeHandlers;
    delete st.features;
  }
  return n;
}

export function trimObject<T extends { metadata: object }>(o: T): T {
  trimMeta(o as T & { metadata: Record<string, unknown> }, true);
  return o;
}

