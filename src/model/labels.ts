// Label keys, values and selectors, mirroring k8s.io/apimachinery/pkg/labels (NewRequirement,
// Requirement.Matches, Parse) so that selectors evaluate here exactly as in the API server.

import type { LabelSelector, Labels } from './types.ts';

type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** A validated requirement. `Equals`/`NotEquals` of the string syntax are In/NotIn with one value. */
export interface Requirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why a label key is invalid, or undefined when valid (validation.IsQualifiedName). */
export function labelKeyError(key: string): string | undefined {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    if (prefix.length === 0) return `invalid label key "${key}": prefix part must be non-empty`;
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) {
      return `invalid label key "${key}": prefix part must be a DNS subdomain`;
    }
    name = n;
  } else if (parts.length > 2) {
    return `invalid label key "${key}": at most one "/" is allowed`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `invalid label key "${key}": name part must be 63 characters or less, start and end with an alphanumeric character, and contain only alphanumerics, '-', '_' or '.'`;
  }
  return undefined;
}

export function labelValueError(value: string): string | undefined {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return `invalid label value "${value}": must be 63 characters or less, empty or begin and end with an alphanumeric character, and contain only alphanumerics, '-', '_' or '.'`;
  }
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** labels.NewRequirement: returns the requirement or the validation error that makes it unusable. */
export function newRequirement(key: string, operator: string, values: readonly string[] = []): Requirement | string {
  const keyErr = labelKeyError(key);
  if (keyErr) return keyErr;
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return `for 'In', 'NotIn' operators, values set can't be empty (key "${key}")`;
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return `values set must be empty for exists and does not exist (key "${key}")`;
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) return `for 'Gt', 'Lt' operators, exactly one value is required (key "${key}")`;
      if (parseInt64(values[0]!) === undefined) {
        return `for 'Gt', 'Lt' operators, the value must be an integer (key "${key}", value "${values[0]}")`;
      }
      break;
    default:
      return `operator "${operator}" is not supported (key "${key}"): use In, NotIn, Exists, DoesNotExist, Gt or Lt`;
  }
  for (const v of values) {
    const vErr = labelValueError(v);
    if (vErr) return vErr;
  }
  return { key, operator, values: [...values] };
}

/** Requirement.Matches. NotIn and DoesNotExist match a missing key; Gt/Lt need an integer label. */
export function requirementMatches(r: Requirement, labels: Labels | null | undefined): boolean {
  const has = labels !== undefined && labels !== null && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case 'In':
      return has && r.values.includes(value!);
    case 'NotIn':
      return !has || !r.values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has) return false;
      const actual = parseInt64(value!);
      const wanted = parseInt64(r.values[0]!);
      if (actual === undefined || wanted === undefined) return false;
      return r.operator === 'Gt' ? actual > wanted : actual < wanted;
    }
  }
}

