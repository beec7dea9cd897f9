import { graphView, type GraphView } from './graph-view';
import { taskGraphOf } from './task-graph';
import { shown } from './options';

/**
 * The nodes, edges and Mermaid diagram of a graph: give it a `TaskGraph`, a `Dag` subclass or
 * a `Dag` instance.
 *
 * @example
 * console.log(graphOf(dag).toMermaid());
 */
export function graphOf(source: object): GraphView {
  const graph = taskGraphOf(source);
  if (graph !== undefined) return graphView(graph);
  throw new TypeError(`Expected a TaskGraph, a Dag subclass or a Dag instance, got ${shown(source)}`);
}
