import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DagAbortedError, DagDefinitionError, DagError, NodeFailedError, NodeTimeoutError } from 'async-dag';
import { main as aborted } from '../../examples/errors-aborted';
import { main as cycle } from '../../examples/errors-cycle';
import { main as duplicateNode } from '../../examples/errors-duplicate-node';
import { main as foreignNode } from '../../examples/errors-foreign-node';
import { main as invalidNode } from '../../examples/errors-invalid-node';
import { main as invalidOption } from '../../examples/errors-invalid-option';
import { main as invokeOptions } from '../../examples/errors-invoke-options';
import { main as nodeFailed } from '../../examples/errors-node-failed';
import { main as nodeTimeout } from '../../examples/errors-node-timeout';
import { main as notFulfilled } from '../../examples/errors-not-fulfilled';
import { main as sealed } from '../../examples/errors-sealed';
import { main as unknownDependency } from '../../examples/errors-unknown-dependency';
import { main as unknownNode } from '../../examples/errors-unknown-node';

async function run(example: (log: (line: string) => void) => unknown): Promise<{ error: unknown; lines: string[] }> {
  const lines: string[] = [];
  const error = await example((line) => lines.push(line));
  return { error, lines };
}

describe('the errors examples', () => {
  it.each([
    ['errors-cycle', 'CYCLE', cycle, /^Checkout: the dependencies form a cycle: tax -> total -> tax /],
    ['errors-duplicate-node', 'DUPLICATE_NODE', duplicateNode, /two nodes are named "fetch"/],
    ['errors-sealed', 'SEALED', sealed, /This builder is sealed/],
    [
      'errors-foreign-node',
      'FOREIGN_NODE',
      foreignNode,
      /Node "ping" depends on "loadConfig", a TaskNode of another buildDag\(\) graph/,
    ],
    [
      'errors-invalid-node',
      'INVALID_NODE',
      invalidNode,
      /expects a function as its first argument, got `undefined` \(undefined\)/,
    ],
    [
      'errors-invalid-option',
      'INVALID_OPTION',
      invalidOption,
      /Node "fetchUser": expected `timeout` to be a number of milliseconds above 0.*, got `-1` \(number\)/,
    ],
  ] as const)('%s throws DagDefinitionError %s when the graph is defined', async (_name, code, example, message) => {
    const { error, lines } = await run(example);
    expect(error).toBeInstanceOf(DagDefinitionError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
    expect(lines).toEqual([`${code}: ${(error as Error).message}`]);
  });

  it('errors-unknown-dependency throws UNKNOWN_DEPENDENCY naming the member, with a suggestion for a typo', async () => {
    const lines: string[] = [];
    const errors = unknownDependency((line) => lines.push(line));
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error).toBeInstanceOf(DagDefinitionError);
    expect(errors).toMatchObject([{ code: 'UNKNOWN_DEPENDENCY' }, { code: 'UNKNOWN_DEPENDENCY' }]);
    expect(lines).toEqual([
      'UNKNOWN_DEPENDENCY: Invoice: "vatRate" depends on "customer", a member that is neither a node nor an immediate. Decorate "customer" with @node(...) or @immediate.',
      'UNKNOWN_DEPENDENCY: Shipping: "price" depends on "wieght", which is not a node or an immediate of Shipping. Did you mean "weight"?',
    ]);
  });

  it('errors-node-failed rejects with NODE_FAILED, naming the node and keeping the cause and partial result', async () => {
    const { error, lines } = await run(nodeFailed);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect(error).toMatchObject({ code: 'NODE_FAILED', node: 'charge' });
    expect((error as NodeFailedError).cause).toEqual(new Error('card of user 7 declined'));
    expect(lines).toEqual([
      'NODE_FAILED: Node "charge" failed: card of user 7 declined',
      'node: charge, cause: Error: card of user 7 declined',
      'fetchUser was fulfilled',
    ]);
  });

  it('errors-node-timeout fails the node with a NODE_TIMEOUT cause', async () => {
    const { error, lines } = await run(nodeTimeout);
    expect(error).toBeInstanceOf(NodeFailedError);
    const cause = (error as NodeFailedError).cause;
    expect(cause).toBeInstanceOf(NodeTimeoutError);
    expect(cause).toMatchObject({ code: 'NODE_TIMEOUT', node: 'slowReport', timeout: 20 });
    expect(lines).toEqual([
      'NODE_TIMEOUT: Node "slowReport" timed out after 20 ms (attempt 1). Raise its `timeout` option or make the node honour `ctx.signal`.',
    ]);
  });

  it('errors-aborted rejects with an AbortError coded ABORTED', async () => {
    const { error, lines } = await run(aborted);
    expect(error).toBeInstanceOf(DagAbortedError);
    expect(error).toMatchObject({ code: 'ABORTED', name: 'AbortError' });
    // Under jest the DOMException comes from another realm, so it may be shown with its name.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^AbortError ABORTED: The run was aborted: (TimeoutError: )?The operation was aborted due to timeout$/,
    );
  });

  it('errors-unknown-node throws UNKNOWN_NODE listing the nodes there are', async () => {
    const { error, lines } = await run(unknownNode);
    expect(error).toBeInstanceOf(DagError);
    expect(error).toMatchObject({ code: 'UNKNOWN_NODE' });
    expect(lines).toEqual([
      'UNKNOWN_NODE: buildDag has no node named "fetchUsers". Did you mean "fetchUser"? Its nodes are: fetchUser.',
    ]);
  });

  it('errors-not-fulfilled throws NOT_FULFILLED for a skipped node', async () => {
    const { error, lines } = await run(notFulfilled);
    expect(error).toBeInstanceOf(DagError);
    expect(error).toMatchObject({ code: 'NOT_FULFILLED' });
    expect(lines).toEqual([
      'NOT_FULFILLED: Node "convert" has no value: it was skipped: a dependency failed, or the run stopped before it ended. Check `result.status("convert")` first.',
    ]);
  });

  it('errors-invoke-options rejects with a TypeError saying what was expected and what came', async () => {
    const { error, lines } = await run(invokeOptions);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(DagError);
    expect(lines).toEqual(['TypeError: Expected `concurrency` to be an integer from 1 and up, got `0` (number)']);
  });
});

