// Fleet views of a coverage report, pure: node pools instead of 2,000 rows (--group-by LABEL), only what
// has a problem (--problems, for machines too), and the CI gate (--fail-on STATES, --expect-nodes SELECTOR).
// Cells are laid out DaemonSet-major by computeCoverage: cells[d * nodes.length + n].

import { CellState, isProblem, type CoverageCell, type CoverageReport } from './coverage.ts';
import { requirementMatches, type Requirement } from './labels.ts';

interface GroupCell {
  namespace: string;
  daemonSet: string;
  /** Nodes of the group that should run the pod, and of those, the Ready ones. */
  desired: number;
  ready: number;
  /** Cells per state (every state present, zeros included, so scripts need no defaults). */
  states: Record<CellState, number>;
}

export interface NodeGroup {
  /** The label values that define the group; null for a node without the label. */
  labels: Record<string, string | null>;
  /** `value[/value...]`, `<none>` for a missing label. */
  name: string;
  nodes: number;
  cells: GroupCell[];
  /** The nodes with a problem cell, and which. */
  problemNodes: { node: string; namespace: string; daemonSet: string; state: CellState }[];
}

const STATES = Object.values(CellState);

function emptyStates(): Record<CellState, number> {
  return Object.fromEntries(STATES.map((s) => [s, 0])) as Record<CellState, number>;
}

/** One group per distinct combination of the label values; nodes without a label form their own group. */
export function groupCoverage(report: CoverageReport, labels: readonly string[]): NodeGroup[] {
  const n = report.nodes.length;
  const byName = new Map<string, { labels: Record<string, string | null>; nodeIdx: number[] }>();
  report.nodes.forEach((node, i) => {
    const values = Object.fromEntries(labels.map((l) => [l, node.labels[l] ?? null]));
    const name = labels.map((l) => values[l] ?? '<none>').join('/');
    const g = byName.get(name) ?? { labels: values, nodeIdx: [] };
    g.nodeIdx.push(i);
    byName.set(name, g);
  });
  const groups: NodeGroup[] = [];
  for (const [name, g] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const cells: GroupCell[] = [];
    const problemNodes: NodeGroup['problemNodes'] = [];
    report.daemonSets.forEach((d, di) => {
      const states = emptyStates();
      let desired = 0;
      let ready = 0;
      for (const ni of g.nodeIdx) {
        const c = report.cells[di * n + ni]!;
        states[c.state]++;
        if (c.shouldRun) desired++;
        if (c.shouldRun && c.counted.ready) ready++;
        if (isProblem(c.state)) problemNodes.push({ node: c.node, namespace: c.namespace, daemonSet: c.daemonSet, state: c.state });
      }
      cells.push({ namespace: d.namespace, daemonSet: d.name, desired, ready, states });
    });
    groups.push({ labels: g.labels, name, nodes: g.nodeIdx.length, cells, problemNodes });
  }
  return groups;
}

/** --problems: only nodes with a problem cell, and only DaemonSets with a problem somewhere. */
export function problemsOnly(report: CoverageReport): CoverageReport {
  const n = report.nodes.length;
  const keepDs = report.daemonSets.map((_, di) => report.cells.slice(di * n, (di + 1) * n).some((c) => isProblem(c.state)));
  const keepNode = report.nodes.map((_, ni) => report.daemonSets.some((_d, di) => isProblem(report.cells[di * n + ni]!.state)));
  const cells: CoverageCell[] = [];
  report.daemonSets.forEach((_, di) => {
    if (!keepDs[di]) return;
    for (let ni = 0; ni < n; ni++) if (keepNode[ni]) cells.push(report.cells[di * n + ni]!);
  });
  return { ...report, daemonSets: report.daemonSets.filter((_, i) => keepDs[i]), nodes: report.nodes.filter((_, i) => keepNode[i]), cells };
}

export interface GateFailure {
  node: string;
  namespace: string;
  daemonSet: string;
  state: CellState | 'NoneDesired';
  reason: string;
}

export const DEFAULT_FAIL_ON: readonly CellState[] = [CellState.Missing, CellState.Pending, CellState.NotReady, CellState.Misscheduled];

/**
 * The CI gate. `failOn`: every cell in one of these states fails. `expectNodes`: every node matching the
 * selector must run every DaemonSet in scope Ready and up to date; an excluded node fails too, with the
 * rule that excludes it; a DaemonSet with DESIRED 0 while nodes match fails (the silent "0/0" case).
 */
export function coverageGate(report: CoverageReport, opts: { failOn: readonly CellState[]; expectNodes?: Requirement[] | undefined }): GateFailure[] {
  const out: GateFailure[] = [];
  const n = report.nodes.length;
  const expected = opts.expectNodes ? report.nodes.map((node) => opts.expectNodes!.every((r) => requirementMatches(r, node.labels))) : undefined;
  report.daemonSets.forEach((d, di) => {
    let desiredOnExpected = 0;
    for (let ni = 0; ni < n; ni++) {
      const c = report.cells[di * n + ni]!;
      const why = c.reasons[0]?.message ?? '';
      if (expected?.[ni]) {
        if (c.shouldRun) desiredOnExpected++;
        if (c.state !== CellState.Ready) {
          out.push({ node: c.node, namespace: c.namespace, daemonSet: c.daemonSet, state: c.state, reason: c.state === CellState.Excluded ? `expected to run here, but excluded: ${why}` : why });
          continue;
        }
      }
      if (opts.failOn.includes(c.state)) out.push({ node: c.node, namespace: c.namespace, daemonSet: c.daemonSet, state: c.state, reason: why });
    }
    const matching = expected?.filter(Boolean).length ?? 0;
    if (expected && matching > 0 && desiredOnExpected === 0) {
      out.push({ node: '*', namespace: d.namespace, daemonSet: d.name, state: 'NoneDesired', reason: `DESIRED is 0 on the ${matching} node${matching === 1 ? '' : 's'} that match --expect-nodes` });
    }
  });
  return out;
}
