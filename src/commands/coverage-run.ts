// The work of `coverage`, loaded only when the command runs: load → model → emit.

import { GateError } from '../errors.ts';
import { coverageBuilder, type CoverageBuilder } from '../model/coverage.ts';
import { coverageGate, groupCoverage, problemsOnly } from '../model/fleet.ts';
import { renderGroups } from '../render/fleet.ts';
import { renderCoverageTable } from '../render/coverage.ts';
import { emit } from '../render/output.ts';
import type { CliIO } from '../runtime.ts';
import type { CoverageOptions } from './options.ts';
import { judgedAt, loadRead, prepareOutput, withSource } from './prepare.ts';
import { chalkFor, warn, withSpinner } from './terminal.ts';

export async function runCoverage(opts: CoverageOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  await withSource(opts, io, async (source) => {
    // Each DaemonSet's cells are made as soon as its pods are read, and its pods dropped: on a big
    // cluster the pods are most of the memory (issue 14). The state itself is dropped once read.
    const { full, scope } = await (async () => {
      let builder: CoverageBuilder | undefined;
      const loaded = await withSpinner(io, source.kind === 'live', 'reading nodes, DaemonSets and their pods', () =>
        loadRead(source, opts, { nodes: 'all', events: true, allPods: opts.manifests.length > 0 }, io, (rest) => {
          const b = coverageBuilder(rest.state, { nowMs: judgedAt(rest, opts, io), nodesFiltered: opts.scope.nodesFiltered });
          builder = b;
          return (ds, candidates) => b.addDaemonSet(ds, candidates);
        }),
      );
      for (const g of loaded.state.gaps) warn(io, opts.color, g.message);
      if (!builder) throw new Error('the source did not hand over its DaemonSets');
      return { full: builder.report(), scope: loaded.scope };
    })();
    const report = opts.problemsOnly ? problemsOnly(full) : full;
    const gone = full.podsOnMissingNodes;
    if (gone.length > 0) {
      const shown = gone.slice(0, 5).map((p) => `${p.namespace}/${p.pod} (${p.daemonSet}) on ${p.node}`).join(', ');
      warn(io, opts.color, `${gone.length} DaemonSet pod${gone.length === 1 ? ' is' : 's are'} bound to a node that no longer exists and counted nowhere: ${shown}${gone.length > 5 ? ` and ${gone.length - 5} more` : ''} (the pod garbage collector removes them; -o json lists them as podsOnMissingNodes)`);
    }
    const groups = opts.groupBy.length > 0 ? groupCoverage(full, opts.groupBy) : undefined;
    if (report.daemonSets.length === 0 && output.kind === 'table') {
      // kubectl's "No resources found in default namespace." names the namespace it looked in.
      const where = scope.namespace === undefined ? '' : ` in ${scope.namespace} namespace`;
      io.stderr.write(`No DaemonSets found${where}.\n`);
      return;
    }
    // A terminal's width, or 120 columns in a pipe, so output never wraps.
    const width = io.stdout.isTTY === true && (io.stdout.columns ?? 0) > 0 ? io.stdout.columns! : 120;
    await emit(io.stdout, output, {
      doc: groups ? { ...report, groups } : report,
      names: () => report.daemonSets.map((d) => `daemonset.apps/${d.name}`),
      human: (c, wide) =>
        groups
          ? renderGroups(full, groups, opts.groupBy, c, { width, noHeaders: opts.noHeaders })
          : renderCoverageTable(report, c, { wide, problemsOnly: false, noHeaders: opts.noHeaders, showLabels: opts.showLabels, labelColumns: opts.labelColumns, layout: opts.layout, width }),
    }, chalkFor(io, io.stdout, opts.color));
    if (opts.failOn || opts.expectNodes) {
      const failures = coverageGate(full, { failOn: opts.failOn ?? [], expectNodes: opts.expectNodes });
      for (const f of failures.slice(0, 100)) io.stderr.write(`FAIL ${f.node} ${f.namespace}/${f.daemonSet} ${f.state}${f.reason ? `: ${f.reason}` : ''}\n`);
      if (failures.length > 100) io.stderr.write(`... and ${failures.length - 100} more (-o json lists every cell)\n`);
      if (failures.length > 0) throw new GateError(`coverage gate failed: ${failures.length} cell${failures.length === 1 ? '' : 's'} (${[...new Set(failures.map((f) => f.state))].join(', ')})`);
    }
  });
}
