// `async-dag/testing`: helpers for testing flows with jest. Nothing here is needed at run time.

export { invokeWith } from './invoke-with';
export type { GraphNodeOverrides, InvokeWithOptions, NodeOverride, NodeOverrides } from './invoke-with';
export { runNode } from './run-node';
export type { DependencyValuesOf, RunNodeOptions } from './run-node';
export { dagMatchers, matchers } from './dag-matchers';
export type { ErrorExpectation } from './dag-matchers';
export type { DagMatchers } from './matcher-types';
export { setupMatchers } from './setup-matchers';
export type { Extendable } from './setup-matchers';
