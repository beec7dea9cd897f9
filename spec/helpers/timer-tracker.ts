/**
 * Counts the timers set through this context's `setTimeout` that have neither fired nor been
 * cleared. More precise than `process.getActiveResourcesInfo()`, which also counts the timers of
 * jest itself. `install()` returns the function that puts the originals back.
 */
export class TimerTracker {
  readonly #pending = new Map<unknown, string>();

  get pending(): number {
    return this.#pending.size;
  }

  /** Where each pending timer was set, for a failure message. */
  get stacks(): string[] {
    return [...this.#pending.values()];
  }

  install(): () => void {
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    const pending = this.#pending;
    const patchedSet = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const timer = realSet(
        (...callArgs: unknown[]) => {
          pending.delete(timer);
          callback(...callArgs);
        },
        ms,
        ...args,
      );
      pending.set(timer, new Error(`setTimeout(${String(ms)})`).stack ?? '');
      return timer;
    }) as typeof setTimeout;
    const patchedClear = ((timer?: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(timer);
      realClear(timer);
    }) as typeof clearTimeout;
    globalThis.setTimeout = patchedSet;
    globalThis.clearTimeout = patchedClear;
    return () => {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    };
  }
}
