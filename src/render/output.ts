// Machine output: the report objects as JSON or YAML, nothing else on stdout.

import { stringify } from 'yaml';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';

export function toJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function toYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function serialize(doc: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? toJson(doc) : toYaml(doc);
}
