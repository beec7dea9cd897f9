import { stackOf } from '../errors';
import type { GraphView } from '../graph';
import type { NodeStatus } from './node-status';
import type { RunInfo } from './run-info';

/**
 * What every observer event has: `run`, the same object for every event of one invocation and a
 * different one for every other, with `run.id` (the `runId` invoke option, or a unique string).
 *
 * @example
 * onNodeEnd: ({ run, name, status }) => log.info(`[${run.id}] ${name} ${status}`),
 */
export interface RunEvent {
  /** The invocation this event belongs to; `run.id` is made when first read. */
  readonly run: RunInfo;
}

/**
 * Given to {@link DagObserver.onRunStart}, once per run, before any node starts.
 *
 * @example
 * onRunStart: ({ graph }) => log.info(`run of ${graph.owner}: ${graph.nodes.length} nodes`),
 */
export interface RunStartEvent extends RunEvent {
  /** The graph being run: the same frozen view as `graphOf(x)`. */
  readonly graph: GraphView;
}

/**
 * Given to {@link DagObserver.onNodeStart} at each attempt of each node and immediate.
 *
 * @example
 * onNodeStart: ({ name, attempt }) => log.debug(`${name} attempt ${attempt}`),
 */
export interface NodeStartEvent extends RunEvent {
  /** The node's name. */
  readonly name: string;
  /** Counts from 1. */
  readonly attempt: number;
}

/**
 * Given to {@link DagObserver.onNodeRetry} when a failed attempt will be tried again, before
 * the delay starts.
 *
 * @example
 * onNodeRetry: ({ name, attempt, error, delay }) => log.warn(`${name} #${attempt} failed (${error}), retry in ${delay} ms`),
 */
export interface NodeRetryEvent extends RunEvent {
  /** The node's name. */
  readonly name: string;
  /** The attempt that failed, counting from 1. */
  readonly attempt: number;
  /** What the attempt threw or rejected with; a `NodeTimeoutError` when it timed out. */
  readonly error: unknown;
  /** Milliseconds before the next attempt. */
  readonly delay: number;
}

/**
 * Given to {@link DagObserver.onNodeEnd}, once per node that started, when it fulfils, is
 * rejected (after its last attempt), or is cut short by the end of the run.
 *
 * @example
 * onNodeEnd: ({ name, status, duration }) => histogram.record(duration, { node: name, status }),
 */
export interface NodeEndEvent extends RunEvent {
  /** The node's name. */
  readonly name: string;
  /** `'skipped'` here means the run stopped (fail fast or abort) while the node was in flight. */
  readonly status: NodeStatus;
  /** Milliseconds from the node's first attempt to its end, retries included (as `end - start` in the trace). */
  readonly duration: number;
  /** How many attempts the node made, counting from 1. */
  readonly attempts: number;
  /** The error of the last attempt, when the node was rejected. */
  readonly error?: unknown;
}

/**
 * Given to {@link DagObserver.onRunEnd}, once, when `invoke` settles.
 *
 * @example
 * onRunEnd: ({ status, duration, error }) => log.info(`run ${status} in ${duration} ms`, error),
 */
export interface RunEndEvent extends RunEvent {
  /** `'fulfilled'`: `invoke` resolved (in settle mode, possibly with rejected nodes); `'rejected'`: it rejected. */
  readonly status: 'fulfilled' | 'rejected';
  /** Milliseconds since the run began. */
  readonly duration: number;
  /** Why the run rejected: a `NodeFailedError` or a `DagAbortedError`. */
  readonly error?: unknown;
}

