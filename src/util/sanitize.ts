// Text from a server or a file, made safe to print on a terminal. Event messages, container state
// messages, annotations and names can hold escape sequences (set the title, clear the screen, move
// the cursor); kubectl strips them from describe/get output since CVE-2021-25743. We keep printable
// text only: every C0 control (U+0000-U+001F), DEL and C1 control (U+007F-U+009F) goes; tabs, line
// breaks (and U+2028/U+2029) become one space, so a multi-line webhook denial stays on one table row.

const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line of printable text: controls removed, whitespace controls turned into a single space. */
export function safeText(s: string): string {
  return s.replace(BREAKS, ' ').replace(CONTROLS, '');
}
