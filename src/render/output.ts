// The one emitter: every command hands it a document (built by the model), the names for `-o name`, and
// a human renderer; it prints the format asked for. No command branches on -o itself.

import type { ChalkInstance } from 'chalk';
import { stringify } from 'yaml';
import type { OutStream } from '../runtime.ts';
import { compileTemplate, TemplateError } from './jsonpath.ts';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string; print: (doc: unknown) => string }
  | { kind: 'jsonpath-file'; file: string };

/** Thrown for a bad -o value; the command layer maps it to a usage error (exit 2). */
export class OutputFormatError extends Error {}

/**
 * `-o` as kubectl spells it: wide|json|yaml|name|jsonpath=T|jsonpath-file=F (also `jsonpath='T'`).
 * `allowed` lists what the command offers ("jsonpath=TEMPLATE" stands for the family).
 */
export function parseOutputFormat(value: string | undefined, allowed: readonly string[]): OutputFormat {
  if (value === undefined || value === '') return { kind: 'table', wide: false };
  const eq = value.indexOf('=');
  const family = eq < 0 ? value : value.slice(0, eq);
  const offered = allowed.map((a) => a.split('=')[0]);
  if (!offered.includes(family)) {
    throw new OutputFormatError(`--output: unknown format "${value}"; allowed: ${allowed.join(', ')}`);
  }
  const arg = eq < 0 ? '' : value.slice(eq + 1);
  if (family === 'jsonpath') {
    if (arg === '') throw new OutputFormatError('--output: jsonpath needs a template, e.g. -o jsonpath=\'{.daemonSets[*].name}\'');
    const template = arg.replace(/^'(.*)'$/s, '$1');
    try {
      return { kind: 'jsonpath', template, print: compileTemplate(template) };
    } catch (e) {
      throw new OutputFormatError(`--output: invalid jsonpath template: ${(e as Error).message}`);
    }
  }
  if (family === 'jsonpath-file') {
    if (arg === '') throw new OutputFormatError('--output: jsonpath-file needs a file, e.g. -o jsonpath-file=template.txt');
    return { kind: 'jsonpath-file', file: arg };
  }
  if (eq >= 0) throw new OutputFormatError(`--output: format "${family}" takes no "=" argument`);
  if (family === 'wide') return { kind: 'table', wide: true };
  return { kind: family as 'json' | 'yaml' | 'name' };
}

/** jsonpath-file=F read (by the caller, before any cluster I/O) into a compiled template. */
export function withTemplateFile(format: OutputFormat, text: string): OutputFormat {
  if (format.kind !== 'jsonpath-file') return format;
  try {
    return { kind: 'jsonpath', template: text, print: compileTemplate(text.replace(/\n$/, '')) };
  } catch (e) {
    if (e instanceof TemplateError) throw new OutputFormatError(`--output: invalid jsonpath template in ${format.file}: ${e.message}`);
    throw e;
  }
}

function toJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function toYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface Printable {
  /** The machine document (json, yaml, jsonpath). */
  doc: unknown;
  /** `-o name`: kubectl's resource/name lines. */
  names?: () => string[];
  /** The table or text for people; `wide` with -o wide. */
  human: (c: ChalkInstance, wide: boolean) => string;
}

export function emit(out: OutStream, format: OutputFormat, p: Printable, c: ChalkInstance): void {
  switch (format.kind) {
    case 'json':
      out.write(toJson(p.doc));
      return;
    case 'yaml':
      out.write(toYaml(p.doc));
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
