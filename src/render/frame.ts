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
      // Over the previous frame line by line, each line cleared to its end (CSI K), then only what is left
      // below it cleared (CSI J), in one write. Not "up, clear to the end of the screen, text": from the
      // top-left corner that clear is a clear of the whole screen, which tmux (scroll-on-clear, on by
      // default) copies into the scrollback, one copy of the matrix per redraw (the tmux e2e test).
      const up = drawnLines > 0 ? `\x1b[${drawnLines}F` : '';
      out.write(`${up}${text.replace(/\n/g, '\x1b[K\n')}\x1b[J`);
      drawnLines = text.split('\n').length - 1;
    },
  };
}
