// What a command needs from the outside world, injected so tests can run commands in-process.

import type { ChalkInstance } from 'chalk';
import { colorEnabled, makeChalk } from '../render/color.ts';
import type { CliIO } from '../runtime.ts';
import { safeText } from '../util/sanitize.ts';

export type { CliIO } from '../runtime.ts';

export interface CommonFlags {
  snapshot: string[];
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  allNamespaces?: boolean;
  requestTimeout?: string;
  v?: string;
  color: boolean;
}

export function verbosity(flags: CommonFlags): number {
  const n = Number.parseInt((flags.v ?? '0').replace(/^=/, ''), 10);
  return Number.isNaN(n) ? 0 : n;
}

export function stdoutChalk(io: CliIO, flags: CommonFlags): ChalkInstance {
  return makeChalk(colorEnabled(flags.color ? 'auto' : 'never', io.stdout.isTTY === true, io.env));
}

export function stderrChalk(io: CliIO, flags: { color?: boolean }): ChalkInstance {
  return makeChalk(colorEnabled(flags.color === false ? 'never' : 'auto', io.stderr.isTTY === true, io.env));
}

/** Spinners only for people: stderr is a TTY, not CI, and the output is not for a machine. */
export function interactive(io: CliIO): boolean {
  return io.stderr.isTTY === true && io.env.CI === undefined && io.env.TERM !== 'dumb';
}

export function warn(io: CliIO, flags: { color?: boolean }, message: string): void {
  const c = stderrChalk(io, flags);
  io.stderr.write(`${c.yellow('Warning:')} ${safeText(message)}\n`);
}

/**
 * A spinner on stderr while `fn` runs, only for people (interactive stderr) and only for the live API
 * (snapshots load at once). ora is loaded only then, so pipes and CI never pay for it.
 */
export async function withSpinner<T>(io: CliIO, flags: CommonFlags, text: string, fn: () => Promise<T>): Promise<T> {
  if (!interactive(io) || flags.snapshot.length > 0 || io.stderr !== process.stderr) return fn();
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: process.stderr, color: 'cyan' }).start();
  try {
    return await fn();
  } finally {
    spinner.stop();
  }
}
