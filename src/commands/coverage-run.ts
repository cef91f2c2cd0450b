// The work of `coverage`, loaded only when the command runs.

import { loadState } from '../io/source.ts';
import { computeCoverage } from '../model/coverage.ts';
import { renderCoverageTable } from '../render/coverage.ts';
import { serialize } from '../render/output.ts';
import { scopeFrom } from './common.ts';
import { stdoutChalk, warn, withSpinner, type CliIO, type CommonFlags } from './context.ts';

export interface CoverageFlags extends CommonFlags {
  output?: 'wide' | 'json' | 'yaml';
  selector?: string;
  nodes?: string;
  problems?: boolean;
  headers: boolean;
}

export async function runCoverage(names: string[], flags: CoverageFlags, io: CliIO): Promise<void> {
  const scope = scopeFrom(flags, names);
  const { state } = await withSpinner(io, flags, 'reading nodes, DaemonSets and their pods', () => loadState(flags, { scope, wantEvents: true }, io));
  for (const g of state.gaps) warn(io, flags, g.message);
  const report = computeCoverage(state, { nowMs: io.now(), nodesFiltered: scope.nodesFiltered });
  if (flags.output === 'json' || flags.output === 'yaml') {
    io.stdout.write(serialize(report, flags.output));
    return;
  }
  if (report.daemonSets.length === 0) {
    const where = scope.namespace === undefined ? '' : ` in ${scope.namespace} namespace`;
    io.stderr.write(`No DaemonSets found${where}.\n`);
    return;
  }
  const c = stdoutChalk(io, flags);
  io.stdout.write(renderCoverageTable(report, c, { wide: flags.output === 'wide', problemsOnly: flags.problems === true, noHeaders: !flags.headers }));
}
