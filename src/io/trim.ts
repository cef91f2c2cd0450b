// Live objects trimmed to the fields the model reads (src/model/types.ts), as each item arrives, so a
// page of 500 pods does not keep managedFields, env and volumes alive. Snapshot objects are not trimmed;
// the model reads only declared fields, so both sources give the same answers (the fidelity tests).

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
  if (c.image !== undefined) out.image = c.image;
  if (c.ports) out.ports = c.ports;
  if (c.resources) out.resources = c.resources;
  if (c.restartPolicy !== undefined) out.restartPolicy = c.restartPolicy;
  return out;
}

export function trimPod(p: Pod): Pod {
  trimMeta(p as Pod & { metadata: Record<string, unknown> }, false);
  const s = p.spec;
  if (s) {
    const spec: NonNullable<Pod['spec']> = {};
    if (s.nodeName) spec.nodeName = s.nodeName;
    if (s.nodeSelector) spec.nodeSelector = s.nodeSelector;
    if (s.affinity?.nodeAffinity) spec.affinity = { nodeAffinity: s.affinity.nodeAffinity };
    if (s.tolerations) spec.tolerations = s.tolerations;
    if (s.hostNetwork) spec.hostNetwork = true;
    if (s.containers) spec.containers = s.containers.map((c) => trimContainer(c as Container & Record<string, unknown>));
    if (s.initContainers) spec.initContainers = s.initContainers.map((c) => trimContainer(c as Container & Record<string, unknown>));
    if (s.overhead) spec.overhead = s.overhead;
    p.spec = spec;
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

