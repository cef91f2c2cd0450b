// Human views of the coverage report: the node × DaemonSet matrix, a legend, and per-DaemonSet
// counters compared with what the controller recorded in status. Every string that comes from the
// cluster or a file goes through safeText (no escape sequences, one line per cell).

import type { ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { CellState, isProblem, type CoverageCell, type CoverageReport, type DaemonSetSummary, type NodeSummary, type StatusCounters } from '../model/coverage.ts';
import { ReasonCode, type Reason } from '../model/reasons.ts';
import { formatColumns, visibleWidth, wrapText } from './columns.ts';
import { renderCoverageList } from './fleet.ts';
import { STATE_STYLE, stateLabel } from './states.ts';
import { safeText } from '../util/sanitize.ts';

function legend(c: ChalkInstance): string {
  return (Object.keys(STATE_STYLE) as CellState[]).map((s) => stateLabel(c, s)).join('  ');
}

export function nodeStatusText(n: NodeSummary): string {
  const ready = n.readyStatus === 'True' ? 'Ready' : n.readyStatus === 'False' ? 'NotReady' : 'Unknown';
  return n.unschedulable ? `${ready},SchedulingDisabled` : ready;
}

/** A short form of a reason for the wide PROBLEMS column. */
export function briefReason(r: Reason): string {
  const message = safeText(r.message);
  switch (r.code) {
    case ReasonCode.InsufficientResource:
      return message.split(':')[0]!;
    case ReasonCode.FailedScheduling:
      return message.replace(/(^|: )scheduler: /, '$1').replace(/ preemption:.*$/, '');
    case ReasonCode.WillBeDeleted:
      return 'controller deletes the pod';
    case ReasonCode.KeptOnNode:
      return 'pod kept (not deleted)';
    case ReasonCode.UntoleratedTaint:
      return message.split('; ')[0]!.replace(/ \(no new pod[^)]*\)$/, '');
    default:
      return message.split('; ')[0]!;
  }
}

function cellProblemText(cell: CoverageCell): string {
  const primary = cell.reasons.filter((r) => r.code !== ReasonCode.DuplicatePods && r.code !== ReasonCode.NotAvailableYet);
  let reasons = primary;
  if (cell.state === CellState.Misscheduled) {
    // Lead with what happens to the pod, then why.
    reasons = [...primary.filter((r) => r.code === ReasonCode.WillBeDeleted || r.code === ReasonCode.KeptOnNode), ...primary.filter((r) => r.code !== ReasonCode.WillBeDeleted && r.code !== ReasonCode.KeptOnNode)];
  }
  // Misscheduled: what happens to the pod, then why (e.g. "pod kept (not deleted); taint x:NoSchedule ...").
  const shown = cell.state === CellState.Misscheduled ? reasons.slice(0, 2) : reasons.slice(0, 1);
  return `${safeText(cell.daemonSet)}: ${cell.state}${shown.length > 0 ? ` (${shown.map(briefReason).join('; ')})` : ''}`;
}

function columnNames(report: CoverageReport): string[] {
  const counts = new Map<string, number>();
  for (const d of report.daemonSets) counts.set(d.name, (counts.get(d.name) ?? 0) + 1);
  return report.daemonSets.map((d) => safeText((counts.get(d.name) ?? 0) > 1 ? `${d.namespace}/${d.name}` : d.name));
}

export interface CoverageTableOptions {
  wide: boolean;
  problemsOnly: boolean;
  noHeaders?: boolean;
  /** --show-labels: every node label, last column. */
  showLabels?: boolean;
  /** -L KEY: a column per node label, after NODE (header: the key's last segment, upper-cased, as kubectl). */
  labelColumns?: readonly string[];
  /** matrix, list (a block per DaemonSet), or auto: the list when the matrix is wider than `width`. */
  layout?: 'matrix' | 'list' | 'auto';
  /** The terminal's width, or 120 in a pipe. */
  width?: number;
}

