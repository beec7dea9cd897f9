import { findGraph, graphView, type GraphView } from './graph';
import { shown } from './errors';
import { taskGraphOf } from './builder';

/**
 * The nodes, edges and Mermaid diagram of a graph: give it a `TaskGraph`, a `Dag` subclass (or
 * any class with `@node` members), or an instance of one. For a class whose definition is wrong,
 * throws its `DagDefinitionError`.
 *
 * @example
 * console.log(graphOf(dag).toMermaid());
 * console.log(graphOf(EventFlow).toMermaid());
 */
export function graphOf(source: object): GraphView {
  // The class DSL is not imported here: it adds itself to findGraph's sources when it loads, so
  // that a bundle of the builder and graphOf holds none of it.
  const graph = taskGraphOf(source) ?? findGraph(source);
  if (graph !== undefined) return graphView(graph);
  throw new TypeError(`Expected a TaskGraph, a Dag subclass or a Dag instance, got ${shown(source)}`);
}
