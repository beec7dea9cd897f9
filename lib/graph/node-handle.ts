import type { Graph } from './graph';

/** The builder a node belongs to; `graph` is set when the builder seals. */
export interface NodeOwner {
  graph: Graph | undefined;
}

let read: (node: unknown) => { owner: NodeOwner; index: number; name: string } | undefined;
let indexIn: (node: unknown, owner: NodeOwner) => number;
let indexInGraph: (node: unknown, graph: Graph) => number;

/** What {@link taskNodeIndex} answers for a value that is not a `TaskNode`. */
export const NOT_A_TASK_NODE = -1;
/** What {@link taskNodeIndex} answers for a `TaskNode` of another builder. */
export const FOREIGN_TASK_NODE = -2;

/** Carries a handle's value type; never set at run time. */
declare const nodeValue: unique symbol;

/**
 * What makes a builder's `TaskNode` stand for one node of one graph: its owner and index, in
 * private fields, so that the graph and the results can find a node's index by a brand check
 * that allocates nothing. The builder's `TaskNode` extends it; the core knows only this.
 *
 * @example
 * const handle: NodeHandle<number> = userCount; // a TaskNode<number>
 * result.get(handle);                            // number
 */

export class NodeHandle<R = unknown> {
  /** @internal The type of the node's value, for `result.get(handle)`; never set. */
  declare readonly [nodeValue]?: R;

  /** The node's name: its function's name made unique (`inc`, `inc_2`), or the one given. */
  readonly name: string;
  readonly #owner: NodeOwner;
  readonly #index: number;

  static {
    read = (node) =>
      typeof node === 'object' && node !== null && #owner in node
        ? { owner: node.#owner, index: node.#index, name: node.name }
        : undefined;
    indexIn = (node, owner) => {
      if (typeof node !== 'object' || node === null || !(#owner in node)) return NOT_A_TASK_NODE;
      return node.#owner === owner ? node.#index : FOREIGN_TASK_NODE;
    };
    indexInGraph = (node, graph) =>
      typeof node === 'object' && node !== null && #owner in node && node.#owner.graph === graph ? node.#index : -1;
  }

  /** @internal Made by `DagBuilder`. */
  constructor(owner: NodeOwner, index: number, name: string) {
    this.#owner = owner;
    this.#index = index;
    this.name = name;
  }
}

/** Which builder and index a `TaskNode` stands for; `undefined` for anything else. */
export function taskNodeOwner(node: unknown): { owner: NodeOwner; index: number; name: string } | undefined {
  return read(node);
}

/**
 * The index of `node` in the builder `owner`, or {@link NOT_A_TASK_NODE} /
 * {@link FOREIGN_TASK_NODE}. Allocates nothing: the builder asks once per dependency.
 */
export function taskNodeIndex(node: unknown, owner: NodeOwner): number {
  return indexIn(node, owner);
}

/**
 * The index of `node` in `graph` when it is a `TaskNode` of that graph, otherwise -1. Allocates
 * nothing: every `result.get(node)` asks.
 */
export function taskNodeIndexIn(node: unknown, graph: Graph): number {
  return indexInGraph(node, graph);
}

/** The compiled graph and index of a `TaskNode`, once its builder has sealed. */
export function taskNodeTarget(node: unknown): { graph: Graph | undefined; index: number; name: string } | undefined {
  const found = read(node);
  return found === undefined ? undefined : { graph: found.owner.graph, index: found.index, name: found.name };
}