/**
 * Lifecycle hooks of a run, for logs, metrics and traces; pass one as `InvokeOptions.observer`.
 * Every hook is optional, and is called as a method of the observer, synchronously, at the
 * moment it describes: `onRunStart`, then for each attempt `onNodeStart` (and `onNodeRetry` if
 * it failed and will be tried again), `onNodeEnd` once per node that started, and `onRunEnd`.
 * Every event has `run` (see {@link RunEvent}), so one observer can serve any number of
 * concurrent runs, keeping per-run state keyed by `run` or `run.id`.
 *
 * A hook that throws, or returns a promise that rejects, never changes the run: the first such
 * error of each observer object is reported once, as a process warning of type
 * `DagObserverWarning` with code `ASYNC_DAG_OBSERVER_ERROR` (`process.on('warning', ...)`),
 * and later ones are dropped. Without an observer, the scheduler does no observer work.
 *
 * @example
 * const observer: DagObserver = {
 *   onNodeEnd: ({ name, status, duration }) => metrics.histogram('dag.node', duration, { name, status }),
 *   onRunEnd: ({ status, error }) => status === 'rejected' && log.error(error),
 * };
 * await flow.invoke(params, { observer });
 */
export interface DagObserver {
  /** Once per run, inside `invoke()`, before any node starts. */
  onRunStart?(event: RunStartEvent): unknown;
  /** Each time an attempt of a node (or an immediate) starts. */
  onNodeStart?(event: NodeStartEvent): unknown;
  /** When a failed attempt will be tried again, with the delay before the next one. */
  onNodeRetry?(event: NodeRetryEvent): unknown;
  /** Once per node that started, when it ends: fulfilled, rejected, or cut short by the run's stop. */
  onNodeEnd?(event: NodeEndEvent): unknown;
  /** Once per run, when `invoke` settles. */
  onRunEnd?(event: RunEndEvent): unknown;
}

/** Observers whose failure has been reported: each is reported once. */
const reported = new WeakSet<object>();

/**
 * Reports a hook's failure as a process warning. Never throws: it runs inside a rejection
 * handler, where a throw would become an unhandled rejection, and the error may be any value
 * (a revoked Proxy, a `stack` getter that throws).
 */
function report(observer: DagObserver, hook: string, error: unknown): void {
  try {
    if (reported.has(observer)) return;
    reported.add(observer);
    const message = `A DagObserver's ${hook} hook failed; the run went on unchanged. ${stackOf(error)}`;
    const processLike = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } })
      .process;
    if (typeof processLike?.emitWarning === 'function') {
      processLike.emitWarning(message, { type: 'DagObserverWarning', code: 'ASYNC_DAG_OBSERVER_ERROR' });
    } else {
      console.warn(message);
    }
  } catch {
    // A warning that cannot be given (a replaced `emitWarning` that throws) is dropped: the run comes first.
  }
}

/**
 * Whether `observer` has `hook`, read once per run so that a hook it lacks costs no event
 * object. A hook that cannot even be read counts as present: `notify` then reports its error.
 */
export function hasHook(observer: DagObserver | undefined, hook: keyof DagObserver): boolean {
  if (observer === undefined) return false;
  try {
    return typeof observer[hook] === 'function';
  } catch {
    return true;
  }
}

/**
 * Calls one hook, so that nothing it does (throw, reject) can reach the run. Internal: the
 * engine calls it only when an observer was given.
 */
export function notify<K extends keyof DagObserver>(
  observer: DagObserver,
  hook: K,
  event: Parameters<NonNullable<DagObserver[K]>>[0],
): void {
  try {
    // Inside the try: even reading the hook (a getter, a Proxy) must not reach the run.
    const fn = observer[hook] as ((event: unknown) => unknown) | undefined;
    if (typeof fn !== 'function') return;
    // Not `fn.call`: a function may have an own `call` property.
    const out: unknown = Reflect.apply(fn, observer, [event]);
    if (out !== null && typeof out === 'object') {
      const then: unknown = (out as { then?: unknown }).then;
      // `report` never throws, so the promise this makes never rejects.
      if (typeof then === 'function')
        Reflect.apply(then, out, [undefined, (error: unknown) => report(observer, hook, error)]);
    }
  } catch (error) {
    report(observer, hook, error);
  }
}
