// NodeShouldRunDaemonPod (pkg/controller/daemon/daemon_controller.go), with the reasons behind the
// verdict. Upstream order: template nodeName, then node affinity (nodeSelector AND required affinity),
// then taints with effect NoSchedule|NoExecute against the template tolerations plus the controller's
// defaults. Resources, ports, readiness and cordon are NOT part of this decision.

import { evaluateRequiredNodeAffinity, type AffinityResult, type TermResult } from './nodeAffinity.ts';
import { ReasonCode, type Reason } from './reasons.ts';
import {
  daemonPodTolerations,
  indexTolerations,
  taintToString,
  untoleratedTaints,
  type EffectiveToleration,
  type TolerationIndex,
  type ToleranceOptions,
} from './taints.ts';
import type { DaemonSet, Node, Taint } from './types.ts';
import { append } from '../util/array.ts';

export interface Eligibility {
  shouldRun: boolean;
  shouldContinueRunning: boolean;
  /** Every rule the node fails, even those upstream would not reach after an earlier failure. */
  reasons: Reason[];
  affinity: AffinityResult;
  tolerations: EffectiveToleration[];
  untoleratedTaints: Taint[];
}

function describeTerm(t: TermResult): string {
  if (t.empty) return `term ${t.index + 1} is empty and matches nothing`;
  if (t.error) return `term ${t.index + 1} is invalid (${t.error}) and matches nothing`;
  const failed = t.requirements
    .filter((r) => !r.matched)
    .map((r) => {
      if (r.kind === 'field') return `${r.text} (node name is ${r.found ?? '<none>'})`;
      // Gt/Lt compare integers (strconv.ParseInt): say so when the label is not one, e.g. "16.0".
      const notInteger = (r.operator === 'Gt' || r.operator === 'Lt') && r.found !== undefined && !/^-?\d+$/.test(r.found) ? `; "${r.found}" is not an integer` : '';
      return `${r.text} (node has ${r.found === undefined ? `no label ${r.key}` : `${r.key}=${r.found}`}${notInteger})`;
    });
  return `term ${t.index + 1} needs ${failed.join(' and ')}`;
}

function affinityReasons(a: AffinityResult): Reason[] {
  const out: Reason[] = [];
  for (const m of a.nodeSelectorMismatches) {
    out.push({
      code: ReasonCode.NodeSelectorMismatch,
      message:
        m.found === undefined
          ? `nodeSelector wants ${m.key}=${m.wanted}; the node has no label ${m.key}`
          : `nodeSelector wants ${m.key}=${m.wanted}; the node has ${m.key}=${m.found}`,
    });
  }
  if (a.requiredTerms !== undefined && !a.requiredMatches) {
    const terms = a.requiredTerms;
    let message: string;
    if (terms.length === 0) {
      message = 'required node affinity has no nodeSelectorTerms, so it matches no node';
    } else {
      const prefix = terms.length === 1 ? 'required node affinity does not match: ' : `none of the ${terms.length} required node affinity terms match: `;
      message = prefix + terms.map(describeTerm).join('; ');
    }
    out.push({ code: ReasonCode.NodeAffinityMismatch, message });
  }
  return out;
}

function tolerationSummary(tolerations: EffectiveToleration[]): string {
  const fromTemplate = tolerations.filter((t) => t.source === 'template').length;
  const fromController = tolerations.length - fromTemplate;
  return `${fromTemplate} from the template, ${fromController} added by the DaemonSet controller`;
}

interface TemplateTolerations {
  list: EffectiveToleration[];
  index: TolerationIndex;
  summary: string;
}

// The effective tolerations (and their index and summary) depend only on the template: computed once
// per DaemonSet, not per node (a 5,000-node matrix otherwise spends most of its model time rebuilding
// the same list, and a DaemonSet with thousands of tolerations would be indexed once per node).
const tolerationsByTemplate = new WeakMap<object, TemplateTolerations>();

function withIndex(list: EffectiveToleration[]): TemplateTolerations {
  return { list, index: indexTolerations(list), summary: tolerationSummary(list) };
}

function templateTolerations(ds: DaemonSet): TemplateTolerations {
  const spec = ds.spec.template.spec;
  if (!spec) return withIndex(daemonPodTolerations(undefined, false));
  let t = tolerationsByTemplate.get(spec);
  if (!t) {
    t = withIndex(daemonPodTolerations(spec.tolerations, spec.hostNetwork === true));
    tolerationsByTemplate.set(spec, t);
  }
  return t;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet, opts: ToleranceOptions = {}): Eligibility {
  const spec = ds.spec.template.spec;
  const { list: tolerations, index, summary } = templateTolerations(ds);
  const affinity = evaluateRequiredNodeAffinity(spec, node);
  const reasons: Reason[] = [];

  const nodeName = node.metadata.name ?? '';
  const nameMismatch = !!spec?.nodeName && spec.nodeName !== nodeName;
  if (nameMismatch) {
    reasons.push({
      code: ReasonCode.NodeNameMismatch,
      message: `the pod template pins spec.nodeName=${spec.nodeName}; this node is ${nodeName}`,
    });
  }
  append(reasons, affinityReasons(affinity));

  const taints = node.spec?.taints ?? [];
  const blocking = untoleratedTaints(taints, index, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute', opts);
  const noExecuteBlocking = blocking.filter((t) => t.effect === 'NoExecute');
  // When the node is excluded by name or affinity anyway, the taint decides nothing about an existing pod.
  const excludedAnyway = nameMismatch || !affinity.matches;
  for (const t of blocking) {
    const consequence = excludedAnyway ? 'no new pod' : t.effect === 'NoExecute' ? 'no new pod, and an existing pod is deleted' : 'no new pod, but an existing pod may stay';
    reasons.push({
      code: ReasonCode.UntoleratedTaint,
      message: `taint ${taintToString(t)} is not tolerated (${consequence}); tolerations considered: ${summary}`,
    });
  }

  let shouldRun: boolean;
  let shouldContinueRunning: boolean;
  if (nameMismatch || !affinity.matches) {
    shouldRun = false;
    shouldContinueRunning = false;
  } else if (blocking.length > 0) {
    // Only untolerated NoSchedule taints: the existing pod may stay (counted misscheduled).
    shouldRun = false;
    shouldContinueRunning = noExecuteBlocking.length === 0;
  } else {
    shouldRun = true;
    shouldContinueRunning = true;
  }
  return { shouldRun, shouldContinueRunning, reasons, affinity, tolerations, untoleratedTaints: blocking };
}
