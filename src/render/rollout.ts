// Rendering for `rollout status` and `rollout history`: plain text for people (colour via the given
// chalk), the same reports as JSON/YAML for machines elsewhere. Names, hashes, change-causes, images
// and template text come from the cluster or a file: safeText each (no escape sequences, one line).

import type { ChalkInstance } from 'chalk';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { AdvancePlan } from '../model/advance.ts';
import type { PolicyVerdict } from '../model/policies.ts';
import type { HistoryRow } from '../model/rollout.ts';
import type { RolloutStatusView } from '../model/rolloutStatus.ts';
import type { PodTemplateSpec } from '../model/types.ts';
import { briefReason } from './coverage.ts';
import { formatColumns } from './columns.ts';
import { safeText } from '../util/sanitize.ts';

const BAR_WIDTH = 24;

function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const frac = total <= 0 ? 1 : Math.min(1, done / total);
  const full = Math.round(frac * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/** Budget in effect, as the controller computes it (percentages round up; 0/0 means maxUnavailable 1). */
function budgetLine(v: RolloutStatusView): string | undefined {
  const b = v.budget;
  if (!b) return undefined;
  if (b.error) return `budget: ${safeText(b.error)}`;
  const note = b.safetyNet ? ' (both 0: the controller uses maxUnavailable 1)' : '';
  return `budget: maxUnavailable ${b.maxUnavailable}, maxSurge ${b.maxSurge} of ${v.desired} desired${note}`;
}

const MAX_BLOCKING_LINES = 10;

export function renderRolloutStatus(v: RolloutStatusView, c: ChalkInstance, opts: { verbose: boolean }): string {
  const message = safeText(v.message);
  const lines: string[] = [v.done ? c.green(message) : message];
  if (v.mode === 'RollingUpdate' || !v.done) {
    lines.push(`  ${progressBar(v.updated, v.desired)} ${v.updated}/${v.desired} updated, ${v.available}/${v.desired} available${v.currentRevision !== undefined ? ` (revision ${v.currentRevision})` : ''}`);
  }
  const budget = budgetLine(v);
  if (budget && (opts.verbose || !v.done)) lines.push(`  ${budget}`);
  if (!v.done || opts.verbose) {
    const shown = v.blocking.slice(0, MAX_BLOCKING_LINES);
    for (const b of shown) {
      const why = b.reasons[0] ? `: ${briefReason(b.reasons[0])}` : '';
      lines.push(`  ${c.yellow(safeText(b.node))} ${b.state}${why}`);
    }
    if (v.blocking.length > shown.length) lines.push(`  ... and ${v.blocking.length - shown.length} more nodes (-o json lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--policy X` (not kubectl): the policy's verdict in kubectl's place, and only the nodes that hold that verdict up. */
export function renderPolicyStatus(v: RolloutStatusView, verdict: PolicyVerdict, c: ChalkInstance, opts: { verbose: boolean }): string {
  const blocking = new Set(verdict.blocking);
  // renderRolloutStatus sanitizes the message (a kstatus message may quote a status condition).
  const message = `daemon set "${v.name}": ${verdict.policy} says ${verdict.verdict}${verdict.message ? `: ${verdict.message}` : ''}`;
  return renderRolloutStatus({ ...v, done: verdict.done, message, blocking: v.blocking.filter((b) => blocking.has(b.node)) }, c, opts);
}

const MAX_BLOCKING_NAMES = 5;

/** `--policy all`: one row per DaemonSet and policy, each verdict in the tool's own words. */
export function renderPolicyTable(entries: readonly { view: RolloutStatusView; verdicts: readonly PolicyVerdict[] }[], c: ChalkInstance): string {
  const namespaces = new Set(entries.map((e) => e.view.namespace));
  const rows = entries.flatMap((e) =>
    e.verdicts.map((p) => {
      const shown = p.blocking.slice(0, MAX_BLOCKING_NAMES).map(safeText).join(',');
      const more = p.blocking.length > MAX_BLOCKING_NAMES ? ` +${p.blocking.length - MAX_BLOCKING_NAMES} more` : '';
      return [
        namespaces.size > 1 ? `${e.view.namespace}/${e.view.name}` : e.view.name,
        p.policy,
        p.done ? c.green(p.verdict) : p.failed ? c.red(p.verdict) : c.yellow(p.verdict),
        shown === '' ? '-' : `${shown}${more}`,
        safeText(p.message),
      ];
    }),
  );
  return `${formatColumns([['DAEMONSET', 'POLICY', 'VERDICT', 'BLOCKING', 'MESSAGE'], ...rows]).join('\n')}\n`;
}

function age(createdAt: string | undefined, nowMs: number): string {
  if (!createdAt) return '<unknown>';
  const s = Math.max(0, Math.floor((nowMs - Date.parse(createdAt)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function renderHistory(kindName: string, rows: readonly HistoryRow[], c: ChalkInstance, opts: { wide: boolean; nowMs: number; noHeaders?: boolean }): string {
  const header = ['REVISION', 'CURRENT', 'HASH', 'AGE', 'CHANGE-CAUSE', 'IMAGES', 'PODS', ...(opts.wide ? ['NODES'] : [])];
  const body = rows.map((r) => [
    String(r.revision),
    r.current ? c.green('*') : '',
    safeText(r.hash),
    age(r.createdAt, opts.nowMs),
    r.changeCause === undefined ? '<none>' : safeText(r.changeCause),
    safeText(r.images.join(',')),
    String(r.pods),
    ...(opts.wide ? [safeText(r.nodes.join(',')) || '<none>'] : []),
  ]);
  if (opts.noHeaders) return `${formatColumns(body).join('\n')}\n`;
  return `${safeText(kindName)}\n${formatColumns([header, ...body]).join('\n')}\n`;
}

/** Strategic-merge directives ("$patch": "replace" in revision data) are not part of the template. */
function withoutDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutDirectives);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, withoutDirectives(x)]));
}

/** YAML escapes C0 controls in strings but prints C1 controls (8-bit CSI) raw: strip them per line. */
export function templateYaml(t: PodTemplateSpec | undefined): string {
  const text = stringify(withoutDirectives(t ?? {}), { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: true });
  return text.split('\n').map(safeText).join('\n');
}

/** Unified diff of two pod templates (YAML with sorted keys, so only real changes show). */
export function templateDiff(aName: string, a: PodTemplateSpec | undefined, bName: string, b: PodTemplateSpec | undefined, c: ChalkInstance): string {
  const patch = createTwoFilesPatch(safeText(aName), safeText(bName), templateYaml(a), templateYaml(b), undefined, undefined, { context: 3 });
  const lines = patch.split('\n').filter((l) => !l.startsWith('====='));
  return `${lines
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? c.green(l) : l.startsWith('-') && !l.startsWith('---') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
    .join('\n')
    .trimEnd()}\n`;
}

const MAX_NODE_NAMES = 20;

function nodeList(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NODE_NAMES).map(safeText).join(', ');
  return names.length > MAX_NODE_NAMES ? `${shown} and ${names.length - MAX_NODE_NAMES} more` : shown;
}

/** `rollout advance --dry-run`: which nodes, in which order, in how many waves, and what is left alone. */
export function renderAdvancePlan(name: string, plan: AdvancePlan, c: ChalkInstance): string {
  const lines: string[] = [];
  const n = plan.order.length;
  lines.push(
    `daemon set "${safeText(name)}" (${plan.mode === 'Paused' ? 'paused' : 'OnDelete'}): ${plan.oldNodes.length} of ${plan.desired} nodes run an older revision; ` +
      `this walk advances ${n} node${n === 1 ? '' : 's'} in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'} (max unavailable ${plan.budget}, ${plan.unavailable.length} node${plan.unavailable.length === 1 ? '' : 's'} unavailable now)`,
  );
  plan.waves.forEach((w, i) => {
    lines.push(`  wave ${i + 1}: ${w.map((p) => `${c.cyan(safeText(p.node))} (pod ${safeText(p.pod)}${p.revision !== undefined ? `, revision ${p.revision}` : ''}${p.alreadyUnavailable ? ', already not available' : ''})`).join(', ')}`);
  });
  if (plan.blocked) lines.push(`  ${c.yellow('blocked')}: ${safeText(plan.blocked)}`);
  for (const s of plan.skipped) lines.push(`  skipped ${c.yellow(safeText(s.node))}: ${safeText(s.reason)}`);
  return `${lines.join('\n')}\n`;
}

/** One line of a walk's progress, as `rollout status` draws it. */
export function renderAdvanceProgress(p: { updated: number; desired: number; available: number; revision: number | undefined; note: string }): string {
  return `  ${progressBar(p.updated, p.desired)} ${p.updated}/${p.desired} updated, ${p.available}/${p.desired} available${p.revision !== undefined ? ` (revision ${p.revision})` : ''}${p.note ? ` ${safeText(p.note)}` : ''}\n`;
}

/** The end of a walk: the nodes still on older revisions. */
export function renderAdvanceRemaining(oldNodes: readonly string[], desired: number): string {
  if (oldNodes.length === 0) return 'every node runs the current revision\n';
  return `${oldNodes.length} of ${desired} node${desired === 1 ? '' : 's'} still run${oldNodes.length === 1 ? 's' : ''} an older revision: ${nodeList(oldNodes)}\n`;
}
