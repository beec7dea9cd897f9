// Every bad graph we could think of, defined through the class DSL (legacy decorators here;
// where it matters, the TC39 call shape is made by hand): each gets a DagError with a stable
// code, raised when the decorator runs or at the class's first `new` (and every later one),
// and none of them touches a prototype, a shared graph, or another class.
import {
  Dag,
  DagAbortedError,
  DagDefinitionError,
  DagError,
  graphOf,
  immediate,
  invokeDag,
  node,
  NodeFailedError,
  NodeTimeoutError,
  type NodeContext,
} from 'async-dag';
import { rejectionOf, sleep, snapshotPrototypes, thrownBy } from './guards';

// Big graphs and fresh Node processes take a second or two on a quiet machine, several times that
// on a busy shared one: a generous ceiling, so that only a hang fails by time.
jest.setTimeout(30_000);

const prototypes = snapshotPrototypes();
afterAll(() => {
  expect(prototypes.changes()).toEqual([]);
});

// The compile-time checks reject most of what follows, which is the point of this file: it
// shows what happens at run time to code that got past them (plain JavaScript, `any`, casts).
const anyNode = node as unknown as (...args: unknown[]) => any;
const anyImmediate = immediate as unknown as any;

function definitionError(run: () => unknown): DagDefinitionError {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(DagDefinitionError);
  return error as DagDefinitionError;
}

/** Makes a Dag subclass with methods m0..m{n-1}, decorated in the legacy way with `deps(i)`. */
function generatedClass(name: string, n: number, deps: (i: number) => string[]): new () => Dag {
  const Class = { [name]: class extends Dag {} }[name]!;
  for (let i = 0; i < n; i++) {
    Object.defineProperty(Class.prototype, `m${i}`, {
      value: function (this: unknown, ...values: unknown[]) {
        return values.slice(0, deps(i).length).reduce((a: number, b) => a + (b as number), i);
      },
      writable: true,
      configurable: true,
    });
    anyNode(...deps(i))(Class.prototype, `m${i}`, Object.getOwnPropertyDescriptor(Class.prototype, `m${i}`));
  }
  return Class as unknown as new () => Dag;
}

