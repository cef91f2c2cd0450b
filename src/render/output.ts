// The one emitter: every command hands it a document (built by the model), the names for `-o name`, and
// a human renderer; it prints the format asked for. No command branches on -o itself.

import type { ChalkInstance } from 'chalk';
import { stringify } from 'yaml';
import type { OutStream } from '../runtime.ts';
import type { OutputFormat } from './formats.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * JSON.stringify(doc, null, 2), byte for byte, as a sequence of pieces: the outer levels (a report's
 * cells, 20,000 of them on a 1,000-node cluster) are written element by element, so the document is
 * never one string as big as the output (issue 14: memory). Below `depth` each value is stringified whole.
 */
export function* jsonPieces(v: unknown, indent = '', depth = 2): Generator<string> {
  const inner = `${indent}  `;
  if (depth > 0 && Array.isArray(v) && v.length > 0) {
    yield '[\n';
    for (let i = 0; i < v.length; i++) {
      yield inner;
      yield* jsonPieces(omitted(v[i]) ? null : v[i], inner, depth - 1);
      yield i < v.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  const keys = depth > 0 && isPlainObject(v) ? Object.keys(v).filter((k) => !omitted(v[k])) : [];
  if (keys.length > 0) {
    const o = v as Record<string, unknown>;
    yield '{\n';
    for (const [i, k] of keys.entries()) {
      yield `${inner}${JSON.stringify(k)}: `;
      yield* jsonPieces(o[k], inner, depth - 1);
      yield i < keys.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  const text = JSON.stringify(v, null, 2) as string | undefined;
  yield indent === '' ? String(text) : String(text).replaceAll('\n', `\n${indent}`);
}

/**
 * Pieces written in chunks of about 64 KiB, waiting for the reader when the stream says so: writes to a
 * pipe are asynchronous on POSIX, and `coverage -o json | jq` would otherwise queue the whole document
 * (17 MB for 1,000 nodes) in memory before jq has read the first piece.
 */
async function writePieces(out: OutStream, pieces: Iterable<string>, end = ''): Promise<void> {
  let buf = '';
  for (const piece of pieces) {
    buf += piece;
    if (buf.length >= 65_536) {
      const more = out.write(buf);
      buf = '';
      if (more === false && out.once) await new Promise<void>((resolve) => out.once!('drain', resolve));
    }
  }
  out.write(`${buf}${end}`);
}

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

const isYamlMap = (v: unknown): v is Record<string, unknown> => isPlainObject(v) && Object.values(v).some((x) => !omitted(x));

/**
 * stringify(doc) of the `yaml` package, byte for byte, as a sequence of pieces: a top-level list of
 * maps (a report's cells) is written item by item, each item stringified on its own and indented as
 * the whole document would indent it, so `-o yaml` never builds the document tree of 20,000 cells at
 * once (at 1,000 nodes that took 10 s and 330 MB; -o json 5 s and 190 MB). Anything else is written whole.
 */
export function* yamlPieces(doc: unknown): Generator<string> {
  if (!isYamlMap(doc)) {
    yield stringify(doc, YAML_OPTIONS);
    return;
  }
  for (const [k, v] of Object.entries(doc)) {
    if (omitted(v)) continue;
    if (!Array.isArray(v) || v.length === 0 || !v.every(isYamlMap)) {
      yield stringify({ [k]: v }, YAML_OPTIONS);
      continue;
    }
    // The key as the document writes it ("key:" or a quoted key), from a one-item list under it.
    yield `${stringify({ [k]: [0] }, YAML_OPTIONS).split('\n')[0]}\n`;
    for (const item of v) {
      const lines = stringify(item, YAML_OPTIONS).split('\n');
      lines.pop();
      yield `  - ${lines.map((l, i) => (i === 0 || l === '' ? l : `    ${l}`)).join('\n')}\n`;
    }
  }
}

export interface Printable {
  /** The machine document (json, yaml, jsonpath). */
  doc: unknown;
  /** `-o name`: kubectl's resource/name lines. */
  names?: () => string[];
  /** The table or text for people; `wide` with -o wide. */
  human: (c: ChalkInstance, wide: boolean) => string;
}

export async function emit(out: OutStream, format: OutputFormat, p: Printable, c: ChalkInstance): Promise<void> {
  switch (format.kind) {
    case 'json':
      await writePieces(out, jsonPieces(p.doc), '\n');
      return;
    case 'yaml':
      await writePieces(out, yamlPieces(p.doc));
      return;
    case 'name':
      out.write((p.names?.() ?? []).map((n) => `${n}\n`).join(''));
      return;
    case 'jsonpath':
      out.write(format.print(p.doc));
      return;
    case 'jsonpath-file':
      throw new Error('jsonpath-file must be read before printing (withTemplateFile)');
    case 'table':
      out.write(p.human(c, format.wide));
  }
}
