// The work of `coverage`, loaded only when the command runs: load → model → emit.

import { computeCoverage } from '../model/coverage.ts';
import { renderCoverageTable } from '../render/coverage.ts';
import { emit } from '../render/output.ts';
import type { CliIO } from '../runtime.ts';
import type { CoverageOptions } from './options.ts';
import { judgedAt, loadRead, prepareOutput, withSource } from './prepare.ts';
import { chalkFor, warn, withSpinner } from './terminal.ts';

export async function runCoverage(opts: CoverageOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  await withSource(opts, io, async (source) => {
    const loaded = await withSpinner(io, source.kind === 'live', 'reading nodes, DaemonSets and their pods', () => loadRead(source, opts, { nodes: 'all', events: true, allPods: opts.manifests.length > 0 }, io));
    for (const g of loaded.state.gaps) warn(io, opts.color, g.message);
    const report = computeCoverage(loaded.state, { nowMs: judgedAt(loaded, opts, io), nodesFiltered: opts.scope.nodesFiltered });
    if (report.daemonSets.length === 0 && output.kind === 'table') {
      // kubectl's "No resources found in default namespace." names the namespace it looked in.
      const where = loaded.scope.namespace === undefined ? '' : ` in ${loaded.scope.namespace} namespace`;
      io.stderr.write(`No DaemonSets found${where}.\n`);
      return;
    }
    emit(io.stdout, output, {
      doc: report,
      names: () => report.daemonSets.map((d) => `daemonset.apps/${d.name}`),
      human: (c, wide) => renderCoverageTable(report, c, { wide, problemsOnly: opts.problemsOnly, noHeaders: opts.noHeaders, showLabels: opts.showLabels, labelColumns: opts.labelColumns }),
    }, chalkFor(io, io.stdout, opts.color));
  });
}
