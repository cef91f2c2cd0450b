// Errors that reach the user as one line and a documented exit code (README "Exit codes").

export const ExitCode = {
  OK: 0,
  /** Runtime or API error: unreachable cluster, 401/403 on a required read, 5xx, timeout, conflict. */
  Runtime: 1,
  /** Usage or input error: bad flag, unknown DaemonSet or node, malformed snapshot, bad selector. */
  Usage: 2,
} as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** Bad input from the user: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Usage, options);
  }
}

/** Something failed while doing the work: exit 1. */
export class RuntimeError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Runtime, options);
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Up to three close names: substring matches first, then small edit distances. */
export function closeNames(wanted: string, candidates: readonly string[]): string[] {
  const w = wanted.toLowerCase();
  const scored = candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = lc.includes(w) || w.includes(lc) ? 0 : editDistance(w, lc);
      return { c, d };
    })
    .filter((x) => x.d <= Math.max(2, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1));
  return [...new Set(scored.map((x) => x.c))].slice(0, 3);
}

export function didYouMean(wanted: string, candidates: readonly string[]): string {
  const close = closeNames(wanted, candidates);
  return close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
}
