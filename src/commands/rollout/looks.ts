// Where the looks of `rollout status` come from. Each look is the state the model judges (the same
// ClusterState either way), so the status loop (status.ts) prints the same lines and exits the same
// way whichever source of looks it is given:
//  - polled: a full load (io/live/load.ts) now, then one per --interval: every node, DaemonSet, pod,
//    revision and Warning event listed again each time, whether anything changed or not;
//  - watched: the same objects listed once, then kept by list-then-watch (io/live/watch.ts, as
//    `coverage --watch`: resume from the last resourceVersion, bookmarks, 410 relists, bounded
//    reconnects) in one store (model/watchState.ts); a look is taken when something changed (a burst
//    coalesced into one look), or after --interval without a change (the clock alone moves
//    minReadySeconds availability), or at the --timeout deadline. A watch refused (403) after its list
//    was allowed falls back to polling, with a warning: the wait still works, at the polling cost.

import type { WatchSink } from '../../io/live/watch.ts';
import type { Source } from '../../io/source.ts';
import type { Scope } from '../../model/scope.ts';
import type { ClusterState } from '../../model/types.ts';
import { applyWatchEvent, emptyStore, replaceResource, storeState } from '../../model/watchState.ts';
import type { CliIO } from '../../runtime.ts';
import type { StatusOptions } from '../options.ts';
import { judgedAt } from '../prepare.ts';
import { warn } from '../terminal.ts';

/** One look: the state, the scope it was read in (for messages), the time it is judged at. */
export interface Look {
  state: ClusterState;
  scope: Scope;
  nowMs: number;
}

export interface Looks {
  /**
   * The next look: the first at once; later ones after --interval (polled) or on a change (watched).
   * `waitMs` bounds the wait of a watched look (the time left to --timeout); polling keeps its interval.
   */
  next(waitMs: number): Promise<Look>;
  close(): void;
}

/**
 * Events closer together than this become one look: a rollout's burst (a pod deleted, created,
 * scheduled, started, the DaemonSet status written) is judged once, not five times, and a look never
 * lags a change by more than this plus the judging time.
 */
const COALESCE_MS = 150;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function polledLooks(source: Source, opts: StatusOptions, io: CliIO): Looks {
  let first = true;
  return {
    async next() {
      if (!first) await sleep(opts.intervalMs);
      first = false;
      const loaded = await source.load({ scope: opts.scope, needs: { nodes: 'all', events: true } });
      return { state: loaded.state, scope: loaded.scope, nowMs: judgedAt(loaded, opts, io) };
    },
    close() {},
  };
}

export async function watchedLooks(source: Source, opts: StatusOptions, io: CliIO): Promise<Looks> {
  const store = emptyStore();
  const ctl = new AbortController();
  let changed = false;
  let wake: (() => void) | undefined;
  /** The first watch refused (403): from then on, polling. */
  let refused: string | undefined;
  let polling: Looks | undefined;
  const mark = (): void => {
    changed = true;
    wake?.();
  };
  const sink: WatchSink = {
    relisted(r, items) {
      // Streams still open after a fall-back to polling (until the server ends them) are ignored.
      if (polling) return;
      replaceResource(store, r, items);
      mark();
    },
    event(r, ev) {
      if (!polling && applyWatchEvent(store, r, ev)) mark();
    },
    gap(r, g, how) {
      // A list refused is the same gap a polled load has (and, as there, no warning of its own).
      if (how === 'list') store.gaps.set(r, g);
      else refused ??= r;
      mark();
    },
  };
  const { scope, watch } = await source.watch(opts.scope, sink, ctl.signal);
  let failure: Error | undefined;
  // Every watch loop returned without an error (each refused, or a gap): nothing more will come.
  let ended = false;
  const failed = watch.done.then(
    () => {
      ended = true;
    },
    (e: unknown) => {
      failure = e instanceof Error ? e : new Error(String(e));
    },
  );
  const throwIfFailed = (): void => {
    if (failure !== undefined) throw failure;
  };
  let first = true;
  // Strict on every look, as each polled load is: a named DaemonSet deleted mid-wait ends it with the
  // same "not found" as a poll would.
  const look = (): Look => ({ state: storeState(store, scope, true), scope, nowMs: opts.nowMs ?? io.now() });
  const fallBack = (): Promise<Look> => {
    if (!polling) {
      ctl.abort();
      if (refused !== undefined) warn(io, opts.color, `cannot watch ${refused} (forbidden): rollout status re-lists every ${opts.intervalMs / 1000}s instead; grant "watch" on ${refused} to wait on changes`);
      polling = polledLooks(source, opts, io);
    }
    return polling.next(0);
  };
  const mustPoll = (): boolean => refused !== undefined || ended;
  return {
    async next(waitMs) {
      if (polling) return polling.next(waitMs);
      if (first) {
        first = false;
        await Promise.race([watch.ready, failed]);
        throwIfFailed();
        if (mustPoll()) return fallBack();
        changed = false;
        return look();
      }
      if (!changed) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((r) => {
            wake = r;
            timer = setTimeout(r, Math.max(0, Math.min(opts.intervalMs, waitMs)));
          }),
          failed,
        ]);
        clearTimeout(timer);
        wake = undefined;
      }
      throwIfFailed();
      if (mustPoll()) return fallBack();
      // Let the rest of a burst arrive (never past the deadline), then look once.
      if (changed) await Promise.race([sleep(Math.max(0, Math.min(COALESCE_MS, waitMs))), failed]);
      throwIfFailed();
      changed = false;
      return look();
    },
    close() {
      ctl.abort();
    },
  };
}
