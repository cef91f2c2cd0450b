// `rollout status`: kubectl's algorithm and messages over the run's one source (one session, polled).

import { RuntimeError } from '../../errors.ts';
import { InputError } from '../../model/inputError.ts';
import { computeCoverage } from '../../model/coverage.ts';
import { rolloutStatusView, type RolloutStatusView } from '../../model/rolloutStatus.ts';
import type { Source } from '../../io/source.ts';
import { redrawingFrame } from '../../render/frame.ts';
import { emit } from '../../render/output.ts';
import { renderRolloutStatus } from '../../render/rollout.ts';
import type { CliIO } from '../../runtime.ts';
import type { StatusOptions } from '../options.ts';
import { judgedAt, prepareOutput, withSource } from '../prepare.ts';
import { chalkFor, interactive } from '../terminal.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function statusViews(source: Source, opts: StatusOptions, io: CliIO): Promise<RolloutStatusView[]> {
  const loaded = await source.load({ scope: opts.scope, needs: { nodes: 'all', events: true } });
  const { state } = loaded;
  if (state.daemonSets.length === 0) throw new InputError(`no DaemonSets match${loaded.scope.namespace ? ` in namespace "${loaded.scope.namespace}"` : ''}`);
  const report = computeCoverage(state, { nowMs: judgedAt(loaded, opts, io) });
  const summaries = new Map(report.daemonSets.map((d) => [`${d.namespace}/${d.name}`, d]));
  return state.daemonSets.map((ds) => rolloutStatusView(ds, summaries.get(`${ds.metadata.namespace ?? 'default'}/${ds.metadata.name ?? ''}`)!, report.cells));
}

function statusDocument(views: readonly RolloutStatusView[]): unknown {
  return { kind: 'DaemonSetRolloutStatus', done: views.every((v) => v.done), daemonSets: views };
}

export async function runStatus(opts: StatusOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  const machine = output.kind !== 'table';
  const c = chalkFor(io, io.stdout, opts.color);
  const frame = opts.watch && !machine && interactive(io, io.stdout) ? redrawingFrame(io.stdout) : undefined;
  const started = io.now();
  let lastPrinted = '';
  await withSource(opts, io, async (source) => {
    for (;;) {
      const views = await statusViews(source, opts, io);
      const done = views.every((v) => v.done);
      const timedOut = opts.timeoutMs > 0 && io.now() - started >= opts.timeoutMs;
      if (machine) {
        if (done || !opts.watch || timedOut) {
          emit(io.stdout, output, { doc: statusDocument(views), human: () => '' }, c);
          if (!done && opts.watch) throw new RuntimeError(`timed out after ${opts.timeoutText} waiting for the rollout`);
          return;
        }
      } else {
        const text = views.map((v) => renderRolloutStatus(v, c, { verbose: !opts.watch })).join('');
        if (frame) frame.draw(text);
        else {
          // In a pipe, print a new block only when kubectl's headline changes.
          const headline = views.map((v) => v.message).join('\n');
          if (headline !== lastPrinted) io.stdout.write(text);
          lastPrinted = headline;
        }
        if (done || !opts.watch) return;
      }
      if (timedOut) {
        const blocking = views.filter((v) => !v.done).flatMap((v) => v.blocking.map((b) => `${v.name}@${b.node}`));
        throw new RuntimeError(`timed out after ${opts.timeoutText} waiting for the rollout; blocking: ${blocking.slice(0, 8).join(', ') || 'status not observed yet'}${blocking.length > 8 ? ` and ${blocking.length - 8} more` : ''}`);
      }
      await sleep(opts.intervalMs);
    }
  });
}
