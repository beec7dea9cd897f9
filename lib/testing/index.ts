// `async-dag/testing`: helpers for testing flows with jest. Nothing here is needed at run time.

export { dagMatchers, matchers } from './dag-matchers';
export type { ErrorExpectation } from './dag-matchers';
export type { DagMatchers } from './matcher-types';
export { setupMatchers } from './setup-matchers';
export type { Extendable } from './setup-matchers';