describe('hostile class definitions', () => {
  describe('cycles of every length', () => {
    it('rejects a node that depends on itself with CYCLE "a -> a" and says how to fix it', () => {
      class Selfish extends Dag {
        @anyNode('a') a(): number {
          return 1;
        }
      }
      const error = definitionError(() => new Selfish());
      expect(error.code).toBe('CYCLE');
      expect(error.message).toContain('Selfish');
      expect(error.message).toContain('a -> a');
      expect(error.message).toMatch(/depends on itself/);
    });

    it('rejects a two-node cycle with its path', () => {
      class Pair extends Dag {
        @anyNode('b') a(): number {
          return 1;
        }
        @anyNode('a') b(): number {
          return 2;
        }
      }
      const error = definitionError(() => new Pair());
      expect(error.code).toBe('CYCLE');
      expect(error.message).toContain('a -> b -> a');
    });

    it('rejects a three-node cycle hidden behind a valid prefix, naming only the loop', () => {
      class Loop extends Dag {
        @immediate start(): number {
          return 0;
        }
        @anyNode('start', 'c') a(): number {
          return 1;
        }
        @anyNode('a') b(): number {
          return 2;
        }
        @anyNode('b') c(): number {
          return 3;
        }
        @anyNode('start') fine(): number {
          return 4;
        }
      }
      const error = definitionError(() => new Loop());
      expect(error.code).toBe('CYCLE');
      expect(error.message).toContain('a -> b -> c -> a');
      expect(error.message).not.toContain('fine');
      expect(error.message).not.toMatch(/start ->/);
    });

    it('rejects a cycle of 1,000 nodes, showing the whole path', () => {
      const Ring = generatedClass('Ring', 1_000, (i) => [`m${(i + 999) % 1_000}`]);
      const error = definitionError(() => new Ring());
      expect(error.code).toBe('CYCLE');
      const path = /cycle: (.*?) \(/.exec(error.message)![1]!.split(' -> ');
      expect(path).toHaveLength(1_001);
      expect(path[0]).toBe(path[path.length - 1]);
      expect(new Set(path).size).toBe(1_000);
    });

    it('rejects a cycle that only a subclass closes, and leaves the base class usable', async () => {
      class Base extends Dag {
        @node() a(): number {
          return 1;
        }
        @anyNode('a') b(a: number): number {
          return a + 1;
        }
      }
      class Closed extends Base {
        @anyNode('b') override a(): number {
          return 1;
        }
      }
      expect(definitionError(() => new Closed()).code).toBe('CYCLE');
      expect((await new Base().invoke()).get('b')).toBe(2);
    });

    it('throws the same definition error from every new of the class, not only the first', () => {
      class Pair extends Dag {
        @anyNode('b') a(): number {
          return 1;
        }
        @anyNode('a') b(): number {
          return 2;
        }
      }
      const first = definitionError(() => new Pair());
      const second = definitionError(() => new Pair());
      expect(second.code).toBe(first.code);
      expect(second.message).toBe(first.message);
    });
  });

  describe('unknown dependencies', () => {
    it('rejects a misspelt dependency with UNKNOWN_DEPENDENCY, naming the member and the missing name', () => {
      class Typo extends Dag {
        @node() fetchUser(): number {
          return 1;
        }
        @anyNode('fetchUsr') render(): number {
          return 2;
        }
      }
      const error = definitionError(() => new Typo());
      expect(error.code).toBe('UNKNOWN_DEPENDENCY');
      expect(error.message).toContain('render');
      expect(error.message).toContain('fetchUsr');
      expect(error.message).toContain('fetchUser');
    });

    it('rejects a dependency on a member that exists but is not a node', () => {
      class Helper extends Dag {
        helper(): number {
          return 1;
        }
        @anyNode('helper') uses(): number {
          return 2;
        }
      }
      expect(definitionError(() => new Helper()).code).toBe('UNKNOWN_DEPENDENCY');
    });

    it('rejects a dependency on a node of another class', () => {
      class Other extends Dag {
        @node() shared(): number {
          return 1;
        }
      }
      class Mine extends Dag {
        @anyNode('shared') mine(): number {
          return 2;
        }
      }
      expect(new Other()).toBeInstanceOf(Other);
      expect(definitionError(() => new Mine()).code).toBe('UNKNOWN_DEPENDENCY');
    });

    it.each([
      ['an empty string', ''],
      ['a number', 42],
      ['null', null],
    ])('rejects %s as a dependency name with INVALID_NODE', (_what, dep) => {
      class Bad extends Dag {
        @anyNode(dep) a(): number {
          return 1;
        }
      }
      expect(definitionError(() => new Bad()).code).toBe('INVALID_NODE');
    });
  });

  describe('members that cannot be nodes', () => {
    it('rejects @node on a field, a getter and a static method with INVALID_NODE', () => {
      class OnField extends Dag {
        @anyNode() value = 5;
      }
      class OnGetter extends Dag {
        @anyNode() get value(): number {
          return 5;
        }
      }
      class OnStatic extends Dag {
        @anyNode() static value(): number {
          return 5;
        }
      }
      for (const Class of [OnField, OnGetter, OnStatic]) {
        expect(definitionError(() => new (Class as new () => Dag)()).code).toBe('INVALID_NODE');
      }
    });

    it('rejects a symbol-named node as soon as the decorator runs', () => {
      const key = Symbol('hidden');
      const error = definitionError(() => {
        class Hidden extends Dag {
          @anyNode() [key](): number {
            return 1;
          }
        }
        return Hidden;
      });
      expect(error.code).toBe('INVALID_NODE');
    });

    it('rejects a member decorated twice, and @node used without calling it', () => {
      class Twice extends Dag {
        @anyNode() @anyImmediate a(): number {
          return 1;
        }
      }
      expect(definitionError(() => new Twice()).code).toBe('INVALID_NODE');
      expect(
        definitionError(() => {
          class Uncalled extends Dag {
            @anyNode a(): number {
              return 1;
            }
          }
          return Uncalled;
        }).code,
      ).toBe('INVALID_NODE');
    });

    it('rejects @node on a class instead of a member', () => {
      const error = definitionError(() => {
        @anyNode()
        class Whole extends Dag {}
        return Whole;
      });
      expect(error.code).toBe('INVALID_NODE');
    });

    it('runs the method it scanned, even when an instance shadows it with a non-function or another function', async () => {
      class Swapped extends Dag {
        @node() a(): number {
          return 1;
        }
      }
      const withNumber = new Swapped();
      (withNumber as unknown as { a: unknown }).a = 42;
      const withFunction = new Swapped();
      (withFunction as unknown as { a: unknown }).a = () => 7;
      expect((await withNumber.invoke()).get('a')).toBe(1);
      expect((await withFunction.invoke()).get('a')).toBe(1);
    });
  });

  describe('classes with odd names', () => {
    it('names a class whose static name is not a string by what it holds, and still runs it', async () => {
      class Odd extends Dag {
        static override name = 42 as unknown as string;
        @node() a(): number {
          return 1;
        }
      }
      expect((await new Odd().invoke()).get('a')).toBe(1);
    });

    // Once a bug: the scanner read Class.name for its messages without a guard, so a throwing
    // static `name` getter made `new` throw that raw error instead of the DagDefinitionError.
    it('reports a definition error of a class whose static name getter throws as a DagDefinitionError', () => {
      class Hostile extends Dag {
        static override get name(): string {
          throw new Error('name getter');
        }
        @anyNode('b') a(): number {
          return 1;
        }
        @anyNode('a') b(): number {
          return 2;
        }
      }
      expect(definitionError(() => new Hostile()).code).toBe('CYCLE');
    });
  });

  describe('names that touch a prototype', () => {
    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype'])(
      'rejects %s as a dependency name as soon as the decorator runs',
      (name) => {
        expect(definitionError(() => anyNode(name)).code).toBe('INVALID_NODE');
      },
    );

    it.each(['toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
      'rejects a node method named %s in both decorator call shapes',
      (name) => {
        const legacy = definitionError(() => {
          const proto = {};
          Object.defineProperty(proto, name, { value: () => 1, configurable: true });
          anyNode()(proto, name, Object.getOwnPropertyDescriptor(proto, name));
        });
        expect(legacy.code).toBe('INVALID_NODE');
        const tc39 = definitionError(() =>
          anyNode()(() => 1, {
            kind: 'method',
            name,
            static: false,
            private: false,
            metadata: {},
            addInitializer: () => undefined,
            access: {},
          }),
        );
        expect(tc39.code).toBe('INVALID_NODE');
      },
    );

    it('keeps a class prototype to its own members: decorating adds nothing to it', () => {
      class Clean extends Dag {
        @immediate base(): number {
          return 1;
        }
        @node('base') next(b: number): number {
          return b + 1;
        }
      }
      new Clean();
      expect(Reflect.ownKeys(Clean.prototype).sort()).toEqual(['base', 'constructor', 'next']);
      expect(Object.keys(Dag.prototype)).toEqual([]);
    });
  });

  describe('values, thenables and params', () => {
    it('fails a node whose result has a throwing then getter, with that error as cause', async () => {
      const trap = new Error('then getter');
      class Trap extends Dag {
        @node() a(): unknown {
          return {
            get then(): never {
              throw trap;
            },
          };
        }
      }
      const error = (await rejectionOf(new Trap().invoke())) as NodeFailedError;
      expect(error.node).toBe('a');
      expect(error.cause).toBe(trap);
    });

    it('fails an immediate getter that throws, before any node starts', async () => {
      let started = false;
      class Fragile extends Dag {
        @immediate get config(): number {
          throw new Error('no config');
        }
        @node() other(): number {
          started = true;
          return 1;
        }
      }
      const error = (await rejectionOf(new Fragile().invoke())) as NodeFailedError;
      expect(error.node).toBe('config');
      expect(started).toBe(false);
    });

    it('bounds a method that returns a never-settling thenable by its timeout', async () => {
      class Stuck extends Dag {
        @node({ timeout: 20 }) wait(): PromiseLike<number> {
          return { then: () => undefined } as unknown as PromiseLike<number>;
        }
      }
      const error = (await rejectionOf(new Stuck().invoke())) as NodeFailedError;
      expect(error.cause).toBeInstanceOf(NodeTimeoutError);
    });

    it("bounds it by the caller's signal too", async () => {
      class Stuck extends Dag {
        @node() wait(_p: void, ctx: NodeContext): Promise<number> {
          return new Promise(() => void ctx);
        }
      }
      const run = new Stuck().invoke(undefined, { signal: AbortSignal.timeout(20) });
      expect(await rejectionOf(run)).toBeInstanceOf(DagAbortedError);
    });

    it('hands null-prototype params to every node as they are', async () => {
      const params = Object.assign(Object.create(null) as { n: number }, { n: 2 });
      class Bare extends Dag<{ n: number }> {
        @immediate base(p: { n: number }): number {
          return p.n;
        }
        @node('base') twice(b: number, p: { n: number }): boolean {
          return b * 2 === 4 && p === params;
        }
      }
      expect((await new Bare().invoke(params)).get('twice')).toBe(true);
    });

    it('answers UNKNOWN_NODE for inherited names a result does not have', async () => {
      class Small extends Dag {
        @node() a(): number {
          return 1;
        }
      }
      const result = await new Small().invoke();
      for (const name of ['toString', 'constructor', '__proto__', 'invoke']) {
        const error = thrownBy(() => (result as unknown as { get(n: string): unknown }).get(name)) as DagError;
        expect(error).toBeInstanceOf(DagError);
        expect(error.code).toBe('UNKNOWN_NODE');
      }
    });
  });

  describe('targets of invokeDag', () => {
    it.each([
      ['null', null],
      ['a number', 42],
      ['a plain object', {}],
      ['a function', () => 1],
    ])('rejects %s with a TypeError, never a crash', async (_what, target) => {
      const error = await rejectionOf(invokeDag(target as never));
      expect(error).toBeInstanceOf(TypeError);
    });
  });

  describe('hostile invocation options', () => {
    // Once a bug: a throwing getter made invoke() throw instead of rejecting.
    it('rejects, never throws, when reading an option throws', async () => {
      class Plain extends Dag {
        @node() a(): number {
          return 1;
        }
      }
      const trap = new Error('getter');
      const options = {
        get failFast(): boolean {
          throw trap;
        },
      };
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = new Plain().invoke(undefined, options);
      }).not.toThrow();
      expect(await rejectionOf(promise!)).toBe(trap);
    });
  });

  describe('size and sharing', () => {
    it('runs a node with a fan-in of 10,000 members', async () => {
      const n = 10_000;
      const Wide = generatedClass('Wide', n, () => []);
      Object.defineProperty(Wide.prototype, 'total', {
        value: (...xs: unknown[]) => xs.slice(0, n).reduce((a: number, b) => a + (b as number), 0),
        writable: true,
        configurable: true,
      });
      anyNode(...Array.from({ length: n }, (_, i) => `m${i}`))(
        Wide.prototype,
        'total',
        Object.getOwnPropertyDescriptor(Wide.prototype, 'total'),
      );
      const result = await invokeDag(new Wide());
      expect((result as unknown as { get(n: string): unknown }).get('total')).toBe((n * (n - 1)) / 2);
    });

    it("runs one instance's graph many times at once, each run with its own params", async () => {
      class Echo extends Dag<{ id: number }> {
        @immediate id(p: { id: number }): number {
          return p.id;
        }
        @node('id') async later(id: number, p: { id: number }): Promise<[number, number]> {
          await sleep(id % 5);
          return [id, p.id];
        }
      }
      const flow = new Echo();
      const results = await Promise.all(Array.from({ length: 500 }, (_, id) => flow.invoke({ id })));
      results.forEach((result, id) => expect(result.get('later')).toEqual([id, id]));
    });

    it("keeps one class's graph apart from an identically shaped class", () => {
      class A extends Dag {
        @node() x(): number {
          return 1;
        }
      }
      class B extends Dag {
        @node() x(): number {
          return 2;
        }
        @node('x') y(x: number): number {
          return x;
        }
      }
      expect(graphOf(A).nodes.map((n) => n.name)).toEqual(['x']);
      expect(graphOf(B).nodes.map((n) => n.name)).toEqual(['x', 'y']);
    });
  });
});
