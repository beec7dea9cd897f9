// The graph: node definitions compiled and validated into the immutable graph every run shares
// (cycles, options, names), and its view. Imports errors and pictures only.

export { compileGraph, contextSight } from './graph';
export type { Graph, NodeDefinition, NodeKind } from './graph';
export { addGraphSource, findGraph } from './graph-sources';
export type { GraphSource } from './graph-sources';
export { graphView } from './graph-view';
export type { GraphView, GraphViewEdge, GraphViewNode } from './graph-view';
export { newLearning } from './learning';
export { FOREIGN_TASK_NODE, NOT_A_TASK_NODE, NodeHandle, taskNodeIndex, taskNodeOwner } from './node-handle';
export type { NodeOwner } from './node-handle';
export { nodeIndex } from './node-index';
export { MAX_TIMER_DELAY, isObject, resolveNodeOptions } from './node-options';
export type { NodeOptions, ResolvedNodeOptions, RetryPolicy } from './node-options';
