import { runGraph } from '../run';
import type { ExecutionResult } from '../run';
import type { Graph } from '../graph';
import type { InvokeOptions } from '../run';

let read: (taskGraph: unknown) => Graph | undefined;

/**
 * A sealed, validated graph made by `buildDag`. Immutable: invoke it any number of times,
 * concurrently too.
 *
 * @example
 * const result = await dag.invoke(0, { concurrency: 2 });
 */
export class TaskGraph<P = void> {
  readonly #graph: Graph;

  static {
    read = (taskGraph) =>
      typeof taskGraph === 'object' && taskGraph !== null && #graph in taskGraph ? taskGraph.#graph : undefined;
  }

  /** @internal Made by `buildDag`. */
  constructor(graph: Graph) {
    this.#graph = graph;
  }

  /**
   * Runs the graph once with `params`. Resolves with every node's value; rejects with
   * `NodeFailedError` (fail fast), `DagAbortedError` (signal) or `TypeError` (bad options).
   * When `P` is `void`, `invoke()` takes no argument.
   *
   * @example
   * const result = await dag.invoke(userId, { signal: AbortSignal.timeout(5_000), concurrency: 4 });
   * const summary = result.get(summaryNode);
   */
  invoke(params: P, options?: InvokeOptions): Promise<ExecutionResult> {
    return runGraph(this.#graph, params, options, undefined);
  }
}

/** The compiled graph behind a `TaskGraph`, or `undefined` for anything else. */
export function taskGraphOf(value: unknown): Graph | undefined {
  return read(value);
}
