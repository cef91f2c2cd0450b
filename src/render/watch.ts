// `coverage --watch` output: cell transitions as one-line log entries for people, or as one JSON object
// per line per changed cell for scripts (as `kubectl get -w -o json` prints one object per change).
// Cluster strings go through safeText: a node or DaemonSet name cannot move the cursor.

import type { ChalkInstance } from 'chalk';
import type { Transition } from '../model/watchState.ts';
import type { OutputFormat } from './formats.ts';
import { stateLabel } from './states.ts';
import { safeText } from '../util/sanitize.ts';

/** "worker-7 calico-node Pending → Ready"; a new cell "→ Pending (new)", a cell that went "Ready → (gone)". */
export function transitionLine(t: Transition, c: ChalkInstance): string {
  const who = `${safeText(t.cell.node)} ${safeText(t.cell.daemonSet)}`;
  if (t.type === 'ADDED') return `${who} → ${stateLabel(c, t.cell.state)} (new)`;
  if (t.type === 'DELETED') return `${who} ${stateLabel(c, t.previous ?? t.cell.state)} → (gone)`;
  return `${who} ${stateLabel(c, t.previous ?? t.cell.state)} → ${stateLabel(c, t.cell.state)}`;
}

/** HH:MM:SS in UTC, so a log read later or elsewhere is unambiguous. */
function clockText(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}

/**
 * One batch of transitions for a pipe: with -o json one line per changed cell
 * (`{"type":"MODIFIED","cell":{...},"previous":"Pending"}`), else a block headed by the time.
 */
export function renderTransitions(ts: readonly Transition[], format: OutputFormat, atMs: number, c: ChalkInstance): string {
  if (ts.length === 0) return '';
  if (format.kind === 'json') return ts.map((t) => `${JSON.stringify(t.previous === undefined ? { type: t.type, cell: t.cell } : { type: t.type, cell: t.cell, previous: t.previous })}\n`).join('');
  return `${clockText(atMs)} ${ts.length} change${ts.length === 1 ? '' : 's'}\n${ts.map((t) => `  ${transitionLine(t, c)}\n`).join('')}`;
}

/** Under the redrawn matrix on a terminal: when the matrix last changed and the latest transitions. */
export function renderWatchFooter(lastChangeMs: number | undefined, recent: readonly string[], c: ChalkInstance): string {
  const head = lastChangeMs === undefined ? c.dim('watching; no change yet (Ctrl-C to stop)') : c.dim(`last change ${clockText(lastChangeMs)} (Ctrl-C to stop)`);
  return `\n${head}\n${recent.map((l) => `  ${l}\n`).join('')}`;
}
