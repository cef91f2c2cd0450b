// kubectl-style columns: no borders, each column padded to its widest cell, three spaces apart.
// Written line by line so thousands of rows cost milliseconds (cli-table3 takes seconds there).

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleWidth(s: string): number {
  const plain = s.includes('\x1b') ? s.replace(ANSI, '') : s;
  let n = 0;
  for (const _ of plain) n++;
  return n;
}

export function formatColumns(rows: readonly (readonly string[])[], gap = 3): string[] {
  const widths: number[] = [];
  const cellWidths = rows.map((r) =>
    r.map((cell, i) => {
      const w = visibleWidth(cell);
      if (w > (widths[i] ?? 0)) widths[i] = w;
      return w;
    }),
  );
  const sep = ' '.repeat(gap);
  return rows.map((r, ri) => {
    let line = '';
    const last = r.length - 1;
    for (let i = 0; i <= last; i++) {
      const cell = r[i]!;
      line += cell;
      if (i < last) line += ' '.repeat(widths[i]! - cellWidths[ri]![i]!) + sep;
    }
    return line.trimEnd();
  });
}

/** Word-wrap plain text to `width` columns; continuation lines are indented by `indent` spaces. */
export function wrapText(text: string, width: number, indent = 2): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (visibleWidth(next) > width && line !== '') {
      out.push(line);
      line = `${' '.repeat(indent)}${word}`;
    } else line = next;
  }
  if (line !== '') out.push(line);
  return out;
}
