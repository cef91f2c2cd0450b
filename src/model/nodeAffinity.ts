// nodeSelector AND required node affinity, as component-helpers' GetRequiredNodeAffinity(pod).Match
// evaluates them for the DaemonSet controller: terms are ORed, requirements inside a term are ANDed,
// an empty term or an empty term list matches nothing, and a term with a parse error never matches.

import { describeRequirement, newRequirement, requirementMatches } from './labels.ts';
import type { Labels, Node, NodeSelector, NodeSelectorRequirement, PodSpec } from './types.ts';

interface NodeSelectorMismatch {
  key: string;
  wanted: string;
  /** The node's value, or undefined when the node lacks the label. */
  found: string | undefined;
}

interface RequirementResult {
  kind: 'expression' | 'field';
  key: string;
  operator: string;
  text: string;
  matched: boolean;
  /** What the node has for this key (label value, or the node name for metadata.name). */
  found: string | undefined;
}

export interface TermResult {
  index: number;
  matched: boolean;
  /** Set when the term cannot be parsed; such a term never matches. */
  error?: string;
  empty: boolean;
  requirements: RequirementResult[];
}

export interface AffinityResult {
  /** nodeSelector AND required affinity. */
  matches: boolean;
  nodeSelectorMismatches: NodeSelectorMismatch[];
  /** undefined when the template has no required node affinity (no constraint). */
  requiredTerms: TermResult[] | undefined;
  requiredMatches: boolean;
}

function labelOf(labels: Labels | null | undefined, key: string): string | undefined {
  return labels && Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/** nodeSelector map: every key must be present with exactly that value. */
function nodeSelectorMismatches(nodeSelector: Labels | null | undefined, node: Node): NodeSelectorMismatch[] {
  const out: NodeSelectorMismatch[] = [];
  for (const [key, wanted] of Object.entries(nodeSelector ?? {})) {
    const found = labelOf(node.metadata.labels, key);
    if (found !== wanted) out.push({ key, wanted, found });
  }
  return out;
}

function parseFieldRequirement(r: NodeSelectorRequirement): { key: string; op: 'In' | 'NotIn'; value: string } | string {
  if (r.operator !== 'In' && r.operator !== 'NotIn') {
    return `matchFields operator "${r.operator}" is not supported: only In and NotIn`;
  }
  if ((r.values ?? []).length !== 1) return `matchFields ${r.key} ${r.operator}: values must have exactly one element`;
  return { key: r.key, op: r.operator, value: r.values![0]! };
}

/** Evaluate one nodeSelectorTerm the way nodeSelectorTerm.match does, keeping per-requirement detail. */
export function evaluateTerm(
  term: { matchExpressions?: NodeSelectorRequirement[] | null; matchFields?: NodeSelectorRequirement[] | null },
  index: number,
  node: Node,
): TermResult {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) {
    return { index, matched: false, empty: true, requirements: [] };
  }
  const requirements: RequirementResult[] = [];
  const errors: string[] = [];
  for (const e of exprs) {
    const r = newRequirement(e.key, e.operator, e.values ?? []);
    const text = describeRequirement(e);
    if (typeof r === 'string') {
      errors.push(r);
      requirements.push({ kind: 'expression', key: e.key, operator: e.operator, text, matched: false, found: labelOf(node.metadata.labels, e.key) });
      continue;
    }
    requirements.push({
      kind: 'expression',
      key: e.key,
      operator: e.operator,
      text,
      matched: requirementMatches(r, node.metadata.labels),
      found: labelOf(node.metadata.labels, e.key),
    });
  }
  const nodeName = node.metadata.name ?? '';
  for (const f of fields) {
    const p = parseFieldRequirement(f);
    const text = describeRequirement({ key: f.key, operator: f.operator, values: f.values ?? [] });
    const found = f.key === 'metadata.name' ? nodeName : undefined;
    if (typeof p === 'string') {
      errors.push(p);
      requirements.push({ kind: 'field', key: f.key, operator: f.operator, text, matched: false, found });
      continue;
    }
    // fields.Set{"metadata.name": name}; an unknown field key reads as "". The field check is skipped
    // entirely for a node without a name (len(nodeFields) == 0).
    const actual = found ?? '';
    const matched = nodeName === '' ? true : p.op === 'In' ? actual === p.value : actual !== p.value;
    requirements.push({ kind: 'field', key: f.key, operator: f.operator, text, matched, found });
  }
  if (errors.length > 0) {
    return { index, matched: false, empty: false, error: errors.join('; '), requirements };
  }
  return { index, matched: requirements.every((r) => r.matched), empty: false, requirements };
}

export function evaluateNodeSelector(ns: NodeSelector, node: Node): { matches: boolean; terms: TermResult[] } {
  const terms = (ns.nodeSelectorTerms ?? []).map((t, i) => evaluateTerm(t, i, node));
  return { matches: terms.some((t) => t.matched), terms };
}

/** GetRequiredNodeAffinity(pod).Match(node) with the detail why-not needs. */
export function evaluateRequiredNodeAffinity(spec: PodSpec | undefined, node: Node): AffinityResult {
  const mismatches = nodeSelectorMismatches(spec?.nodeSelector, node);
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  let requiredTerms: TermResult[] | undefined;
  let requiredMatches = true;
  if (required !== null && required !== undefined) {
    const r = evaluateNodeSelector(required, node);
    requiredTerms = r.terms;
    requiredMatches = r.matches;
  }
  return {
    matches: mismatches.length === 0 && requiredMatches,
    nodeSelectorMismatches: mismatches,
    requiredTerms,
    requiredMatches,
  };
}

/**
 * GetTargetNodeName: a pod's node is spec.nodeName, or for an unscheduled daemon pod the single value of
 * its required `matchFields metadata.name In [x]`. Undefined when neither exists (such pods are skipped).
 */
export function targetNodeName(spec: PodSpec | undefined): string | undefined {
  if (spec?.nodeName) return spec.nodeName;
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  for (const term of terms) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In') {
        return (f.values ?? []).length === 1 ? f.values![0] : undefined;
      }
    }
  }
  return undefined;
}
