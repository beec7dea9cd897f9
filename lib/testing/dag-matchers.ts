import { describe, shown } from '../errors';
import type { TraceEntry } from '../run';

/**
 * What `toHaveRejected` can compare a node's error with: a substring or a RegExp of its message,
 * an Error class it is an instance of, or an Error with the same message.
 *
 * @example
 * expect(result).toHaveRejected('user', /timed out/);
 * expect(result).toHaveRejected('user', NodeTimeoutError);
 */
export type ErrorExpectation = string | RegExp | Error | (abstract new (...args: never[]) => unknown);

/** The part of jest's matcher context these matchers use. */
interface MatcherContext {
  readonly isNot?: boolean | undefined;
}

/** What a matcher returns to `expect`. */
interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/** The parts of a result the matchers read; an `ExecutionResult` and a `DagResult` both have them. */
interface ResultLike {
  readonly trace: { readonly nodes: readonly TraceEntry[]; toTimeline?(width?: number): string };
  readonly errors?: readonly { readonly node: string; readonly error: unknown }[];
  get?(node: string): unknown;
}

function isResultLike(value: unknown): value is ResultLike {
  if (typeof value !== 'object' || value === null) return false;
  const trace = (value as { trace?: unknown }).trace;
  return typeof trace === 'object' && trace !== null && Array.isArray((trace as { nodes?: unknown }).nodes);
}

/** The result a matcher looks at: the received result, or the `partial` result of a `NodeFailedError`. */
function resultOf(received: unknown, matcher: string): ResultLike {
  if (isResultLike(received)) return received;
  const partial =
    typeof received === 'object' && received !== null ? (received as { partial?: unknown }).partial : undefined;
  if (isResultLike(partial)) return partial;
  throw new TypeError(
    `${matcher}: expected the received value to be a run's result (an ExecutionResult, a DagResult, ` +
      `or a NodeFailedError with its partial result), got ${describeValue(received)}.`,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    // The constructor's name, read safely: a received value may be a Proxy or have getters that throw.
    let name: unknown;
    try {
      name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    } catch {
      name = undefined;
    }
    return `an object (${typeof name === 'string' && name !== '' ? name : 'Object'})`;
  }
  return shown(value);
}

/** `error instanceof Class`, `false` where the check throws (a Proxy's `getPrototypeOf` trap). */
function isInstance(error: unknown, Class: abstract new (...args: never[]) => unknown): boolean {
  try {
    return error instanceof Class;
  } catch {
    return false;
  }
}

/** A node's trace entry; a name that is not a node is a mistake in the test, so it throws rather than fails. */
function entryOf(result: ResultLike, name: unknown, matcher: string): TraceEntry {
  if (typeof name !== 'string') {
    throw new TypeError(`${matcher}: expected a node name (a string), got ${describeValue(name)}.`);
  }
  const entry = result.trace.nodes.find((node) => node.name === name);
  if (entry === undefined) {
    const names = result.trace.nodes.map((node) => node.name);
    throw new Error(
      `${matcher}: the result has no node named "${name}". Its nodes are: ${names.join(', ') || '(none)'}.`,
    );
  }
  return entry;
}

const ms = (t: number | undefined): string => (t === undefined ? '—' : `${t.toFixed(1)} ms`);

function describeEntry(entry: TraceEntry, width: number): string {
  const timing =
    entry.start === undefined ? 'never started' : `started at ${ms(entry.start)}, ended at ${ms(entry.end)}`;
  return `  ${entry.name.padEnd(width)}  ${entry.status}, ${timing}`;
}

function report(result: ResultLike, entries: readonly TraceEntry[]): string {
  const width = Math.max(...entries.map((entry) => entry.name.length));
  const lines = entries.map((entry) => describeEntry(entry, width));
  const timeline = typeof result.trace.toTimeline === 'function' ? `\n\nThe run:\n${result.trace.toTimeline(72)}` : '';
  return `${lines.join('\n')}${timeline}`;
}

