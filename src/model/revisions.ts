// ControllerRevisions of a DaemonSet: which ones it controls, which one is current, and whether a
// pod runs the current template (util.IsPodUpdated). The controller matches revisions byte for byte;
// we compare the decoded templates instead (ignoring `$patch` and null fields such as
// `creationTimestamp: null`), which is what the bytes encode and survives YAML round trips.

import { compileLabelSelector, parseInt64, selectorMatches } from './labels.ts';
import { controllerOf } from './pods.ts';
import type { ControllerRevision, DaemonSet, Pod, PodTemplateSpec } from './types.ts';

export const REVISION_HASH_LABEL = 'controller-revision-hash';
const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** Deep copy without null/undefined fields and without strategic-merge directives ($patch, ...). */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (k.startsWith('$')) continue;
      const x = (v as Record<string, unknown>)[k];
      if (x === null || x === undefined) continue;
      out[k] = normalize(x);
    }
    return out;
  }
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as never)[k], (b as never)[k]));
  }
  return false;
}

/** The pod template a revision stores: data.spec.template (a `$patch: replace` strategic merge patch). */
export function revisionTemplate(rev: ControllerRevision): PodTemplateSpec | undefined {
  const data = rev.data as { spec?: { template?: PodTemplateSpec } } | undefined;
  return data?.spec?.template;
}

export function templatesEqual(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return deepEqual(normalize(a ?? {}), normalize(b ?? {}));
}

export function revisionHash(rev: ControllerRevision): string {
  // Legacy revisions without the label use their name (constructHistory relabels them so).
  return rev.metadata.labels?.[REVISION_HASH_LABEL] ?? rev.metadata.name ?? '';
}

/**
 * Revisions in the DaemonSet's namespace that it controls, plus orphans matching its selector (which
 * the controller adopts). Sorted by revision number.
 */
export function controlledRevisions(ds: DaemonSet, revisions: readonly ControllerRevision[]): ControllerRevision[] {
  const ns = ds.metadata.namespace ?? 'default';
  const sel = compileLabelSelector(ds.spec.selector);
  return revisions
    .filter((r) => {
      if ((r.metadata.namespace ?? 'default') !== ns) return false;
      const owner = controllerOf(r);
      if (owner) return !!ds.metadata.uid && owner.uid === ds.metadata.uid;
      return selectorMatches(sel, r.metadata.labels);
    })
    .sort((a, b) => a.revision - b.revision);
}

/** constructHistory: the revision whose template equals the DaemonSet's; the highest number wins. */
export function currentRevision(ds: DaemonSet, revisions: readonly ControllerRevision[]): ControllerRevision | undefined {
  const matching = controlledRevisions(ds, revisions).filter((r) => templatesEqual(revisionTemplate(r), ds.spec.template));
  return matching[matching.length - 1];
}

/**
 * util.GetTemplateGeneration: the annotation as an int64, or undefined when absent or unparsable. Upstream
 * parses with strconv.ParseInt(v, 10, 64), so a value outside the int64 range is a parse error (no
 * generation), not a very large generation.
 */
export function templateGeneration(ds: DaemonSet): string | undefined {
  const v = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  const parsed = v === undefined ? undefined : parseInt64(v);
  return parsed === undefined ? undefined : parsed.toString();
}

/** util.IsPodUpdated: the hash label equals the current hash, or the generation label equals the DS's. */
export function isPodUpdated(pod: Pod, currentHash: string, dsTemplateGeneration: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const templateMatches = dsTemplateGeneration !== undefined && labels[TEMPLATE_GENERATION_LABEL] === dsTemplateGeneration;
  const hashMatches = currentHash.length > 0 && labels[REVISION_HASH_LABEL] === currentHash;
  return hashMatches || templateMatches;
}
