// What commands print besides their result: colours decided once per stream, warnings, and the spinner.

import type { ChalkInstance } from 'chalk';
import { colorEnabled, makeChalk } from '../render/color.ts';
import type { CliIO, OutStream } from '../runtime.ts';
import { safeText } from '../util/sanitize.ts';

export function chalkFor(io: CliIO, stream: OutStream, color: boolean): ChalkInstance {
  return makeChalk(colorEnabled(color ? 'auto' : 'never', stream.isTTY === true, io.env));
}

/**
 * For people only: stderr is a terminal of a known size, not CI, not a dumb terminal. A terminal that
 * reports 0×0 (some CI runners, `script`) is treated as no terminal: a spinner there redraws forever.
 */
export function interactive(io: CliIO, stream: OutStream = io.stderr): boolean {
  return stream.isTTY === true && (stream.columns ?? 0) > 0 && (stream.rows ?? 0) > 0 && io.env.CI === undefined && io.env.TERM !== 'dumb';
}

export function warn(io: CliIO, color: boolean, message: string): void {
  io.stderr.write(`${chalkFor(io, io.stderr, color).yellow('Warning:')} ${safeText(message)}\n`);
}

/**
 * A spinner on stderr while `fn` runs, only for people (interactive stderr) and only while the live API
 * is read (snapshots load at once). ora is loaded only then, so pipes and CI never pay for it.
 */
export async function withSpinner<T>(io: CliIO, live: boolean, text: string, fn: () => Promise<T>): Promise<T> {
  if (!live || !interactive(io)) return fn();
  const { default: ora } = await import('ora');
  const stream = io.stderr as NodeJS.WritableStream & OutStream;
  // discardStdin: false: never put the terminal in raw mode (a prompt of an exec plugin may need it).
  const spinner = ora({ text, stream, color: 'cyan', discardStdin: false }).start();
  try {
    return await fn();
  } finally {
    spinner.stop();
  }
}
