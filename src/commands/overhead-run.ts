// The work of `overhead`, loaded only when the command runs: load → model → emit.

import { computeOverhead } from '../model/overhead.ts';
import { emit } from '../render/output.ts';
import { renderOverhead } from '../render/overhead.ts';
import type { CliIO } from '../runtime.ts';
import type { OverheadOptions } from './options.ts';
import { loadRead, prepareOutput, withSource } from './prepare.ts';
import { chalkFor, warn, withSpinner } from './terminal.ts';

export async function runOverhead(opts: OverheadOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  await withSource(opts, io, async (source) => {
    // Every pod in one list rather than one list per DaemonSet (the model reads only the DaemonSets' pods).
    const loaded = await withSpinner(io, source.kind === 'live', 'reading nodes, DaemonSets and pods', () => loadRead(source, opts, { nodes: 'all', events: false, allPods: true }, io));
    // Live, a "pods" gap means no cluster-wide pod list; the loader then listed each DaemonSet's pods,
    // which is all this model reads, so nothing is missing (its message speaks of what-if's fit checks).
    const gaps = source.kind === 'live' ? loaded.state.gaps.filter((g) => g.resource !== 'pods') : loaded.state.gaps;
    for (const g of gaps) warn(io, opts.color, g.message);
    const report = computeOverhead({ ...loaded.state, gaps }, { groupBy: opts.groupBy, nodesFiltered: opts.scope.nodesFiltered });
    if (report.daemonSets.length === 0 && output.kind === 'table') {
      const where = loaded.scope.namespace === undefined ? '' : ` in ${loaded.scope.namespace} namespace`;
      io.stderr.write(`No DaemonSets found${where}.\n`);
      return;
    }
    await emit(io.stdout, output, { doc: report, human: (c, wide) => renderOverhead(report, c, { wide, noHeaders: opts.noHeaders }) }, chalkFor(io, io.stdout, opts.color));
  });
}
