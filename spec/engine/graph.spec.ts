// The compiled graph is internal: the front ends hand it definitions, so these specs use it directly.
import { DagDefinitionError } from 'async-dag';
import { findCycle } from '../../lib/graph/find-cycle';
import { compileGraph, type NodeDefinition } from '../../lib/graph/graph';

const fn = () => undefined;
const def = (name: string, deps: number[] = [], kind: 'node' | 'immediate' = 'node'): NodeDefinition => ({
  name,
  kind,
  deps,
  run: fn,
});

function compileError(definitions: NodeDefinition[]): DagDefinitionError {
  try {
    compileGraph('Flow', definitions);
  } catch (error) {
    expect(error).toBeInstanceOf(DagDefinitionError);
    return error as DagDefinitionError;
  }
  throw new Error('expected compileGraph to throw');
}

describe('findCycle', () => {
  it('gives a topological order of an acyclic graph', () => {
    const deps = [[2], [0, 2], [], [1, 1, 0]];
    const search = findCycle(deps);
    expect(search.ok).toBe(true);
    if (!search.ok) return;
    const position = new Map([...search.order].map((node, at) => [node, at]));
    expect(position.size).toBe(4);
    deps.forEach((list, node) => list.forEach((d) => expect(position.get(d)!).toBeLessThan(position.get(node)!)));
  });

  it('returns a cycle as a closed path in the direction work flows, from its lowest index', () => {
    // 1 needs 3, 3 needs 2, 2 needs 1: work flows 1 -> 2 -> 3 -> 1.
    expect(findCycle([[], [3], [1], [2], [0]])).toEqual({ ok: false, cycle: [1, 2, 3, 1] });
  });

  it('finds a node that depends on itself', () => {
    expect(findCycle([[], [0, 1]])).toEqual({ ok: false, cycle: [1, 1] });
  });

  it('handles a chain of 200,000 nodes without recursion', () => {
    const deps = Array.from({ length: 200_000 }, (_, i) => (i === 0 ? [] : [i - 1]));
    const search = findCycle(deps);
    expect(search.ok).toBe(true);
    deps[0] = [199_999];
    const cyclic = findCycle(deps);
    expect(cyclic.ok).toBe(false);
    if (!cyclic.ok) expect(cyclic.cycle).toHaveLength(200_001);
  });
});

describe('compileGraph', () => {
  it('throws CYCLE with the path a -> b -> c -> a and how to fix it', () => {
    const error = compileError([def('a', [2]), def('b', [0]), def('c', [1])]);
    expect(error.code).toBe('CYCLE');
    expect(error.message).toContain('Flow');
    expect(error.message).toContain('a -> b -> c -> a');
    expect(error.message).toMatch(/Remove one of these dependencies/);
  });

  it('says how to fix a node that depends on itself', () => {
    const error = compileError([def('self', [0])]);
    expect(error.message).toContain('self -> self');
    expect(error.message).toMatch(/depends on itself/);
  });

  it('throws DUPLICATE_NODE for two nodes of one name', () => {
    const error = compileError([def('twin'), def('twin')]);
    expect(error.code).toBe('DUPLICATE_NODE');
    expect(error.message).toContain('"twin"');
  });

  it('throws INVALID_NODE for a body that is not a function, a dependency outside the graph, or an immediate with dependencies', () => {
    expect(compileError([{ name: 'x', kind: 'node', deps: [], run: 5 as never }]).code).toBe('INVALID_NODE');
    expect(compileError([def('x', [1])]).code).toBe('INVALID_NODE');
    expect(compileError([def('x', [-1])]).code).toBe('INVALID_NODE');
    expect(compileError([def('x'), def('y', [0], 'immediate')]).code).toBe('INVALID_NODE');
  });

  it('compiles dependents in declaration order, repeats included, and freezes what it can', () => {
    const graph = compileGraph('Flow', [def('a'), def('b', [0, 0]), def('c', [0]), def('v', [], 'immediate')]);
    expect(Object.isFrozen(graph)).toBe(true);
    expect(Object.isFrozen(graph.names)).toBe(true);
    expect(Object.isFrozen(graph.deps[1])).toBe(true);
    expect([...graph.dependents.subarray(graph.dependentStart[0]!, graph.dependentStart[1]!)]).toEqual([1, 1, 2]);
    // A run's starting rows: states, attempts, then each node's dependency count (repeats included).
    expect(graph.initialStates.slice(2 * graph.size)).toEqual([0, 2, 1, 0]);
    expect(graph.initialStates.slice(0, 2 * graph.size)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...graph.immediates]).toEqual([3]);
    expect(graph.hasOptions).toBe(false);
  });
});
