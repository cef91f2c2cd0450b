// The steps every reading command takes between validated options and its work: one source for the
// run, the jsonpath-file template read before any cluster I/O, and the time the state is judged at.

import { readTextFile } from '../io/files.ts';
import { openSource, type LoadedState, type Source } from '../io/source.ts';
import { withTemplateFile, type OutputFormat } from '../render/output.ts';
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
    return await fn(source);
  } finally {
    source.close();
  }
}
