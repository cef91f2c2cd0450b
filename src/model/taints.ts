// Taints versus tolerations, mirroring k8s.io/api core/v1 Toleration.ToleratesTaint,
// component-helpers FindMatchingUntoleratedTaint, and the DaemonSet controller's
// AddOrUpdateDaemonPodTolerations (pkg/controller/daemon/util).

import type { Taint, Toleration } from './types.ts';

const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export interface ToleranceOptions {
  /** The alpha TaintTolerationComparisonOperators gate (1.35+), off by default: Gt/Lt tolerate nothing. */
  comparisonOperators?: boolean;
}

/** A strictly canonical decimal int64: no sign "+", no leading zeros, no decimals. */
function canonicalInt(s: string | undefined): bigint | undefined {
  if (s === undefined || !/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return undefined;
  const v = BigInt(s);
  return v < -(2n ** 63n) || v > 2n ** 63n - 1n ? undefined : v;
}

/** Toleration.ToleratesTaint. tolerationSeconds plays no part in matching. */
export function toleratesTaint(t: Toleration, taint: Taint, opts: ToleranceOptions = {}): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    case 'Gt':
    case 'Lt': {
      if (!opts.comparisonOperators) return false;
      const tol = canonicalInt(t.value);
      const tv = canonicalInt(taint.value);
      if (tol === undefined || tv === undefined) return false;
      return t.operator === 'Gt' ? tv > tol : tv < tol;
    }
    default:
      return false;
  }
}

/**
 * The tolerations grouped so that one taint is checked in constant time, with exactly the outcome of
 * trying toleratesTaint with each in turn: a toleration can only match a taint whose key equals its
 * key (or any key when its key is empty) and whose effect equals its effect (or any effect when
 * empty), so a taint looks in at most four groups. Within a group, Equal needs the same value, Exists
 * always matches, Gt/Lt match when the smallest Gt (largest Lt) bound is exceeded. A node with 5,000
 * taints against a DaemonSet with 5,000 tolerations otherwise costs 25 million comparisons per node.
 */
export interface TolerationIndex {
  tolerates(taint: Taint, opts?: ToleranceOptions): boolean;
}

interface Group {
  values: Set<string>;
  exists: boolean;
  /** Smallest bound of the group's valid Gt tolerations, largest of its Lt ones. */
  gtMin?: bigint;
  ltMax?: bigint;
}

const groupKey = (key: string, effect: string): string => `${key}\u0000${effect}`;

export function indexTolerations(tolerations: readonly Toleration[]): TolerationIndex {
  const groups = new Map<string, Group>();
  for (const t of tolerations) {
    const k = groupKey(t.key || '', t.effect || '');
    let g = groups.get(k);
    if (!g) {
      g = { values: new Set(), exists: false };
      groups.set(k, g);
    }
    switch (t.operator ?? '') {
      case '':
      case 'Equal':
        g.values.add(t.value ?? '');
        break;
      case 'Exists':
        g.exists = true;
        break;
      case 'Gt': {
        const v = canonicalInt(t.value);
        if (v !== undefined && (g.gtMin === undefined || v < g.gtMin)) g.gtMin = v;
        break;
      }
      case 'Lt': {
        const v = canonicalInt(t.value);
        if (v !== undefined && (g.ltMax === undefined || v > g.ltMax)) g.ltMax = v;
        break;
      }
      default:
        // An unknown operator tolerates nothing.
        break;
    }
  }
  return {
    tolerates(taint: Taint, opts: ToleranceOptions = {}): boolean {
      const value = taint.value ?? '';
      const keys = taint.key ? [taint.key, ''] : [''];
      const effects = taint.effect ? [taint.effect, ''] : [''];
      let bound: bigint | undefined | null = null;
      for (const key of keys) {
        for (const effect of effects) {
          const g = groups.get(groupKey(key, effect));
          if (!g) continue;
          if (g.exists || g.values.has(value)) return true;
          if (opts.comparisonOperators && (g.gtMin !== undefined || g.ltMax !== undefined)) {
            if (bound === null) bound = canonicalInt(taint.value);
            if (bound === undefined) continue;
            if ((g.gtMin !== undefined && bound > g.gtMin) || (g.ltMax !== undefined && bound < g.ltMax)) return true;
          }
        }
      }
      return false;
    },
  };
}

/**
 * FindMatchingUntoleratedTaint: the first taint (node order) passing `filter` that no toleration
 * matches. Without a filter every taint is considered.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  filter?: (t: Taint) => boolean,
  opts?: ToleranceOptions,
): Taint | undefined {
  const index = indexTolerations(tolerations);
  return taints.find((taint) => (!filter || filter(taint)) && !index.tolerates(taint, opts));
}

/** Every taint passing `filter` that no toleration matches, in node order. */
export function untoleratedTaints(
  taints: readonly Taint[],
  tolerations: readonly Toleration[] | TolerationIndex,
  filter?: (t: Taint) => boolean,
  opts?: ToleranceOptions,
): Taint[] {
  const index = 'tolerates' in tolerations ? tolerations : indexTolerations(tolerations);
  return taints.filter((taint) => (!filter || filter(taint)) && !index.tolerates(taint, opts));
}

/** The tolerations the DaemonSet controller adds to every daemon pod, in upstream order. */
function defaultDaemonTolerations(hostNetwork: boolean): Toleration[] {
  const out: Toleration[] = [
    { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) out.push({ key: TAINT_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' });
  return out;
}

/** Toleration.MatchToleration: same key, effect, operator and value (tolerationSeconds ignored). */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.effect ?? '') === (b.effect ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '')
  );
}

export interface EffectiveToleration extends Toleration {
  /** Where the toleration comes from: the pod template, or added by the DaemonSet controller. */
  source: 'template' | 'controller';
}

/**
 * AddOrUpdateTolerationInPodSpec applied for each default: a template toleration with the same
 * key/effect/operator/value is replaced in place by the default (dropping its tolerationSeconds),
 * otherwise the default is appended.
 */
export function daemonPodTolerations(template: readonly Toleration[] | null | undefined, hostNetwork: boolean): EffectiveToleration[] {
  const result: EffectiveToleration[] = (template ?? []).map((t) => ({ ...t, source: 'template' as const }));
  for (const def of defaultDaemonTolerations(hostNetwork)) {
    let replaced = false;
    for (let i = 0; i < result.length; i++) {
      if (sameToleration(result[i]!, def)) {
        result[i] = { ...def, source: 'controller' };
        replaced = true;
      }
    }
    if (!replaced) result.push({ ...def, source: 'controller' });
  }
  return result;
}

/** Taint.ToString: `key=value:Effect`, `key:Effect`, `key=value:`, or `key`. */
export function taintToString(t: Taint): string {
  const kv = t.value ? `${t.key}=${t.value}` : t.key;
  if (t.effect) return `${kv}:${t.effect}`;
  return t.value ? `${kv}:` : kv;
}

export function tolerationToString(t: Toleration): string {
  // kubectl describe's form: `key=value:Effect op=Exists for 300s`.
  const op = t.operator || 'Equal';
  let text = t.key ?? '';
  if (t.value) text += `=${t.value}`;
  if (t.effect) text += `:${t.effect}`;
  if (op === 'Exists') text += text ? ' op=Exists' : 'op=Exists (every taint)';
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
  return text;
}