/** The matrix: nodes as rows, DaemonSets as columns, a summary row, then the legend. */
function renderCoverageMatrix(report: CoverageReport, c: ChalkInstance, opts: CoverageTableOptions): string[] {
  const dsCount = report.daemonSets.length;
  const labelKeys = opts.labelColumns ?? [];
  const header = ['NODE', ...labelKeys.map((k) => (k.split('/').pop() ?? k).toUpperCase()), ...(opts.wide ? ['STATUS'] : []), ...columnNames(report), ...(opts.wide ? ['PROBLEMS'] : []), ...(opts.showLabels ? ['LABELS'] : [])];
  const rows: string[][] = [];
  if (!opts.noHeaders) rows.push(header.map((h) => c.bold(h)));
  // Cells are laid out DaemonSet-major by computeCoverage: cells[d * nodes + n].
  const nodeCount = report.nodes.length;
  report.nodes.forEach((node, n) => {
    const cells: CoverageCell[] = [];
    for (let d = 0; d < dsCount; d++) cells.push(report.cells[d * nodeCount + n]!);
    const problems = cells.filter((x) => isProblem(x.state));
    if (opts.problemsOnly && problems.length === 0) return;
    // The row says when the node itself is the problem (NotReady, cordoned), also without -o wide.
    const mark = opts.wide ? '' : node.readyStatus !== 'True' ? ` ${c.red(`(${node.readyStatus === 'False' ? 'NotReady' : 'Unknown'})`)}` : node.unschedulable ? ` ${c.dim('(cordoned)')}` : '';
    const row = [`${safeText(node.name)}${mark}`, ...labelKeys.map((k) => safeText(node.labels[k] ?? ''))];
    if (opts.wide) row.push(node.readyStatus === 'True' ? nodeStatusText(node) : c.red(nodeStatusText(node)));
    for (const cell of cells) {
      const st = STATE_STYLE[cell.state];
      row.push(st.color(c, st.symbol));
    }
    if (opts.wide) row.push(problems.map(cellProblemText).join('; '));
    if (opts.showLabels) row.push(Object.entries(node.labels).map(([k, v]) => `${k}=${v}`).join(',') || '<none>');
    rows.push(row);
  });
  if (!opts.noHeaders) {
    const summary = [c.bold('READY/DESIRED'), ...labelKeys.map(() => ''), ...(opts.wide ? [''] : [])];
    for (const d of report.daemonSets) {
      const text = `${d.ready}/${d.desired}`;
      summary.push(d.ready === d.desired ? c.green(text) : c.yellow(text));
    }
    if (opts.wide) summary.push('');
    rows.push(summary);
  }
  const lines = formatColumns(rows);
  if (!opts.noHeaders) lines.push('', legend(c));
  return lines;
}

function countersText(s: StatusCounters): string {
  return `desired=${s.desired} current=${s.current} ready=${s.ready} updated=${s.updated} available=${s.available} misscheduled=${s.misscheduled}`;
}

function sameCounters(a: StatusCounters, b: StatusCounters): boolean {
  return (
    a.desired === b.desired &&
    a.current === b.current &&
    a.ready === b.ready &&
    a.updated === b.updated &&
    a.available === b.available &&
    a.misscheduled === b.misscheduled
  );
}

/** How the computed counters compare with the DaemonSet's recorded status; `detail` goes under the table. */
function statusVerdict(d: DaemonSetSummary, allNodes: boolean): { ok: boolean; text: string; detail?: string } {
  if (!allNodes) return { ok: true, text: 'partial (--nodes)' };
  if (!d.recorded) return { ok: true, text: 'no status recorded' };
  if (!d.statusObserved) return { ok: false, text: 'status not observed', detail: 'the controller has not yet written status for the latest spec' };
  if (sameCounters(d, d.recorded)) return { ok: true, text: 'matches status' };
  return { ok: false, text: 'status differs', detail: `the controller recorded ${countersText(d.recorded)}` };
}

interface SummaryRow {
  d: DaemonSetSummary;
  n: StatusCounters;
  strategy: string;
  revision: string;
  check: { ok: boolean; text: string };
}

