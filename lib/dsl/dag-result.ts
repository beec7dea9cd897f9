import type { ExecutionResult, NodeStatus } from '../run';
import type { NodeName, NodeValue } from './node-types';

/**
 * The result of invoking a class graph: the same object as an `ExecutionResult`, typed by the
 * class, so that `get('moonEvent')` has the type `moonEvent` resolves to.
 *
 * @example
 * const result = await flow.invoke(params); // DagResult<EventFlow>
 * const event = result.get('moonEvent');     // Event
 * result.status('log');                      // 'fulfilled' | 'rejected' | 'skipped'
 */
export interface DagResult<T> extends Omit<ExecutionResult, 'get' | 'status'> {
  /** The nodes that were rejected, in the order they failed, each with the error of its last attempt (as `ExecutionResult.errors`). */
  readonly errors: ExecutionResult['errors'];
  /** When each node started and ended, in ms since the invocation began, and how many attempts it took (as `ExecutionResult.trace`). */
  readonly trace: ExecutionResult['trace'];
  /**
   * The value of a node or immediate that fulfilled, typed as the awaited type of that member.
   * Throws `DagError` `UNKNOWN_NODE` for a member that is not a node, and `NOT_FULFILLED` (with
   * the node's error as `cause`) for a node that was rejected or skipped.
   */
  get<K extends NodeName<T>>(name: K): NodeValue<T, K>;
  /** `'fulfilled'`, `'rejected'` or `'skipped'`. */
  status(name: NodeName<T>): NodeStatus;
}
