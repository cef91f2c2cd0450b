// kubectl's duration syntax (Go's time.ParseDuration as kubectl's flags accept it), shared by the
// command layer (--timeout, --interval) and io (--request-timeout); pure, so neither layer imports the other.

import { UsageError } from '../errors.ts';

/** kubectl's duration syntax for --request-timeout and --timeout: 0, 30, 30s, 2m, 1h, 1m30s. */
export function parseDuration(flag: string, value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of value.matchAll(re)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
  }
  if (consumed !== value.length || value.length === 0) {
    throw new UsageError(`${flag}: invalid duration "${value}": use a number with a unit, e.g. 30s, 2m, 1h`);
  }
  return total;
}
