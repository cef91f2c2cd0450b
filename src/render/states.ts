// The symbol and colour of each cell state, shared by every human view.

import type { ChalkInstance } from 'chalk';
import type { CellState } from '../model/coverage.ts';

interface StateStyle {
  symbol: string;
  color: (c: ChalkInstance, s: string) => string;
}

export const STATE_STYLE: Record<CellState, StateStyle> = {
  Ready: { symbol: '✔', color: (c, s) => c.green(s) },
  Outdated: { symbol: '↻', color: (c, s) => c.cyan(s) },
  Pending: { symbol: '◷', color: (c, s) => c.yellow(s) },
  NotReady: { symbol: '✖', color: (c, s) => c.red(s) },
  Missing: { symbol: '!', color: (c, s) => c.red.bold(s) },
  Misscheduled: { symbol: '⚠', color: (c, s) => c.magenta(s) },
  Excluded: { symbol: '·', color: (c, s) => c.dim(s) },
};

export function stateLabel(c: ChalkInstance, state: CellState): string {
  const st = STATE_STYLE[state];
  return st.color(c, `${st.symbol} ${state}`);
}

