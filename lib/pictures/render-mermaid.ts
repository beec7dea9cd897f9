/**
 * What the Mermaid graph draws of a node: its name, kind, the names of its dependencies and
 * the options worth showing. A `GraphViewNode` is one.
 */
export interface DiagramNode {
  readonly name: string;
  readonly kind: 'node' | 'immediate';
  readonly dependencies: readonly string[];
  readonly options?: {
    readonly timeout: number | undefined;
    readonly retry: { readonly retries: number } | undefined;
    readonly priority: number;
    readonly queue?: string | undefined;
  };
}

/** One dependency, drawn as `from --> to`. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
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
    // eslint-disable-next-line no-control-regex -- control characters are what this replaces
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[#"<>`&]/g, (c) => `#${c.charCodeAt(0)};`)
    // `direction TB` anywhere on a line is read as a direction statement.
    .replace(/direction\s+(?=TB|BT|RL|LR)/g, 'direction#32;');
  return `"${text}${markup}"`;
}

function describeOptions(options: NonNullable<DiagramNode['options']>): string[] {
  const parts: string[] = [];
  if (options.timeout !== undefined) parts.push(`timeout ${options.timeout} ms`);
  if (options.retry !== undefined) parts.push(`retry ${options.retry.retries}`);
  if (options.priority !== 0) parts.push(`priority ${options.priority}`);
  if (options.queue !== undefined) parts.push(`queue ${options.queue}`);
  return parts;
}

/**
 * `graph TD` with one `from --> to` line per edge. A node is declared on a line of its own only
 * when it needs a shape or a label: immediates are stadiums, a node with options shows them
 * under its name, a node with no edge must appear somewhere, and a name that is not a plain id
 * is drawn under a safe id (`n<index>`, never one of the plain names) with the name as label.
 */
export function renderMermaid(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[]): string {
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
