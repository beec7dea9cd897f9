import { shown } from '../errors';
import { dagMatchers } from './dag-matchers';

/**
 * Anything with jest's `expect.extend`: the global `expect`, the one from `@jest/globals`, or the
 * standalone `expect` package.
 *
 * @example
 * import { expect } from '@jest/globals';
 * setupMatchers(expect);
 */
export interface Extendable {
  /** Registers matchers, as jest's `expect.extend` does. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as jest's own `expect.extend` types it, so that `expect` itself is accepted
  extend(matchers: Record<string, (this: any, received: any, ...expected: any[]) => any>): void;
}

/**
 * Adds {@link dagMatchers} to `expect`: the global one, or the one given (such as
 * `import { expect } from '@jest/globals'`). Call it once, in a test file or in a file listed
 * in jest's `setupFilesAfterEnv`.
 *
 * @example
 * // jest.setup.ts, listed in `setupFilesAfterEnv`
 * import { setupMatchers } from 'async-dag/testing';
 * setupMatchers();
 */
export function setupMatchers(expect: Extendable | undefined = (globalThis as { expect?: Extendable }).expect): void {
  if (expect === undefined || typeof expect.extend !== 'function') {
    throw new TypeError(
      `Expected \`expect\` to be jest's expect (with an \`extend\` method), got ${shown(expect)}. ` +
        'Call setupMatchers() inside a test run, or pass it the expect you use.',
    );
  }
  expect.extend(dagMatchers);
}
