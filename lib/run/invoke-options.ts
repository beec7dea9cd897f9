import { closestName, shown } from '../errors';
import { isObject } from '../graph';
import type { DagObserver } from './observer';
import type { DagExecutor } from './executor';

/**
 * Options of one invocation. They are checked before any node starts: a bad value, or a key that
 * is not one of these (a typo such as `concurency`), makes `invoke` reject with a `TypeError`.
 * The object's own properties are its options (symbol and non-enumerable keys are checked too);
 * inherited ones are not read.
 *
 * @example
 * await flow.invoke(params, { signal: req.signal, concurrency: 4, failFast: false });
 */
export interface InvokeOptions {
  /**
   * Cancels the whole run: `invoke` rejects with `DagAbortedError` and running nodes see `ctx.signal`
   * abort. A signal-like object needs a boolean `aborted`, a `reason`, `addEventListener` and `removeEventListener`.
   */
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
 * Every key `InvokeOptions` has. A key outside this list is a typo or an option of another
 * version, and is rejected rather than ignored (as node options and DagModule options are).
 * `runId` and `executor` are validated where they are used.
 */
export const INVOKE_OPTION_KEYS: readonly string[] = Object.freeze([
  'signal',
  'concurrency',
  'failFast',
  'observer',
  'runId',
  'executor',
]);

/** What the engine uses of a signal: an object without one of these would fail halfway through a run. */
function missingFromSignal(signal: object): string | undefined {
  const like = signal as Partial<AbortSignal>;
  if (typeof like.aborted !== 'boolean') return '`aborted` (a boolean)';
  if (!('reason' in signal)) return '`reason`';
  if (typeof like.addEventListener !== 'function') return '`addEventListener` (a function)';
  if (typeof like.removeEventListener !== 'function') return '`removeEventListener` (a function)';
  return undefined;
}

/**
 * Validates invocation options, before any node starts. Returns a `TypeError` (rather than
 * throwing it) so that `invoke` can reject with it; a getter or Proxy trap of the caller's that
 * throws still throws (`invoke` rejects with what it threw).
 */
export function resolveInvokeOptions(options: InvokeOptions | undefined): ResolvedInvokeOptions | TypeError {
  if (options === undefined) return DEFAULT_INVOKE_OPTIONS;
  if (!isObject(options)) return new TypeError(`Expected \`options\` to be an object, got ${shown(options)}`);
  // Only own properties are options: every own key (symbols and non-enumerable ones included) must
  // be a known option, and only those keys are read, so what is checked is what is used. An
  // inherited property (a prototype's `concurrency`, or `concurency`) is neither: checking
  // inherited keys would refuse an options object made by a class (its methods), and reading them
  // would let a polluted `Object.prototype` set options.
  const given: InvokeOptions = {};
  for (const key of Reflect.ownKeys(options)) {
    if (typeof key !== 'string' || !INVOKE_OPTION_KEYS.includes(key)) {
      const hint = typeof key === 'string' ? closestName(key, INVOKE_OPTION_KEYS) : undefined;
      return new TypeError(
        `Unknown invoke option \`${String(key)}\`.${hint === undefined ? '' : ` Did you mean \`${hint}\`?`} ` +
          `Known options: ${INVOKE_OPTION_KEYS.join(', ')}.`,
      );
    }
    (given as Record<string, unknown>)[key] = options[key];
  }
  const { signal, concurrency, failFast, observer, runId, executor } = given;
  if (signal !== undefined) {
    if (!isObject(signal)) return new TypeError(`Expected \`signal\` to be an AbortSignal, got ${shown(signal)}`);
    const missing = missingFromSignal(signal);
    if (missing !== undefined) {
      return new TypeError(`Expected \`signal\` to be an AbortSignal, got ${shown(signal)}, which has no ${missing}`);
    }
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
