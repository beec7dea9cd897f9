import { buildDag, type NodeFailedError } from 'async-dag';
import { runGraph } from '../../lib/engine';
import { compileGraph } from '../../lib/graph';
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
