// The public surface of `async-dag`, listed on purpose: nothing internal leaks through `export *`.

export { buildDag, DagBuilder } from './build-dag';
export type {
  BuilderNodeOptions,
  DependencyValue,
  DependencyValues,
  NodeAdder,
  NodeFunction,
} from './build-dag';
export { TaskGraph } from './task-graph';
export { TaskNode } from './task-node';
export { ExecutionResult } from './execution-result';
export type { NodeError, NodeStatus } from './execution-result';
export { Trace } from './trace';
export type { TraceEntry } from './trace';
export { graphOf } from './graph-of';
export type { GraphView, GraphViewEdge, GraphViewNode } from './graph-view';
export type { NodeKind } from './graph';
export type { NodeContext } from './node-context';
export type { InvokeOptions, NodeOptions, RetryPolicy, ResolvedNodeOptions } from './options';
export type {
  DagObserver,
  NodeEndEvent,
  NodeRetryEvent,
  NodeStartEvent,
  RunEndEvent,
  RunStartEvent,
} from './observer';
export {
  DagAbortedError,
  DagDefinitionError,
  DagError,
  NodeFailedError,
  NodeTimeoutError,
} from './errors';
export type { DagDefinitionErrorCode } from './errors';
