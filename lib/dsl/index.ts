// The class DSL front end: decorators record declarations, a scanner compiles a class's graph.
// Imports the core only.

export { classGraphOf, isDagClass } from './class-graph';
export { classOf } from './class-of';
export { Dag } from './dag';
export type { DagResult } from './dag-result';
export type { DagTypeError, ImmediateDecorator, NodeDecorator } from './decorator-types';
export { immediate } from './immediate';
export { invokeDag } from './invoke-dag';
export { setInvokeDefaults, withInvokeDefaults } from './invoke-defaults';
export { node } from './node';
export type { NodeName, NodeValue } from './node-types';
export type { DagParams } from './dag-params';
