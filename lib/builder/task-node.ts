import type { ExecutionResult } from '../run';
import { NodeHandle } from '../graph';

/**
 * A handle on one node of a builder graph, returned by `addNode` and `addImmediateNode`.
 * Pass it as a dependency of later nodes, and read its value from a result.
 *
 * @example
 * const fastA = tm.addNode(fastTaskA);
 * const slowB = tm.addNode(slowTaskB, fastA);
 * // ...
 * slowB.extractResult(await dag.invoke(0)); // typed as the awaited return type of slowTaskB
 */
export class TaskNode<R> extends NodeHandle<R> {
  /**
   * This node's value in `result`; the same as `result.get(node)`. Throws `DagError`
   * `NOT_FULFILLED` when the node was rejected or skipped.
   *
   * @example
   * const user = userNode.extractResult(await dag.invoke(1)); // typed as User
   */
  extractResult(result: ExecutionResult): R {
    return result.get(this);
  }

  /** @internal */
  override toString(): string {
    return `TaskNode(${this.name})`;
  }
}
