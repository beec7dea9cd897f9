import { buildDag, DagError, NodeFailedError, type NodeContext, type TaskNode } from 'async-dag';
import { deferred, settleMicrotasks } from '../helpers/deferred';
import { Recorder } from '../helpers/recorder';

// Jest 30 fails the running test when a promise rejection goes unhandled, so every test
// below also proves that late rejections of in-flight nodes are absorbed.

describe('fail fast (the default)', () => {
  it('rejects with NodeFailedError naming the node, with the original error as cause', async () => {
    const boom = new Error('boom');
    const dag = buildDag((tm) => {
      const ok = tm.addNode(function ok() {
        return 1;
      });
      tm.addNode(async function broken(_: number): Promise<number> {
        throw boom;
      }, ok);
    });
    const error: unknown = await dag.invoke().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    expect(error).toBeInstanceOf(DagError);
    const failed = error as NodeFailedError;
    expect(failed.code).toBe('NODE_FAILED');
    expect(failed.node).toBe('broken');
    expect(failed.cause).toBe(boom);
    expect(failed.message).toContain('broken');
    expect(failed.message).toContain('boom');
    expect(failed.partial.get('ok')).toBe(1);
    expect(failed.partial.status('broken')).toBe('rejected');
    expect(failed.partial.errors).toEqual([{ node: 'broken', error: boom }]);
    expect(() => failed.partial.get('broken')).toThrow(expect.objectContaining({ code: 'NOT_FULFILLED', cause: boom }));
  });

  it('keeps a non-Error rejection as the cause', async () => {
    const dag = buildDag((tm) => {
      tm.addNode(function strange() {
        return Promise.reject('just a string');
      });
    });
    await expect(dag.invoke()).rejects.toMatchObject({ node: 'strange', cause: 'just a string' });
  });

  it('aborts the signal of every running node, starts nothing more, and absorbs later rejections', async () => {
    const rec = new Recorder();
    const signals: AbortSignal[] = [];
    const failGate = deferred();
    const dag = buildDag((tm) => {
      const slow = tm.addNode(function slow(_: void, ctx: NodeContext) {
        signals.push(ctx.signal);
        rec.push('start:slow');
        return new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new Error('slow gave up')));
        });
      });
      const alsoSlow = tm.addNode(function alsoSlow(_: void, ctx: NodeContext) {
        signals.push(ctx.signal);
        rec.push('start:alsoSlow');
        return new Promise((resolve) => setTimeout(resolve, 30, 'late value'));
      });
      const bad = tm.addNode(async function bad() {
        await failGate.promise;
        throw new Error('bad');
      });
      tm.addNode(function after() {
        rec.push('start:after');
      }, bad);
      tm.addNode(
        function afterSlow() {
          rec.push('start:afterSlow');
        },
        slow,
        alsoSlow,
      );
    });
    const run = dag.invoke();
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    failGate.resolve();
    const error = (await run.catch((e: unknown) => e)) as NodeFailedError;
    expect(error.node).toBe('bad');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(signals[0]!.reason).toBe(error);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(rec.of('start')).toEqual(['slow', 'alsoSlow']);
    // In-flight nodes that were cut off count as skipped in the partial result.
    expect(error.partial.status('slow')).toBe('skipped');
    expect(error.partial.status('alsoSlow')).toBe('skipped');
    expect(error.partial.status('after')).toBe('skipped');
  });

  it('stops a run whose first failure happens synchronously inside invoke()', async () => {
    const rec = new Recorder();
    const dag = buildDag((tm) => {
      tm.addNode(function first() {
        rec.push('start:first');
        throw new Error('at once');
      });
      tm.addNode(function second() {
        rec.push('start:second');
      });
    });
    await expect(dag.invoke()).rejects.toMatchObject({ node: 'first' });
    expect(rec.of('start')).toEqual(['first']);
  });

  it('reports only the first failure when two nodes fail together', async () => {
    const dag = buildDag((tm) => {
      tm.addNode(async function one() {
        throw new Error('one');
      });
      tm.addNode(async function two() {
        throw new Error('two');
      });
    });
    await expect(dag.invoke()).rejects.toMatchObject({ node: 'one' });
    await settleMicrotasks();
  });

  it('fails the run when an immediate rejects', async () => {
    const bad = new Error('no value');
    const dag = buildDag((tm) => {
      tm.addNode((v: number) => v, tm.addImmediateNode(Promise.reject(bad) as Promise<number>));
    });
    await expect(dag.invoke()).rejects.toMatchObject({ node: 'immediate_0', cause: bad });
  });
});

