import { classGraphOf, isDagClass } from './dsl';
import { classOf } from './dsl';
import { graphView, type GraphView } from './graph';
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
  const graph = taskGraphOf(source);
  if (graph !== undefined) return graphView(graph);
  if (isDagClass(classOf(source))) return graphView(classGraphOf(source));
  throw new TypeError(`Expected a TaskGraph, a Dag subclass or a Dag instance, got ${shown(source)}`);
}
