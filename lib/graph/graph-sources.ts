import type { Graph } from './graph';

/**
 * Finds the graph of something a front end made (for the class DSL: a class or an instance), or
 * `undefined` when `source` is not one of its own. May throw the source's definition error.
 */
export type GraphSource = (source: object) => Graph | undefined;

/**
 * The front ends that have been loaded. `graphOf` asks them instead of importing them, so that a
 * bundle of the builder alone holds no class-DSL code: the DSL adds itself when its module is
 * evaluated, which it is whenever one of its exports is used (a DSL class cannot exist before).
 */
const sources: GraphSource[] = [];

/** Lets `graphOf` find the graphs of a front end. */
export function addGraphSource(source: GraphSource): void {
  if (!sources.includes(source)) sources.push(source);
}

/** The graph of `source`, from the first front end that knows it. */
export function findGraph(source: object): Graph | undefined {
  for (const find of sources) {
    const graph = find(source);
    if (graph !== undefined) return graph;
  }
  return undefined;
}
