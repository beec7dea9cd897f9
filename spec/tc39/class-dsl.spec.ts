// The class DSL under standard (TC39) decorators: TypeScript 5 with experimentalDecorators off.
import 'reflect-metadata';
import { Dag, DagDefinitionError, graphOf, immediate, invokeDag, node, type NodeContext } from 'async-dag';

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

interface Params {
  readonly allowed: string;
}

class EventFlow extends Dag<Params> {
  constructor(readonly calls: string[] = []) {
    super();
  }

  @immediate moonUrl(params: Params) {
    this.calls.push(`moonUrl(${params.allowed})`);
    return 'moon';
  }
  @immediate readonly sunUrl: string = 'sun';
  @immediate accessor region = 'eu';
  @immediate get retries() {
    return 2;
  }
  @node('moonUrl') async moonEvent(url: string) {
    return { location: url };
  }
  @node('moonEvent') async moonInsert(event: { location: string }, params: Params) {
    return event.location === params.allowed;
  }
  @node('sunUrl', 'region', 'retries', { timeout: 2_000 }) sun(
    url: string,
    region: string,
    retries: number,
    _p: Params,
    ctx: NodeContext,
  ) {
    return `${url}/${region}/${retries}/${ctx.name}`;
  }
  @node('moonEvent', 'moonInsert') log(event: { location: string }, ok: boolean) {
    return `${event.location} ${ok}`;
  }
}

describe('the class DSL with standard (TC39) decorators', () => {
  it('uses the Symbol.metadata the library defined on import', () => {
    expect((Symbol as { metadata?: symbol }).metadata).toBe(Symbol.for('Symbol.metadata'));
    const metadata = (EventFlow as unknown as Record<symbol, object>)[Symbol.for('Symbol.metadata')]!;
    expect(metadata).toBeDefined();
    const declarations = Reflect.getOwnMetadata(DECLARATIONS, metadata) as Map<string, { member: string }>;
    expect(new Map([...declarations].map(([name, declaration]) => [name, declaration.member]))).toEqual(
      new Map([
        ['moonUrl', 'method'],
        ['sunUrl', 'field'],
        ['region', 'accessor'],
        ['retries', 'getter'],
        ['moonEvent', 'method'],
        ['moonInsert', 'method'],
        ['sun', 'method'],
        ['log', 'method'],
      ]),
    );
  });

  it('only records metadata: the prototype keeps exactly its own members', () => {
    expect(Object.getOwnPropertyNames(EventFlow.prototype).sort()).toEqual([
      'constructor',
      'log',
      'moonEvent',
      'moonInsert',
      'moonUrl',
      'region',
      'retries',
      'sun',
    ]);
    expect(Object.getOwnPropertySymbols(EventFlow.prototype)).toEqual([]);
  });

  it('runs methods, fields, accessors and getters as nodes and immediates', async () => {
    const flow = new EventFlow();
    const result = await flow.invoke({ allowed: 'moon' });
    expect(flow.calls).toEqual(['moonUrl(moon)']);
    expect(result.get('moonEvent')).toEqual({ location: 'moon' });
    expect(result.get('moonInsert')).toBe(true);
    expect(result.get('sun')).toBe('sun/eu/2/sun');
    expect(result.get('log')).toBe('moon true');
    flow.region = 'us';
    expect((await flow.invoke({ allowed: 'sun' })).get('sun')).toBe('sun/us/2/sun');
  });

  it('draws the graph with one edge per dependency', () => {
    const mermaid = graphOf(EventFlow).toMermaid();
    expect(mermaid).toContain('    moonUrl --> moonEvent\n');
    expect(mermaid).toContain('    moonEvent --> log\n');
    expect(mermaid).toContain('    moonInsert --> log\n');
  });

  it('starts roots in declaration order', async () => {
    const events: string[] = [];
    class Roots extends Dag {
      @node() c() {
        events.push('c');
      }
      @node() a() {
        events.push('a');
      }
      @node() b() {
        events.push('b');
      }
    }
    await new Roots().invoke();
    expect(events).toEqual(['c', 'a', 'b']);
  });

  it('supports inheritance: inherited nodes, undecorated and decorated overrides, added nodes', async () => {
    class Base extends Dag<number> {
      @immediate input(n: number) {
        return n;
      }
      @node('input') double(n: number) {
        return n * 2;
      }
    }
    class KeepsDeclaration extends Base {
      override double(n: number) {
        return n * 3;
      }
      @node('double') report(value: number) {
        return `value ${value}`;
      }
    }
    class Replaces extends Base {
      @immediate offset() {
        return 10;
      }
      @node('input', 'offset') override double(n: number, offset = 0) {
        return n + offset;
      }
    }
    expect((await new KeepsDeclaration().invoke(2)).get('report')).toBe('value 6');
    expect((await new Replaces().invoke(2)).get('double')).toBe(12);
    expect(graphOf(Replaces).nodes.map((n) => [n.name, n.dependencies])).toEqual([
      ['input', []],
      ['double', ['input', 'offset']],
      ['offset', []],
    ]);
    expect((await new Base().invoke(2)).get('double')).toBe(4);
  });

  it('runs a class that does not extend Dag with invokeDag', async () => {
    class Service {
      readonly prefix = 'total';
    }
    class Report extends Service {
      @immediate month() {
        return 'nov';
      }
      @node('month') title(month: string) {
        return `${this.prefix} ${month}`;
      }
    }
    expect((await invokeDag(new Report())).get('title')).toBe('total nov');
  });

  it('reports definition errors from the first new and every later one, naming the class', () => {
    class Loop extends Dag {
      @node('b') a() {}
      @node('a') b() {}
    }
    const first = definitionError(() => new Loop());
    expect(first.code).toBe('CYCLE');
    expect(first.message).toContain('Loop');
    expect(definitionError(() => new Loop())).toBe(first);

    class Typo extends Dag {
      @node() moonUrl() {}
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node('moonUrll') moonEvent() {}
    }
    const typo = definitionError(() => new Typo());
    expect(typo.code).toBe('UNKNOWN_DEPENDENCY');
    expect(typo.message).toContain('Did you mean "moonUrl"?');
  });

  it('rejects @node on a field, a static or a #private method', () => {
    class OnField extends Dag {
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node() value = 1;
    }
    class OnStatic extends Dag {
      @(node() as any) static build() {}
    }
    class OnPrivate extends Dag {
      // eslint-disable-next-line no-unused-private-class-members -- only the decorator's refusal matters
      @(node() as any) #hidden() {}
    }
    expect(definitionError(() => new OnField()).message).toContain('which is a field, not a method');
    expect(definitionError(() => new OnStatic()).message).toContain('static');
    expect(definitionError(() => new OnPrivate()).message).toContain('#private');
  });

  it('rejects a member named like an Object.prototype member as soon as the decorator runs', () => {
    const error = definitionError(() => {
      class Bad extends Dag {
        @node() override hasOwnProperty() {
          return true;
        }
      }
      return Bad;
    });
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('"hasOwnProperty"');
  });

  it('rejects @immediate with dependencies at the first new', () => {
    class Flow extends Dag {
      @immediate one() {
        return 1;
      }
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @immediate('one') two() {
        return 2;
      }
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('no dependencies');
  });
});
