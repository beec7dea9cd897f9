// The public surface of `async-dag`, listed on purpose: nothing internal leaks through `export *`.
// The folders below are the design: errors <- graph <- run (the engine), pictures drawn from
// plain data, two front ends (dsl, builder) that compile to the engine's graph, and adapters
// (nest, otel, testing) that import only this surface and the folders' index files.

// The class DSL. Loading it defines `Symbol.metadata` where the platform lacks it and loads
// reflect-metadata (see lib/dsl/symbol-metadata.ts); its own chunk of dist/ does, so a bundle
// that uses only the builder holds neither (rollup.config.mjs, scripts/check-runtimes.mjs).
export { Dag, immediate, invokeDag, node } from './dsl';
export type { DagParams, DagResult, DagTypeError, ImmediateDecorator, NodeDecorator, NodeName, NodeValue } from './dsl';

// The builder.
export { buildDag, DagBuilder, TaskGraph, TaskNode } from './builder';
export type {
  BuildDagOptions,
  BuilderNodeOptions,
  DependencyValue,
  DependencyValues,
  NodeAdder,
  NodeFunction,
} from './builder';

// The graph both compile to, and how to see it.
export { graphOf } from './graph-of';
export type {
  GraphView,
  GraphViewEdge,
  GraphViewNode,
  NodeHandle,
  NodeKind,
  NodeOptions,
  ResolvedNodeOptions,
  RetryPolicy,
} from './graph';

// Running it.
export { DagAbortedError, ExecutionResult, NodeFailedError, NodeTimeoutError, Trace } from './run';
export type {
  DagExecutor,
  DagObserver,
  ExecutorNode,
  ExecutorRun,
  ExecutorRunStart,
  InvokeOptions,
  NodeContext,
  NodeEndEvent,
  NodeError,
  NodeRetryEvent,
  NodeStartEvent,
  NodeStatus,
  RemoteNodeCall,
  StoredFailure,
  StoredValue,
  RunEndEvent,
  RunEvent,
  RunInfo,
  RunStartEvent,
  TraceEntry,
} from './run';

// Errors.
export { DagDefinitionError, DagError } from './errors';
export type { DagDefinitionErrorCode } from './errors';
