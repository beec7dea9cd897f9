import { shown } from '../errors';
import { isObject } from '../graph';
import type { DagObserver } from './observer';
import type { DagExecutor } from './executor';

/**
 * Options of one invocation.
 *
 * @example
 * await flow.invoke(params, { signal: req.signal, concurrency: 4, failFast: false });
 */
export interface InvokeOptions {
  /** Cancels the whole run: `invoke` rejects with `DagAbortedError` and running nodes see `ctx.signal` abort. */
  signal?: AbortSignal | undefined;
  /** The most node bodies running at once (immediates don't count). An integer from 1 up; default unlimited. */
  concurrency?: number | undefined;
  /** `true` (default): the first failure rejects the run. `false`: settle mode, every independent node runs. */
  failFast?: boolean | undefined;
  /** Lifecycle hooks, for logs, metrics and traces. A hook that throws never changes the run. */
  observer?: DagObserver | undefined;
  /** Names the run: `run.id` in observer events and `ctx.runId` in node bodies. Default: a unique string per invocation. */
  runId?: string | undefined;
  /** Where the nodes that have a `queue` option run (`bullmqExecutor()` from `async-dag/bullmq`); default: this process. */
  executor?: DagExecutor | undefined;
}

/** Invocation options after validation. */
export interface ResolvedInvokeOptions {
  readonly signal: AbortSignal | undefined;
  readonly concurrency: number;
  readonly failFast: boolean;
  readonly observer: DagObserver | undefined;
  readonly runId: string | undefined;
  readonly executor: DagExecutor | undefined;
}

const DEFAULT_INVOKE_OPTIONS: ResolvedInvokeOptions = Object.freeze({
  signal: undefined,
  concurrency: Infinity,
  failFast: true,
  observer: undefined,
  runId: undefined,
  executor: undefined,
});

/**
 * Validates invocation options. Returns a `TypeError` (rather than throwing it) so that
 * `invoke` can reject with it.
 */
export function resolveInvokeOptions(options: InvokeOptions | undefined): ResolvedInvokeOptions | TypeError {
  if (options === undefined) return DEFAULT_INVOKE_OPTIONS;
  if (!isObject(options)) return new TypeError(`Expected \`options\` to be an object, got ${shown(options)}`);
  const { signal, concurrency, failFast, observer } = options;
  const { runId } = options;
  const { executor } = options;
  if (
    signal !== undefined &&
    !(isObject(signal) && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')
  ) {
    return new TypeError(`Expected \`signal\` to be an AbortSignal, got ${shown(signal)}`);
  }
  if (
    concurrency !== undefined &&
    !(
      typeof concurrency === 'number' &&
      concurrency >= 1 &&
      (Number.isInteger(concurrency) || concurrency === Infinity)
    )
  ) {
    return new TypeError(`Expected \`concurrency\` to be an integer from 1 and up, got ${shown(concurrency)}`);
  }
  if (failFast !== undefined && typeof failFast !== 'boolean') {
    return new TypeError(`Expected \`failFast\` to be a boolean, got ${shown(failFast)}`);
  }
  if (observer !== undefined && !isObject(observer)) {
    return new TypeError(`Expected \`observer\` to be an object of hooks, got ${shown(observer)}`);
  }
  if (runId !== undefined && !(typeof runId === 'string' && runId !== '')) {
    return new TypeError(`Expected \`runId\` to be a non-empty string, got ${shown(runId)}`);
  }
  if (executor !== undefined && !(isObject(executor) && typeof executor.startRun === 'function')) {
    return new TypeError(
      `Expected \`executor\` to be a DagExecutor (an object with startRun()), got ${shown(executor)}`,
    );
  }
  return {
    signal: signal as AbortSignal | undefined,
    concurrency: concurrency ?? Infinity,
    failFast: failFast ?? true,
    observer,
    runId,
    executor: executor as DagExecutor | undefined,
  };
}
