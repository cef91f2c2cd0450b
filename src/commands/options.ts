// Complete and validate (kubectl's Complete → Validate → Run, as kubernetes/sample-cli-plugin does):
// the raw flag bag and positional arguments that commander hands over become typed options, and every
// usage error is thrown here, before any file is read or request sent. Pure, table-tested.

import { UsageError } from '../errors.ts';
import type { ConnectionFlags } from '../io/kubeconfig.ts';
import type { ScopeRequest, SourceSpec } from '../io/source.ts';
import { labelKeyError, labelValueError, parseSelector, type Requirement } from '../model/labels.ts';
import { POLICIES, type Policy } from '../model/policies.ts';
import type { DaemonSetUpdateStrategy, Taint } from '../model/types.ts';
import type { Change, FailOn, NodeTarget } from '../model/whatIf.ts';
import { CellState } from '../model/coverage.ts';
import { DEFAULT_FAIL_ON } from '../model/fleet.ts';
import { parseOutputFormat, type OutputFormat } from '../render/formats.ts';
import { parseDuration } from '../util/duration.ts';

/** What commander sets; every value is checked here before it is trusted. */
export type RawFlags = Record<string, unknown>;

export interface GlobalOptions {
  verbosity: number;
  /** false with --no-color; NO_COLOR and non-terminals are decided at print time. */
  color: boolean;
}

export interface ReadOptions extends GlobalOptions {
  source: SourceSpec;
  scope: ScopeRequest;
  /** --now, for snapshots: the time the state is judged at (ms). */
  nowMs: number | undefined;
  output: OutputFormat;
  /** -f: manifests evaluated as if applied (DaemonSets added or replaced, Nodes added or replaced). */
  manifests: string[];
}

function str(raw: RawFlags, key: string): string | undefined {
  const v = raw[key];
  return typeof v === 'string' ? v : undefined;
}

function strings(raw: RawFlags, key: string): string[] {
  const v = raw[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function bool(raw: RawFlags, key: string): boolean {
  return raw[key] === true;
}

function completeGlobal(raw: RawFlags): GlobalOptions {
  const v = str(raw, 'v');
  let verbosity = 0;
  if (v !== undefined) {
    if (!/^\d+$/.test(v)) throw new UsageError(`-v: invalid log level "${v}": use a number, e.g. -v 6`);
    verbosity = Number(v);
  }
  return { verbosity, color: raw.color !== false };
}

function completeConnection(raw: RawFlags, namespace: string | undefined): ConnectionFlags {
  const requestTimeout = str(raw, 'requestTimeout') ?? '0';
  parseDuration('--request-timeout', requestTimeout);
  const groups = strings(raw, 'asGroup');
  if (groups.length > 0 && str(raw, 'as') === undefined) throw new UsageError('--as-group needs --as: a group is impersonated together with a user');
  const c: ConnectionFlags = {
    requestTimeout,
    namespace,
    kubeconfig: str(raw, 'kubeconfig'),
    context: str(raw, 'context'),
    cluster: str(raw, 'cluster'),
    user: str(raw, 'user'),
    server: str(raw, 'server'),
    token: str(raw, 'token'),
    certificateAuthority: str(raw, 'certificateAuthority'),
    clientCertificate: str(raw, 'clientCertificate'),
    clientKey: str(raw, 'clientKey'),
    tlsServerName: str(raw, 'tlsServerName'),
    username: str(raw, 'username'),
    password: str(raw, 'password'),
    as: str(raw, 'as'),
    asUid: str(raw, 'asUid'),
    ...(groups.length > 0 ? { asGroups: groups } : {}),
    ...(bool(raw, 'insecureSkipTlsVerify') ? { insecureSkipTlsVerify: true } : {}),
  };
  return c;
}

/** Writes connect to the live API only. */
function completeLive(raw: RawFlags): { connection: ConnectionFlags; namespace: string | undefined } {
  const namespace = completeNamespace(raw);
  return { connection: completeConnection(raw, namespace), namespace };
}

function completeNamespace(raw: RawFlags): string | undefined {
  const ns = str(raw, 'namespace');
  if (ns === undefined) return undefined;
  // A namespace is a DNS label (RFC 1123); say so here rather than send a request that cannot match.
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(ns) || ns.length > 63) {
    throw new UsageError(`--namespace: "${ns}" is not a valid namespace name (lower-case letters, digits and "-")`);
  }
  return ns;
}

function parseSelectorFlag(flag: string, value: string | undefined): Requirement[] {
  if (value === undefined || value === '') return [];
  const r = parseSelector(value);
  if (typeof r === 'string') throw new UsageError(`${flag}: ${r}`);
  return r;
}

const DS_TYPES = ['daemonset', 'daemonsets', 'ds', 'daemonset.apps', 'daemonsets.apps'];
const NODE_TYPES = ['node', 'nodes', 'no'];

function splitRef(arg: string, types: readonly string[], what: string): string {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    if (arg === '') throw new UsageError(`empty ${what} name`);
    return arg;
  }
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  if (!types.includes(type)) throw new UsageError(`"${arg}" is not a ${what} reference: use NAME or ${types[0]}/NAME`);
  if (name === '' || name.includes('/')) throw new UsageError(`"${arg}" is not a ${what} reference: use NAME or ${types[0]}/NAME`);
  return name;
}

