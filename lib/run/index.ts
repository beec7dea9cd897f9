// The engine: runs a compiled graph (scheduler, ready queue, clocks, node context, observers,
// result, trace). Imports graph, errors and pictures; knows no front end.

export { runGraph } from './engine';
export { executorNodesOf } from './remote-nodes';
export { ExecutionResult } from './execution-result';
export type { NodeError } from './execution-result';
export type { NodeStatus } from './node-status';
export { resolveInvokeOptions } from './invoke-options';
export type { InvokeOptions } from './invoke-options';
export type { NodeContext } from './node-context';
export { combineObservers } from './combine-observers';
export type {
  DagExecutor,
  ExecutorNode,
  ExecutorRun,
  ExecutorRunStart,
  RemoteNodeCall,
  StoredValue,
  StoredFailure,
} from './executor';
export { hasHook, notify } from './observer';
export type {
  DagObserver,
  NodeEndEvent,
  NodeRetryEvent,
  NodeStartEvent,
  RunEndEvent,
  RunEvent,
  RunStartEvent,
} from './observer';
export type { RunInfo } from './run-info';
export { DagAbortedError, NodeFailedError, NodeTimeoutError } from './run-errors';
export { Trace } from './trace';
export type { TraceEntry } from './trace';
