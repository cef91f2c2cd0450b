// The work of `why-not`, loaded only when the command runs: load → model → emit.

import { explainNode } from '../model/coverage.ts';
import { findNode } from '../model/scope.ts';
import { emit } from '../render/output.ts';
import { renderWhyNot } from '../render/whynot.ts';
import type { CliIO } from '../runtime.ts';
import type { WhyNotOptions } from './options.ts';
import { judgedAt, loadRead, prepareOutput, withSource } from './prepare.ts';
import { chalkFor, warn, withSpinner } from './terminal.ts';

export async function runWhyNot(opts: WhyNotOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  await withSource(opts, io, async (source) => {
    const needs = opts.manifests.length > 0 ? ({ nodes: 'all', events: true, allPods: true } as const) : { nodes: { name: opts.node }, events: true };
    const loaded = await withSpinner(io, source.kind === 'live', `reading node ${opts.node} and its pods`, () => loadRead(source, opts, needs, io));
    // Without "get nodes" (a gap), the node is only a name: the report says what can be known.
    const unreadable = loaded.state.gaps.some((g) => g.resource === 'nodes');
    const node = unreadable ? opts.node : findNode(loaded.state.nodes, opts.node);
    for (const g of loaded.state.gaps) warn(io, opts.color, g.message);
    const report = explainNode(loaded.state, node, { nowMs: judgedAt(loaded, opts, io) });
    if (loaded.elsewhere) io.stderr.write(`${loaded.elsewhere} DaemonSet${loaded.elsewhere === 1 ? '' : 's'} of other namespaces ${loaded.elsewhere === 1 ? 'was' : 'were'} not looked at (namespace "${loaded.scope.namespace ?? ''}" from the context); -A looks at every namespace\n`);
    await emit(io.stdout, output, { doc: report, human: (c) => renderWhyNot(report, c, { noHeaders: opts.noHeaders }) }, chalkFor(io, io.stdout, opts.color));
  });
}