/**
 * DaemonSet arguments as kubectl accepts them: `NAME`, `ds/NAME`, `daemonset/NAME`,
 * `daemonsets.apps/NAME`, or a type word followed by names (`daemonset a b`; alone it means all).
 */
function parseDaemonSetRefs(args: readonly string[]): string[] {
  let rest = args;
  if (rest.length > 0 && DS_TYPES.includes(rest[0]!.toLowerCase())) rest = rest.slice(1);
  return rest.map((a) => splitRef(a, DS_TYPES, 'DaemonSet'));
}

/** why-not's node: `NAME`, `node/NAME`, or `node NAME`; what follows are DaemonSets. */
function parseNodeRef(args: readonly string[]): { node: string; rest: string[] } {
  if (args.length === 0) throw new UsageError('name a node: why-not NODE [DAEMONSET...]');
  if (NODE_TYPES.includes(args[0]!.toLowerCase())) {
    if (args.length < 2) throw new UsageError(`"${args[0]}" needs a node name: why-not node NAME`);
    return { node: args[1]!, rest: args.slice(2) };
  }
  return { node: splitRef(args[0]!, NODE_TYPES, 'node'), rest: args.slice(1) };
}

function parseTime(flag: string, v: string): number {
  const ms = /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: "${v}" is not an RFC 3339 time, e.g. 2026-12-01T10:00:00Z`);
  return ms;
}

function completeRead(raw: RawFlags, names: string[], formats: readonly string[], extra: { nodes?: string | undefined } = {}): ReadOptions {
  const global = completeGlobal(raw);
  const files = strings(raw, 'snapshot');
  const namespace = completeNamespace(raw);
  const allNamespaces = bool(raw, 'allNamespaces');
  if (allNamespaces && namespace !== undefined) {
    // kubectl lets -A win over -n; say so instead of silently ignoring one.
    throw new UsageError('--namespace and --all-namespaces cannot be used together');
  }
  const connection = completeConnection(raw, namespace);
  const now = str(raw, 'now');
  if (now !== undefined && files.length === 0) throw new UsageError('--now applies to --snapshot only: the live API is judged at the current time');
  const nodeSelector = parseSelectorFlag('--nodes', extra.nodes);
  return {
    ...global,
    source: files.length > 0 ? { kind: 'snapshot', files } : { kind: 'live', connection },
    scope: {
      namespace,
      allNamespaces,
      names,
      daemonSetSelector: parseSelectorFlag('--selector', str(raw, 'selector')),
      nodeSelector,
      nodesFiltered: nodeSelector.length > 0,
    },
    nowMs: now === undefined ? undefined : parseTime('--now', now),
    output: parseOutputFormat(str(raw, 'output'), formats),
    manifests: strings(raw, 'filename'),
  };
}

export interface CoverageOptions extends ReadOptions {
  problemsOnly: boolean;
  noHeaders: boolean;
  showLabels: boolean;
  labelColumns: string[];
  groupBy: string[];
  layout: 'matrix' | 'list' | 'auto';
  /** The gate: states that fail it (--fail-on), nodes that must run every DaemonSet (--expect-nodes). */
  failOn: CellState[] | undefined;
  expectNodes: Requirement[] | undefined;
  /** --watch: list, then print changes as they happen until Ctrl-C; --watch-only without the first matrix. */
  watch: boolean;
  watchOnly: boolean;
}

const CELL_STATES = Object.values(CellState);

function parseFailOnStates(raw: RawFlags): CellState[] | undefined {
  const v = str(raw, 'failOnValue');
  if (v === undefined) return raw.failOn === true ? [...DEFAULT_FAIL_ON] : undefined;
  const states = v.split(',').filter(Boolean);
  for (const st of states) if (!CELL_STATES.includes(st as CellState)) throw new UsageError(`--fail-on: unknown state "${st}"; use ${CELL_STATES.join(', ')}`);
  return states as CellState[];
}

export const COVERAGE_FORMATS = ['wide', 'json', 'yaml', 'name', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE'] as const;

export function completeCoverage(args: readonly string[], raw: RawFlags): CoverageOptions {
  const o = completeRead(raw, parseDaemonSetRefs(args), COVERAGE_FORMATS, { nodes: str(raw, 'nodes') });
  const layout = str(raw, 'layout') ?? 'auto';
  if (layout !== 'matrix' && layout !== 'list' && layout !== 'auto') throw new UsageError(`--layout: "${layout}" is not matrix, list or auto`);
  const groupBy = strings(raw, 'groupBy');
  for (const g of groupBy) {
    const err = labelKeyError(g);
    if (err) throw new UsageError(`--group-by: "${g}" is not a label key: ${err}`);
  }
  const expect = str(raw, 'expectNodes');
  const watchOnly = bool(raw, 'watchOnly');
  const watch = bool(raw, 'watch') || watchOnly;
  if (watch) {
    const flag = watchOnly ? '--watch-only' : '--watch';
    if (o.source.kind === 'snapshot') throw new UsageError(`${flag} cannot be used with --snapshot: a file does not change`);
    if (o.output.kind !== 'table' && o.output.kind !== 'json') throw new UsageError(`${flag} prints the matrix or, with -o json, one JSON object per changed cell: -o ${o.output.kind} is not offered`);
    if (o.manifests.length > 0) throw new UsageError(`${flag} cannot be used with -f: it watches the cluster as it is`);
    if (groupBy.length > 0) throw new UsageError(`${flag} cannot be used with --group-by: transitions are per node`);
    if (expect !== undefined || raw.failOn === true || str(raw, 'failOnValue') !== undefined) throw new UsageError(`${flag} cannot be used with --fail-on or --expect-nodes: a gate needs one look, not a stream`);
  }
  return {
    ...o,
    watch,
    watchOnly,
    problemsOnly: bool(raw, 'problems'),
    noHeaders: raw.headers === false,
    showLabels: bool(raw, 'showLabels'),
    labelColumns: strings(raw, 'labelColumns').flatMap((l) => l.split(',')).filter(Boolean),
    groupBy,
    layout,
    failOn: parseFailOnStates(raw),
    expectNodes: expect === undefined ? undefined : parseSelectorFlag('--expect-nodes', expect),
  };
}

export interface OverheadOptions extends ReadOptions {
  groupBy: string[];
  noHeaders: boolean;
}

export const OVERHEAD_FORMATS = ['wide', 'json', 'yaml', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE'] as const;

export function completeOverhead(args: readonly string[], raw: RawFlags): OverheadOptions {
  const o = completeRead(raw, parseDaemonSetRefs(args), OVERHEAD_FORMATS, { nodes: str(raw, 'nodes') });
  // Repeatable and comma-separated, as -L: a label key never holds a comma.
  const groupBy = [...new Set(strings(raw, 'groupBy').flatMap((g) => g.split(',')).filter(Boolean))];
  for (const k of groupBy) {
    const err = labelKeyError(k);
    if (err) throw new UsageError(`--group-by: ${err}`);
  }
  return { ...o, groupBy, noHeaders: raw.headers === false };
}

export interface WhyNotOptions extends ReadOptions {
  node: string;
  noHeaders: boolean;
}

export const WHYNOT_FORMATS = ['json', 'yaml', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE'] as const;

export function completeWhyNot(args: readonly string[], raw: RawFlags): WhyNotOptions {
  const { node, rest } = parseNodeRef(args);
  const o = completeRead(raw, parseDaemonSetRefs(rest), WHYNOT_FORMATS);
  return { ...o, node, noHeaders: raw.headers === false };
}

export interface StatusOptions extends ReadOptions {
  watch: boolean;
  timeoutMs: number;
  intervalMs: number;
  /** The --timeout text as given, for messages. */
  timeoutText: string;
  /**
   * Hidden --poll: wait by re-listing every --interval instead of list-then-watch. For the benchmark
   * (bench/watch.mjs compares the two) and for diagnosing a watch; not a user-facing mode.
   */
  poll: boolean;
  /** --policy: whose definition of done to wait for; `all` compares them on one look. */
  policy: Policy | 'all';
}

export const POLICY_VALUES: readonly string[] = [...POLICIES, 'all'];

export const STATUS_FORMATS = ['json', 'yaml', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE'] as const;

export function completeStatus(args: readonly string[], raw: RawFlags): StatusOptions {
  const names = parseDaemonSetRefs(args);
  if (names.length === 0 && !str(raw, 'selector')) throw new UsageError('rollout status: name a DaemonSet (NAME or daemonset/NAME) or select some with -l');
  const o = completeRead(raw, names, STATUS_FORMATS);
  const timeoutText = str(raw, 'timeout') ?? '0';
  const timeoutMs = parseDuration('--timeout', timeoutText);
  const intervalMs = Math.max(200, parseDuration('--interval', str(raw, 'interval') ?? '2s'));
  const watchGiven = raw.watch !== undefined;
  const snapshot = o.source.kind === 'snapshot';
  if (snapshot && raw.watch === true) throw new UsageError('--watch cannot be used with --snapshot: a file does not change; use --watch=false or drop --snapshot');
  if (snapshot && timeoutMs > 0) throw new UsageError('--timeout cannot be used with --snapshot: a file does not change');
  const policy = str(raw, 'policy') ?? 'kubectl';
  if (!POLICY_VALUES.includes(policy)) throw new UsageError(`--policy: unknown policy "${policy}"; allowed: ${POLICY_VALUES.join(', ')}`);
  if (policy === 'all') {
    // `all` is a comparison, not a wait: the policies disagree (an OnDelete DaemonSet can be done for Helm and never for kstatus).
    if (raw.watch === true) throw new UsageError('--policy all compares the policies on one look and cannot --watch; wait for one with --policy kubectl|helm|kstatus|argocd');
    if (timeoutMs > 0) throw new UsageError('--policy all compares the policies on one look and cannot take --timeout; wait for one with --policy kubectl|helm|kstatus|argocd');
    return { ...o, watch: false, timeoutMs, intervalMs, timeoutText, poll: false, policy };
  }
  return { ...o, watch: snapshot ? false : watchGiven ? raw.watch === true : true, timeoutMs, intervalMs, timeoutText, poll: bool(raw, 'poll'), policy: policy as Policy };
}

export interface HistoryOptions extends ReadOptions {
  name: string;
  revision: number | undefined;
  /** undefined: no diff; []: previous versus current; [a, b]: those two. */
  diff: number[] | undefined;
  noHeaders: boolean;
}

export const HISTORY_FORMATS = ['wide', 'json', 'yaml', 'name', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE'] as const;

function parseRevisionNumber(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag}: "${v}" is not a revision number`);
  return Number(v);
}

