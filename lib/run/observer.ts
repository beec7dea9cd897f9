import type { GraphView } from '../graph';
import type { NodeStatus } from './node-status';

/**
 * Given to {@link DagObserver.onRunStart}, once per run, before any node starts.
 *
 * @example
 * onRunStart: ({ graph }) => log.info(`run of ${graph.owner}: ${graph.nodes.length} nodes`),
 */
export interface RunStartEvent {
  /** The graph being run: the same frozen view as `graphOf(x)`. */
  readonly graph: GraphView;
}

/**
 * Given to {@link DagObserver.onNodeStart} at each attempt of each node and immediate.
 *
 * @example
 * onNodeStart: ({ name, attempt }) => log.debug(`${name} attempt ${attempt}`),
 */
export interface NodeStartEvent {
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
export interface NodeRetryEvent {
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
export interface NodeEndEvent {
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
export interface RunEndEvent {
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
 * Hooks carry no run id: an observer that keeps per-run state should be made per invocation.
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

function report(observer: DagObserver, hook: string, error: unknown): void {
  if (reported.has(observer)) return;
  reported.add(observer);
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const message = `A DagObserver's ${hook} hook failed; the run went on unchanged. ${detail}`;
  const processLike = (globalThis as { process?: { emitWarning?: (message: string, options: object) => void } })
    .process;
  if (typeof processLike?.emitWarning === 'function') {
    processLike.emitWarning(message, { type: 'DagObserverWarning', code: 'ASYNC_DAG_OBSERVER_ERROR' });
  } else {
    console.warn(message);
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
    const out = fn.call(observer, event);
    if (out !== null && typeof out === 'object' && typeof (out as PromiseLike<unknown>).then === 'function') {
      (out as PromiseLike<unknown>).then(undefined, (error: unknown) => report(observer, hook, error));
    }
  } catch (error) {
    report(observer, hook, error);
  }
}
