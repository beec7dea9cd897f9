// Every bad graph we could think of, defined through the builder: each one gets a DagError with
// a stable code or a documented behaviour, and none of them leaks into shared state or a
// built-in prototype. (The class DSL's share is in hostile-dsl.spec.ts.)
import {
  buildDag,
  DagAbortedError,
  DagDefinitionError,
  DagError,
  graphOf,
  NodeFailedError,
  NodeTimeoutError,
  TaskNode,
  type DagBuilder,
} from 'async-dag';
import { captureObserverWarnings } from '../helpers/observer-warnings';
import { inFreshProcess, rejectionOf, sleep, snapshotPrototypes, thrownBy, turn } from './guards';

// Jest 30 fails any test during which a promise rejection goes unhandled, so every test below
// also asserts "no unhandled rejection"; the ones that are about exactly that wait a turn first.

// Big graphs and fresh Node processes take a second or two on a quiet machine, several times that
// on a busy shared one: a generous ceiling, so that only a hang fails by time.
jest.setTimeout(30_000);

const prototypes = snapshotPrototypes();
afterAll(() => {
  expect(prototypes.changes()).toEqual([]);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

function definitionError(define: (tm: DagBuilder<unknown>) => void): DagDefinitionError {
  const error = thrownBy(() => buildDag(define));
  expect(error).toBeInstanceOf(DagDefinitionError);
  return error as DagDefinitionError;
}

const named = <F extends (...args: any[]) => unknown>(name: string, fn: F): F =>
  Object.defineProperty(fn, 'name', { value: name });

describe('hostile builder definitions', () => {
  describe('cycles and self dependencies', () => {
    it('cannot express a cycle: a dependency must be a TaskNode that already exists', () => {
      // addNode returns the node only after it is added, so no node can name itself or a later one.
      const seen: unknown[] = [];
      buildDag((tm) => {
        const a = tm.addNode(() => 1);
        seen.push(a);
        const b = tm.addNode((x: number) => x, a);
        seen.push(b);
      });
      expect(seen.every((n) => n instanceof TaskNode)).toBe(true);
    });

    it('treats an object that only looks like a TaskNode as a plain value, not as a node', async () => {
      const forged = Object.create(TaskNode.prototype, { name: { value: 'a' } }) as TaskNode<number>;
      const lookalike = { name: 'a', index: 0 };
      let got: unknown[] = [];
      const dag = buildDag((tm) => {
        tm.with({ name: 'a' }).addNode(() => 1);
        tm.with({ name: 'b' }).addNode((...xs: unknown[]) => (got = xs.slice(0, 2)), forged, lookalike);
      });
      await dag.invoke();
      expect(got[0]).toBe(forged);
      expect(got[1]).toBe(lookalike);
      expect(graphOf(dag).nodes.find((n) => n.name === 'b')!.dependencies).not.toContain('a');
    });
  });

  describe('unknown and foreign dependencies', () => {
    it('rejects a TaskNode of another graph with FOREIGN_NODE naming both nodes', () => {
      let other!: TaskNode<number>;
      buildDag((tm) => {
        other = tm.addNode(named('elsewhere', () => 1));
      });
      const error = definitionError((tm) => {
        tm.addNode(
          named('here', (x: number) => x),
          other,
        );
      });
      expect(error.code).toBe('FOREIGN_NODE');
      expect(error.message).toContain('"here"');
      expect(error.message).toContain('"elsewhere"');
    });

    it('rejects a TaskNode of a builder whose define threw, rather than adopting it', () => {
      let leaked!: TaskNode<number>;
      expect(() =>
        buildDag((tm) => {
          leaked = tm.addNode(() => 1);
          throw new Error('define failed');
        }),
      ).toThrow('define failed');
      expect(definitionError((tm) => void tm.addNode((x: number) => x, leaked)).code).toBe('FOREIGN_NODE');
    });

    it('rejects a TaskNode of a graph that is being built at the same time (nested buildDag)', () => {
      const error = definitionError((outer) => {
        const a = outer.addNode(() => 1);
        buildDag((inner) => {
          inner.addNode((x: number) => x, a);
        });
      });
      expect(error.code).toBe('FOREIGN_NODE');
    });

    it('turns anything that is not a TaskNode into its own immediate, even a function or a class', async () => {
      const fn = (): number => 1;
      class Thing {}
      let got: unknown[] = [];
      const dag = buildDag((tm) => {
        tm.addNode((...xs: unknown[]) => (got = xs.slice(0, 4)), fn, Thing, undefined, null);
      });
      await dag.invoke();
      expect(got).toEqual([fn, Thing, undefined, null]);
      expect(graphOf(dag).nodes.filter((n) => n.kind === 'immediate')).toHaveLength(4);
    });
  });

  describe('things that are not functions', () => {
    it.each([
      ['a number', 42],
      ['a string', 'fn'],
      ['null', null],
      ['undefined', undefined],
      ['a plain object', { call: () => 1 }],
      ['a null-prototype object', Object.create(null)],
      ['a TaskNode', undefined as unknown],
    ])('rejects %s as a node with INVALID_NODE', (what, value) => {
      const error = definitionError((tm) => {
        const fn = what === 'a TaskNode' ? tm.addNode(() => 1) : value;
        tm.addNode(fn as () => unknown);
      });
      expect(error.code).toBe('INVALID_NODE');
      expect(error.message).toMatch(/expects a function/);
    });

    it('accepts a class as a function, and calling it without new fails that node with a NodeFailedError', async () => {
      class Widget {}
      const dag = buildDag((tm) => void tm.addNode(Widget as unknown as () => unknown));
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error).toBeInstanceOf(NodeFailedError);
      expect(error.node).toBe('Widget');
      expect(error.cause).toBeInstanceOf(TypeError);
    });

    it('calls a bound function, and names the node without the "bound " prefix', async () => {
      const self = { base: 40 };
      function add(this: typeof self, n: number): number {
        return this.base + n;
      }
      const dag = buildDag((tm) => void tm.addNode(add.bind(self), 2));
      const result = await dag.invoke();
      expect(result.get('add')).toBe(42);
    });

    // Once a bug: a function whose `name` was not a string crashed addNode with an internal
    // TypeError, and a throwing `name` getter escaped raw.
    it('names a node whose function has no string name like an anonymous one: node_<index>', async () => {
      class Widget {
        static name(): string {
          return 'not a string property';
        }
      }
      const odd = [
        Widget as unknown as () => unknown,
        Object.defineProperty(() => 1, 'name', { value: 42 }),
        Object.defineProperty(() => 2, 'name', { value: Symbol('s') }),
        Object.defineProperty(() => 3, 'name', { value: undefined }),
        Object.defineProperty(() => 4, 'name', {
          get(): never {
            throw new Error('name getter');
          },
        }),
      ];
      const dag = buildDag((tm) => {
        for (const fn of odd) tm.addNode(fn);
      });
      expect(graphOf(dag).nodes.map((n) => n.name)).toEqual(['node_0', 'node_1', 'node_2', 'node_3', 'node_4']);
    });

    it('makes buildDag itself throw a TypeError for a define that is not a function', () => {
      expect(() => buildDag(42 as never)).toThrow(TypeError);
      expect(() => buildDag(42 as never)).toThrow('Expected `define` to be a function');
    });
  });

  describe('duplicate and odd names', () => {
    it('rejects two nodes given the same name with DUPLICATE_NODE', () => {
      const error = definitionError((tm) => {
        tm.with({ name: 'load' }).addNode(() => 1);
        tm.with({ name: 'load' }).addNode(() => 2);
      });
      expect(error.code).toBe('DUPLICATE_NODE');
      expect(error.message).toContain('"load"');
    });

    it('never lets an automatic name collide with a given one or with an earlier suffix', async () => {
      const dag = buildDag((tm) => {
        tm.addNode(named('inc', () => 1));
        tm.addNode(named('inc', () => 2));
        tm.addNode(named('inc_2', () => 3));
        tm.with({ name: 'task' }).addNode(() => 4);
        tm.addNode(named('task', () => 5));
      });
      const names = graphOf(dag).nodes.map((n) => n.name);
      expect(names).toEqual(['inc', 'inc_2', 'inc_2_2', 'task', 'task_2']);
      expect(new Set(names).size).toBe(names.length);
      const result = await dag.invoke();
      expect(names.map((n) => result.get(n))).toEqual([1, 2, 3, 4, 5]);
    });

    it('rejects a given name that collides with an automatic one', () => {
      const error = definitionError((tm) => {
        tm.addNode(named('fetch', () => 1));
        tm.with({ name: 'fetch' }).addNode(() => 2);
      });
      expect(error.code).toBe('DUPLICATE_NODE');
    });

    it.each([
      ['an empty string', ''],
      ['a number', 7],
      ['a symbol', Symbol('name')],
    ])('rejects %s as a name with INVALID_OPTION', (_what, name) => {
      const error = definitionError((tm) => void tm.with({ name: name as string }).addNode(() => 1));
      expect(error.code).toBe('INVALID_OPTION');
    });

    it('keeps names like __proto__, constructor and toString as ordinary node names, touching no prototype', async () => {
      const hostile = [
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        'prototype',
        '__defineGetter__',
      ];
      const dag = buildDag((tm) => {
        const nodes = hostile.map((name, i) => tm.with({ name }).addNode(() => ({ polluted: i })));
        tm.with({ name: 'then' }).addNode((...xs: unknown[]) => xs.length - 2, ...nodes);
      });
      const result = await dag.invoke();
      hostile.forEach((name, i) => {
        expect(result.get(name)).toEqual({ polluted: i });
        expect(result.status(name)).toBe('fulfilled');
      });
      expect(result.get('then')).toBe(hostile.length);
      expect(result.trace.nodes.map((n) => n.name)).toEqual([...hostile, 'then']);
      const mermaid = graphOf(dag).toMermaid();
      expect(mermaid).toContain('"__proto__"');
      expect(mermaid.split('\n').filter((line) => line.endsWith('--> then'))).toHaveLength(hostile.length);
      expect(result.trace.toGantt()).toContain('__proto__');
      expect(result.trace.toTimeline()).toContain('constructor');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('keeps function names like __proto__ too, and a result answers UNKNOWN_NODE for inherited names it does not have', async () => {
      const dag = buildDag((tm) => {
        tm.addNode(named('__proto__', () => 1));
        tm.addNode(named('__proto__', () => 2));
      });
      const result = await dag.invoke();
      expect(result.get('__proto__')).toBe(1);
      expect(result.get('__proto___2')).toBe(2);
      for (const inherited of ['toString', 'constructor', 'hasOwnProperty', '']) {
        const error = thrownBy(() => result.get(inherited)) as DagError;
        expect(error).toBeInstanceOf(DagError);
        expect(error.code).toBe('UNKNOWN_NODE');
      }
    });

    it('accepts names made of arrows, quotes, newlines and emoji, and still renders them', async () => {
      const odd = ['a -> b', 'say "hi"', 'two\nlines', '🚀', ' '];
      const dag = buildDag((tm) => {
        for (const name of odd) tm.with({ name }).addNode(() => name);
      });
      const result = await dag.invoke();
      for (const name of odd) expect(result.get(name)).toBe(name);
      expect(() => graphOf(dag).toMermaid()).not.toThrow();
    });

    it('rejects JSON options that carry an own __proto__ key instead of merging them', () => {
      const error = definitionError((tm) => void tm.with(JSON.parse('{"__proto__": {"timeout": 1}}')).addNode(() => 1));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain('__proto__');
      expect(({} as Record<string, unknown>)['timeout']).toBeUndefined();
    });
  });

  describe('bad node options', () => {
    it.each([
      ['a negative timeout', { timeout: -1 }],
      ['a zero timeout', { timeout: 0 }],
      ['a NaN timeout', { timeout: NaN }],
      ['a string timeout', { timeout: '5' }],
      ['a negative retry', { retry: -1 }],
      ['a fractional retry', { retry: 1.5 }],
      ['a retry policy without retries', { retry: {} }],
      ['a negative retry delay', { retry: { retries: 1, delay: -5 } }],
      ['an infinite retry delay', { retry: { retries: 1, delay: Infinity } }],
      ['a retry.when that is not a function', { retry: { retries: 1, when: true } }],
      ['an unknown retry key', { retry: { retries: 1, backoff: 2 } }],
      ['a NaN priority', { priority: NaN }],
      ['an infinite priority', { priority: Infinity }],
      ['an unknown option', { timout: 5 }],
      ['options that are not an object', 5],
    ])('rejects %s with INVALID_OPTION when the graph is defined', (_what, options) => {
      const error = definitionError((tm) => void tm.with(options as never).addNode(named('job', () => 1)));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain('"job"');
    });

    it('treats timeout: Infinity as no timeout', async () => {
      const dag = buildDag(
        (tm) => void tm.with({ name: 'slow', timeout: Infinity }).addNode(async () => (await sleep(5), 1)),
      );
      expect((await dag.invoke()).get('slow')).toBe(1);
    });

    // setTimeout fires at once (after 1 ms, with a TimeoutOverflowWarning) for any delay above
    // 2^31 - 1 ms, so such a timeout or retry delay is refused up front rather than obeyed wrongly.
    it.each([
      ['a timeout of 2^31 ms', { timeout: 2 ** 31 }],
      ['a retry delay of 2^31 ms', { retry: { retries: 1, delay: 2 ** 31 } }],
    ])('rejects %s, which a timer would fire at once, with INVALID_OPTION', (_what, options) => {
      const error = definitionError((tm) => void tm.with(options).addNode(named('job', () => 1)));
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toContain('2147483647');
    });

    it('accepts a timeout of exactly 2^31 - 1 ms, and does not fire it early', async () => {
      const dag = buildDag(
        (tm) => void tm.with({ name: 'slow', timeout: 2 ** 31 - 1 }).addNode(async () => (await sleep(20), 1)),
      );
      expect((await dag.invoke()).get('slow')).toBe(1);
    });

    it('fails the node with a TypeError when a retry.delay function gives a delay no timer can wait', async () => {
      const dag = buildDag(
        (tm) =>
          void tm.with({ name: 'flaky', retry: { retries: 1, delay: () => 2 ** 31 } }).addNode(() => {
            throw new Error('first');
          }),
      );
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error.node).toBe('flaky');
      expect(error.cause).toBeInstanceOf(TypeError);
      expect((error.cause as Error).cause).toEqual(new Error('first'));
    });

    // Attempts were once counted in 16 bits: the 65,536th wrapped to 0 and the run never ended.
    it('ends a run whose node fails more than 65,535 times in a row, after every attempt', async () => {
      let calls = 0;
      const dag = buildDag(
        (tm) =>
          void tm.with({ name: 'flaky', retry: 70_000 }).addNode(() => {
            calls++;
            throw new Error('no');
          }),
      );
      const outcome = await Promise.race([
        dag.invoke().then(
          () => 'fulfilled',
          (error: DagError) => error.code,
        ),
        sleep(10_000).then(() => 'still running after 10 s'),
      ]);
      expect(outcome).toBe('NODE_FAILED');
      expect(calls).toBe(70_001);
    });

    it('retries a synchronously failing node 70,000 times under concurrency 1 too, in a loop, not a stack', async () => {
      let calls = 0;
      const dag = buildDag((tm) => {
        tm.with({ name: 'flaky', retry: 70_000 }).addNode(() => {
          calls++;
          throw new Error('no');
        });
        tm.with({ name: 'other' }).addNode(() => 1);
      });
      const error = (await rejectionOf(dag.invoke(undefined, { concurrency: 1 }))) as NodeFailedError;
      expect(error.node).toBe('flaky');
      expect(calls).toBe(70_001);
    });
  });

  describe('values that are promises or thenables', () => {
    it('awaits a promise given as a plain dependency, in every invocation', async () => {
      let calls = 0;
      const dag = buildDag(
        (tm) => void tm.with({ name: 'double' }).addNode((x: number) => (calls++, x * 2), Promise.resolve(21)),
      );
      expect((await dag.invoke()).get('double')).toBe(42);
      expect((await dag.invoke()).get('double')).toBe(42);
      expect(calls).toBe(2);
    });

    it("fails the run with the immediate's name when a dependency promise rejects, with no unhandled rejection during the run", async () => {
      const boom = new Error('boom');
      const rejected = Promise.reject(boom);
      rejected.catch(() => undefined); // this test is about the run; see the next one for definition time
      const dag = buildDag((tm) => void tm.addNode((x: unknown) => x, rejected));
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      await turn();
      expect(error).toBeInstanceOf(NodeFailedError);
      expect(error.node).toBe('immediate_0');
      expect(error.cause).toBe(boom);
    });

    // Every invoke turns that rejection into a node failure, so the builder owns it from the
    // start: Node must not report it as unhandled when buildDag returns. Jest swallows such
    // reports, so a process of its own counts them.
    it('(control) the separate process does see an unhandled rejection when there is one', async () => {
      const report = await inFreshProcess(
        `Promise.reject(new Error('control')); process.emitWarning('control', 'ControlWarning');`,
      );
      expect(report.unhandled).toEqual(['control']);
      expect(report.warnings).toEqual(['ControlWarning: control']);
    });

    it('takes charge of a rejected promise given as a plain dependency: no unhandled rejection at definition', async () => {
      const { unhandled } = await inFreshProcess(`
        const dag = lib.buildDag((tm) => void tm.addNode((x) => x, Promise.reject(new Error('later'))));
        await new Promise((r) => setTimeout(r, 10));
        const error = await dag.invoke().catch((e) => e);
        if (error.code !== 'NODE_FAILED' || error.cause.message !== 'later') throw new Error('unexpected: ' + error);
      `);
      expect(unhandled).toEqual([]);
    });

    it('fails a node whose result has a throwing then getter, with that error as cause', async () => {
      const trap = new Error('then getter');
      const hostileValue = {
        get then(): never {
          throw trap;
        },
      };
      const dag = buildDag((tm) => void tm.with({ name: 'trap' }).addNode(() => hostileValue));
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error.node).toBe('trap');
      expect(error.cause).toBe(trap);
    });

    it('fails the immediate made from a plain dependency with a throwing then getter', async () => {
      const trap = new Error('then getter');
      const hostileValue = {
        get then(): never {
          throw trap;
        },
      };
      const dag = buildDag((tm) => void tm.addNode((x: unknown) => x, hostileValue));
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error.node).toBe('immediate_0');
      expect(error.cause).toBe(trap);
    });

    it('adopts a thenable that resolves, rejects and throws all at once by its first word only', async () => {
      const messy = {
        then(resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
          resolve('first');
          reject(new Error('second'));
          throw new Error('third');
        },
      };
      const dag = buildDag((tm) => void tm.with({ name: 'messy' }).addNode(() => messy));
      expect((await dag.invoke()).get('messy')).toBe('first');
    });

    it('unwraps a thenable that resolves with another thenable', async () => {
      const inner = { then: (resolve: (v: unknown) => void) => resolve('deep') };
      const outer = { then: (resolve: (v: unknown) => void) => resolve(inner) };
      const dag = buildDag((tm) => void tm.with({ name: 'outer' }).addNode(() => outer));
      expect((await dag.invoke()).get('outer')).toBe('deep');
    });

    it("bounds a thenable that never settles with the node's timeout", async () => {
      const never = { then: () => undefined };
      const dag = buildDag((tm) => void tm.with({ name: 'stuck', timeout: 20 }).addNode(() => never));
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error.node).toBe('stuck');
      expect(error.cause).toBeInstanceOf(NodeTimeoutError);
    });

    it("bounds a thenable that never settles with the caller's signal, and aborts the node's ctx.signal", async () => {
      let nodeSignal!: AbortSignal;
      const dag = buildDag(
        (tm) =>
          void tm.with({ name: 'stuck' }).addNode((_p: void, ctx: { signal: AbortSignal }) => {
            nodeSignal = ctx.signal;
            return { then: () => undefined };
          }),
      );
      const controller = new AbortController();
      const run = dag.invoke(undefined, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('enough')), 10);
      const error = await rejectionOf(run);
      expect(error).toBeInstanceOf(DagAbortedError);
      expect((error as Error).name).toBe('AbortError');
      expect(nodeSignal.aborted).toBe(true);
    });

    it('keeps a node value that is an object with a null prototype as it is', async () => {
      const bare = Object.create(null) as Record<string, number>;
      bare['x'] = 1;
      const dag = buildDag((tm) => {
        const a = tm.with({ name: 'bare' }).addNode(() => bare);
        tm.with({ name: 'read' }).addNode((o: Record<string, number>) => o['x'], a);
      });
      const result = await dag.invoke();
      expect(result.get('bare')).toBe(bare);
      expect(result.get('read')).toBe(1);
    });

    it('passes null-prototype params and options through unharmed', async () => {
      const params = Object.create(null) as { id?: number };
      params.id = 3;
      const options = Object.create(null) as { concurrency?: number };
      options.concurrency = 1;
      const dag = buildDag<{ id?: number }>((tm) => void tm.with({ name: 'id' }).addNode((p: { id?: number }) => p.id));
      expect((await dag.invoke(params, options)).get('id')).toBe(3);
      const nodeOptions = Object.create(null) as { name: string; retry: number };
      nodeOptions.name = 'n';
      nodeOptions.retry = 1;
      expect(() => buildDag((tm) => void tm.with(nodeOptions).addNode(() => 1))).not.toThrow();
    });
  });

  describe('what nodes throw', () => {
    it.each([
      ['undefined', undefined],
      ['null', null],
      ['a string', 'just a string'],
      ['a null-prototype object', Object.create(null)],
      [
        'an object whose toString throws',
        {
          toString: () => {
            throw new Error('no');
          },
        },
      ],
    ])('wraps a node that throws %s in a NodeFailedError whose cause is exactly that', async (_what, thrown) => {
      const dag = buildDag(
        (tm) =>
          void tm.with({ name: 'thrower' }).addNode(() => {
            throw thrown;
          }),
      );
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error).toBeInstanceOf(NodeFailedError);
      expect(error.code).toBe('NODE_FAILED');
      expect(error.node).toBe('thrower');
      expect(error.cause).toBe(thrown);
      expect(typeof error.message).toBe('string');
    });

    it('records a non-Error rejection in settle mode as it is, and skips the dependents', async () => {
      const dag = buildDag((tm) => {
        const bad = tm.with({ name: 'bad' }).addNode(() => Promise.reject(undefined));
        tm.with({ name: 'after' }).addNode((x: unknown) => x, bad);
        tm.with({ name: 'free' }).addNode(() => 1);
      });
      const result = await dag.invoke(undefined, { failFast: false });
      expect(result.errors).toEqual([{ node: 'bad', error: undefined }]);
      expect(result.status('after')).toBe('skipped');
      expect(result.get('free')).toBe(1);
    });
  });

  describe('failures at scale', () => {
    it('settles a run with 20,000 failing nodes and a 100,000-node chain behind a failed root', async () => {
      const dag = buildDag((tm) => {
        let previous: TaskNode<unknown> = tm.with({ name: 'root' }).addNode(() => {
          throw new Error('root');
        });
        for (let i = 0; i < 100_000; i++) previous = tm.addNode((x: unknown) => x, previous);
        for (let i = 0; i < 20_000; i++) {
          tm.addNode(() => {
            throw new Error(`e${i}`);
          });
        }
        tm.with({ name: 'survivor' }).addNode(() => 'ran');
      });
      const result = await dag.invoke(undefined, { failFast: false });
      expect(result.errors).toHaveLength(20_001);
      expect(result.errors[0]!.node).toBe('root');
      expect(result.trace.nodes.filter((n) => n.status === 'skipped')).toHaveLength(100_000);
      expect(result.get('survivor')).toBe('ran');
    });

    it('stops a fail-fast run at the first of 50,000 failures, and absorbs the rest', async () => {
      const dag = buildDag((tm) => {
        for (let i = 0; i < 50_000; i++) {
          tm.addNode(async () => {
            await Promise.resolve();
            throw new Error(`e${i}`);
          });
        }
      });
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error).toBeInstanceOf(NodeFailedError);
      expect((error.cause as Error).message).toBe('e0');
      await sleep(10); // every later rejection has happened by now, inside this test
    });
  });

  describe('builders that escape', () => {
    it('seals a builder kept past buildDag: addNode, with and params throw SEALED', () => {
      let kept!: DagBuilder<number>;
      buildDag<number>((tm) => {
        kept = tm;
        tm.addNode(() => 1);
      });
      for (const attempt of [() => kept.addNode(() => 2), () => kept.with({ name: 'x' }), () => kept.params]) {
        const error = thrownBy(attempt) as DagDefinitionError;
        expect(error).toBeInstanceOf(DagDefinitionError);
        expect(error.code).toBe('SEALED');
      }
    });

    it('seals a builder whose define threw, so it can never grow a graph later', () => {
      let kept!: DagBuilder<void>;
      expect(() =>
        buildDag((tm) => {
          kept = tm;
          throw new Error('half-way');
        }),
      ).toThrow('half-way');
      expect((thrownBy(() => kept.addNode(() => 1)) as DagError).code).toBe('SEALED');
    });

    it('refuses an async define with a TypeError, and swallows its later rejection', async () => {
      let kept!: DagBuilder<void>;
      expect(() =>
        buildDag((async (tm: DagBuilder<void>) => {
          kept = tm;
          await sleep(1);
          throw new Error('too late');
        }) as never),
      ).toThrow(TypeError);
      await sleep(10); // its rejection comes now, inside this test, where Jest would catch it
      await turn();
      expect((thrownBy(() => kept.addNode(() => 1)) as DagError).code).toBe('SEALED');
    });

    it('fails the node, not the process, when a node tries to add a node to its own sealed builder', async () => {
      let kept!: DagBuilder<void>;
      const dag = buildDag((tm) => {
        kept = tm;
        tm.with({ name: 'grow' }).addNode(() => kept.addNode(() => 1));
      });
      const error = (await rejectionOf(dag.invoke())) as NodeFailedError;
      expect(error.node).toBe('grow');
      expect((error.cause as DagError).code).toBe('SEALED');
    });
  });

  describe('size and re-entrancy', () => {
    it('runs a node with a fan-in of 100,000 dependencies', async () => {
      const n = 100_000;
      const dag = buildDag((tm) => {
        const leaves: TaskNode<number>[] = [];
        for (let i = 0; i < n; i++) leaves.push(tm.addNode(() => i));
        tm.with({ name: 'sum' }).addNode(
          (...xs: number[]) => {
            let total = 0;
            for (let i = 0; i < n; i++) total += xs[i]!;
            return total;
          },
          ...leaves,
        );
      });
      const result = await dag.invoke();
      expect(result.get('sum')).toBe((n * (n - 1)) / 2);
    });

    it('runs a node that lists one dependency 50,000 times exactly once', async () => {
      let runs = 0;
      const dag = buildDag((tm) => {
        const one = tm.addNode(() => (runs++, 1));
        tm.with({ name: 'count' }).addNode(
          (...xs: unknown[]) => xs.length - 2,
          ...new Array<TaskNode<number>>(50_000).fill(one),
        );
      });
      const result = await dag.invoke();
      expect(runs).toBe(1);
      expect(result.get('count')).toBe(50_000);
    });

    it('lets a node invoke its own graph again, with no cross-talk between the runs', async () => {
      const dag = buildDag<number>((tm) => {
        const depth = tm.with({ name: 'depth' }).addNode((p: number) => p);
        tm.with({ name: 'sum' }).addNode(async (d: number): Promise<number> => {
          if (d === 0) return 0;
          const inner = await dag.invoke(d - 1);
          return d + (inner.get('sum') as number);
        }, depth);
      });
      const result = await dag.invoke(50);
      expect(result.get('sum')).toBe((50 * 51) / 2);
      expect(result.get('depth')).toBe(50);
    });

    it('keeps one graph usable after a run that failed, was aborted, or timed out', async () => {
      const dag = buildDag<string>(
        (tm) =>
          void tm.with({ name: 'mode', timeout: 30 }).addNode(async (p: string, ctx: { signal: AbortSignal }) => {
            if (p === 'fail') throw new Error('failed');
            if (p === 'hang') await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
            return p;
          }),
      );
      await expect(dag.invoke('fail')).rejects.toBeInstanceOf(NodeFailedError);
      await expect(dag.invoke('hang')).rejects.toBeInstanceOf(NodeFailedError);
      const controller = new AbortController();
      const aborted = dag.invoke('hang', { signal: controller.signal });
      controller.abort();
      await expect(aborted).rejects.toBeInstanceOf(DagAbortedError);
      expect((await dag.invoke('ok')).get('mode')).toBe('ok');
    });
  });

  describe('bad invocation options', () => {
    it.each([
      ['concurrency 0', { concurrency: 0 }],
      ['concurrency -1', { concurrency: -1 }],
      ['concurrency 1.5', { concurrency: 1.5 }],
      ['concurrency NaN', { concurrency: NaN }],
      ['concurrency "2"', { concurrency: '2' }],
      ['failFast "no"', { failFast: 'no' }],
      ['a signal that is not an AbortSignal', { signal: {} }],
      ['an observer that is not an object', { observer: () => undefined }],
      ['options that are a string', 'fast'],
    ])('rejects %s with a TypeError that says what was expected and what came', async (_what, options) => {
      let ran = false;
      const dag = buildDag((tm) => void tm.addNode(() => (ran = true)));
      const error = await rejectionOf(dag.invoke(undefined, options as never));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^Expected `\w+` to be .+, got .+/);
      expect(ran).toBe(false);
    });

    // Once a bug: a getter or Proxy that threw made invoke() throw synchronously instead of rejecting.
    it('rejects, never throws, when reading an invocation option throws', async () => {
      const dag = buildDag((tm) => void tm.addNode(() => 1));
      const trap = new Error('getter');
      const options = {
        get concurrency(): number {
          throw trap;
        },
      };
      const proxy = new Proxy(
        {},
        {
          get: () => {
            throw trap;
          },
          ownKeys: () => {
            throw trap;
          },
        },
      );
      for (const hostileOptions of [options, proxy]) {
        let promise: Promise<unknown> | undefined;
        expect(() => {
          promise = dag.invoke(undefined, hostileOptions as never);
        }).not.toThrow();
        expect(await rejectionOf(promise!)).toBe(trap);
      }
    });

    // Once a bug: every run added its own 'abort' listener to the caller's signal, so more than
    // 10 runs in flight with one signal (a server's shutdown signal, say) made Node warn of an
    // EventTarget memory leak. Now the runs of one signal share one listener.
    it('shares one caller signal among 50 runs in flight without a MaxListenersExceededWarning', async () => {
      const { warnings, unhandled } = await inFreshProcess(`
        const controller = new AbortController();
        const dag = lib.buildDag((tm) => void tm.addNode(() => new Promise((r) => setTimeout(() => r(1), 5))));
        const results = await Promise.all(Array.from({ length: 50 }, () => dag.invoke(undefined, { signal: controller.signal })));
        if (results.some((r) => r.get('node_0') !== 1)) throw new Error('wrong result');
        const stopped = Array.from({ length: 50 }, () => dag.invoke(undefined, { signal: controller.signal }).catch((e) => e.name));
        controller.abort();
        if ((await Promise.all(stopped)).some((name) => name !== 'AbortError')) throw new Error('not aborted');
      `);
      expect(unhandled).toEqual([]);
      expect(warnings).toEqual([]);
    });

    it('runs nothing for a signal that is already aborted', async () => {
      let ran = false;
      const dag = buildDag((tm) => void tm.addNode(() => (ran = true)));
      await expect(dag.invoke(undefined, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DagAbortedError);
      expect(ran).toBe(false);
    });

    it('survives observers that are a throwing Proxy, have a throwing hook getter, or return rejecting or hostile thenables', async () => {
      const dag = buildDag((tm) => {
        const a = tm.with({ name: 'a' }).addNode(async () => 1);
        tm.with({ name: 'b' }).addNode((x: number) => x + 1, a);
      });
      const observers = [
        new Proxy(
          {},
          {
            get: () => {
              throw new Error('proxy get');
            },
            has: () => {
              throw new Error('proxy has');
            },
          },
        ),
        {
          get onNodeEnd(): never {
            throw new Error('hook getter');
          },
        },
        { onNodeEnd: async () => Promise.reject(new Error('async hook')) },
        {
          onNodeEnd: () => ({
            then(): never {
              throw new Error('then of a hook result');
            },
          }),
        },
        {
          onNodeEnd: () => ({
            get then(): never {
              throw new Error('then getter of a hook result');
            },
          }),
        },
      ];
      const warnings = captureObserverWarnings();
      try {
        for (const observer of observers) {
          const result = await dag.invoke(undefined, { observer: observer as never });
          expect(result.get('b')).toBe(2);
        }
        await sleep(10); // a late rejection of a hook would land here, inside the test
      } finally {
        warnings.restore();
      }
      // One warning per observer, each naming the hook and what it threw.
      const said = (message: string) =>
        message.replace(
          /^A DagObserver's (\w+) hook failed; the run went on unchanged\. Error: ([^\n]*)[\s\S]*$/,
          '$1: $2',
        );
      expect(warnings.messages.map(said).sort()).toEqual([
        'onNodeEnd: async hook',
        'onNodeEnd: hook getter',
        'onNodeEnd: then getter of a hook result',
        'onNodeEnd: then of a hook result',
        'onRunStart: proxy get',
      ]);
    });

    it('reports each failing observer once, as a DagObserverWarning, and nothing unhandled', async () => {
      const report = await inFreshProcess(`
        const dag = lib.buildDag((tm) => void tm.addNode(async () => 1));
        const failing = { onNodeStart: () => { throw new Error('sync'); }, onNodeEnd: async () => { throw new Error('async'); } };
        for (let i = 0; i < 3; i++) await dag.invoke(undefined, { observer: failing });
        await dag.invoke(undefined, { observer: { onRunEnd: async () => { throw new Error('other'); } } });
      `);
      expect(report.unhandled).toEqual([]);
      expect(report.warnings).toHaveLength(2);
      for (const warning of report.warnings) expect(warning).toMatch(/^DagObserverWarning: /);
    });

    it('survives an observer whose every hook throws, and a hook that is not a function', async () => {
      const called: string[] = [];
      const boom = (hook: string) => (): never => {
        called.push(hook);
        throw new Error(`observer ${hook}`);
      };
      const observer = {
        onRunStart: boom('onRunStart'),
        onNodeStart: boom('onNodeStart'),
        onNodeEnd: boom('onNodeEnd'),
        onRunEnd: boom('onRunEnd'),
        onNodeRetry: 5,
      };
      const dag = buildDag((tm) => void tm.with({ name: 'a' }).addNode(() => 1));
      const warnings = captureObserverWarnings();
      const result = await dag.invoke(undefined, { observer: observer as never });
      await turn();
      warnings.restore();
      expect(result.get('a')).toBe(1);
      expect(called).toEqual(['onRunStart', 'onNodeStart', 'onNodeEnd', 'onRunEnd']);
      // Reported once for the observer: its first failure.
      expect(warnings.messages).toEqual([
        expect.stringMatching(
          /^A DagObserver's onRunStart hook failed; the run went on unchanged\. Error: observer onRunStart\n/,
        ),
      ]);
    });
  });
});
