// Nodes without a timeout share one `ctx.signal` per run. Node warns (`MaxListenersExceededWarning`)
// when more than 10 listeners are added to one signal, which eleven parallel nodes that each pass
// it on (`timers/promises`, `fetch`) do: a false leak report. The run's signal lives no longer
// than the run, so its limit is lifted, through `events.setMaxListeners`, reached without an
// import (the core runs outside Node too) by `process.getBuiltinModule` (Node 20.16 and later).
// Where that is missing on Node itself, each attempt gets a signal of its own instead (correct,
// but an AbortController costs microseconds, so it is the fallback, not the rule).

type SetMaxListeners = (n: number, ...targets: EventTarget[]) => void;

let found: SetMaxListeners | null | undefined;

function setMaxListenersOf(): SetMaxListeners | null {
  if (found !== undefined) return found;
  found = null;
  try {
    const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const events = processLike?.getBuiltinModule?.('node:events') as { setMaxListeners?: unknown } | undefined;
    if (typeof events?.setMaxListeners === 'function') found = events.setMaxListeners as SetMaxListeners;
  } catch {
    // A runtime whose getBuiltinModule throws: treated as one without it.
  }
  return found;
}

let ownSignals: boolean | undefined;

/**
 * Whether each attempt needs a signal of its own: on a Node that cannot lift a signal's listener
 * limit. Elsewhere (a browser, a worker runtime) there is no such warning to avoid.
 */
export function attemptsNeedOwnSignals(): boolean {
  if (ownSignals === undefined) {
    const versions = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions;
    ownSignals = setMaxListenersOf() === null && typeof versions?.node === 'string';
  }
  return ownSignals;
}

/** Lifts the listener limit of a run's shared signal, where the platform has one. Never throws. */
export function allowManyListeners(signal: AbortSignal): void {
  const set = setMaxListenersOf();
  if (set === null) return;
  try {
    set(0, signal);
  } catch {
    // Only a warning is at stake.
  }
}
