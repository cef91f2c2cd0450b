// `to.push(...from)` passes every element as an argument: past some 100,000 elements (130,000 nodes)
// it overflows the stack. Append in a loop instead.

export function append<T>(to: T[], from: readonly T[]): void {
  for (const x of from) to.push(x);
}
