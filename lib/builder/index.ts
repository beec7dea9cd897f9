// The builder front end (`buildDag`): compiles a graph from functions and `TaskNode`s. Imports the core only.

export { DagBuilder, buildDag } from './build-dag';
export type {
  BuildDagOptions,
  BuilderNodeOptions,
  DependencyValue,
  DependencyValues,
  NodeAdder,
  NodeFunction,
} from './build-dag';
export { TaskGraph, taskGraphOf } from './task-graph';
export { TaskNode } from './task-node';
