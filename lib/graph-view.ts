import type { Graph, NodeKind } from './graph';
import type { ResolvedNodeOptions } from './options';

/** One node of a {@link GraphView}. */
export interface GraphViewNode {
  readonly name: string;
  /** `'node'` (a body that runs) or `'immediate'` (a value known at the start). */
  readonly kind: NodeKind;
  /** Names of its dependencies, in declared order (a repeat appears twice). */
  readonly dependencies: readonly string[];
  /** Timeout, retry and priority, when any was given. */
  readonly options?: ResolvedNodeOptions | undefined;
}

/** One dependency: `to` runs after `from` and receives its value. */
export interface GraphViewEdge {
  readonly from: string;
  readonly to: string;
}

/**
 * A read-only picture of a graph: what {@link graphOf} returns.
 *
 * @example
 * console.log(graphOf(EventFlow).toMermaid());
 */
export interface GraphView {
  /** The class name, or `buildDag`. */
  readonly owner: string;
  /** In declaration order. */
  readonly nodes: readonly GraphViewNode[];
  /** One per distinct dependency, in declaration order of the dependent. */
  readonly edges: readonly GraphViewEdge[];
  /** A Mermaid `graph TD` diagram: one `from --> to` line per dependency, node names as ids. */
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
  return Object.freeze({
    owner: graph.owner,
    nodes: frozenNodes,
    edges: frozenEdges,
    toMermaid: () => renderMermaid(frozenNodes, frozenEdges),
  });
}

const SAFE_ID = /^[A-Za-z_][\w]*$/;

function label(text: string): string {
  return `"${text.replace(/"/g, '#quot;')}"`;
}

function describeOptions(options: ResolvedNodeOptions): string[] {
  const parts: string[] = [];
  if (options.timeout !== undefined) parts.push(`timeout ${options.timeout} ms`);
  if (options.retry !== undefined) parts.push(`retry ${options.retry.retries}`);
  if (options.priority !== 0) parts.push(`priority ${options.priority}`);
  return parts;
}

/**
 * `graph TD` with one `from --> to` line per dependency. A node is declared on a line of its
 * own only when it needs a shape or label: immediates are drawn as stadiums `([...])`, nodes
 * with options show them under the name, and a node with no edge at all must appear somewhere.
 */
function renderMermaid(nodes: readonly GraphViewNode[], edges: readonly GraphViewEdge[]): string {
  const lines = ['graph TD'];
  const connected = new Set<string>();
  for (const { from, to } of edges) {
    connected.add(from);
    connected.add(to);
  }
  const id = (name: string): string => (SAFE_ID.test(name) ? name : label(name));
  for (const node of nodes) {
    const extra = node.options === undefined ? [] : describeOptions(node.options);
    const text = extra.length === 0 ? node.name : `${node.name}<br/><small>${extra.join(', ')}</small>`;
    if (node.kind === 'immediate') lines.push(`    ${id(node.name)}([${label(text)}])`);
    else if (extra.length > 0 || !connected.has(node.name) || !SAFE_ID.test(node.name)) {
      lines.push(`    ${id(node.name)}[${label(text)}]`);
    }
  }
  for (const { from, to } of edges) lines.push(`    ${id(from)} --> ${id(to)}`);
  return lines.join('\n') + '\n';
}
