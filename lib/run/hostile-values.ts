// Reads of values that come from the user's code (a node's return value, a caller's signal),
// made total: none of these throws, whatever getters or Proxy traps the value has. The engine
// calls them where a throw would escape the run (a promise callback, an abort listener) instead
// of failing the node or rejecting `invoke`.

/**
 * `value instanceof Promise`, but `false` where that check throws: a Proxy whose
 * `getPrototypeOf` trap throws, or a revoked one. Such a value is then read as a plain value,
 * and reading its `then` fails the node (as awaiting it would).
 */
export function isPromise(value: unknown): value is Promise<unknown> {
  try {
    return value instanceof Promise;
  } catch {
    return false;
  }
}

/** `signal.reason`; when reading it throws (a getter, a Proxy), what it threw stands for the reason. */
export function reasonOf(signal: AbortSignal): unknown {
  try {
    return signal.reason;
  } catch (error) {
    return error;
  }
}

/** `signal.aborted === true`; when reading it throws, the signal counts as aborted, with that error as its reason. */
export function abortedState(signal: AbortSignal): { aborted: false } | { aborted: true; reason: unknown } {
  try {
    return signal.aborted ? { aborted: true, reason: reasonOf(signal) } : NOT_ABORTED;
  } catch (error) {
    return { aborted: true, reason: error };
  }
}

const NOT_ABORTED = Object.freeze({ aborted: false as const });
