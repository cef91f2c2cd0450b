// Fleet views for people: node pools as rows (--group-by), and the per-DaemonSet list that replaces the
// matrix when it is wider than the terminal (--layout list|auto): never a wrapped table. Group names
// (label values), node and DaemonSet names come from the cluster or a file: safeText each.

import type { ChalkInstance } from 'chalk';
import { CellState, isProblem, type CoverageReport } from '../model/coverage.ts';
import type { NodeGroup } from '../model/fleet.ts';
import { formatColumns, visibleWidth, wrapText } from './columns.ts';
import { STATE_STYLE, stateLabel } from './states.ts';
import { append } from '../util/array.ts';
import { safeText } from '../util/sanitize.ts';

const PROBLEM_STATES: CellState[] = [CellState.Missing, CellState.Pending, CellState.NotReady, CellState.Misscheduled, CellState.Outdated];

/** "a, b, c and 7 more", cut to fit `width` characters after `indent`. */
function nodeList(names: readonly string[], width: number, indent: number): string {
  let out = '';
  let shown = 0;
  for (const n of names) {
    const next = out === '' ? n : `${out}, ${n}`;
    const rest = names.length - shown - 1;
    if (indent + next.length + (rest > 0 ? ` and ${rest} more`.length : 0) > width && shown > 0) break;
    out = next;
    shown++;
  }
  return shown < names.length ? `${out} and ${names.length - shown} more` : out;
}

function columnName(report: CoverageReport, i: number): string {
  const d = report.daemonSets[i]!;
  const dup = report.daemonSets.filter((x) => x.name === d.name).length > 1;
  return safeText(dup ? `${d.namespace}/${d.name}` : d.name);
}

/** One block per DaemonSet: its counters, then the nodes in each problem state. */
export function renderCoverageList(report: CoverageReport, c: ChalkInstance, width: number): string[] {
  const n = report.nodes.length;
  const lines: string[] = [];
  report.daemonSets.forEach((d, di) => {
    const cells = report.cells.slice(di * n, (di + 1) * n);
    const head = `${c.bold(safeText(`${d.namespace}/${d.name}`))}  ready ${d.ready}/${d.desired}, up to date ${d.updated}, available ${d.available}, misscheduled ${d.misscheduled}`;
    append(lines, wrapText(head, width, 4));
    let any = false;
    for (const st of PROBLEM_STATES) {
      const names = cells.filter((x) => x.state === st).map((x) => safeText(x.node));
      if (names.length === 0) continue;
      any = true;
      const label = `  ${stateLabel(c, st)} (${names.length}): `;
      lines.push(`${label}${nodeList(names, width, `  ${STATE_STYLE[st].symbol} ${st} (${names.length}): `.length)}`);
    }
    if (!any) lines.push(c.dim('  no node with a problem'));
  });
  return lines;
}

function groupCellText(cell: NodeGroup['cells'][number]): string {
  const parts = [`${cell.ready}/${cell.desired}`];
  for (const st of PROBLEM_STATES) if (cell.states[st] > 0) parts.push(`${STATE_STYLE[st].symbol}${cell.states[st]}`);
  return parts.join(' ');
}

/** One row per group, one cell per DaemonSet (ready/desired and the count of each problem state). */
export function renderGroups(report: CoverageReport, groups: readonly NodeGroup[], labels: readonly string[], c: ChalkInstance, opts: { width: number; noHeaders: boolean }): string {
  const header = [safeText(labels.join('/').toUpperCase()), 'NODES', ...report.daemonSets.map((_, i) => columnName(report, i))];
  const rows = groups.map((g) => [safeText(g.name), String(g.nodes), ...g.cells.map((cell) => (cell.desired === 0 && !Object.entries(cell.states).some(([s, k]) => k > 0 && isProblem(s as CellState)) ? c.dim('·') : groupCellText(cell)))]);
  const table = formatColumns(opts.noHeaders ? rows : [header.map((h) => c.bold(h)), ...rows]);
  const fits = (lines: string[]): boolean => lines.every((l) => visibleWidth(l) <= opts.width);
  let lines: string[] = table;
  if (!fits(lines)) {
    // Too many DaemonSets for a row per group: groups as columns, a row per DaemonSet.
    const tHeader = ['DAEMONSET', ...groups.map((g) => `${safeText(g.name)} (${g.nodes})`)];
    const tRows = report.daemonSets.map((d, i) => [safeText(`${d.namespace}/${d.name}`), ...groups.map((g) => groupCellText(g.cells[i]!))]);
    lines = formatColumns(opts.noHeaders ? tRows : [tHeader.map((h) => c.bold(h)), ...tRows]);
  }
  if (!fits(lines)) {
    // Still too wide (many groups): a block per group.
    lines = [];
    for (const g of groups) {
      lines.push(`${c.bold(safeText(g.name))} (${g.nodes} node${g.nodes === 1 ? '' : 's'})`);
      for (const cell of g.cells) if (cell.desired > 0 || cell.states.Misscheduled > 0) lines.push(`  ${safeText(`${cell.namespace}/${cell.daemonSet}`)}: ${groupCellText(cell)}`);
    }
  }
  if (opts.noHeaders) return `${lines.join('\n')}\n`;
  lines.push('', c.dim(`ready/desired, then problem counts: ${PROBLEM_STATES.map((s) => `${STATE_STYLE[s].symbol} ${s}`).join('  ')}`));
  const problems = groups.flatMap((g) => g.problemNodes.map((p) => ({ ...p, group: g.name })));
  if (problems.length > 0) {
    lines.push('', c.bold('Problem nodes'));
    const byDsState = new Map<string, string[]>();
    for (const p of problems) {
      const k = safeText(`${p.namespace}/${p.daemonSet} ${p.state}`);
      // Appended in place: copying the list per node is quadratic when thousands of nodes have a problem.
      const list = byDsState.get(k);
      if (list) list.push(safeText(p.node));
      else byDsState.set(k, [safeText(p.node)]);
    }
    for (const [k, names] of byDsState) lines.push(`  ${k} (${names.length}): ${nodeList(names, opts.width, k.length + 8)}`);
  }
  return `${lines.join('\n')}\n`;
}
