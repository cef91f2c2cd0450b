// "Did you mean" suggestions for unknown names: pure string work, shared by the model and io.

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
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
function closeNames(wanted: string, candidates: readonly string[]): string[] {
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
