import { closestName } from '../errors';
import { DagError } from '../errors';
import type { Graph } from './graph';
import { shown } from '../errors';
import { taskNodeIndexIn, taskNodeTarget } from './node-handle';

/**
 * The index in `graph` of `node`, a name or a `TaskNode` of that graph. Otherwise throws
 * `DagError` `UNKNOWN_NODE` (with the closest name, when one is close) or, for something that
 * is neither a string nor a `TaskNode`, a `TypeError`. `who` prefixes the message (`invokeWith`).
 */
export function nodeIndex(graph: Graph, node: unknown, who?: string): number {
  if (typeof node !== 'string') {
    const index = taskNodeIndexIn(node, graph);
    if (index >= 0) return index;
  }
  const prefix = who === undefined ? '' : `${who}: `;
  if (typeof node !== 'string') {
    const target = taskNodeTarget(node);
    if (target?.graph === graph) return target.index;
    if (target !== undefined) {
      // A graph's owner is its class name, or `buildDag` (several graphs share that one).
      const label = (owner: string) => (owner === 'buildDag' ? 'buildDag() graph' : `graph ${owner}`);
      const other =
        target.graph === undefined ? 'a builder that has not sealed yet' : `another ${label(target.graph.owner)}`;
      throw new DagError(
        'UNKNOWN_NODE',
        `${prefix}The TaskNode "${target.name}" is not a node of this ${label(graph.owner)}: it belongs to ${other}. ` +
          `Its nodes are: ${graph.names.join(', ') || '(none)'}. ` +
          'Pass a TaskNode of the graph that produced this result, or a node name.',
      );
    }
    throw new TypeError(`${prefix}expected a node name (a string) or a TaskNode, got ${shown(node)}`);
  }
  const index = graph.indexByName.get(node);
  if (index !== undefined) return index;
  const near = closestName(node, graph.names);
  throw new DagError(
    'UNKNOWN_NODE',
    `${prefix}${graph.owner} has no node named "${node}".${near === undefined ? '' : ` Did you mean "${near}"?`} ` +
      `Its nodes are: ${graph.names.join(', ') || '(none)'}.`,
  );
}
