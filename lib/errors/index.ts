// The bottom layer: the base error classes and how any value is described in a message. Imports nothing.

export { closestName } from './closest-name';
export { DagDefinitionError, DagError } from './dag-error';
export type { DagDefinitionErrorCode } from './dag-error';
export { describe, shown, stackOf } from './describe';
