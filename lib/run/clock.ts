/**
 * The clocks behind `result.trace`.
 *
 * Reading `performance.now()` costs about 50 ns on Node 20 (it is a system call on many VMs):
 * as much as scheduling a small node. A run that reads it at every event spends a third of a
 * six-node invocation reading the clock. So a run reads the exact clock at its start and its
 * end, and in between one of two clocks:
 *
 * - `now()`, exact: one reading per synchronous stretch (the run decides when to read again);
 * - `turnNow()`, about one reading per turn of the event loop, shared by every run: it is read
 *   at the first request and forgotten at the next `process.nextTick`, which runs after the
 *   current microtasks when asked from one of them, and before them when asked from a
 *   macrotask's own code (a timer or I/O callback: there a run reads the clock once more).
 *   Asynchronous work that ends in a later turn (I/O, timers) is timed exactly; what the turn
 *   clock cannot see is CPU time spent inside one turn.
 *
 * The engine uses the turn clock only for graphs whose previous run finished in under
 * {@link TURN_CLOCK_BELOW} ms, where that blind spot is below the trace's resolution.
 *
 * Measured (`npm run bench -- --only=tricks`, case `turn-clock`, against the exact clock for
 * every run): the seed graph's invocation 18% faster (0.85 vs 1.04 µs), a 200-node graph's 26-28%.
 */

import { afterMicrotasks, nodeProcess, platformClock } from './platform';

/** Runs of a graph whose previous run took less than this many ms are timed with the turn clock. */
export const TURN_CLOCK_BELOW = 0.1;

/** The exact clock, in ms (`performance.now()`, or `Date.now()` where there is none: see `platform.ts`). */
export const now: () => number = platformClock;

/** This turn's reading, or -1 when the next request must read the clock. */
let turnReading = -1;
/** The function the pending `forget` was handed to, or `undefined` when none is pending. */
let forgetWith: ((callback: () => void) => void) | undefined;

function forget(): void {
  turnReading = -1;
  forgetWith = undefined;
}

/**
 * `process.nextTick`, looked up at each use: a test's fake timers replace it and put it back, and
 * a `forget` handed to a fake that is gone would never run. Without it, the reading is forgotten
 * after the current microtasks (exact, but shared less).
 */
function afterThisTurn(): (callback: () => void) => void {
  const tick = nodeProcess?.nextTick;
  return typeof tick === 'function' ? (tick as (callback: () => void) => void) : afterMicrotasks;
}

function remember(reading: number): number {
  turnReading = reading;
  const defer = afterThisTurn();
  // None pending, or pending with a `nextTick` that has been replaced since: hand one over now.
  if (forgetWith !== defer) {
    forgetWith = defer;
    if (defer === afterMicrotasks) afterMicrotasks(forget);
    else defer.call(nodeProcess, forget);
  }
  return reading;
}

/** The exact clock, read now; the turn clock goes on from this reading, so that it never runs behind it. */
export function exactNow(): number {
  return remember(platformClock());
}

/** The turn clock: the first reading of this turn of the event loop (or a later exact one). */
export function turnNow(): number {
  return turnReading < 0 ? remember(platformClock()) : turnReading;
}
