// Human view of `what-if`: only what changes, grouped by DaemonSet and action, then the rollouts.
// Names and reasons come from the cluster or a file: safeText each (no escape sequences, one line).

import type { ChalkInstance } from 'chalk';
import type { Action, CellChange, WhatIfReport } from '../model/whatIf.ts';
import { safeText } from '../util/sanitize.ts';

const WORDS: Record<Action, string> = {
  create: 'pod created',
  delete: 'pod deleted by the controller',
  misschedule: 'pod kept but misscheduled (no new pod would be placed)',
  unmisschedule: 'pod no longer misscheduled',
  replace: 'pod replaced by the rollout',
  outdated: 'pod left on the old revision (OnDelete: replaced only when deleted)',
};

const ORDER: Action[] = ['delete', 'misschedule', 'create', 'replace', 'outdated', 'unmisschedule'];

function color(c: ChalkInstance, a: Action, s: string): string {
  return a === 'delete' ? c.red(s) : a === 'misschedule' ? c.magenta(s) : a === 'create' ? c.green(s) : c.cyan(s);
}

export function renderWhatIf(r: WhatIfReport, c: ChalkInstance): string {
  const lines: string[] = [`${c.bold('what-if')}: ${safeText(r.change)}`];
  if (!r.fitChecked) lines.push(c.yellow('  (not every pod of the nodes was read: whether new pods fit is not checked)'));
  if (r.admission === null) lines.push(c.dim('  (a snapshot: admission is not asked; the templates are evaluated as written)'));
  for (const a of r.admission ?? []) if (a.changes.length > 0) lines.push(c.yellow(safeText(`  admission changes ${a.namespace}/${a.daemonSet}: ${a.changes.join('; ')}`)));
  const byDs = new Map<string, CellChange[]>();
  for (const ch of r.changes) {
    const k = safeText(`${ch.namespace}/${ch.daemonSet}`);
    // Appended in place: copying the list per change is quadratic on a change that touches every node.
    const list = byDs.get(k);
    if (list) list.push(ch);
    else byDs.set(k, [ch]);
  }
  if (byDs.size === 0) lines.push('', 'No DaemonSet pod is created, deleted, replaced or misscheduled by this change.');
  for (const [ds, cells] of byDs) {
    lines.push('', c.bold(ds));
    for (const a of ORDER) {
      const hit = cells.filter((x) => x.action === a);
      if (hit.length === 0) continue;
      lines.push(`  ${color(c, a, WORDS[a])} on ${hit.length} node${hit.length === 1 ? '' : 's'}: ${safeText(hit.map((h) => h.node).join(', '))}`);
      const why = [...new Set(hit.flatMap((h) => (a === 'delete' || a === 'misschedule' ? h.reasons : [])))];
      for (const w of why.slice(0, 3)) lines.push(`    ${safeText(w)}`);
      for (const h of hit) if (h.unschedulable) lines.push(c.yellow(safeText(`    ${h.node}: will be Pending: ${h.unschedulable.join('; ')}`)));
    }
  }
  for (const p of r.rollouts) {
    lines.push('', `${c.bold(safeText(`${p.namespace}/${p.daemonSet}`))} template changes: ${p.pods} pod${p.pods === 1 ? '' : 's'} ${p.strategy === 'OnDelete' ? 'stay on the old revision until deleted (OnDelete)' : `replaced in ${p.waves} wave${p.waves === 1 ? '' : 's'} (maxUnavailable ${p.maxUnavailable}, maxSurge ${p.maxSurge})`}`);
    for (const n of p.noRoomForSurge) lines.push(c.yellow(safeText(`  ${n.node} cannot take a surge pod: ${n.reasons.join('; ')}`)));
  }
  return `${lines.join('\n')}\n`;
}