function oneDaemonSet(args: readonly string[], verb: string): string {
  const names = parseDaemonSetRefs(args);
  if (names.length !== 1) throw new UsageError(`${verb}: name exactly one DaemonSet (NAME or daemonset/NAME)${names.length > 1 ? `, got ${names.length}` : ''}`);
  return names[0]!;
}

export function completeHistory(args: readonly string[], raw: RawFlags): HistoryOptions {
  const name = oneDaemonSet(args, 'rollout history');
  const o = completeRead(raw, [name], HISTORY_FORMATS);
  const rev = str(raw, 'revision');
  const revision = rev === undefined ? undefined : parseRevisionNumber('--revision', rev);
  const diffValue = str(raw, 'diffValue');
  const diffArgs = diffValue !== undefined ? diffValue.split(',') : raw.diff === true ? [] : undefined;
  let diff: number[] | undefined;
  if (diffArgs !== undefined) {
    if (diffArgs.length !== 0 && diffArgs.length !== 2) throw new UsageError('--diff takes two revision numbers (--diff=A,B), or none for previous versus current');
    diff = diffArgs.map((d) => parseRevisionNumber('--diff', d));
  }
  if (revision !== undefined && diff !== undefined) throw new UsageError('--revision and --diff cannot be used together');
  return { ...o, name, revision, diff, noHeaders: raw.headers === false };
}