export function describeRequirement(r: { key: string; operator: string; values?: readonly string[] }): string {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return vals.length === 1 ? `${r.key}=${vals[0]}` : `${r.key} in (${vals.join(',')})`;
    case 'NotIn':
      return vals.length === 1 ? `${r.key}!=${vals[0]}` : `${r.key} notin (${vals.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'Gt':
      return `${r.key}>${vals[0] ?? ''}`;
    case 'Lt':
      return `${r.key}<${vals[0] ?? ''}`;
    default:
      return `${r.key} ${r.operator} (${vals.join(',')})`;
  }
}

/**
 * A compiled metav1.LabelSelector. `undefined`/null selects nothing and `{}` selects everything
 * (LabelSelectorAsSelector); an invalid requirement makes the selector an error.
 */
export interface CompiledSelector {
  requirements: Requirement[];
  matchesNothing: boolean;
  error?: string;
}

const LABEL_SELECTOR_OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export function compileLabelSelector(sel: LabelSelector | null | undefined): CompiledSelector {
  if (sel === null || sel === undefined) return { requirements: [], matchesNothing: true };
  const requirements: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const r = newRequirement(k, 'In', [v]);
    if (typeof r === 'string') return { requirements: [], matchesNothing: true, error: r };
    requirements.push(r);
  }
  for (const e of sel.matchExpressions ?? []) {
    // metav1.LabelSelectorAsSelector maps only In, NotIn, Exists and DoesNotExist; anything else
    // (including Gt/Lt, which only node selectors and the string syntax have) is an error.
    if (!LABEL_SELECTOR_OPERATORS.has(e.operator)) {
      return { requirements: [], matchesNothing: true, error: `"${e.operator}" is not a valid label selector operator` };
    }
    const r = newRequirement(e.key, e.operator, e.values ?? []);
    if (typeof r === 'string') return { requirements: [], matchesNothing: true, error: r };
    requirements.push(r);
  }
  return { requirements, matchesNothing: false };
}

export function selectorMatches(sel: CompiledSelector, labels: Labels | null | undefined): boolean {
  if (sel.matchesNothing) return false;
  return sel.requirements.every((r) => requirementMatches(r, labels));
}

export function labelSelectorMatches(sel: LabelSelector | null | undefined, labels: Labels | null | undefined): boolean {
  return selectorMatches(compileLabelSelector(sel), labels);
}

export function isEmptyLabelSelector(sel: LabelSelector | null | undefined): boolean {
  return !!sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

/** The string form of a metav1.LabelSelector, as the API's `labelSelector` query parameter takes it. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const c = compileLabelSelector(sel);
  return c.requirements.map(describeRequirement).join(',');
}

/**
 * Parse kubectl's `-l` syntax (labels.Parse): `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a`, `!a`, `a>1`, `a<1`, joined by commas. Returns the requirements or an error message.
 */
export function parseSelector(input: string): Requirement[] | string {
  const out: Requirement[] = [];
  let i = 0;
  const s = input;
  const skipWs = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const readIdent = (): string => {
    const start = i;
    while (i < s.length && !/[\s,=!<>()]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const add = (key: string, op: string, values: string[]): string | undefined => {
    const r = newRequirement(key, op, values);
    if (typeof r === 'string') return r;
    out.push(r);
    return undefined;
  };
  skipWs();
  if (i >= s.length) return out;
  for (;;) {
    skipWs();
    let err: string | undefined;
    if (s[i] === '!') {
      i++;
      skipWs();
      const key = readIdent();
      if (!key) return `invalid selector "${input}": expected a key after "!"`;
      err = add(key, 'DoesNotExist', []);
    } else {
      const key = readIdent();
      if (!key) return `invalid selector "${input}": expected a label key at position ${i + 1}`;
      skipWs();
      const rest = s.slice(i);
      if (rest.startsWith('==') || rest.startsWith('!=') || rest.startsWith('=')) {
        const neg = rest.startsWith('!=');
        i += rest.startsWith('=') && !rest.startsWith('==') ? 1 : 2;
        skipWs();
        const value = readIdent();
        err = add(key, neg ? 'NotIn' : 'In', [value]);
      } else if (rest.startsWith('>') || rest.startsWith('<')) {
        i += 1;
        skipWs();
        const value = readIdent();
        err = add(key, rest.startsWith('>') ? 'Gt' : 'Lt', [value]);
      } else {
        // The lexer's keywords are exactly "in" and "notin" (case-sensitive): `a IN (x)` is an error.
        const m = /^(in|notin)\s*\(/.exec(rest);
        if (m) {
          i += m[0].length;
          const close = s.indexOf(')', i);
          if (close < 0) return `invalid selector "${input}": missing ")"`;
          const values = s
            .slice(i, close)
            .split(',')
            .map((v) => v.trim());
          i = close + 1;
          err = add(key, m[1] === 'in' ? 'In' : 'NotIn', values);
        } else {
          err = add(key, 'Exists', []);
        }
      }
    }
    if (err) return `invalid selector "${input}": ${err}`;
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ',') return `invalid selector "${input}": unexpected "${s[i]}" at position ${i + 1}`;
    i++;
  }
  return out;
}
