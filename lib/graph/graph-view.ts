import type { Graph, NodeKind } from './graph';
import { renderMermaid } from '../pictures';
import type { ResolvedNodeOptions } from './node-options';

/**
 * One node of a {@link GraphView}.
 *
 * @example
 * graphOf(EventFlow).nodes.find((n) => n.name === 'moonEvent');
 * // { name: 'moonEvent', kind: 'node', dependencies: ['moonUrl'], options: { timeout: 2000, retry: { retries: 2 }, priority: 0 } }
 */
export interface GraphViewNode {
  /** The node's name: the member's name (class DSL), or the function's name made unique (builder). */
  readonly name: string;
  /** `'node'` (a body that runs) or `'immediate'` (a value known at the start). */
  readonly kind: NodeKind;
  /** Names of its dependencies, in declared order (a repeat appears twice). */
  readonly dependencies: readonly string[];
  /** Timeout, retry and priority, when any was given. */
  readonly options?: ResolvedNodeOptions | undefined;
}

/**
 * One dependency: `to` runs after `from` and receives its value.
 *
 * @example
 * graphOf(dag).edges; // [{ from: 'fastTaskA', to: 'slowTaskB' }, ...]
 */
export interface GraphViewEdge {
  /** The dependency. */
  readonly from: string;
  /** The node that needs it. */
  readonly to: string;
}

/**
 * A read-only picture of a graph: what {@link graphOf} returns, and what
 * `DagObserver.onRunStart` receives. Made once per graph and shared, so it is frozen.
 *
 * @example
 * const view = graphOf(dag);
 * view.nodes.map((n) => n.name);        // ['fastTaskA', 'slowTaskB', ...]
 * view.edges[0];                        // { from: 'fastTaskA', to: 'slowTaskB' }
 * console.log(view.toMermaid());        // graph TD ... fastTaskA --> slowTaskB ...
 */
export interface GraphView {
  /** The class name, or `buildDag`. */
  readonly owner: string;
  /** In declaration order. */
  readonly nodes: readonly GraphViewNode[];
  /** One per distinct dependency, in declaration order of the dependent, then of its dependencies. */
  readonly edges: readonly GraphViewEdge[];
  /**
   * A Mermaid `graph TD` diagram: one `from --> to` line per edge, node names as ids.
   * Immediates are drawn as stadiums `([...])`; a node with options shows them under its
   * name; a name that Mermaid cannot take as an id is drawn under a safe id, with the name
   * as its label.
   */
  toMermaid(): string;
}

const views = new WeakMap<Graph, GraphView>();

/** The view of a compiled graph, made once per graph. */
export function graphView(graph: Graph): GraphView {
  let view = views.get(graph);
  if (view === undefined) {
    view = makeView(graph);
    views.set(graph, view);
  }
  return view;
}

function makeView(graph: Graph): GraphView {
  const nodes = graph.names.map((name, i) =>
    Object.freeze({
      name,
      kind: graph.kinds[i]!,
      dependencies: Object.freeze(graph.deps[i]!.map((d) => graph.names[d]!)),
      ...(graph.options[i] === undefined ? {} : { options: graph.options[i] }),
    }),
  );
  const edges: GraphViewEdge[] = [];
  for (const node of nodes) {
    for (const from of new Set(node.dependencies)) edges.push(Object.freeze({ from, to: node.name }));
  }
  const frozenNodes = Object.freeze(nodes);
  const frozenEdges = Object.freeze(edges);
  let mermaid: string | undefined;
  return Object.freeze({
    owner: graph.owner,
    nodes: frozenNodes,
    edges: frozenEdges,
    toMermaid: () => (mermaid ??= renderMermaid(frozenNodes, frozenEdges)),
  });
}
