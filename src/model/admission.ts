// Admission, not only the template: what the API server admits can differ from the DaemonSet template
// (LimitRange defaults, the PodNodeSelector and PodTolerationRestriction namespace annotations, mutating
// webhooks). ds-inspect asks the server (a dry-run create of the pod the controller would create) and
// this file builds that pod and says what admission changed. Pure.

import { labelSelectorMatches } from './labels.ts';
import { podRequests, formatQuantity } from './resources.ts';
import { daemonPodTolerations, tolerationToString } from './taints.ts';
import type { DaemonSet, Node, Pod, PodSpec } from './types.ts';

/**
 * The pod the DaemonSet controller creates for `nodeName`: the template, the controller's default
 * tolerations (AddOrUpdateDaemonPodTolerations) and the node-affinity pin that replaces any
 * `metadata.name` matchFields term (ReplaceDaemonSetPodNodeNameNodeAffinity).
 */
export function controllerPod(ds: DaemonSet, nodeName: string): Pod {
  const t = ds.spec.template;
  const spec = t.spec ?? {};
  const tolerations = daemonPodTolerations(spec.tolerations, spec.hostNetwork === true).map(({ source: _source, ...rest }) => rest);
  const pin = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const affinity = { ...(spec.affinity ?? {}), nodeAffinity: { ...(spec.affinity?.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [pin] } } };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name ?? 'ds'}-`,
      namespace: ds.metadata.namespace ?? 'default',
      labels: { ...(t.metadata?.labels ?? {}) },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
    } as Pod['metadata'],
    spec: { ...spec, tolerations, affinity },
  };
}

function requestsText(spec: PodSpec | undefined): string {
  const r = [...podRequests(spec)].filter(([k]) => k !== 'pods').sort(([a], [b]) => (a < b ? -1 : 1));
  return r.length === 0 ? 'none' : r.map(([k, v]) => `${k}=${formatQuantity(k, v)}`).join(',');
}

function selectorText(sel: Record<string, string> | null | undefined): string {
  const e = Object.entries(sel ?? {});
  return e.length === 0 ? 'none' : e.map(([k, v]) => `${k}=${v}`).join(',');
}

/** What admission changed between the pod we sent and the pod the server would store. */
export function admissionChanges(sent: Pod, admitted: Pod): string[] {
  const out: string[] = [];
  const a = requestsText(sent.spec);
  const b = requestsText(admitted.spec);
  if (a !== b) out.push(`requests ${a} → ${b} (a LimitRange default or a mutating webhook)`);
  const sa = selectorText(sent.spec?.nodeSelector);
  const sb = selectorText(admitted.spec?.nodeSelector);
  if (sa !== sb) out.push(`nodeSelector ${sa} → ${sb} (the PodNodeSelector namespace annotation or a webhook)`);
  const ta = new Set((sent.spec?.tolerations ?? []).map(tolerationToString));
  const added = (admitted.spec?.tolerations ?? []).map(tolerationToString).filter((t) => !ta.has(t));
  if (added.length > 0) out.push(`tolerations added: ${added.join(', ')} (PodTolerationRestriction or a webhook)`);
  return out;
}

/** A nodeSelector admission added that the node does not satisfy: the scheduler leaves the pod Pending. */
export function admittedSelectorMismatch(admitted: PodSpec, node: Node): string | undefined {
  const sel = admitted.nodeSelector ?? {};
  if (Object.keys(sel).length === 0 || labelSelectorMatches({ matchLabels: sel }, node.metadata.labels)) return undefined;
  return `the admitted pod's nodeSelector ${selectorText(sel)} does not match the node`;
}
