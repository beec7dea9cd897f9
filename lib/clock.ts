/**
 * The clocks behind `result.trace`.
 *
 * Reading `performance.now()` costs about 50 ns on Node 20 (it is a system call on many VMs):
 * as much as scheduling a small node. A run that reads it at every event spends a third of a
 * six-node invocation reading the clock. So a run reads the exact clock at its start and its
 * end, and in between one of two clocks:
 *
 * - `now()`, exact: one reading per synchronous stretch (the run decides when to read again);
 * - `turnNow()`, one reading per turn of the event loop, shared by every run: it is read at the
 *   first request of a turn and forgotten when the turn's microtasks have run (`process.nextTick`
 *   runs after them). Asynchronous work that ends in a later turn (I/O, timers) is timed
 *   exactly; what the turn clock cannot see is CPU time spent inside one turn.
 *
 * The engine uses the turn clock only for graphs whose previous run finished in under
 * {@link TURN_CLOCK_BELOW} ms, where that blind spot is below the trace's resolution.
 */

/** Runs of a graph whose previous run took less than this many ms are timed with the turn clock. */
export const TURN_CLOCK_BELOW = 0.1;

/** The exact clock, in ms. */
export const now: () => number = () => performance.now();

/** This turn's reading, or -1 when the next request must read the clock. */
let turnReading = -1;
let forgetScheduled = false;

function forget(): void {
  turnReading = -1;
  forgetScheduled = false;
}

// `process.nextTick` is looked up at load, so that a test's fake timers installed later do not
// hold the reading back. Outside Node, a microtask forgets it sooner (exact, but shared less).
const afterThisTurn: (callback: () => void) => void =
  typeof process === 'object' && process !== null && typeof process.nextTick === 'function'
    ? process.nextTick.bind(process)
    : queueMicrotask;

function remember(reading: number): number {
  turnReading = reading;
  if (!forgetScheduled) {
    forgetScheduled = true;
    afterThisTurn(forget);
  }
  return reading;
}

/** The exact clock, read now; the turn clock goes on from this reading, so that it never runs behind it. */
export function exactNow(): number {
  return remember(performance.now());
}

/** The turn clock: the first reading of this turn of the event loop (or a later exact one). */
export function turnNow(): number {
  return turnReading < 0 ? remember(performance.now()) : turnReading;
}