type DryRun = 'none' | 'client' | 'server';

function dryRunMode(raw: RawFlags): DryRun {
  const v = str(raw, 'dryRunValue');
  if (v === undefined) return raw.dryRun === true ? 'client' : 'none';
  if (v === 'none' || v === 'client' || v === 'server') return v;
  throw new UsageError(`--dry-run: must be "none", "server" or "client", got "${v}"`);
}

export interface WriteOptions extends GlobalOptions {
  connection: ConnectionFlags;
  names: string[];
  dryRun: DryRun;
  /** -o name prints daemonset.apps/NAME only. */
  outputName: boolean;
}

export const WRITE_FORMATS = ['name'] as const;

function completeWrite(args: readonly string[], raw: RawFlags, verb: string, atLeastOne: boolean): WriteOptions {
  const names = parseDaemonSetRefs(args);
  if (atLeastOne && names.length === 0) throw new UsageError(`${verb}: name at least one DaemonSet (NAME or daemonset/NAME)`);
  const output = parseOutputFormat(str(raw, 'output'), WRITE_FORMATS);
  return { ...completeGlobal(raw), ...completeLive(raw), names, dryRun: dryRunMode(raw), outputName: output.kind === 'name' };
}

export interface UndoOptions extends WriteOptions {
  toRevision: number;
}

