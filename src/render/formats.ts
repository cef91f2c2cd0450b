// `-o` as kubectl spells it, parsed and checked in the options step (before any I/O). Kept apart from
// the emitter (output.ts) so that parsing options, on every start, does not load the YAML printer.

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
