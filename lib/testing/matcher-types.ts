/// <reference types="expect" />
import type { ErrorExpectation } from './dag-matchers';

/**
 * The matchers that {@link dagMatchers} adds to `expect`, for a run's result (an
 * `ExecutionResult`, a `DagResult`, or a `NodeFailedError`, whose `partial` result is used).
 *
 * @example
 * expect.extend(dagMatchers);
 * const result = await flow.invoke({ userId: 'u1' });
 * expect(result).toHaveRunConcurrently('user', 'orders');
 * expect(result).toHaveRunBefore('user', 'dashboard');
 */
export interface DagMatchers<R> {
  /** `first` ended no later than `second` started (both started; `first` ended). */
  toHaveRunBefore(first: string, second: string): R;
  /** The trace intervals of `a` and `b` overlap: each started before the other ended. */
  toHaveRunConcurrently(a: string, b: string): R;
  /** The node never ran to an end: a dependency failed, or the run stopped first. */
  toHaveBeenSkipped(node: string): R;
  /** The node fulfilled. */
  toHaveFulfilled(node: string): R;
  /**
   * The node was rejected; with `error`, its last error also matches it: a substring or a
   * RegExp of the message, an Error class it is an instance of, or an Error with the same message.
   */
  toHaveRejected(node: string, error?: ErrorExpectation): R;
}

// Types for both ways of reaching `expect`: the global one typed by @types/jest, and
// `import { expect } from '@jest/globals'` typed by the `expect` package.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- @types/jest declares its matchers in this global namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type -- declaration merging: the parameters and the empty body must match @types/jest's own
    interface Matchers<R, T = {}> extends DagMatchers<R> {}
  }
}

declare module 'expect' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type -- declaration merging: the parameters must match the `expect` package's own
  interface Matchers<R extends void | Promise<void>, T = unknown> extends DagMatchers<R> {}
}