export function completeUndo(args: readonly string[], raw: RawFlags): UndoOptions {
  const name = oneDaemonSet(args, 'rollout undo');
  const to = str(raw, 'toRevision');
  return { ...completeWrite([name], raw, 'rollout undo', true), toRevision: to === undefined ? 0 : parseRevisionNumber('--to-revision', to) };
}

export interface PauseResumeOptions extends WriteOptions {
  /** resume: override a strategy changed while paused. */
  force: boolean;
  /** resume --strategy JSON: restore by hand when the saved strategy was lost. */
  strategy: DaemonSetUpdateStrategy | undefined;
}

function parseStrategy(v: string): DaemonSetUpdateStrategy {
  let st: unknown;
  try {
    st = JSON.parse(v);
  } catch {
    throw new UsageError(`--strategy: not JSON: ${v}; e.g. --strategy='{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}'`);
  }
  const o = st as { type?: unknown; rollingUpdate?: unknown };
  if (st === null || typeof st !== 'object' || Array.isArray(st) || (o.type !== 'RollingUpdate' && o.type !== 'OnDelete')) {
    throw new UsageError('--strategy: a DaemonSet updateStrategy needs "type": "RollingUpdate" or "OnDelete"');
  }
  if (o.rollingUpdate !== undefined && (o.rollingUpdate === null || typeof o.rollingUpdate !== 'object' || o.type !== 'RollingUpdate')) {
    throw new UsageError('--strategy: "rollingUpdate" must be an object, and only with "type": "RollingUpdate"');
  }
  return o as DaemonSetUpdateStrategy;
}

export function completePauseResume(verb: 'pause' | 'resume', args: readonly string[], raw: RawFlags): PauseResumeOptions {
  const strategy = str(raw, 'strategy');
  return { ...completeWrite(args, raw, `rollout ${verb}`, true), force: bool(raw, 'force'), strategy: strategy === undefined ? undefined : parseStrategy(strategy) };
}

export function completeRestart(args: readonly string[], raw: RawFlags): WriteOptions {
  return completeWrite(args, raw, 'rollout restart', true);
}

export const WHATIF_FORMATS = ['json', 'yaml', 'jsonpath=TEMPLATE', 'jsonpath-file=FILE'] as const;
const FAIL_ON: readonly FailOn[] = ['delete', 'misschedule', 'unschedulable', 'create', 'replace'];

