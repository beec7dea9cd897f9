import { buildDag, type NodeFailedError } from 'async-dag';
import { runGraph } from '../../lib/run/engine';
import { compileGraph } from '../../lib/graph/graph';
import { sleep } from '../helpers/deferred';

describe('result.trace', () => {
  it('has one entry per node, in declaration order, with times since the invocation began', async () => {
    const dag = buildDag((tm) => {
      const first = tm.addNode(async function first() {
        await sleep(20);
        return 1;
      });
      tm.addNode(async function second(n: number) {
        await sleep(20);
        return n;
      }, first);
    });
    const before = performance.now();
    const result = await dag.invoke();
    const wall = performance.now() - before;
    const [first, second] = result.trace.nodes;
    expect(result.trace.nodes).toHaveLength(2);
    expect(first).toMatchObject({ name: 'first', status: 'fulfilled', attempts: 1 });
    expect(second).toMatchObject({ name: 'second', status: 'fulfilled', attempts: 1 });
    expect(first!.start).toBeGreaterThanOrEqual(0);
    expect(first!.start).toBeLessThan(10);
    expect(first!.end! - first!.start!).toBeGreaterThanOrEqual(15);
    // second starts when first ends: the same moment on the run's clock.
    expect(second!.start).toBeGreaterThanOrEqual(first!.end!);
    expect(second!.start! - first!.end!).toBeLessThan(10);
    expect(second!.end).toBeLessThanOrEqual(result.trace.duration);
    expect(result.trace.duration).toBeLessThanOrEqual(wall + 1);
  });

  it('gives each entry the status of result.status and the number of attempts', async () => {
    let calls = 0;
    const dag = buildDag((tm) => {
      tm.with({ name: 'twice', retry: 1 }).addNode(() => {
        if (++calls === 1) throw new Error('first');
        return calls;
      });
      const bad = tm.addNode(function bad(): number {
        throw new Error('bad');
      });
      tm.addNode(function never(n: number) {
        return n;
      }, bad);
    });
    const result = await dag.invoke(undefined, { failFast: false });
    const byName = Object.fromEntries(result.trace.nodes.map((n) => [n.name, n]));
    expect(byName['twice']).toMatchObject({ status: 'fulfilled', attempts: 2 });
    expect(byName['bad']).toMatchObject({ status: 'rejected', attempts: 1 });
    expect(byName['never']).toMatchObject({ status: 'skipped', attempts: 0, start: undefined, end: undefined });
    for (const entry of result.trace.nodes) expect(entry.status).toBe(result.status(entry.name));
  });

  it('ends the entries of in-flight nodes where a fail-fast run stopped', async () => {
    const dag = buildDag((tm) => {
      tm.addNode(function hanging() {
        return new Promise(() => {});
      });
      tm.addNode(async function failing() {
        await sleep(10);
        throw new Error('stop');
      });
    });
    const error = (await dag.invoke().catch((e: unknown) => e)) as NodeFailedError;
    const nodes = error.partial.trace.nodes;
    const hanging = nodes.find((n) => n.name === 'hanging')!;
    const failing = nodes.find((n) => n.name === 'failing')!;
    expect(hanging.status).toBe('skipped');
    expect(failing.status).toBe('rejected');
    expect(hanging.end).toBeGreaterThanOrEqual(failing.end!);
  });
});

describe('result.trace after slow synchronous work', () => {
  const busyFor = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  it("measures a synchronous node's own time, and starts its dependent after it", async () => {
    const busy = buildDag<number>((tm) => {
      const slow = tm.addNode(function slow(p: number) {
        busyFor(p);
        return p;
      });
      tm.addNode(function after(p: number) {
        return p;
      }, slow);
    });
    const [slow, after] = (await busy.invoke(30)).trace.nodes;
    expect(slow!.end! - slow!.start!).toBeGreaterThanOrEqual(25);
    expect(after!.start!).toBeGreaterThanOrEqual(slow!.end!);
  });

  it('starts the roots after the time the immediates took', async () => {
    // Only the class DSL has immediates that run code; the compiled graph is the same.
    const graph = compileGraph('Busy', [
      { name: 'config', kind: 'immediate', deps: [], run: () => (busyFor(30), 'config') },
      { name: 'root', kind: 'node', deps: [], run: () => 'root' },
    ]);
    const [config, root] = (await runGraph(graph, undefined, undefined, undefined)).trace.nodes;
    expect(config!.start).toBeLessThan(5);
    expect(root!.start!).toBeGreaterThanOrEqual(25);
  });
});

describe('result.trace of small and large graphs', () => {
  // A run keeps its per-node rows in fewer arrays up to 5,000 nodes, in one array per row past
  // that: both must record the same things.
  it.each([10, 5_001])('records every node of a %d-node chain, a retried node and a failure after it', async (size) => {
    let calls = 0;
    const retried = 3;
    const failing = size - 2;
    const dag = buildDag<number>((tm) => {
      let previous = tm.addNode(async function n0(p: number) {
        return p;
      });
      for (let i = 1; i < size; i++) {
        const body =
          i === retried
            ? async (n: number) => {
                if (++calls === 1) throw new Error('first attempt');
                return n + 1;
              }
            : i === failing
              ? async () => {
                  throw new Error('broken');
                }
              : async (n: number) => n + 1;
        previous =
          i === retried
            ? tm.with({ name: `n${i}`, retry: 1 }).addNode(body, previous)
            : tm.with({ name: `n${i}` }).addNode(body, previous);
      }
    });
    const result = await dag.invoke(0, { failFast: false });
    const { nodes } = result.trace;
    expect(nodes).toHaveLength(size);
    expect(nodes[retried]).toMatchObject({ name: `n${retried}`, status: 'fulfilled', attempts: 2 });
    expect(nodes[failing]).toMatchObject({ name: `n${failing}`, status: 'rejected', attempts: 1 });
    expect(nodes[size - 1]).toMatchObject({ status: 'skipped', attempts: 0, start: undefined, end: undefined });
    expect(result.get(`n${failing - 1}`)).toBe(failing - 1);
    for (let i = 1; i < failing; i++) {
      expect(nodes[i]!.start!).toBeGreaterThanOrEqual(nodes[i - 1]!.end!);
      expect(nodes[i]!.end!).toBeGreaterThanOrEqual(nodes[i]!.start!);
    }
    expect(result.trace.duration).toBeGreaterThanOrEqual(nodes[failing]!.end!);
  });
});
