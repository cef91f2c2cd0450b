// The work of `what-if`, loaded only when the command runs: load → apply the change to a copy → compare.

import { GateError } from '../errors.ts';
import type { Gap } from '../model/types.ts';
import { applyChange, gateFailures, podsToAdmit, whatIf, type Change } from '../model/whatIf.ts';
import { emit } from '../render/output.ts';
import { renderWhatIf } from '../render/whatif.ts';
import type { CliIO } from '../runtime.ts';
import type { WhatIfOptions } from './options.ts';
import { manifestChange, prepareOutput, withSource } from './prepare.ts';
import { chalkFor, warn, withSpinner } from './terminal.ts';

export async function runWhatIf(opts: WhatIfOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  await withSource(opts, io, async (source) => {
    const loaded = await withSpinner(io, source.kind === 'live', 'reading nodes, DaemonSets and every pod', () => source.load({ scope: opts.scope, needs: { nodes: 'all', events: false, allPods: true } }));
    for (const g of loaded.state.gaps) warn(io, opts.color, g.message);
    const change: Change = opts.change.kind === 'apply' ? await manifestChange(opts, loaded, io) : opts.change;
    let report = whatIf(loaded.state, change);
    if (source.kind === 'live') {
      // Admission, not only the template: the server dry-runs the pods that would be created.
      const { admitPods } = await import('../io/live/admission.ts');
      const gaps = new Map<string, Gap>();
      const admitted = await admitPods(await source.session(), podsToAdmit(report, applyChange(loaded.state, change)), gaps);
      for (const g of gaps.values()) warn(io, opts.color, g.message);
      report = whatIf(loaded.state, change, admitted);
    }
    await emit(io.stdout, output, { doc: report, human: (c) => renderWhatIf(report, c) }, chalkFor(io, io.stdout, opts.color));
    const failures = gateFailures(report, opts.failOn);
    if (failures.length > 0) {
      for (const f of failures.slice(0, 50)) io.stderr.write(`FAIL ${f}\n`);
      throw new GateError(`the change would ${[...new Set(failures.map((f) => /: (\w+)/.exec(f)?.[1] ?? ''))].join(', ')} on ${failures.length} cell${failures.length === 1 ? '' : 's'} (--fail-on ${opts.failOn.join(',')})`);
    }
  });
}