export interface WhatIfOptions extends ReadOptions {
  change: { kind: 'apply' } | Exclude<Change, { kind: 'apply' }>;
  failOn: FailOn[];
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** kubectl taint's spec: KEY[=VALUE]:EFFECT to add, KEY[:EFFECT]- to remove. */
export function parseTaintSpec(spec: string): { taint: Taint; remove: boolean } {
  const remove = spec.endsWith('-');
  const body = remove ? spec.slice(0, -1) : spec;
  const colon = body.lastIndexOf(':');
  const kv = colon < 0 ? body : body.slice(0, colon);
  const effect = colon < 0 ? '' : body.slice(colon + 1);
  const eq = kv.indexOf('=');
  const k = eq < 0 ? kv : kv.slice(0, eq);
  const value = eq < 0 ? undefined : kv.slice(eq + 1);
  if (!remove && effect === '') throw new UsageError(`invalid taint spec "${spec}": use KEY[=VALUE]:EFFECT, or KEY[:EFFECT]- to remove`);
  if (effect !== '' && !EFFECTS.includes(effect)) throw new UsageError(`invalid taint effect "${effect}": use ${EFFECTS.join(', ')}`);
  const keyErr = labelKeyError(k);
  if (keyErr) throw new UsageError(`invalid taint key "${k}": ${keyErr}`);
  if (value !== undefined && labelValueError(value)) throw new UsageError(`invalid taint value "${value}": ${labelValueError(value)}`);
  return { taint: { key: k, ...(value !== undefined && value !== '' ? { value } : {}), effect }, remove };
}

/** kubectl label's spec: KEY=VALUE to set, KEY- to remove. */
export function parseLabelSpec(spec: string): { key: string; value: string | undefined } {
  const remove = spec.endsWith('-') && !spec.includes('=');
  const k = remove ? spec.slice(0, -1) : spec.slice(0, spec.indexOf('='));
  if (!remove && !spec.includes('=')) throw new UsageError(`invalid label spec "${spec}": use KEY=VALUE, or KEY- to remove`);
  const value = remove ? undefined : spec.slice(spec.indexOf('=') + 1);
  const keyErr = labelKeyError(k);
  if (keyErr) throw new UsageError(`invalid label key "${k}": ${keyErr}`);
  if (value !== undefined && labelValueError(value)) throw new UsageError(`invalid label value "${value}": ${labelValueError(value)}`);
  return { key: k, value };
}

function nodeTarget(names: string[], selector: string | undefined, verb: string): NodeTarget {
  if (names.length > 0 && selector) throw new UsageError(`${verb}: give node names or -l SELECTOR, not both`);
  if (selector) return { selector: parseSelectorFlag('--selector', selector), text: selector };
  if (names.length === 0) throw new UsageError(`${verb}: name the nodes (NODE..., node/NODE) or select them with -l`);
  return { names };
}

/** Node names as kubectl taint/label take them: `node NAME...`, `node/NAME`, `NAME`. */
function nodeNames(args: readonly string[]): string[] {
  const rest = args.length > 0 && ['node', 'nodes', 'no'].includes(args[0]!.toLowerCase()) ? args.slice(1) : args;
  return rest.map((a) => parseNodeRef([a]).node);
}

export function completeWhatIf(verb: 'apply' | 'taint' | 'label' | 'cordon' | 'uncordon', args: readonly string[], raw: RawFlags): WhatIfOptions {
  const selector = str(raw, 'selector');
  // The node selector belongs to the change (-l, as kubectl taint/label/cordon); DaemonSets are all in scope.
  const o = completeRead({ ...raw, selector: undefined }, [], WHATIF_FORMATS);
  // Without -n every namespace is looked at: a change to nodes touches every DaemonSet.
  const scope = { ...o.scope, allNamespaces: o.scope.namespace === undefined };
  const failOn = strings(raw, 'failOn').flatMap((f) => f.split(',')).filter(Boolean);
  for (const f of failOn) if (!FAIL_ON.includes(f as FailOn)) throw new UsageError(`--fail-on: unknown action "${f}"; use ${FAIL_ON.join(', ')}`);
  const base = { ...o, scope, failOn: failOn as FailOn[] };
  if (verb === 'apply') {
    if (args.length > 0) throw new UsageError('what-if apply takes its manifests with -f FILE, not as arguments');
    if (o.manifests.length === 0) throw new UsageError('what-if apply: give the manifests with -f FILE (a file, a directory, or - for stdin)');
    return { ...base, change: { kind: 'apply' } };
  }
  if (verb === 'cordon' || verb === 'uncordon') return { ...base, change: { kind: 'cordon', target: nodeTarget(nodeNames(args), selector, `what-if ${verb}`), unschedulable: verb === 'cordon' } };
  // kubectl: arguments with "=", ":" (taint) or a trailing "-" are specs, the others node names.
  const isSpec = (a: string): boolean => a.includes('=') || (verb === 'taint' && a.includes(':')) || a.endsWith('-');
  const specs = args.filter(isSpec);
  const target = nodeTarget(nodeNames(args.filter((a) => !isSpec(a))), selector, `what-if ${verb}`);
  if (specs.length !== 1) throw new UsageError(`what-if ${verb}: give exactly one ${verb} spec (${verb === 'taint' ? 'KEY[=VALUE]:EFFECT or KEY[:EFFECT]-' : 'KEY=VALUE or KEY-'})`);
  if (verb === 'taint') return { ...base, change: { kind: 'taint', target, ...parseTaintSpec(specs[0]!) } };
  return { ...base, change: { kind: 'label', target, ...parseLabelSpec(specs[0]!) } };
}

export interface AdvanceCommandOptions extends GlobalOptions {
  connection: ConnectionFlags;
  name: string;
  /** --dry-run (client): print the plan, change nothing. */
  dryRun: boolean;
  maxUnavailable: number | string;
  nodeSelector: Requirement[];
  /** The --nodes text as given, for messages. */
  nodesText: string | undefined;
  partition: number | undefined;
  limit: number | undefined;
  nodeTimeoutMs: number;
  nodeTimeoutText: string;
  lockTtlMs: number;
}

function nonNegativeInt(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw new UsageError(`${flag}: "${v}" is not ${min === 0 ? 'a whole number' : `a whole number of at least ${min}`}`);
  return Number(v);
}

/** --max-unavailable as the controller's field: N or N% (intstr), at least 1 node or 1%. */
function parseMaxUnavailable(v: string): number | string {
  if (/^\d+$/.test(v) && Number(v) >= 1) return Number(v);
  const m = /^(\d+)%$/.exec(v);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 100) return v;
  throw new UsageError(`--max-unavailable: "${v}" is not a number of nodes (1 or more) or a percentage of desired (1% to 100%), e.g. 2 or 25%`);
}

