import fc from 'fast-check';
import { buildDag, type TaskNode } from 'async-dag';
import { dagMatchers } from 'async-dag/testing';

expect.extend(dagMatchers);

/** A random DAG: node i depends on some nodes before it; each node waits 0-3 ms or not at all, and may fail. */
const graphs = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: size, maxLength: size }),
      fc.array(fc.integer({ min: -1, max: 3 }), { minLength: size, maxLength: size }),
      fc.array(fc.boolean(), { minLength: size, maxLength: size }),
    ),
  )
  .map(([depBits, delays, fails]) => ({
    deps: depBits.map((bits, i) => [...Array(i).keys()].filter((j) => (bits >> j) & 1)),
    delays,
    fails: fails.map((f, i) => f && i % 4 === 3),
  }));

describe('matchers on random graphs', () => {
  it('agree with the scheduler: dependencies run before their dependents, overlap is symmetric, statuses match', async () => {
    await fc.assert(
      fc.asyncProperty(graphs, async ({ deps, delays, fails }) => {
        const dag = buildDag((tm) => {
          const nodes: TaskNode<number>[] = [];
          deps.forEach((ds, i) => {
            const body = async () => {
              const delay = delays[i]!;
              if (delay >= 0) await new Promise((resolve) => setTimeout(resolve, delay));
              if (fails[i]) throw new Error(`n${i} failed`);
              return i;
            };
            nodes.push(tm.with({ name: `n${i}` }).addNode(body, ...ds.map((d) => nodes[d]!)));
          });
        });
        const result = await dag.invoke(undefined, { failFast: false });
        const names = deps.map((_, i) => `n${i}`);
        deps.forEach((ds, i) => {
          for (const d of ds) {
            if (result.status(`n${d}`) === 'fulfilled' && result.status(`n${i}`) !== 'skipped') {
              expect(result).toHaveRunBefore(`n${d}`, `n${i}`);
              expect(result).not.toHaveRunConcurrently(`n${d}`, `n${i}`);
            } else {
              expect(result).toHaveBeenSkipped(`n${i}`);
            }
          }
        });
        for (const a of names) {
          const status = result.status(a);
          if (status === 'fulfilled') expect(result).toHaveFulfilled(a);
          else if (status === 'rejected') expect(result).toHaveRejected(a, `${a} failed`);
          else expect(result).toHaveBeenSkipped(a);
          for (const b of names) {
            const ab = dagMatchers.toHaveRunConcurrently.call({}, result, a, b).pass;
            const ba = dagMatchers.toHaveRunConcurrently.call({}, result, b, a).pass;
            expect(ab).toBe(ba);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
