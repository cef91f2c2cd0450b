// Text from a server or a file, made safe to print on a terminal. Event messages, container state
// messages, annotations and names can hold escape sequences (set the title, clear the screen, move
// the cursor); kubectl strips them from describe/get output since CVE-2021-25743. We keep printable
// text only: every C0 control (U+0000-U+001F), DEL and C1 control (U+007F-U+009F) goes; tabs and line
// breaks (and U+2028/U+2029), with the spaces around them, become one space, so a multi-line webhook
// denial stays on one table row. Linear time: no regex that backtracks over runs of spaces.

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line of printable text: controls removed, whitespace controls turned into a single space. */
export function safeText(s: string): string {
  if (!UNSAFE.test(s)) return s;
  const parts = s.split(BREAKS);
  const last = parts.length - 1;
  const joined = parts.map((p, i) => (i > 0 && i < last ? p.trim() : i > 0 ? p.trimStart() : i < last ? p.trimEnd() : p)).join(' ');
  return joined.replace(CONTROLS, '');
}
