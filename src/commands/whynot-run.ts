// The work of `why-not`, loaded only when the command runs.

import { loadState } from '../io/source.ts';
import { explainNode } from '../model/coverage.ts';
import { findNode } from '../model/scope.ts';
import { serialize } from '../render/output.ts';
import { renderWhyNot } from '../render/whynot.ts';
import { scopeFrom } from './common.ts';
import { stdoutChalk, warn, withSpinner, type CliIO, type CommonFlags } from './context.ts';

export interface WhyNotFlags extends CommonFlags {
  output?: 'json' | 'yaml';
  selector?: string;
}

export async function runWhyNot(nodeName: string, names: string[], flags: WhyNotFlags, io: CliIO): Promise<void> {
  const scope = scopeFrom(flags, names);
  const { state } = await withSpinner(io, flags, `reading node ${nodeName} and its pods`, () => loadState(flags, { scope, node: nodeName, wantEvents: true }, io));
  const node = findNode(state.nodes, nodeName);
  for (const g of state.gaps) warn(io, flags, g.message);
  const report = explainNode(state, node, { nowMs: io.now() });
  if (flags.output === 'json' || flags.output === 'yaml') {
    io.stdout.write(serialize(report, flags.output));
    return;
  }
  io.stdout.write(renderWhyNot(report, stdoutChalk(io, flags)));
}
