import { buildDag, type TaskNode } from 'async-dag';
import { deferred, settleMicrotasks, type Deferred } from '../helpers/deferred';
import { Recorder } from '../helpers/recorder';

const inc = async (n: number): Promise<number> => n + 1;

describe('invoke', () => {
  it('computes the sanity graph: two chains of inc give 1/2/3 and 1000/1001/1002', async () => {
    const chain: TaskNode<number>[] = [];
    const dag = buildDag<number>((tm) => {
      chain.push(tm.addNode(inc));
      chain.push(tm.addNode(inc, chain[0]!));
      chain.push(tm.addNode(inc, chain[1]!));
      chain.push(tm.addNode(inc, 999));
      chain.push(tm.addNode(inc, chain[3]!));
      chain.push(tm.addNode(inc, chain[4]!));
    });
    const result = await dag.invoke(0);
    expect(chain.map((n) => n.extractResult(result))).toEqual([1, 2, 3, 1000, 1001, 1002]);
    expect(chain.map((n) => n.name)).toEqual(['inc', 'inc_2', 'inc_3', 'inc_4', 'inc_5', 'inc_6']);
  });

  it('can be invoked again and again, each run with its own params and values', async () => {
    let last!: TaskNode<number>;
    const dag = buildDag<number>((tm) => {
      last = tm.addNode(inc, tm.addNode(inc, tm.addNode(inc)));
    });
    expect(last.extractResult(await dag.invoke(0))).toBe(3);
    expect(last.extractResult(await dag.invoke(1000))).toBe(1003);
    expect(last.extractResult(await dag.invoke(0))).toBe(3);
  });

  it('runs a graph of a single node', async () => {
    let only!: TaskNode<string>;
    const dag = buildDag<string>((tm) => {
      only = tm.addNode((p: string) => p.toUpperCase());
    });
    const result = await dag.invoke('x');
    expect(only.extractResult(result)).toBe('X');
    expect(result.status(only)).toBe('fulfilled');
  });

  it('resolves an empty graph with an empty result', async () => {
    const dag = buildDag(() => {});
    const result = await dag.invoke();
    expect(result.trace.nodes).toEqual([]);
    expect(result.errors).toEqual([]);
  });

  it('starts a node as soon as its last dependency resolves, not in levels', async () => {
    // fastA -> slowB -> end;  slowA, fastB -> fastC -> end
    const rec = new Recorder();
    const gates = new Map<string, Deferred<number>>();
    const task = (name: string) =>
      Object.defineProperty(
        (...values: unknown[]) => {
          rec.push(`start:${name}`);
          const gate = deferred<number>();
          gates.set(name, gate);
          return gate.promise.then((v) => {
            rec.push(`end:${name}`);
            return v + values.filter((x) => typeof x === 'number').length;
          });
        },
        'name',
        { value: name },
      );
    let end!: TaskNode<number>;
    const dag = buildDag((tm) => {
      const fastA = tm.addNode(task('fastA'));
      const slowB = tm.addNode(task('slowB'), fastA);
      const slowA = tm.addNode(task('slowA'));
      const fastB = tm.addNode(task('fastB'));
      const fastC = tm.addNode(task('fastC'), slowA, fastB);
      end = tm.addNode(task('end'), fastC, slowB);
    });
    const finish = async (name: string) => {
      gates.get(name)!.resolve(0);
      await settleMicrotasks();
    };
    const run = dag.invoke();
    expect(rec.of('start')).toEqual(['fastA', 'slowA', 'fastB']);
    await finish('fastA');
    // slowB does not wait for the other roots.
    expect(rec.of('start')).toEqual(['fastA', 'slowA', 'fastB', 'slowB']);
    await finish('fastB');
    expect(rec.of('start')).not.toContain('fastC');
    await finish('slowA');
    expect(rec.of('start')).toContain('fastC');
    await finish('fastC');
    expect(rec.of('start')).not.toContain('end');
    await finish('slowB');
    expect(rec.events.slice(-2)).toEqual(['end:slowB', 'start:end']);
    await finish('end');
    expect(end.extractResult(await run)).toBe(2);
  });

  it('starts the dependents of a node in their declaration order, in the same tick', async () => {
    const rec = new Recorder();
    const gate = deferred<number>();
    const dag = buildDag((tm) => {
      const root = tm.addNode(() => gate.promise);
      for (const name of ['d', 'b', 'c', 'a']) {
        tm.addNode(
          Object.defineProperty((v: number) => rec.push(`start:${name}:${v}`), 'name', { value: name }),
          root,
        );
      }
    });
    const run = dag.invoke();
    expect(rec.events).toEqual([]);
    gate.resolve(1);
    await run;
    expect(rec.events).toEqual(['start:d:1', 'start:b:1', 'start:c:1', 'start:a:1']);
  });

  it('runs chains of synchronous nodes to the end inside invoke()', () => {
    let ran = 0;
    const dag = buildDag((tm) => {
      let previous = tm.addNode(() => ++ran);
      for (let i = 0; i < 10; i++) previous = tm.addNode(() => ++ran, previous);
    });
    const run = dag.invoke();
    expect(ran).toBe(11);
    return run;
  });

  it('starts every root first, then the nodes a synchronous root released, each once', async () => {
    const order: string[] = [];
    const dag = buildDag((tm) => {
      const first = tm.addNode(function first() {
        order.push('first');
        return 1;
      });
      // Declared between the roots, and ready as soon as `first` returns.
      tm.addNode(function released(n: number) {
        order.push('released');
        return n;
      }, first);
      tm.addNode(function second() {
        order.push('second');
        return 2;
      });
    });
    const result = await dag.invoke();
    expect(order).toEqual(['first', 'second', 'released']);
    expect(result.trace.nodes.map((n) => n.attempts)).toEqual([1, 1, 1]);
  });

  it('shares nothing mutable between concurrent invocations of one graph', async () => {
    const gates: Deferred<void>[] = [];
    let sum!: TaskNode<number>;
    const dag = buildDag<number>((tm) => {
      const slow = tm.addNode(async (p: number) => {
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        return p * 10;
      });
      const fast = tm.addNode(async (p: number) => p);
      sum = tm.addNode((a: number, b: number) => a + b, slow, fast);
    });
    const runs = [1, 2, 3].map((p) => dag.invoke(p));
    expect(gates).toHaveLength(3);
    // Finish them in reverse order; each run still sees only its own values.
    for (const gate of [...gates].reverse()) gate.resolve();
    const results = await Promise.all(runs);
    expect(results.map((r) => sum.extractResult(r))).toEqual([11, 22, 33]);
  });

  it('does not let one run fail another run of the same graph', async () => {
    const dag = buildDag<boolean>((tm) => {
      tm.addNode(async function maybe(fail: boolean) {
        await settleMicrotasks();
        if (fail) throw new Error('asked to fail');
        return 'ok';
      });
    });
    const [bad, good] = await Promise.allSettled([dag.invoke(true), dag.invoke(false)]);
    expect(bad.status).toBe('rejected');
    expect(good.status === 'fulfilled' && good.value.get('maybe')).toBe('ok');
  });
});
