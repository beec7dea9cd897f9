import fc from 'fast-check';
import { buildDag, Dag, graphOf, node, type TaskNode } from 'async-dag';

/** Node i depends on some of the nodes before it (so the graph is acyclic), repeats allowed. */
const randomDag = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.tuple(
      ...Array.from({ length: size }, (_, i) =>
        fc.array(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : 4 }),
      ),
    ),
  );

/** Each node gives 1 + the sum of its dependencies' values, so any miswiring changes a value. */
function body(...args: unknown[]): number {
  let sum = 1;
  for (const value of args) if (typeof value === 'number') sum += value;
  return sum;
}

/** A Dag subclass with one decorated method per node, made at run time (decorators applied by hand, as legacy decorators are). */
function classFor(deps: readonly (readonly number[])[]): new () => Dag {
  class Random extends Dag {}
  deps.forEach((list, i) => {
    Object.defineProperty(Random.prototype, `n${i}`, { value: body, writable: true, configurable: true });
    const decorate = node(...list.map((d) => `n${d}`)) as unknown as (
      target: object,
      key: string,
      descriptor: PropertyDescriptor,
    ) => void;
    decorate(Random.prototype, `n${i}`, Object.getOwnPropertyDescriptor(Random.prototype, `n${i}`)!);
  });
  return Random;
}

describe('a class graph, for random acyclic dependencies', () => {
  it('has the same nodes, dependencies and values as the same graph built with the builder', async () => {
    await fc.assert(
      fc.asyncProperty(randomDag, async (deps) => {
        const Random = classFor(deps);
        const nodes: TaskNode<number>[] = [];
        const dag = buildDag((tm) => {
          deps.forEach((list, i) => {
            nodes.push(tm.with({ name: `n${i}` }).addNode(body, ...list.map((d) => nodes[d]!)));
          });
        });
        expect(graphOf(Random).nodes.map((n) => n.dependencies)).toEqual(graphOf(dag).nodes.map((n) => n.dependencies));
        const [fromClass, fromBuilder] = await Promise.all([new Random().invoke(), dag.invoke()]);
        deps.forEach((_, i) => {
          expect((fromClass.get as (name: string) => unknown)(`n${i}`)).toBe(fromBuilder.get(nodes[i]!));
        });
        // Every node starts after all of its dependencies ended.
        const trace = fromClass.trace.nodes;
        deps.forEach((list, i) => {
          for (const d of list) expect(trace[i]!.start!).toBeGreaterThanOrEqual(trace[d]!.end!);
        });
      }),
      { numRuns: 60 },
    );
  });
});