function summaryTable(rows: readonly SummaryRow[], c: ChalkInstance, compact: boolean): string[] {
  const table = new Table({
    head: ['NAMESPACE', 'DAEMONSET', 'DESIRED', 'CURRENT', 'READY', compact ? 'UPDATED' : 'UP-TO-DATE', compact ? 'AVAIL' : 'AVAILABLE', 'MISSCHED', 'STRATEGY', 'REV', 'CHECK'].map((h) => c.bold(h)),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
    },
  });
  for (const r of rows) {
    const { d, n } = r;
    table.push([safeText(d.namespace), safeText(d.name), String(n.desired), String(n.current), String(n.ready), String(n.updated), String(n.available), String(n.misscheduled), r.strategy, compact && r.revision === '<none>' ? '-' : r.revision, r.check.ok ? r.check.text : c.yellow(r.check.text)]);
  }
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd());
}

/**
 * Per-DaemonSet counters (small: one row per DaemonSet, so cli-table3 is fine here). Long verdicts go
 * under the table; when it is still wider than `width` (long names), shorter headers, then one line per
 * DaemonSet: never a wrapped row.
 */
function renderDaemonSetSummary(report: CoverageReport, c: ChalkInstance, width = 120): string {
  // Without the node list (RBAC) nothing can be summed: show the controller's own counters instead.
  const nodesUnknown = report.gaps.some((g) => g.resource === 'nodes');
  const notes: string[] = [];
  const rows: SummaryRow[] = report.daemonSets.map((d) => {
    const v = nodesUnknown ? { ok: false, text: 'not checked', detail: "not checked: nodes unreadable; the counters are the controller's own" } : statusVerdict(d, report.allNodes);
    if ('detail' in v && v.detail) notes.push(`${d.namespace}/${d.name}: ${v.detail}`);
    if (d.pauseReverted) notes.push(`${d.namespace}/${d.name}: ${d.updateStrategy} (pause reverted): the strategy was restored after rollout pause, pods are replaced again; rollout pause pauses again`);
    // Short words in the column, the long story under the table.
    const strategy = d.paused ? c.yellow('Paused') : d.pauseReverted ? c.yellow('PauseReverted') : d.updateStrategy;
    return { d, n: nodesUnknown && d.recorded ? d.recorded : d, strategy, revision: d.currentRevision !== undefined ? String(d.currentRevision) : '<none>', check: v };
  });
  const fits = (lines: string[]): boolean => lines.every((l) => visibleWidth(l) <= width);
  let lines = summaryTable(rows, c, false);
  if (!fits(lines)) lines = summaryTable(rows, c, true);
  if (!fits(lines)) {
    lines = rows.flatMap((r) => wrapText(`${c.bold(safeText(`${r.d.namespace}/${r.d.name}`))}  desired ${r.n.desired}, current ${r.n.current}, ready ${r.n.ready}, up to date ${r.n.updated}, available ${r.n.available}, misscheduled ${r.n.misscheduled}; ${r.strategy}, revision ${r.revision}; ${r.check.ok ? r.check.text : c.yellow(r.check.text)}`, width, 4));
  }
  return [...lines, ...notes.flatMap((x) => wrapText(x, width).map((l) => c.yellow(l)))].join('\n');
}

export function renderCoverageTable(report: CoverageReport, c: ChalkInstance, opts: CoverageTableOptions): string {
  const width = opts.width ?? 120;
  if (report.gaps.some((g) => g.resource === 'nodes')) return `${renderDaemonSetSummary(report, c, width)}\n`;
  let body = renderCoverageMatrix(report, c, opts);
  const tooWide = body.some((l) => visibleWidth(l) > width);
  if (opts.layout === 'list' || (opts.layout !== 'matrix' && tooWide)) body = renderCoverageList(report, c, width);
  const parts = [body.join('\n')];
  if (!opts.noHeaders) parts.push('', renderDaemonSetSummary(report, c, width));
  return `${parts.join('\n')}\n`;
}
