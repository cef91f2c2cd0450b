// Sleeps that can be cut short all at once: retry back-offs end when the run fails (http.ts), a walk's
// waits end on Ctrl-C or a lost lock (rollout advance).

export class Sleepers {
  private readonly wakers = new Set<() => void>();

  /** Resolves after `ms`, or at once when wakeAll() is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}
