// The public surface of `async-dag`, listed on purpose: nothing internal leaks through `export *`.

// The class DSL. Importing it defines `Symbol.metadata` where the platform lacks it (see lib/dsl/symbol-metadata.ts).
export { Dag } from './dsl/dag';
export { node } from './dsl/node';
export { immediate } from './dsl/immediate';
export { invokeDag } from './dsl/invoke-dag';
export type { DagResult } from './dsl/dag-result';
export type { DagParams, NodeName, NodeValue } from './dsl/node-types';
export type { DagTypeError, ImmediateDecorator, NodeDecorator } from './dsl/decorator-types';
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
