import { Dag, DagDefinitionError, graphOf, immediate, node } from 'async-dag';

class Base extends Dag<number> {
  @immediate input(n: number) {
    return n;
  }
  @node('input') double(n: number) {
    return n * 2;
  }
  @node('double') report(value: number) {
    return `base ${value}`;
  }
}

describe('inheritance', () => {
  it('a subclass inherits every node', async () => {
    class Child extends Base {}
    const result = await new Child().invoke(3);
    expect(result.get('report')).toBe('base 6');
    expect(graphOf(Child).nodes.map((n) => n.name)).toEqual(['input', 'double', 'report']);
  });

  it('an undecorated override keeps the inherited declaration and runs the override', async () => {
    class Child extends Base {
      override double(n: number) {
        return super.double(n) + 1;
      }
    }
    const result = await new Child().invoke(3);
    expect(result.get('double')).toBe(7);
    expect(result.get('report')).toBe('base 7');
    expect(graphOf(Child).nodes[1]!.dependencies).toEqual(['input']);
    // The base class is untouched.
    expect((await new Base().invoke(3)).get('double')).toBe(6);
  });

  it('a decorated override replaces the declaration, keeping its place', async () => {
    class Child extends Base {
      @immediate offset() {
        return 100;
      }
      @node('input', 'offset') override double(n: number, offset = 0) {
        return n * 2 + offset;
      }
    }
    expect(graphOf(Child).nodes.map((n) => [n.name, n.dependencies])).toEqual([
      ['input', []],
      ['double', ['input', 'offset']],
      ['report', ['double']],
      ['offset', []],
    ]);
    expect((await new Child().invoke(1)).get('report')).toBe('base 102');
  });

  it('a subclass adds nodes that depend on inherited ones', async () => {
    class Child extends Base {
      @node('double', 'report') summary(value: number, text: string) {
        return `${text} / ${value}`;
      }
    }
    expect((await new Child().invoke(2)).get('summary')).toBe('base 4 / 4');
    // The base class does not gain the subclass's node.
    const base = await new Base().invoke(2);
    expect(() => base.get('summary' as never)).toThrow(expect.objectContaining({ code: 'UNKNOWN_NODE' }));
  });

  it('an abstract base declares the flow, subclasses fill in the steps', async () => {
    abstract class Fetcher<T> extends Dag<{ id: number }> {
      protected abstract load(id: number): Promise<T>;
      @immediate id(params: { id: number }) {
        return params.id;
      }
      @node('id') async item(id: number): Promise<T> {
        return this.load(id);
      }
      @node('item') describe(item: T) {
        return JSON.stringify(item);
      }
    }
    class Users extends Fetcher<{ user: number }> {
      protected async load(id: number) {
        return { user: id };
      }
    }
    class Orders extends Fetcher<{ order: number }> {
      protected async load(id: number) {
        return { order: id };
      }
    }
    expect((await new Users().invoke({ id: 7 })).get('describe')).toBe('{"user":7}');
    expect((await new Orders().invoke({ id: 8 })).get('describe')).toBe('{"order":8}');
  });

  it('each class of a chain has its own graph and its own definition errors', () => {
    class Broken extends Base {
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node('doubel') extra() {}
    }
    expect(() => new Broken()).toThrow(DagDefinitionError);
    expect(() => new Broken()).toThrow('Did you mean "double"?');
    expect(() => new Base()).not.toThrow();
    class Grandchild extends Broken {}
    expect(() => new Grandchild()).toThrow('Grandchild');
  });

  it('an override that is not a method is reported', () => {
    class Child extends Base {
      // @ts-expect-error: a getter replacing a method, on purpose
      override get double() {
        return () => 0;
      }
    }
    expect(() => new Child()).toThrow(
      expect.objectContaining({ code: 'INVALID_NODE', message: expect.stringContaining('no longer a method') }),
    );
  });
});
