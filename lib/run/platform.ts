// What the engine needs from the platform it runs on, read once and guarded: the core runs in
// Node, Bun, Deno, browsers, workerd and Temporal's workflow sandbox, and not every one of them
// has every global. The sandbox, for one, has neither `performance` nor `queueMicrotask`; its
// `Date` is the workflow's deterministic clock and its `setTimeout` a durable workflow timer.
// Invariant: no module of the core or the front ends reads a global a runtime may lack anywhere
// else (scripts/check-runtimes.mjs runs the built package in each of them, and
// spec/runtimes/portable-globals.spec.ts scans the sources).

/** The global object, whichever runtime this is. */
const scope = globalThis as {
  performance?: { now?: () => number };
  queueMicrotask?: (callback: () => void) => void;
  process?: { nextTick?: unknown; emitWarning?: unknown };
};

/** Whether the platform has a callable `performance.now` that gives a finite number. */
function hasPerformanceNow(): boolean {
  try {
    const reading = scope.performance?.now?.();
    return typeof reading === 'number' && Number.isFinite(reading);
  } catch {
    return false;
  }
}

/**
 * The exact clock, in ms: `performance.now()` where the platform has it, else `Date.now()` (whole
 * ms). In Temporal's workflow sandbox `Date.now()` is workflow time, the same on every replay,
 * so a trace there is in workflow time: a node that waits for an activity lasts as long as the
 * activity did, and a synchronous stretch lasts 0 ms. (No clamp against a wall clock set back:
 * a shared clamp would make one workflow's trace depend on another's.) Where the platform
 * coarsens its clock (browsers to 0.1 ms or more, workerd to whole ms that advance only between
 * I/O), trace times have that resolution; nothing finer can be read there.
 */
export const platformClock: () => number = hasPerformanceNow()
  ? // Looked up at each reading, as a plain `performance.now()` would be: fake timers replace it.
    () => (scope.performance as { now: () => number }).now()
  : () => Date.now();

/** Runs `callback` after the current microtasks: `queueMicrotask`, or a resolved promise's `then`. */
export const afterMicrotasks: (callback: () => void) => void =
  typeof scope.queueMicrotask === 'function'
    ? scope.queueMicrotask.bind(globalThis)
    : (callback) => void Promise.resolve().then(callback);

/** Node's `process`-like object, when there is one (Node, Bun, Deno, workerd with `nodejs_compat`). */
export const nodeProcess: { nextTick?: unknown; emitWarning?: unknown } | undefined =
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a runtime may have no `process`
  typeof scope.process === 'object' && scope.process !== null ? scope.process : undefined;
