// Human view of `why-not NODE`: the node, then each DaemonSet's verdict and every reason. Names,
// labels, taints, tolerations and reason messages come from the cluster or a file: safeText each.

import type { ChalkInstance } from 'chalk';
import { CellState, type WhyNotReport, type WhyNotResult } from '../model/coverage.ts';
import { ReasonCode } from '../model/reasons.ts';
import { tolerationToString } from '../model/taints.ts';
import { formatColumns, wrapText } from './columns.ts';
import { nodeStatusText } from './coverage.ts';
import { stateLabel } from './states.ts';
import { safeText } from '../util/sanitize.ts';
import { append } from '../util/array.ts';

function verdictText(r: WhyNotResult): string {
  if (r.shouldRun) return 'the controller wants a pod here';
  if (r.shouldContinueRunning) return 'no new pod here, an existing pod may stay';
  return 'the controller keeps this DaemonSet off the node';
}

/** The controller's default tolerations every DaemonSet here gets (printed once per node, not per DaemonSet). */
function commonControllerTolerations(report: WhyNotReport): Set<string> {
  const sets = report.results.map((r) => new Set(r.tolerations.filter((t) => t.source === 'controller').map((t) => safeText(tolerationToString(t)))));
  const first = sets[0] ?? new Set<string>();
  return new Set([...first].filter((t) => sets.every((x) => x.has(t))));
}

function tolerationLines(r: WhyNotResult, common: Set<string>, c: ChalkInstance): string[] {
  const fromTemplate = r.tolerations.filter((t) => t.source === 'template').map((t) => safeText(tolerationToString(t)));
  const extra = r.tolerations.filter((t) => t.source === 'controller').map((t) => safeText(tolerationToString(t))).filter((t) => !common.has(t));
  return [
    c.dim(`      tolerations from the template: ${fromTemplate.length ? fromTemplate.join(', ') : '<none>'}`),
    ...(extra.length > 0 ? [c.dim(`      also added by the controller for this DaemonSet (hostNetwork): ${extra.join(', ')}`)] : []),
  ];
}

export function renderWhyNot(report: WhyNotReport, c: ChalkInstance, opts: { noHeaders?: boolean } = {}): string {
  const n = report.nodeInfo;
  const lines: string[] = [];
  if (n) {
    const status = nodeStatusText(n);
    lines.push(`${c.bold('Node')} ${c.bold(safeText(report.node))}: ${n.readyStatus === 'True' ? status : c.red(status)}`);
    // One label and one taint per line, as `kubectl describe node` prints them.
    const labels = Object.entries(n.labels).map(([k, v]) => safeText(`${k}=${v}`));
    const taints = n.taints.map(safeText);
    lines.push(`  labels: ${labels[0] ?? '<none>'}`, ...labels.slice(1).map((l) => `          ${l}`));
    lines.push(`  taints: ${taints[0] ?? '<none>'}`, ...taints.slice(1).map((t) => `          ${t}`));
    const common = commonControllerTolerations(report);
    if (common.size > 0 && report.results.some((r) => r.reasons.some((x) => x.code === ReasonCode.UntoleratedTaint))) {
      append(lines, wrapText(`  tolerations the DaemonSet controller adds to every pod: ${[...common].join(', ')}`, 120, 4).map((l) => c.dim(l)));
    }
  } else {
    lines.push(`${c.bold('Node')} ${c.bold(safeText(report.node))}: ${c.yellow('not readable')} (see the warning): only the DaemonSets' pods on it are judged, not whether the node should run them`);
  }
  lines.push('');
  if (report.results.length === 0) {
    lines.push(report.withoutPod?.length ? `No pod of the ${report.withoutPod.length} DaemonSets in scope is on this node (whether one should be cannot be known without the node).` : 'No DaemonSets in scope.');
    return `${lines.join('\n')}\n`;
  }
  const rows: string[][] = opts.noHeaders ? [] : [['DAEMONSET', 'STATE', 'SHOULD-RUN', 'KEEP-EXISTING', 'PODS'].map((h) => c.bold(h))];
  for (const r of report.results) {
    rows.push([
      safeText(`${r.namespace}/${r.daemonSet}`),
      stateLabel(c, r.state),
      !report.eligibilityKnown ? '?' : r.shouldRun ? 'yes' : 'no',
      !report.eligibilityKnown ? '?' : r.shouldContinueRunning ? 'yes' : 'no',
      r.pods.length ? safeText(r.pods.map((p) => p.name).join(',')) : '<none>',
    ]);
  }
  append(lines, formatColumns(rows));
  lines.push('');
  for (const r of report.results) {
    if (r.state === CellState.Ready && r.reasons.length === 0) continue;
    const verdict = report.eligibilityKnown ? verdictText(r) : 'a pod of it is on the node';
    lines.push(`${c.bold(safeText(`${r.namespace}/${r.daemonSet}`))}: ${stateLabel(c, r.state)}, ${verdict}`);
    // The tolerations follow the first taint reason only (found once: a node may have thousands).
    const firstTaint = r.reasons.find((x) => x.code === ReasonCode.UntoleratedTaint);
    for (const reason of r.reasons) {
      lines.push(`    ${c.bold(reason.code)}: ${safeText(reason.message)}`);
      if (reason === firstTaint) {
        append(lines, tolerationLines(r, commonControllerTolerations(report), c));
      }
    }
    lines.push('');
  }
  const ready = report.results.filter((r) => r.state === CellState.Ready && r.reasons.length === 0).length;
  if (report.withoutPod && report.withoutPod.length > 0) {
    lines.push(c.dim(`${report.withoutPod.length} DaemonSet${report.withoutPod.length === 1 ? ' has' : 's have'} no pod on this node (whether they should cannot be known without the node): ${safeText(report.withoutPod.join(', '))}`));
  }
  if (ready > 0) lines.push(c.dim(`${ready} DaemonSet${ready === 1 ? '' : 's'} run${ready === 1 ? 's' : ''} Ready and up to date on this node.`));
  return `${lines.join('\n').trimEnd()}\n`;
}
