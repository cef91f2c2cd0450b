// The one emitter: every command hands it a document (built by the model), the names for `-o name`, and
// a human renderer; it prints the format asked for. No command branches on -o itself.

import type { ChalkInstance } from 'chalk';
import { stringify } from 'yaml';
import type { OutStream } from '../runtime.ts';
import type { OutputFormat } from './formats.ts';

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
