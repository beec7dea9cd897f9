import { buildDag, type NodeContext, type TaskNode } from 'async-dag';
import { deferred } from '../helpers/deferred';

describe('how a node is called', () => {
  it('passes the dependency values in declared order, then params, then ctx', async () => {
    const calls: unknown[][] = [];
    let abc!: TaskNode<string>;
    const dag = buildDag<{ id: number }>((tm) => {
      const a = tm.addNode(() => 'a');
      const b = tm.addNode(async () => 'b');
      const c = tm.addNode(() => 'c');
      abc = tm.addNode(
        function abc(...args: unknown[]) {
          calls.push(args);
          return args.slice(0, 3).join('');
        },
        c,
        a,
        b,
      );
    });
    const params = { id: 7 };
    const result = await dag.invoke(params);
    expect(abc.extractResult(result)).toBe('cab');
    expect(calls).toHaveLength(1);
    const [args] = calls;
    expect(args).toHaveLength(5);
    expect(args!.slice(0, 3)).toEqual(['c', 'a', 'b']);
    expect(args![3]).toBe(params);
    const ctx = args![4] as NodeContext;
    expect(ctx.name).toBe('abc');
    expect(ctx.attempt).toBe(1);
    expect(ctx.signal).toBeInstanceOf(AbortSignal);
    expect(ctx.signal.aborted).toBe(false);
  });

  it('passes a dependency listed twice twice, and runs it once', async () => {
    let runs = 0;
    const seen: number[][] = [];
    const dag = buildDag((tm) => {
      const one = tm.addNode(() => {
        runs++;
        return 1;
      });
      tm.addNode((x: number, y: number, z: number) => void seen.push([x, y, z]), one, one, one);
    });
    await dag.invoke();
    expect(runs).toBe(1);
    expect(seen).toEqual([[1, 1, 1]]);
  });

  it('gives every node of a run the very same params object', async () => {
    const seen: unknown[] = [];
    const dag = buildDag<object>((tm) => {
      const a = tm.addNode((p: object) => void seen.push(p));
      const b = tm.addNode(async (_: void, p: object) => void seen.push(p), a);
      tm.addNode((_a: void, _b: void, p: object) => void seen.push(p), a, b);
      tm.addNode((p: object) => p, tm.params);
    });
    const params = {};
    const result = await dag.invoke(params);
    expect(seen).toHaveLength(3);
    for (const p of seen) expect(p).toBe(params);
    expect(result.get('node_4')).toBe(params);
  });

  it('gives each node a ctx naming it, and a new ctx per invocation', async () => {
    const contexts: NodeContext[] = [];
    const dag = buildDag((tm) => {
      const first = tm.addNode(function first(_: void, ctx: NodeContext) {
        contexts.push(ctx);
      });
      tm.addNode(function second(_f: void, _: void, ctx: NodeContext) {
        contexts.push(ctx);
      }, first);
    });
    await dag.invoke();
    await dag.invoke();
    expect(contexts.map((c) => c.name)).toEqual(['first', 'second', 'first', 'second']);
    expect(new Set(contexts).size).toBe(4);
  });

  it('uses the value of a synchronous node as it is, even a non-promise object', async () => {
    const value = { then: 42 };
    let got: unknown;
    const dag = buildDag((tm) => {
      const a = tm.addNode(() => value);
      tm.addNode((v: unknown) => {
        got = v;
      }, a);
    });
    await dag.invoke();
    expect(got).toBe(value);
  });

  it('awaits a thenable returned by a node', async () => {
    let got: unknown;
    const dag = buildDag((tm) => {
      const a = tm.addNode(() => ({ then: (resolve: (v: number) => void) => resolve(5) }));
      tm.addNode((v: unknown) => {
        got = v;
      }, a);
    });
    await dag.invoke();
    expect(got).toBe(5);
  });

  it('treats a synchronous throw as a failure of that node', async () => {
    const boom = new Error('boom');
    const dag = buildDag((tm) => {
      tm.addNode(function explode(): number {
        throw boom;
      });
    });
    await expect(dag.invoke()).rejects.toMatchObject({ code: 'NODE_FAILED', node: 'explode', cause: boom });
  });

  it('starts the nodes without dependencies synchronously inside invoke()', () => {
    const started: string[] = [];
    const gate = deferred<number>();
    const dag = buildDag((tm) => {
      const a = tm.addNode(function a() {
        started.push('a');
        return gate.promise;
      });
      tm.addNode(function b() {
        started.push('b');
        return 1;
      });
      tm.addNode(function c(x: number) {
        started.push('c');
        return x;
      }, a);
    });
    const run = dag.invoke();
    expect(started).toEqual(['a', 'b']);
    gate.resolve(1);
    return run;
  });

  it('computes every immediate before any node starts, and starts its dependents with the roots', async () => {
    const events: string[] = [];
    const dag = buildDag((tm) => {
      tm.addNode(function root() {
        events.push('root ran');
      });
      const late = tm.addImmediateNode('late');
      tm.addNode(function user(v: string) {
        events.push(`user got ${v}`);
      }, late);
    });
    const run = dag.invoke(undefined, { observer: { onNodeStart: ({ name }) => void events.push(`start ${name}`) } });
    // Everything here happened synchronously inside invoke().
    expect(events).toEqual(['start immediate_1', 'start root', 'root ran', 'start user', 'user got late']);
    await run;
  });

  it('awaits a promise immediate before its dependents start, without delaying other nodes', async () => {
    const events: string[] = [];
    const pending = deferred<string>();
    const dag = buildDag((tm) => {
      const later = tm.addImmediateNode(pending.promise);
      tm.addNode((v: string) => void events.push(`dependent got ${v}`), later);
      tm.addNode(() => void events.push('independent'));
    });
    const run = dag.invoke();
    expect(events).toEqual(['independent']);
    pending.resolve('value');
    await run;
    expect(events).toEqual(['independent', 'dependent got value']);
  });

  it('turns a plain value given as a dependency into an immediate', async () => {
    let sum!: TaskNode<number>;
    const dag = buildDag((tm) => {
      sum = tm.addNode((a: number, b: number, c: string) => a + b + c.length, 1, Promise.resolve(2), 'abc');
    });
    const result = await dag.invoke();
    expect(sum.extractResult(result)).toBe(6);
    expect(result.trace.nodes.filter((n) => n.kind === 'immediate')).toHaveLength(3);
  });

  it('offers the params as a node', async () => {
    let doubled!: TaskNode<number>;
    const dag = buildDag<number>((tm) => {
      doubled = tm.addNode((a: number, b: number) => a + b, tm.params, tm.params);
    });
    expect(doubled.extractResult(await dag.invoke(21))).toBe(42);
  });

  it('calls a node with `this` undefined in the builder', async () => {
    let self: unknown = 'unset';
    const dag = buildDag((tm) => {
      tm.addNode(function (this: unknown) {
        // eslint-disable-next-line @typescript-eslint/no-this-alias -- the test records what `this` a body gets
        self = this;
      });
    });
    await dag.invoke();
    expect(self).toBeUndefined();
  });
});
