// The short soak: the scenarios of `npm run stress` (bench/stress.ts) at a size that fits in
// `npm test`. Full sizes and their figures are in docs/reliability.md.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { bigGraph, concurrentInvocations, sequentialInvocations, type Shape } from './soak-scenarios';

/** A forced full collection, even when Node was started without --expose-gc. */
function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// Big graphs and fresh Node processes take a second or two on a quiet machine, several times that
// on a busy shared one: a generous ceiling, so that only a hang fails by time.
jest.setTimeout(30_000);

describe('soak', () => {
  it('runs 10,000 concurrent invocations of one graph, each answering its own params', async () => {
    const run = await concurrentInvocations(10_000);
    expect(run.mismatches).toEqual([]);
  });

  it('runs 20,000 invocations in a row without the heap growing', async () => {
    const run = await sequentialInvocations(20_000, garbageCollector());
    expect(run.mismatches).toEqual([]);
    // A leak of even one small object per invocation (~100 bytes) would add 2 MB here. The
    // bound is loose for a shared, noisy machine; the full run (1,000,000) pins it closer.
    const growth = run.heap[run.heap.length - 1]!.heapUsed - run.heap[0]!.heapUsed;
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });

  it.each<Shape>(['chain', 'fan-out', 'random'])(
    'builds and runs a 100,000-node %s, every value right',
    async (shape) => {
      const run = await bigGraph(shape, 100_000, { again: false });
      expect(run.wrong).toBe(0);
      expect(run.size).toBe(100_000);
    },
  );
});