describe('settle mode (failFast: false)', () => {
  it('runs every node that does not depend on a failure and skips the dependents of failed ones', async () => {
    const ran: string[] = [];
    const boom = new Error('boom');
    let independent!: TaskNode<number>;
    const named = <F extends (...args: never[]) => unknown>(name: string, fn: F): F =>
      Object.defineProperty(
        (...args: never[]) => {
          ran.push(name);
          return fn(...args);
        },
        'name',
        { value: name },
      ) as unknown as F;
    const dag = buildDag((tm) => {
      const a = tm.addNode(named('a', async () => 1));
      const failing = tm.addNode(
        named('failing', async (): Promise<number> => {
          throw boom;
        }),
        a,
      );
      const child = tm.addNode(
        named('child', (x: number) => x),
        failing,
      );
      tm.addNode(
        named('grandchild', (x: number, y: number) => x + y),
        child,
        a,
      );
      independent = tm.addNode(
        named('independent', async (x: number) => x + 1),
        a,
      );
      tm.addNode(
        named('late', (x: number) => x * 10),
        independent,
      );
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(ran.sort()).toEqual(['a', 'failing', 'independent', 'late']);
    expect(result.status('a')).toBe('fulfilled');
    expect(result.status('failing')).toBe('rejected');
    expect(result.status('child')).toBe('skipped');
    expect(result.status('grandchild')).toBe('skipped');
    expect(result.status(independent)).toBe('fulfilled');
    expect(result.get('late')).toBe(20);
    expect(result.errors).toEqual([{ node: 'failing', error: boom }]);
    expect(() => result.get('failing')).toThrow(expect.objectContaining({ code: 'NOT_FULFILLED', cause: boom }));
    expect(() => result.get('child')).toThrow(expect.objectContaining({ code: 'NOT_FULFILLED' }));
    expect(() => result.get('child')).toThrow(/skipped/);
  });

  it('lists every failure in the order the nodes failed', async () => {
    const first = deferred();
    const second = deferred();
    const dag = buildDag((tm) => {
      tm.addNode(async function x() {
        await second.promise;
        throw new Error('x');
      });
      tm.addNode(async function y() {
        await first.promise;
        throw new Error('y');
      });
    });
    const run = dag.invoke(undefined, { failFast: false });
    first.resolve();
    await settleMicrotasks();
    second.resolve();
    const result = await run;
    expect(result.errors.map((e) => e.node)).toEqual(['y', 'x']);
    expect(result.errors.map((e) => (e.error as Error).message)).toEqual(['y', 'x']);
  });

  it('resolves when every node fails', async () => {
    const dag = buildDag((tm) => {
      tm.addNode(function only(): void {
        throw new TypeError('sync');
      });
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result.status('only')).toBe('rejected');
    expect(result.errors).toHaveLength(1);
  });

  it('skips the dependents of a rejected immediate', async () => {
    const dag = buildDag((tm) => {
      const bad = tm.addImmediateNode(Promise.reject(new Error('nope')) as Promise<number>);
      tm.addNode(function uses(v: number) {
        return v;
      }, bad);
      tm.addNode(function free() {
        return 'free';
      });
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result.status('uses')).toBe('skipped');
    expect(result.get('free')).toBe('free');
    expect(result.errors.map((e) => e.node)).toEqual(['immediate_0']);
  });
});

describe('ExecutionResult', () => {
  it('throws UNKNOWN_NODE for a name that is not a node, listing the nodes', async () => {
    const dag = buildDag((tm) => {
      tm.addNode(function alpha() {
        return 1;
      });
    });
    const result = await dag.invoke();
    expect(() => result.get('beta')).toThrow(expect.objectContaining({ code: 'UNKNOWN_NODE' }));
    expect(() => result.get('beta')).toThrow(/alpha/);
    expect(() => result.status('beta')).toThrow(DagError);
  });

  it('throws UNKNOWN_NODE for a TaskNode of another graph', async () => {
    let foreign!: TaskNode<number>;
    buildDag((tm) => {
      foreign = tm.addNode(() => 1);
    });
    const result = await buildDag(
      (tm) =>
        void tm.addNode(function two() {
          return 2;
        }),
    ).invoke();
    expect(() => foreign.extractResult(result)).toThrow(expect.objectContaining({ code: 'UNKNOWN_NODE' }));
    expect(() => result.get(foreign)).toThrow(
      'The TaskNode "node_0" is not a node of this buildDag() graph: it belongs to another buildDag() graph. Its nodes are: two. ' +
        'Pass a TaskNode of the graph that produced this result, or a node name.',
    );
  });
});
