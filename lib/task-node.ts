import type { ExecutionResult } from './execution-result';
import type { Graph } from './graph';

/** The builder a node belongs to; `graph` is set when the builder seals. */
export interface NodeOwner {
  graph: Graph | undefined;
}

let read: (node: TaskNode<unknown>) => { owner: NodeOwner; index: number; name: string } | undefined;

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
export class TaskNode<R> {
  /** The node's name: its function's name made unique (`inc`, `inc_2`), or the one given. */
  readonly name: string;
  readonly #owner: NodeOwner;
  readonly #index: number;

  static {
    read = (node) => (typeof node === 'object' && node !== null && #owner in node
      ? { owner: node.#owner, index: node.#index, name: node.name }
      : undefined);
  }

  /** @internal Made by `DagBuilder`. */
  constructor(owner: NodeOwner, index: number, name: string) {
    this.#owner = owner;
    this.#index = index;
    this.name = name;
  }

  /** This node's value in `result`; the same as `result.get(node)`. */
  extractResult(result: ExecutionResult): R {
    return result.get(this);
  }

  /** @internal */
  toString(): string {
    return `TaskNode(${this.name})`;
  }
}

/** Which builder and index a `TaskNode` stands for; `undefined` for anything else. */
export function taskNodeOwner(node: unknown): { owner: NodeOwner; index: number; name: string } | undefined {
  return read(node as TaskNode<unknown>);
}

/** The compiled graph and index of a `TaskNode`, once its builder has sealed. */
export function taskNodeTarget(node: unknown): { graph: Graph | undefined; index: number; name: string } | undefined {
  const found = read(node as TaskNode<unknown>);
  return found === undefined ? undefined : { graph: found.owner.graph, index: found.index, name: found.name };
}
