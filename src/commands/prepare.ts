// The steps every reading command takes between validated options and its work: one source for the
// run, the jsonpath-file template read before any cluster I/O, and the time the state is judged at.

import { readTextFile } from '../io/files.ts';
import { loadManifests } from '../io/manifests.ts';
import { eachOfLoaded, openSource, type EachDaemonSet, type LoadedState, type LoadRequest, type Source } from '../io/source.ts';
import { selectDaemonSets } from '../model/scope.ts';
import { applyChange, type Change } from '../model/whatIf.ts';
import { withTemplateFile, type OutputFormat } from '../render/formats.ts';
import type { CliIO } from '../runtime.ts';
import type { GlobalOptions, ReadOptions } from './options.ts';

function sourceFor(spec: ReadOptions['source'], opts: GlobalOptions, io: CliIO): Source {
  return openSource(spec, { env: io.env, readStdin: io.readStdin, log: { verbosity: opts.verbosity, write: (line) => io.stderr.write(line) } });
}

export async function prepareOutput(format: OutputFormat): Promise<OutputFormat> {
  return format.kind === 'jsonpath-file' ? withTemplateFile(format, await readTextFile(format.file, 'jsonpath-file')) : format;
}

/** Live state is judged now; a snapshot at --now, else at its capture time (its newest timestamp). */
export function judgedAt(loaded: LoadedState, opts: ReadOptions, io: CliIO): number {
  return opts.nowMs ?? loaded.capturedAtMs ?? io.now();
}

/** Run `fn` with the run's source open, closing it (the connection pool) at the end. */
export async function withSource<T>(opts: ReadOptions, io: CliIO, fn: (source: Source) => Promise<T>): Promise<T> {
  const source = sourceFor(opts.source, opts, io);
  try {
    // Credentials first, before any spinner: an exec plugin may log the user in on this terminal.
    if (source.kind === 'live') await source.session();
    return await fn(source);
  } finally {
    source.close();
  }
}

/** -f FILE...: the manifests' DaemonSets and Nodes as a change (a DaemonSet without a namespace gets the one in scope). */
export async function manifestChange(opts: ReadOptions, loaded: LoadedState, io: CliIO): Promise<Change> {
  const m = await loadManifests(opts.manifests, io.readStdin, loaded.scope.namespace ?? opts.scope.namespace ?? 'default');
  return { kind: 'apply', daemonSets: m.daemonSets, nodes: m.nodes };
}

/**
 * Load what the command needs, with the -f manifests applied (coverage -f, why-not -f). A DaemonSet
 * named on the command line may exist only in a manifest: names are then applied after the merge.
 * `eachDaemonSet` (io/source.ts) takes the pods DaemonSet by DaemonSet; with manifests, after the merge.
 */
export async function loadRead(source: Source, opts: ReadOptions, needs: LoadRequest['needs'], io: CliIO, eachDaemonSet?: EachDaemonSet): Promise<LoadedState> {
  if (opts.manifests.length === 0) return source.load({ scope: opts.scope, needs, ...(eachDaemonSet ? { eachDaemonSet } : {}) });
  const loaded = await source.load({ scope: { ...opts.scope, names: [] }, needs });
  const state = applyChange(loaded.state, await manifestChange(opts, loaded, io));
  const merged = { ...loaded, state: { ...state, daemonSets: selectDaemonSets(state.daemonSets, { ...loaded.scope, names: opts.scope.names }) } };
  if (eachDaemonSet) eachOfLoaded(merged, eachDaemonSet);
  return merged;
}
