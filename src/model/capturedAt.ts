// When a snapshot was taken: the newest timestamp it holds. Ages and availability (minReadySeconds) of a
// dump are judged at that time, not at the wall clock of whoever reads it later (a pod Ready for 5 s at
// capture is not available under minReadySeconds 30, however old the file is).

// Times that record something that already happened. deletionTimestamp is excluded: it is set in the
// future (now + grace period) by the API server.
const TIME_KEYS = new Set([
  'creationTimestamp',
  'lastHeartbeatTime',
  'lastTransitionTime',
  'lastProbeTime',
  'lastUpdateTime',
  'startTime',
  'startedAt',
  'finishedAt',
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
  'lastObservedTime',
  'time',
]);

function newest(v: unknown, best: number, depth: number): number {
  if (depth > 12 || v === null || typeof v !== 'object') return best;
  if (Array.isArray(v)) {
    for (const x of v) best = newest(x, best, depth + 1);
    return best;
  }
  // for...in rather than Object.entries: the same keys of a parsed object, without an array per object.
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'string') {
      if (TIME_KEYS.has(k)) {
        const ms = Date.parse(x);
        if (ms > best) best = ms;
      }
    } else if (x !== null && typeof x === 'object') best = newest(x, best, depth + 1);
  }
  return best;
}

/** The newest timestamp in one object (-Infinity when none): read before the object is trimmed. */
export function newestTime(o: unknown): number {
  return newest(o, -Infinity, 0);
}