describe('docs/errors.md', () => {
  const root = join(__dirname, '..', '..');

  /** Every `code` the library's sources can raise: the definition codes, the subclasses' codes, and `new DagError('...')`. */
  function codesInLib(): Set<string> {
    const codes = new Set<string>();
    const errors = readFileSync(join(root, 'lib', 'errors', 'dag-error.ts'), 'utf8');
    const union = /type DagDefinitionErrorCode =([^;]+);/.exec(errors)?.[1] ?? '';
    for (const match of union.matchAll(/'([A-Z_]+)'/g)) codes.add(match[1]!);
    const files = readdirSync(join(root, 'lib'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    for (const file of files) {
      const source = readFileSync(join(root, 'lib', file), 'utf8');
      for (const match of source.matchAll(/declare readonly code: '([A-Z_]+)'/g)) codes.add(match[1]!);
      for (const match of source.matchAll(/new DagError\(\s*'([A-Z_]+)'/g)) codes.add(match[1]!);
    }
    return codes;
  }

  it('has a section for every error code the library raises', () => {
    const codes = codesInLib();
    // The contract's codes are all found, so the scan itself works.
    for (const code of [
      'CYCLE',
      'UNKNOWN_DEPENDENCY',
      'DUPLICATE_NODE',
      'SEALED',
      'FOREIGN_NODE',
      'INVALID_NODE',
      'INVALID_OPTION',
      'NODE_FAILED',
      'NODE_TIMEOUT',
      'ABORTED',
      'UNKNOWN_NODE',
      'NOT_FULFILLED',
    ]) {
      expect(codes).toContain(code);
    }
    const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
    const sections = new Set([...doc.matchAll(/^### ([A-Z_]+)\s*$/gm)].map((m) => m[1]!));
    expect([...codes].filter((code) => !sections.has(code))).toEqual([]);
  });
});
