// `rollout status`: kubectl's algorithm and messages over the run's one source (one session): one look,
// or a wait on looks taken as the cluster changes (looks.ts: watched, or polled with a watch refused).

import type { ChalkInstance } from 'chalk';
import { RuntimeError } from '../../errors.ts';
import { InputError } from '../../model/inputError.ts';
import { computeCoverage } from '../../model/coverage.ts';
import { POLICIES, policyVerdict, type PolicyVerdict } from '../../model/policies.ts';
import { rolloutStatusView, type RolloutStatusView } from '../../model/rolloutStatus.ts';
import { redrawingFrame, type Frame } from '../../render/frame.ts';
import type { OutputFormat } from '../../render/formats.ts';
import { emit } from '../../render/output.ts';
import { renderPolicyStatus, renderPolicyTable, renderRolloutStatus } from '../../render/rollout.ts';
import type { CliIO } from '../../runtime.ts';
import type { StatusOptions } from '../options.ts';
import { prepareOutput, withSource } from '../prepare.ts';
import { polledLooks, watchedLooks, type Look, type Looks } from './looks.ts';
import { chalkFor, interactive } from '../terminal.ts';

/** One DaemonSet's view and every policy's verdict on it (kubectl, helm, kstatus, argocd, in that order). */
interface StatusEntry {
  view: RolloutStatusView;
  verdicts: PolicyVerdict[];
}

function statusEntries(look: Look): StatusEntry[] {
  const { state } = look;
  if (state.daemonSets.length === 0) throw new InputError(`no DaemonSets match${look.scope.namespace ? ` in namespace "${look.scope.namespace}"` : ''}`);
  const report = computeCoverage(state, { nowMs: look.nowMs });
  const summaries = new Map(report.daemonSets.map((d) => [`${d.namespace}/${d.name}`, d]));
  return state.daemonSets.map((ds) => {
    const view = rolloutStatusView(ds, summaries.get(`${ds.metadata.namespace ?? 'default'}/${ds.metadata.name ?? ''}`)!, report.cells);
    return { view, verdicts: POLICIES.map((p) => policyVerdict(p, ds, view)) };
  });
}

/** The verdict of the policy asked for; none for `all`. */
function chosen(e: StatusEntry, opts: StatusOptions): PolicyVerdict | undefined {
  return opts.policy === 'all' ? undefined : e.verdicts.find((v) => v.policy === opts.policy);
}

/** Done by the policy asked for; for `all`, only when every policy says done. */
function entryDone(e: StatusEntry, opts: StatusOptions): boolean {
  const v = chosen(e, opts);
  return v ? v.done : e.verdicts.every((x) => x.done);
}

function statusDocument(entries: readonly StatusEntry[], opts: StatusOptions): unknown {
  return { kind: 'DaemonSetRolloutStatus', done: entries.every((e) => entryDone(e, opts)), policy: opts.policy, daemonSets: entries.map((e) => ({ ...e.view, policies: e.verdicts })) };
}

/** Verdicts that end the wait with an error (kstatus Failed), one phrase each. */
function failures(entries: readonly StatusEntry[], opts: StatusOptions): string[] {
  return entries.flatMap((e) => {
    const v = chosen(e, opts);
    return v?.failed ? [`daemon set "${e.view.name}" is ${v.verdict} by ${v.policy}${v.message ? `: ${v.message}` : ''}`] : [];
  });
}

function humanText(entries: readonly StatusEntry[], opts: StatusOptions, c: ChalkInstance): string {
  if (opts.policy === 'all') return renderPolicyTable(entries, c);
  // kubectl is today's output, byte for byte; another policy puts its verdict in kubectl's place.
  return entries.map((e) => (opts.policy === 'kubectl' ? renderRolloutStatus(e.view, c, { verbose: !opts.watch }) : renderPolicyStatus(e.view, chosen(e, opts)!, c, { verbose: !opts.watch }))).join('');
}

export async function runStatus(opts: StatusOptions, io: CliIO): Promise<void> {
  const output = await prepareOutput(opts.output);
  const machine = output.kind !== 'table';
  const c = chalkFor(io, io.stdout, opts.color);
  const frame = opts.watch && !machine && interactive(io, io.stdout) ? redrawingFrame(io.stdout) : undefined;
  const started = io.now();
  await withSource(opts, io, async (source) => {
    // Waiting on a live cluster watches it (looks.ts); one look, a snapshot, or the hidden --poll re-lists.
    const looks = opts.watch && source.kind === 'live' && !opts.poll ? await watchedLooks(source, opts, io) : polledLooks(source, opts, io);
    try {
      await statusLoop(looks, opts, io, { output, machine, c, frame, started });
    } finally {
      looks.close();
    }
  });
}

interface LoopContext {
  output: OutputFormat;
  machine: boolean;
  c: ChalkInstance;
  frame: Frame | undefined;
  started: number;
}

/** Look, print, and stop when done, failed or timed out; the same lines whichever `looks` feeds it. */
async function statusLoop(looks: Looks, opts: StatusOptions, io: CliIO, { output, machine, c, frame, started }: LoopContext): Promise<void> {
  let lastPrinted = '';
  for (;;) {
    const left = opts.timeoutMs > 0 ? started + opts.timeoutMs - io.now() : Infinity;
    const entries = statusEntries(await looks.next(left));
    const done = entries.every((e) => entryDone(e, opts));
    // kstatus Failed is terminal: Helm 4's waiter stops there (pkg/kube/statuswait.go statusObserver), so do we.
    const failed = opts.watch ? failures(entries, opts) : [];
    const timedOut = opts.timeoutMs > 0 && io.now() - started >= opts.timeoutMs;
    if (machine) {
      if (done || !opts.watch || timedOut || failed.length > 0) {
        await emit(io.stdout, output, { doc: statusDocument(entries, opts), human: () => '' }, c);
        if (failed.length > 0) throw new RuntimeError(failed.join('; '));
        if (!done && opts.watch) throw new RuntimeError(`timed out after ${opts.timeoutText} waiting for the rollout`);
        return;
      }
    } else {
      const text = humanText(entries, opts, c);
      if (frame) frame.draw(text);
      else {
        // In a pipe, print a new block only when the headline (kubectl's line, or the policy's verdict) changes.
        const headline = entries.map((e) => { const v = chosen(e, opts); return opts.policy === 'kubectl' || !v ? e.view.message : `${v.verdict} ${v.message}`; }).join('\n');
        if (headline !== lastPrinted) io.stdout.write(text);
        lastPrinted = headline;
      }
      if (failed.length > 0) throw new RuntimeError(failed.join('; '));
      if (done || !opts.watch) return;
    }
    if (timedOut) {
      const blocking = entries.filter((e) => !entryDone(e, opts)).flatMap((e) => (opts.policy === 'kubectl' ? e.view.blocking.map((b) => b.node) : (chosen(e, opts)?.blocking ?? [])).map((n) => `${e.view.name}@${n}`));
      throw new RuntimeError(`timed out after ${opts.timeoutText} waiting for the rollout; blocking: ${blocking.slice(0, 8).join(', ') || 'status not observed yet'}${blocking.length > 8 ? ` and ${blocking.length - 8} more` : ''}`);
    }
  }
}