function call(name: string, isNot: boolean | undefined, args: readonly string[]): string {
  return `expect(result).${isNot === true ? 'not.' : ''}${name}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
}

function toHaveRunBefore(this: MatcherContext, received: unknown, first: string, second: string): MatcherResult {
  const result = resultOf(received, 'toHaveRunBefore');
  const a = entryOf(result, first, 'toHaveRunBefore');
  const b = entryOf(result, second, 'toHaveRunBefore');
  const pass = a.end !== undefined && b.start !== undefined && a.end <= b.start;
  return {
    pass,
    message: () =>
      `${call('toHaveRunBefore', this.isNot, [first, second])}\n\n` +
      `Expected "${first}" ${pass ? 'not ' : ''}to end before "${second}" started, but:\n${report(result, [a, b])}`,
  };
}

function toHaveRunConcurrently(this: MatcherContext, received: unknown, first: string, second: string): MatcherResult {
  const result = resultOf(received, 'toHaveRunConcurrently');
  const a = entryOf(result, first, 'toHaveRunConcurrently');
  const b = entryOf(result, second, 'toHaveRunConcurrently');
  // Intervals overlap when the later start comes before the earlier end.
  const pass =
    a.start !== undefined &&
    b.start !== undefined &&
    a.end !== undefined &&
    b.end !== undefined &&
    Math.max(a.start, b.start) < Math.min(a.end, b.end);
  return {
    pass,
    message: () =>
      `${call('toHaveRunConcurrently', this.isNot, [first, second])}\n\n` +
      `Expected the runs of "${first}" and "${second}" ${pass ? 'not ' : ''}to overlap, but:\n${report(result, [a, b])}`,
  };
}

function statusMatcher(matcher: string, status: TraceEntry['status']) {
  return function (this: MatcherContext, received: unknown, node: string): MatcherResult {
    const result = resultOf(received, matcher);
    const entry = entryOf(result, node, matcher);
    const pass = entry.status === status;
    return {
      pass,
      message: () =>
        `${call(matcher, this.isNot, [node])}\n\n` +
        `Expected "${node}" ${pass ? 'not ' : ''}to be ${status}, but:\n${report(result, [entry])}`,
    };
  };
}

/** The last error of a rejected node: from `result.errors` (settle mode) or the `cause` that `get` throws with. */
function errorOf(result: ResultLike, node: string): unknown {
  const listed = result.errors?.find((e) => e.node === node);
  if (listed !== undefined) return listed.error;
  try {
    result.get?.(node);
  } catch (error) {
    return (error as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorMatches(error: unknown, expected: ErrorExpectation): boolean {
  // A node's error may be any value: its message is read safely (`describe` never throws).
  const message = describe(error);
  if (typeof expected === 'string') return message.includes(expected);
  if (expected instanceof RegExp) return expected.test(message);
  if (expected instanceof Error) return message === expected.message;
  return isInstance(error, expected);
}

function errorName(error: unknown): string {
  try {
    const name = (error as { name?: unknown }).name;
    return typeof name === 'string' ? name : 'Error';
  } catch {
    return 'Error';
  }
}

function describeExpectation(expected: ErrorExpectation): string {
  if (typeof expected === 'string') return `an error whose message contains ${JSON.stringify(expected)}`;
  if (expected instanceof RegExp) return `an error whose message matches ${String(expected)}`;
  if (expected instanceof Error) return `an error with the message ${JSON.stringify(expected.message)}`;
  return `an instance of ${expected.name || 'the given class'}`;
}

function toHaveRejected(
  this: MatcherContext,
  received: unknown,
  node: string,
  expected?: ErrorExpectation,
): MatcherResult {
  const result = resultOf(received, 'toHaveRejected');
  const entry = entryOf(result, node, 'toHaveRejected');
  const rejected = entry.status === 'rejected';
  const error = rejected ? errorOf(result, node) : undefined;
  const pass = rejected && (expected === undefined || errorMatches(error, expected));
  const what = expected === undefined ? 'to be rejected' : `to be rejected with ${describeExpectation(expected)}`;
  const got = rejected
    ? `\n\nIts error: ${isInstance(error, Error) ? `${errorName(error)}: ${describe(error)}` : describe(error)}`
    : '';
  return {
    pass,
    message: () =>
      `${call('toHaveRejected', this.isNot, [node])}\n\n` +
      `Expected "${node}" ${pass ? 'not ' : ''}${what}, but:\n${report(result, [entry])}${got}`,
  };
}

/**
 * Jest matchers for a run's result (an `ExecutionResult`, a `DagResult`, or a
 * `NodeFailedError`, whose `partial` result is used). Add them once with
 * `expect.extend(dagMatchers)` (or {@link setupMatchers}); importing `async-dag/testing`
 * also types them on `expect(...)`.
 *
 * A node name that is not in the result is a mistake in the test: the matcher throws, even under `.not`.
 *
 * @example
 * import { dagMatchers } from 'async-dag/testing';
 * expect.extend(dagMatchers);
 *
 * const result = await flow.invoke({ userId: 'u1' }, { failFast: false });
 * expect(result).toHaveRunConcurrently('user', 'orders');
 * expect(result).toHaveRunBefore('user', 'dashboard');
 * expect(result).toHaveRejected('audit', /timed out/);
 * expect(result).toHaveBeenSkipped('notify');
 */
export const dagMatchers = Object.freeze({
  /** `(first, second)`: `first` ended before `second` started. */
  toHaveRunBefore,
  /** `(first, second)`: the two nodes ran at the same time for a while. */
  toHaveRunConcurrently,
  /** `(node)`: the node did not run (a dependency failed, or the run stopped first). */
  toHaveBeenSkipped: statusMatcher('toHaveBeenSkipped', 'skipped'),
  /** `(node)`: the node ran and fulfilled. */
  toHaveFulfilled: statusMatcher('toHaveFulfilled', 'fulfilled'),
  /** `(node, expected?)`: the node failed; `expected` is a message part, a RegExp, an Error or an error class. */
  toHaveRejected,
});

/**
 * The same object as {@link dagMatchers}, under the name jest's docs use.
 *
 * @example
 * import { matchers } from 'async-dag/testing';
 * expect.extend(matchers);
 */
export const matchers = dagMatchers;
