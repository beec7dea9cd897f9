import { DagDefinitionError } from '../errors';
import { shown } from '../errors';

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
  /**
   * The queue whose workers run this node when the run has an `executor` (`InvokeOptions.executor`);
   * without one it is ignored and the node runs in this process. A non-empty string.
   */
  queue?: string | undefined;
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
  /** The queue whose workers run it under an executor, or `undefined` (this process). */
  readonly queue?: string | undefined;
}

const NODE_OPTION_KEYS = ['timeout', 'retry', 'priority', 'queue'];

/**
 * The longest delay `setTimeout` honours (2^31 - 1 ms, about 24.8 days); a longer one fires at
 * once. Timeouts and retry delays above it are refused rather than silently cut short.
 */
export const MAX_TIMER_DELAY = 2_147_483_647;

/** An object (or array) that can be destructured. */
export function isObject(value: unknown): value is Record<string, unknown> {
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
  const { timeout, retry, priority, queue } = options;
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
    if (
      delay !== undefined &&
      typeof delay !== 'function' &&
      !(typeof delay === 'number' && delay >= 0 && delay <= MAX_TIMER_DELAY)
    ) {
      throw bad('retry.delay', `a number of milliseconds from 0 to ${MAX_TIMER_DELAY} or a function`, delay);
    }
    if (when !== undefined && typeof when !== 'function') throw bad('retry.when', 'a function', when);
    policy = retry.retries > 0 ? Object.freeze({ retries: retry.retries, delay, when } as RetryPolicy) : undefined;
  }
  if (priority !== undefined && !(typeof priority === 'number' && Number.isFinite(priority))) {
    throw bad('priority', 'a finite number', priority);
  }
  if (queue !== undefined && !(typeof queue === 'string' && queue !== '')) {
    throw bad('queue', 'a non-empty string', queue);
  }
  const usableTimeout = timeout === Infinity ? undefined : timeout;
  if (usableTimeout === undefined && policy === undefined && (priority ?? 0) === 0 && queue === undefined) {
    return undefined;
  }
  // `queue` only when given, so the options of a graph without queues look as they always did.
  return Object.freeze({
    timeout: usableTimeout,
    retry: policy,
    priority: priority ?? 0,
    ...(queue === undefined ? {} : { queue }),
  });
}
