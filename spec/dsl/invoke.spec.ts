import {
  Dag,
  DagError,
  ExecutionResult,
  immediate,
  invokeDag,
  node,
  NodeFailedError,
  NodeTimeoutError,
  type NodeContext,
} from 'async-dag';

interface Params {
  readonly base: number;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Dag.invoke', () => {
  it('calls a node with its dependencies, then params, then ctx, with this = the instance', async () => {
    const calls: unknown[][] = [];
    class Flow extends Dag<Params> {
      readonly tag = 'instance';
      @immediate start(p: Params) {
        return p.base;
      }
      @node('start', 'start') twice(a: number, b: number, p: Params, ctx: NodeContext) {
        calls.push([a, b, p, ctx.name, ctx.attempt, ctx.signal instanceof AbortSignal, this.tag]);
        return a + b;
      }
    }
    const params = { base: 2 };
    const result = await new Flow().invoke(params);
    expect(calls).toEqual([[2, 2, params, 'twice', 1, true, 'instance']]);
    expect(result.get('twice')).toBe(4);
    expect(result.get('start')).toBe(2);
  });

  it('computes immediates before any node starts, and starts roots synchronously inside invoke', async () => {
    const events: string[] = [];
    class Flow extends Dag {
      @node() first() {
        events.push('first');
        return 1;
      }
      @immediate value() {
        events.push('immediate');
        return Promise.resolve(10);
      }
      @node() second() {
        events.push('second');
        return 2;
      }
      @node('value', 'first') third(value: number, first: number) {
        events.push(`third ${value + first}`);
        return value + first;
      }
    }
    const pending = new Flow().invoke();
    events.push('invoke returned');
    await pending;
    expect(events).toEqual(['immediate', 'first', 'second', 'invoke returned', 'third 11']);
  });

  it('reads getters and fields at each invocation, from the instance', async () => {
    class Flow extends Dag {
      @immediate label = 'a';
      #count = 0;
      @immediate get count() {
        return ++this.#count;
      }
      @node('label', 'count') both(label: string, count: number) {
        return `${label}${count}`;
      }
    }
    const flow = new Flow();
    expect((await flow.invoke()).get('both')).toBe('a1');
    flow.label = 'b';
    expect((await flow.invoke()).get('both')).toBe('b2');
  });

  it('starts a node as soon as its last dependency resolves', async () => {
    const events: string[] = [];
    let releaseSlow!: () => void;
    class Flow extends Dag {
      @node() async fast() {
        events.push('fast done');
      }
      @node() async slow() {
        await new Promise<void>((resolve) => (releaseSlow = resolve));
        events.push('slow done');
      }
      @node('fast') afterFast() {
        events.push('afterFast');
      }
      @node('fast', 'slow') afterBoth() {
        events.push('afterBoth');
      }
    }
    const pending = new Flow().invoke();
    await tick();
    expect(events).toEqual(['fast done', 'afterFast']);
    releaseSlow();
    await pending;
    expect(events).toEqual(['fast done', 'afterFast', 'slow done', 'afterBoth']);
  });

  it('takes no params when P is void: invoke() and invoke(undefined, options)', async () => {
    class Flow extends Dag {
      @node() one(params: unknown) {
        return params === undefined ? 1 : 0;
      }
    }
    expect((await new Flow().invoke()).get('one')).toBe(1);
    expect((await new Flow().invoke(undefined, { concurrency: 1 })).get('one')).toBe(1);
  });

  it('resolves with an ExecutionResult whose get throws UNKNOWN_NODE for a name that is not a node', async () => {
    class Flow extends Dag {
      helper() {}
      @node() one() {
        return 1;
      }
    }
    const result = await new Flow().invoke();
    expect(result).toBeInstanceOf(ExecutionResult);
    expect(() => result.get('helper')).toThrow(expect.objectContaining({ code: 'UNKNOWN_NODE' }));
    expect(() => (result.get as (name: string) => unknown)('nope')).toThrow(DagError);
    expect(result.status('one')).toBe('fulfilled');
    expect(result.trace.nodes.map((entry) => entry.name)).toEqual(['one']);
  });

  it('applies node options: a timeout fails an attempt, retry tries again', async () => {
    let attempts = 0;
    class Flow extends Dag {
      @node({ retry: 2 }) flaky(_p: void, ctx: NodeContext) {
        attempts++;
        if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt}`);
        return ctx.attempt;
      }
      @node({ timeout: 20 }) async hangs(_p: void, ctx: NodeContext) {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      }
    }
    const result = await new Flow().invoke(undefined, { failFast: false });
    expect(result.get('flaky')).toBe(3);
    expect(attempts).toBe(3);
    expect(result.status('hangs')).toBe('rejected');
    expect(result.errors[0]!.error).toBeInstanceOf(NodeTimeoutError);
  });

  it('fails fast with NodeFailedError naming the node, and the original error as cause', async () => {
    const boom = new Error('boom');
    class Flow extends Dag {
      @node() bad() {
        throw boom;
      }
      @node('bad') after() {}
    }
    const failure = new Flow().invoke();
    await expect(failure).rejects.toBeInstanceOf(NodeFailedError);
    await expect(failure).rejects.toMatchObject({ node: 'bad', cause: boom });
  });

  it('rejects bad invocation options with a TypeError', async () => {
    class Flow extends Dag {
      @node() one() {}
    }
    await expect(new Flow().invoke(undefined, { concurrency: 0 })).rejects.toThrow(
      'Expected `concurrency` to be an integer from 1 and up, got `0` (number)',
    );
  });

  it('serves concurrent invocations of one instance independently', async () => {
    class Flow extends Dag<number> {
      @immediate input(n: number) {
        return n;
      }
      @node('input') async double(n: number) {
        await tick();
        return n * 2;
      }
    }
    const flow = new Flow();
    const results = await Promise.all([1, 2, 3].map((n) => flow.invoke(n)));
    expect(results.map((result) => result.get('double'))).toEqual([2, 4, 6]);
  });
});

describe('invokeDag', () => {
  class Service {
    constructor(readonly prefix: string) {}
  }

  class Report extends Service {
    @immediate month(params: { month: string }) {
      return params.month;
    }
    @node('month') async title(month: string) {
      return `${this.prefix} ${month}`;
    }
  }

  it('runs a decorated class that does not extend Dag, scanned at its first invocation', async () => {
    const result = await invokeDag(new Report('Report for'), { month: 'November' });
    expect(result.get('title')).toBe('Report for November');
  });

  it('runs a Dag instance too', async () => {
    class Flow extends Dag<number> {
      @node() inc(n: number) {
        return n + 1;
      }
    }
    expect((await invokeDag(new Flow(), 1)).get('inc')).toBe(2);
  });

  it('rejects with the definition error of a wrong class, every time', async () => {
    class Wrong {
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node('nope') a() {}
    }
    const first = invokeDag(new Wrong());
    await expect(first).rejects.toMatchObject({ code: 'UNKNOWN_DEPENDENCY', name: 'DagDefinitionError' });
    const error = await first.catch((e: unknown) => e);
    await expect(invokeDag(new Wrong())).rejects.toBe(error);
  });

  it('rejects with a TypeError for something that is not an instance of a decorated class', async () => {
    await expect(invokeDag(new Service('x'))).rejects.toThrow(TypeError);
    await expect(invokeDag(null as unknown as object)).rejects.toThrow('Expected `instance` to be an object');
  });
});
