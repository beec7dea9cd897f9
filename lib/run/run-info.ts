/**
 * Which run an observer event belongs to: `event.run` is the same object for every event of one
 * invocation and a different one for every other invocation, so one observer (a logger, a
 * metrics sink) configured once can serve any number of concurrent runs, keyed by `run` itself
 * (a `WeakMap`) or by `run.id`.
 *
 * @example
 * const spans = new WeakMap<RunInfo, Span>();
 * const observer: DagObserver = {
 *   onRunStart: ({ run, graph }) => void spans.set(run, tracer.startSpan(`${graph.owner} ${run.id}`)),
 *   onRunEnd: ({ run }) => spans.get(run)?.end(),
 * };
 */
export interface RunInfo {
  /**
   * The `runId` invoke option when one was given (invocations that resume one durable run share
   * it), otherwise a string unique to this invocation. The same string as `ctx.runId`.
   */
  readonly id: string;
}

/** Makes ids unique across processes where the platform has `crypto.randomUUID`, and within this one otherwise. */
let counter = 0;

/** A fresh run id: a random UUID where the platform offers one, else a time, a random part and a counter. */
export function newRunId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}-${counter.toString(36)}`;
}

/**
 * The `run` of one invocation's events, made only when something needs it (an observer event, a
 * `ctx.runId`, an executor). `id` is an own enumerable property, so `{ ...run }`, `toEqual({ id })`,
 * `console.log` and `JSON.stringify` all see it.
 */
export class RunIdentity implements RunInfo {
  readonly id: string;

  constructor(id: string | undefined) {
    // Eager, and that is free where it matters: this object is itself made lazily, `ctx.runId` and
    // executors read the id at once, and only an observer that never reads `run.id` pays for an id
    // it does not use. Making it lazily instead costs more: an accessor defined on each instance
    // that replaces itself with a data property measured (Node 20, 10^6 objects) 155 ns unread and
    // 1.2 µs read, against 190 ns for `crypto.randomUUID()` here (and 5 ns with a given `runId`).
    // The seed benchmark (`npm run bench -- --quick --only=seed`) makes no RunIdentity at all.
    this.id = id ?? newRunId();
  }
}
