import { DagDefinitionError } from './errors';
import type { DagObserver } from './observer';

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
}

/**
 * When and how a failed attempt of a node is tried again.
 *
 * @example
 * @node('moonEvent', { retry: { retries: 3, delay: (attempt) => 100 * 2 ** attempt, when: isTransient } })
 */
export interface RetryPolicy {
  /** How many more attempts after the first one fails. */
  retries: number;
  /**
   * Milliseconds to wait before the next attempt (0 to 2^31 - 1); a function gets the number of
   * the attempt that failed (from 1) and its error.
   */
  delay?: number | ((attempt: number, error: unknown) => number) | undefined;
  /** Retries only the errors for which it returns `true`; the others fail the node at once. */
  when?: ((error: unknown) => boolean) | undefined;
}

/**
 * Options of one node.
 *
 * @example
 * @node('moonEvent', 'moonInsert', { timeout: 2_000, retry: 2, priority: 1 })
 */
export interface NodeOptions {
  /**
   * Milliseconds per attempt, above 0 and at most 2^31 - 1 (`Infinity`: none); past it the attempt
   * fails with `NodeTimeoutError` and its `ctx.signal` aborts.
   */
  timeout?: number | undefined;
  /** `2` means up to 3 attempts; or a {@link RetryPolicy}. */
  retry?: number | RetryPolicy | undefined;
  /** Higher starts first when `concurrency` is limited and several nodes are ready. Default 0. */
  priority?: number | undefined;
}

/**
 * Node options after validation: every field present, retries normalised to a policy. What
 * `graphOf(x).nodes[i].options` shows.
 *
 * @example
 * graphOf(dag).nodes.find((n) => n.name === 'fetchUser')?.options?.retry?.retries; // 2
 */
export interface ResolvedNodeOptions {
  /** ms per attempt, or `undefined` for none. */
  readonly timeout: number | undefined;
  /** The retry policy, or `undefined` when a failure is final at once. */
  readonly retry: Readonly<RetryPolicy> | undefined;
  /** 0 unless given. */
  readonly priority: number;
}

const NODE_OPTION_KEYS = ['timeout', 'retry', 'priority'];

/**
 * The longest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); a longer one fires at
 * once. Timeouts and retry delays above it are refused rather than silently cut short.
 */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** What a value is, for messages: `` `0` (number) ``. */
export function shown(value: unknown): string {
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return `\`${text}\` (${value === null ? 'null' : typeof value})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * Validates the options of node `node` when the graph is defined. Returns `undefined` when the
 * node has no option that changes how it runs, so that the scheduler's hot path can skip it.
 */
export function resolveNodeOptions(
  node: string,
  options: NodeOptions | undefined,
  extraKeys: readonly string[] = [],
): ResolvedNodeOptions | undefined {
  if (options === undefined) return undefined;
  const bad = (what: string, expected: string, got: unknown): DagDefinitionError =>
    new DagDefinitionError(
      'INVALID_OPTION',
      `Node "${node}": expected \`${what}\` to be ${expected}, got ${shown(got)}.`,
    );
  if (!isObject(options)) throw bad('options', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!NODE_OPTION_KEYS.includes(key) && !extraKeys.includes(key)) {
      throw new DagDefinitionError(
        'INVALID_OPTION',
        `Node "${node}": unknown option \`${key}\`. Known options: ${[...NODE_OPTION_KEYS, ...extraKeys].join(', ')}.`,
      );
    }
  }
  const { timeout, retry, priority } = options;
  if (
    timeout !== undefined &&
    !(typeof timeout === 'number' && timeout > 0 && (timeout <= MAX_TIMER_DELAY || timeout === Infinity))
  ) {
    throw bad('timeout', `a number of milliseconds above 0 and at most ${MAX_TIMER_DELAY}, or Infinity`, timeout);
  }
  let policy: RetryPolicy | undefined;
  if (typeof retry === 'number') {
    if (!isNonNegativeInteger(retry)) throw bad('retry', 'an integer from 0 up or a RetryPolicy', retry);
    // Frozen like every other part of a graph: graphOf() hands this object out.
    policy = retry > 0 ? Object.freeze({ retries: retry }) : undefined;
  } else if (retry !== undefined) {
    if (!isObject(retry)) throw bad('retry', 'an integer from 0 up or a RetryPolicy', retry);
    for (const key of Object.keys(retry)) {
      if (key !== 'retries' && key !== 'delay' && key !== 'when') {
        throw new DagDefinitionError(
          'INVALID_OPTION',
          `Node "${node}": unknown option \`retry.${key}\`. Known options: retries, delay, when.`,
        );
      }
    }
    if (!isNonNegativeInteger(retry.retries)) throw bad('retry.retries', 'an integer from 0 up', retry.retries);
    const { delay, when } = retry;
    if (delay !== undefined && typeof delay !== 'function' && !(typeof delay === 'number' && delay >= 0 && delay <= MAX_TIMER_DELAY)) {
      throw bad('retry.delay', `a number of milliseconds from 0 to ${MAX_TIMER_DELAY} or a function`, delay);
    }
    if (when !== undefined && typeof when !== 'function') throw bad('retry.when', 'a function', when);
    policy = retry.retries > 0 ? Object.freeze({ retries: retry.retries, delay, when } as RetryPolicy) : undefined;
  }
  if (priority !== undefined && !(typeof priority === 'number' && Number.isFinite(priority))) {
    throw bad('priority', 'a finite number', priority);
  }
  const usableTimeout = timeout === Infinity ? undefined : timeout;
  if (usableTimeout === undefined && policy === undefined && (priority ?? 0) === 0) return undefined;
  return Object.freeze({ timeout: usableTimeout, retry: policy, priority: priority ?? 0 });
}

/** Invocation options after validation. */
export interface ResolvedInvokeOptions {
  readonly signal: AbortSignal | undefined;
  readonly concurrency: number;
  readonly failFast: boolean;
  readonly observer: DagObserver | undefined;
}

const DEFAULT_INVOKE_OPTIONS: ResolvedInvokeOptions = Object.freeze({
  signal: undefined,
  concurrency: Infinity,
  failFast: true,
  observer: undefined,
});

/**
 * Validates invocation options. Returns a `TypeError` (rather than throwing it) so that
 * `invoke` can reject with it.
 */
export function resolveInvokeOptions(options: InvokeOptions | undefined): ResolvedInvokeOptions | TypeError {
  if (options === undefined) return DEFAULT_INVOKE_OPTIONS;
  if (!isObject(options)) return new TypeError(`Expected \`options\` to be an object, got ${shown(options)}`);
  const { signal, concurrency, failFast, observer } = options;
  if (
    signal !== undefined &&
    !(isObject(signal) && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')
  ) {
    return new TypeError(`Expected \`signal\` to be an AbortSignal, got ${shown(signal)}`);
  }
  if (
    concurrency !== undefined &&
    !(typeof concurrency === 'number' && concurrency >= 1 && (Number.isInteger(concurrency) || concurrency === Infinity))
  ) {
    return new TypeError(`Expected \`concurrency\` to be an integer from 1 and up, got ${shown(concurrency)}`);
  }
  if (failFast !== undefined && typeof failFast !== 'boolean') {
    return new TypeError(`Expected \`failFast\` to be a boolean, got ${shown(failFast)}`);
  }
  if (observer !== undefined && !isObject(observer)) {
    return new TypeError(`Expected \`observer\` to be an object of hooks, got ${shown(observer)}`);
  }
  return {
    signal: signal as AbortSignal | undefined,
    concurrency: concurrency ?? Infinity,
    failFast: failFast ?? true,
    observer,
  };
}
