// The ready queue and the critical path are internal; the scheduler's order rests on them.
import fc from 'fast-check';
import { criticalPathRanks } from '../../lib/run/critical-path';
import { compileGraph } from '../../lib/graph/graph';
import { ReadyQueue } from '../../lib/run/ready-queue';

describe('ReadyQueue', () => {
  it('pops by priority, then rank, then index, whatever the order of pushes and pops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ priority: fc.integer({ min: -2, max: 2 }), rank: fc.integer({ min: 0, max: 4 }) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.boolean(), { maxLength: 80 }),
        (nodes, popsBetween) => {
          const queue = new ReadyQueue(
            (i) => nodes[i]!.priority,
            Float64Array.from(nodes, (n) => n.rank),
          );
          const before = (a: number, b: number) =>
            nodes[b]!.priority - nodes[a]!.priority || nodes[b]!.rank - nodes[a]!.rank || a - b;
          const model: number[] = [];
          const popped: number[] = [];
          const expected: number[] = [];
          let next = 0;
          const pop = () => {
            model.sort(before);
            expected.push(model.shift()!);
            popped.push(queue.pop());
          };
          for (const popNow of popsBetween) {
            if (popNow && queue.size > 0) pop();
            else if (next < nodes.length) {
              queue.push(next);
              model.push(next++);
            }
          }
          while (next < nodes.length) {
            queue.push(next);
            model.push(next++);
          }
          while (queue.size > 0) pop();
          expect(popped).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('criticalPathRanks', () => {
  const node = (name: string, deps: number[] = []) => ({ name, kind: 'node' as const, deps, run: () => 0 });

  it('counts the nodes on the longest path to the end, itself included; immediates weigh nothing', () => {
    const graph = compileGraph('Ranks', [
      { name: 'value', kind: 'immediate', deps: [], run: () => 0 },
      node('a', [0]),
      node('b', [1]),
      node('c', [1, 2]),
      node('lonely'),
    ]);
    expect([...criticalPathRanks(graph)]).toEqual([3, 3, 2, 1, 1]);
  });

  it('is the longest chain in any random DAG', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 25 })
          .chain((size) =>
            fc.tuple(
              ...Array.from({ length: size }, (_, i) =>
                i === 0 ? fc.constant([] as number[]) : fc.array(fc.nat(i - 1), { maxLength: 3 }),
              ),
            ),
          ),
        (deps) => {
          const graph = compileGraph(
            'Random',
            deps.map((d, i) => node(`n${i}`, d)),
          );
          // Longest path from i to a sink, by brute force over dependents.
          const memo = new Map<number, number>();
          const longest = (i: number): number => {
            if (!memo.has(i)) {
              const next = deps.flatMap((d, k) => (d.includes(i) ? [longest(k)] : []));
              memo.set(i, 1 + Math.max(0, ...next));
            }
            return memo.get(i)!;
          };
          expect([...criticalPathRanks(graph)]).toEqual(deps.map((_, i) => longest(i)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
