// Reading a snapshot from standard input (`--snapshot -`); kept apart so the CLI entry needs no YAML parser.

import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';

export function defaultReadStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    throw new UsageError(`snapshot -: cannot read standard input: ${(e as Error).message}`);
  }
}
