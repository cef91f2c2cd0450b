// Human view of the DaemonSet tax: one row per DaemonSet (what it takes per node), then one row per node
// (or per group of nodes): what the DaemonSets take of allocatable and what is left. -o wide adds, under
// each node or group, a row per DaemonSet, and the host ports. Fits 120 columns for usual node names.

import type { ChalkInstance } from 'chalk';
import type { OverheadEntry, OverheadReport, Quantities } from '../model/overhead.ts';
import { formatQuantity, parseQuantity } from '../model/resources.ts';
import { formatColumns } from './columns.ts';
import { append } from '../util/array.ts';
import { safeText } from '../util/sanitize.ts';

export interface OverheadTableOptions {
  wide: boolean;
  noHeaders: boolean;
}

const MAIN = ['cpu', 'memory', 'pods'];

function amount(q: Quantities, res: string): number {
  return parseQuantity(q[res]) ?? 0;
}

function show(q: Quantities, res: string): string {
  return formatQuantity(res, amount(q, res));
}

/** "250m / 4": taken of allocatable. */
function ofAllocatable(total: Quantities, allocatable: Quantities, res: string): string {
  return res in allocatable ? `${show(total, res)} / ${show(allocatable, res)}` : show(total, res);
}

function leftText(c: ChalkInstance, left: Quantities, res: string): string {
  if (!(res in left)) return '-';
  const v = amount(left, res);
  const s = formatQuantity(res, v);
  return v < 0 ? c.red(s) : s;
}

function extended(q: Quantities): string {
  const keys = Object.keys(q).filter((k) => !MAIN.includes(k));
  return keys.length === 0 ? '-' : keys.map((k) => `${k}=${show(q, k)}`).join(',');
}

function range(min: Quantities, max: Quantities, res: string): string {
  const a = show(min, res);
  const b = show(max, res);
  return a === b ? a : `${a}-${b}`;
}

// Cluster- and file-provided names above go through safeText: no escape sequences reach a terminal.
function ports(p: readonly string[]): string {
  return p.length === 0 ? '-' : p.join(',');
}

function fromText(e: OverheadEntry): string {
  if (e.source === 'template') return 'template';
  if (!e.shouldRun) return 'pod, misscheduled';
  return e.bound ? 'pod' : 'pod, Pending';
}

function headerKey(k: string): string {
  return (k.split('/').pop() ?? k).toUpperCase();
}

function daemonSetRows(report: OverheadReport, wide: boolean, withExtended: boolean): string[][] {
  const rows = [['NAMESPACE', 'DAEMONSET', 'NODES', 'CPU/NODE', 'MEMORY/NODE', ...(withExtended ? ['EXTENDED/NODE'] : []), ...(wide ? ['HOST PORTS'] : [])]];
  for (const d of report.daemonSets) {
    const { min, max } = d.perNode;
    const ext = Object.keys(max).filter((k) => !MAIN.includes(k));
    rows.push([
      safeText(d.namespace),
      safeText(d.name),
      d.fromTemplate > 0 ? `${d.nodes} (${d.fromTemplate} from template)` : `${d.nodes}`,
      d.nodes === 0 ? '-' : range(min, max, 'cpu'),
      d.nodes === 0 ? '-' : range(min, max, 'memory'),
      ...(withExtended ? [ext.length === 0 ? '-' : ext.map((k) => `${k}=${range(min, max, k)}`).join(',')] : []),
      ...(wide ? [ports(d.hostPorts)] : []),
    ]);
  }
  return rows;
}

interface Line {
  lead: string[];
  count: string;
  total: Quantities;
  allocatable: Quantities;
  left: Quantities;
  hostPorts: readonly string[];
  entries: { name: string; from: string; requests: Quantities; hostPorts: readonly string[] }[];
}

export function renderOverhead(report: OverheadReport, c: ChalkInstance, opts: OverheadTableOptions): string {
  const grouped = report.groups !== undefined;
  const lines: Line[] = grouped
    ? report.groups!.map((g) => ({
        lead: [...report.groupBy.map((k) => safeText(g.labels[k] ?? '<none>')), `${g.nodes.length}`],
        count: `${g.daemonSets.reduce((s, d) => s + d.nodes, 0)}`,
        total: g.total,
        allocatable: g.allocatable,
        left: g.left,
        hostPorts: [],
        entries: g.daemonSets.map((d) => ({ name: safeText(`${d.namespace}/${d.name}`), from: `${d.nodes} node${d.nodes === 1 ? '' : 's'}`, requests: d.total, hostPorts: [] })),
      }))
    : report.nodes.map((n) => {
        const tmpl = n.daemonSets.filter((e) => e.source === 'template').length;
        return {
          lead: [safeText(n.name)],
          count: tmpl > 0 ? `${n.daemonSets.length} (${tmpl} template)` : `${n.daemonSets.length}`,
          total: n.total,
          allocatable: n.allocatable,
          left: n.left,
          hostPorts: n.hostPorts,
          entries: n.daemonSets.map((e) => ({ name: safeText(`${e.namespace}/${e.daemonSet}`), from: fromText(e), requests: e.requests, hostPorts: e.hostPorts })),
        };
      });
  const withExtended = lines.some((l) => extended(l.total) !== '-');
  const wide = opts.wide;
  const leadHeader = grouped ? [...report.groupBy.map(headerKey), 'NODES'] : ['NODE'];
  const header = [...leadHeader, 'DAEMONSETS', 'CPU', 'MEMORY', 'PODS', ...(withExtended ? ['EXTENDED'] : []), 'CPU LEFT', 'MEMORY LEFT', 'PODS LEFT', ...(wide && !grouped ? ['HOST PORTS'] : [])];
  const rows: string[][] = opts.noHeaders ? [] : [header];
  for (const l of lines) {
    rows.push([
      ...l.lead,
      l.count,
      ...MAIN.map((r) => ofAllocatable(l.total, l.allocatable, r)),
      ...(withExtended ? [extended(l.total)] : []),
      ...MAIN.map((r) => leftText(c, l.left, r)),
      ...(wide && !grouped ? [ports(l.hostPorts)] : []),
    ]);
    if (!wide) continue;
    // Under the node (group): each DaemonSet, indented, with where its numbers come from.
    const pad = leadHeader.slice(1).map(() => '');
    for (const e of l.entries) {
      rows.push([`  ${e.name}`, ...pad, e.from, ...MAIN.map((r) => show(e.requests, r)), ...(withExtended ? [extended(e.requests)] : []), '', '', '', ...(!grouped ? [ports(e.hostPorts)] : [])]);
    }
  }
  if (!opts.noHeaders && lines.length > 1) {
    const pods = report.nodes.reduce((s, n) => s + n.daemonSets.length, 0);
    const lead = grouped ? ['TOTAL', ...report.groupBy.slice(1).map(() => ''), `${report.nodes.length}`] : ['TOTAL'];
    rows.push([...lead, `${pods}`, ...MAIN.map((r) => show(report.total, r)), ...(withExtended ? [extended(report.total)] : [])]);
  }
  const out: string[] = [];
  if (!opts.noHeaders) {
    append(out, formatColumns(daemonSetRows(report, wide, Object.keys(report.total).some((k) => !MAIN.includes(k)))));
    out.push('');
  }
  append(out, formatColumns(rows));
  if (!opts.noHeaders && !report.allNodes) out.push('', c.dim('Totals cover the nodes selected with --nodes only.'));
  return `${out.join('\n')}\n`;
}
