// Redraw in place on a terminal: each frame replaces the previous one (cursor up over it, clear to the
// end of the screen), so a live view neither flickers nor fills the scrollback.

import type { OutStream } from '../runtime.ts';

export interface Frame {
  draw(text: string): void;
}

export function redrawingFrame(out: OutStream): Frame {
  let drawnLines = 0;
  return {
    draw(text) {
      if (drawnLines > 0) out.write(`\x1b[${drawnLines}F\x1b[J`);
      out.write(text);
      drawnLines = text.split('\n').length - 1;
    },
  };
}