export function completeAdvance(args: readonly string[], raw: RawFlags): AdvanceCommandOptions {
  const name = oneDaemonSet(args, 'rollout advance');
  const dry = dryRunMode(raw);
  // A walk has no server-side dry run: the plan is computed here; say so rather than pretend.
  if (dry === 'server') throw new UsageError('--dry-run=server: a walk has no server-side dry run; --dry-run prints the plan (which nodes, in which order, in how many waves)');
  const nodeTimeoutText = str(raw, 'nodeTimeout') ?? '5m';
  const nodeTimeoutMs = parseDuration('--node-timeout', nodeTimeoutText);
  if (nodeTimeoutMs <= 0) throw new UsageError('--node-timeout must be more than 0: a new pod is waited for this long before the walk stops');
  const lockTtlMs = parseDuration('--lock-ttl', str(raw, 'lockTtl') ?? '2m');
  if (lockTtlMs < 3000) throw new UsageError('--lock-ttl must be at least 3s: the lock is renewed every third of it');
  const nodesText = str(raw, 'nodes');
  return {
    ...completeGlobal(raw),
    ...completeLive(raw),
    name,
    dryRun: dry === 'client',
    maxUnavailable: parseMaxUnavailable(str(raw, 'maxUnavailable') ?? '1'),
    nodeSelector: parseSelectorFlag('--nodes', nodesText),
    nodesText,
    partition: nonNegativeInt('--partition', str(raw, 'partition'), 0),
    limit: nonNegativeInt('--limit', str(raw, 'limit'), 1),
    nodeTimeoutMs,
    nodeTimeoutText,
    lockTtlMs,
  };
}
