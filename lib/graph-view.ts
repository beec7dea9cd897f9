import type { Graph, NodeKind } from './graph';
import type { ResolvedNodeOptions } from './options';

/**
 * One node of a {@link GraphView}.
 *
 * @example
 * graphOf(EventFlow).nodes.find((n) => n.name === 'moonEvent');
 * // { name: 'moonEvent', kind: 'node', dependencies: ['moonUrl'], options: { timeout: 2000, retry: { retries: 2 }, priority: 0 } }
 */
export interface GraphViewNode {
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

/**
 * Names Mermaid's flowchart lexer reads as a plain node id. Its lexer takes the first rule that
 * matches, so a name that merely starts with a keyword the grammar does not accept inside an id
 * (`styleSheet`, `classify`, `graphQl`, `subgraphs`) or is `end` breaks the diagram, and so
 * does one that ends with `direction` (its rule `.*direction\s+TB` reads on into the next
 * line); those get a safe id instead. `default...`, `click...`, `endTask` are fine.
 */
const PLAIN_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const NOT_AN_ID = /^(?:style|linkStyle|interpolate|classDef|class|graph|flowchart|subgraph)|^end$|direction$/;

function isPlainId(name: string): boolean {
  return PLAIN_ID.test(name) && !NOT_AN_ID.test(name);
}

/**
 * A quoted Mermaid label: in the name, characters that would end the string or be read as
 * markup become entity codes (`#34;`), and control characters (a newline would end the line)
 * become spaces; `markup` is appended as it is.
 */
function label(name: string, markup = ''): string {
  const text = name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[#"<>`&]/g, (c) => `#${c.charCodeAt(0)};`)
    // `direction TB` anywhere on a line is read as a direction statement.
    .replace(/direction\s+(?=TB|BT|RL|LR)/g, 'direction#32;');
  return `"${text}${markup}"`;
}

function describeOptions(options: ResolvedNodeOptions): string[] {
  const parts: string[] = [];
  if (options.timeout !== undefined) parts.push(`timeout ${options.timeout} ms`);
  if (options.retry !== undefined) parts.push(`retry ${options.retry.retries}`);
  if (options.priority !== 0) parts.push(`priority ${options.priority}`);
  return parts;
}

/**
 * `graph TD` with one `from --> to` line per edge. A node is declared on a line of its own only
 * when it needs a shape or a label: immediates are stadiums, a node with options shows them
 * under its name, a node with no edge must appear somewhere, and a name that is not a plain id
 * is drawn under a safe id (`n<index>`, never one of the plain names) with the name as label.
 */
function renderMermaid(nodes: readonly GraphViewNode[], edges: readonly GraphViewEdge[]): string {
  const plain = new Set(nodes.filter((node) => isPlainId(node.name)).map((node) => node.name));
  const ids = new Map<string, string>();
  nodes.forEach((node, i) => {
    if (plain.has(node.name)) {
      ids.set(node.name, node.name);
      return;
    }
    let id = `n${i}`;
    while (plain.has(id)) id += '_';
    ids.set(node.name, id);
  });
  const connected = new Set<string>();
  for (const { from, to } of edges) {
    connected.add(from);
    connected.add(to);
  }

  const lines = ['graph TD'];
  for (const node of nodes) {
    const id = ids.get(node.name)!;
    const extra = node.options === undefined ? [] : describeOptions(node.options);
    // The options line goes inside the quotes, under the name.
    const content = label(node.name, extra.length === 0 ? '' : `<br/>${extra.join(', ')}`);
    if (node.kind === 'immediate') lines.push(`    ${id}([${content}])`);
    else if (extra.length > 0 || !connected.has(node.name) || id !== node.name) lines.push(`    ${id}[${content}]`);
  }
  for (const { from, to } of edges) lines.push(`    ${ids.get(from)!} --> ${ids.get(to)!}`);
  return lines.join('\n') + '\n';
}
