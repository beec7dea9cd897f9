import 'reflect-metadata';
import { Dag, DagDefinitionError, graphOf, immediate, node } from 'async-dag';

const DECLARATIONS = Symbol.for('async-dag:node-declarations');

function definitionError(run: () => unknown): DagDefinitionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DagDefinitionError);
    return error as DagDefinitionError;
  }
  throw new Error('expected a DagDefinitionError');
}

describe('@node and @immediate (legacy decorators)', () => {
  it('defines Symbol.metadata on import, with the registered symbol', () => {
    expect((Symbol as { metadata?: symbol }).metadata).toBe(Symbol.for('Symbol.metadata'));
  });

  it('only record metadata: the prototype keeps exactly its own members', () => {
    class Flow extends Dag {
      @immediate base() {
        return 1;
      }
      @node('base') next(base: number) {
        return base + 1;
      }
    }
    expect(Object.getOwnPropertyNames(Flow.prototype).sort()).toEqual(['base', 'constructor', 'next']);
    expect(Object.getOwnPropertySymbols(Flow.prototype)).toEqual([]);
    expect(typeof Flow.prototype.next).toBe('function');
    const declarations = Reflect.getOwnMetadata(DECLARATIONS, Flow.prototype) as Map<
      string,
      { role: string; deps: string[] }
    >;
    expect([...declarations.keys()]).toEqual(['base', 'next']);
    expect(declarations.get('next')).toMatchObject({ role: 'node', deps: ['base'], member: 'method' });
    expect(declarations.get('base')).toMatchObject({ role: 'immediate', deps: [], member: 'method' });
  });

  it('do not build the graph: a class is scanned at its first new, not when it is defined', () => {
    // A cycle is only reported when the class is instantiated.
    class Loop extends Dag {
      @node('b') a() {}
      @node('a') b() {}
    }
    expect(() => new Loop()).toThrow(DagDefinitionError);
  });

  it.each(['hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf', '__proto__'])(
    'reject a member named %s as soon as the decorator runs',
    (name) => {
      const error = definitionError(() => {
        class Bad extends Dag {
          @node() [name]() {
            return 1;
          }
        }
        return Bad;
      });
      expect(error.code).toBe('INVALID_NODE');
      expect(error.message).toContain(`"${name}"`);
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'async-dag')).toBe(false);
    },
  );

  it.each(['constructor', '__proto__', 'prototype', 'hasOwnProperty'])(
    'reject a dependency named %s as soon as @node() is called',
    (name) => {
      const error = definitionError(() => node(name));
      expect(error.code).toBe('INVALID_NODE');
      expect(error.message).toContain(`"${name}"`);
    },
  );

  it('ask for parentheses when @node is used bare', () => {
    const error = definitionError(() => {
      class Bare extends Dag {
        @(node as any) a() {}
      }
      return Bare;
    });
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('@node()');
  });

  it('reject @node on a class itself', () => {
    const error = definitionError(() => {
      @(node() as any)
      class Whole extends Dag {}
      return Whole;
    });
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('not the class itself');
  });

  it('accept @immediate() with parentheses as @immediate', async () => {
    class Flow extends Dag {
      @immediate() one() {
        return 1;
      }
      @node('one') two(one: number) {
        return one + 1;
      }
    }
    expect((await new Flow().invoke()).get('two')).toBe(2);
  });

  it('report @immediate with dependencies at the first new, naming the class and the member', () => {
    class Flow extends Dag {
      @immediate() one() {
        return 1;
      }
      @((immediate as any)('one')) two() {
        return 2;
      }
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('Flow');
    expect(error.message).toContain('"two"');
    expect(error.message).toContain('no dependencies');
  });

  it('are shared by an ES module and a CommonJS copy of the library through registered symbols', async () => {
    let copy!: typeof import('async-dag');
    jest.isolateModules(() => {
      copy = require('../../lib/index') as typeof import('async-dag');
    });
    expect(copy.Dag).not.toBe(Dag);
    // Declared with the other copy's decorators and base class, read by this copy.
    class Foreign extends copy.Dag {
      @copy.immediate one() {
        return 1;
      }
      @copy.node('one') two(one: number) {
        return one + 1;
      }
    }
    expect(graphOf(Foreign).nodes.map((n) => [n.name, n.dependencies])).toEqual([
      ['one', []],
      ['two', ['one']],
    ]);
    expect((await new Foreign().invoke()).get('two')).toBe(2);
  });
});

describe('the decorator returned by @node()', () => {
  it('throws a TypeError when called with something other than a decorator’s arguments', () => {
    const decorate = node('a') as unknown as (...args: unknown[]) => void;
    expect(() => decorate('x', 'y')).toThrow(TypeError);
    expect(() => decorate('x', 'y')).toThrow(
      'Expected @node() to be applied to a class member as a decorator, got a call with (`"x"` (string), `"y"` (string))',
    );
  });
});
