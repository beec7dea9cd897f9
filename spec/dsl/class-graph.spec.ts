import { Dag, DagDefinitionError, graphOf, immediate, node, TaskGraph, buildDag } from 'async-dag';
import { classGraphOf, isDagClass } from '../../lib/dsl/class-graph';

function definitionError(run: () => unknown): DagDefinitionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DagDefinitionError);
    return error as DagDefinitionError;
  }
  throw new Error('expected a DagDefinitionError');
}

class Seed extends Dag<number> {
  @node() async fastTaskA(n: number) {
    return n + 1;
  }
  @node('fastTaskA') async slowTaskB(n: number) {
    return n + 1;
  }
  @node() async slowTaskA(n: number) {
    return n + 1;
  }
  @node() async fastTaskB(n: number) {
    return n + 1;
  }
  @node('slowTaskA', 'fastTaskB') async fastTaskC(a: number, b: number) {
    return a + b;
  }
  @node('fastTaskC', 'slowTaskB') async endTask(a: number, b: number) {
    return a + b;
  }
}

describe('the graph of a class', () => {
  it('is built once per class and shared by every instance', () => {
    const a = new Seed();
    const b = new Seed();
    expect(classGraphOf(a)).toBe(classGraphOf(b));
    expect(classGraphOf(Seed)).toBe(classGraphOf(a));
    expect(Object.isFrozen(classGraphOf(Seed))).toBe(true);
  });

  it('lists nodes in declaration order, with dependencies by name', () => {
    const view = graphOf(Seed);
    expect(view.owner).toBe('Seed');
    expect(view.nodes.map((n) => [n.name, n.dependencies])).toEqual([
      ['fastTaskA', []],
      ['slowTaskB', ['fastTaskA']],
      ['slowTaskA', []],
      ['fastTaskB', []],
      ['fastTaskC', ['slowTaskA', 'fastTaskB']],
      ['endTask', ['fastTaskC', 'slowTaskB']],
    ]);
  });

  it('is drawn by graphOf for the class and for an instance, as the seed draws it', () => {
    const mermaid = graphOf(new Seed()).toMermaid();
    expect(mermaid).toBe(graphOf(Seed).toMermaid());
    for (const edge of [
      'fastTaskA --> slowTaskB',
      'slowTaskB --> endTask',
      'slowTaskA --> fastTaskC',
      'fastTaskB --> fastTaskC',
      'fastTaskC --> endTask',
    ]) {
      expect(mermaid).toContain(`    ${edge}\n`);
    }
    expect(mermaid.startsWith('graph TD\n')).toBe(true);
  });

  it('graphOf still accepts a TaskGraph and rejects anything else with a TypeError', () => {
    const dag: TaskGraph<void> = buildDag((tm) => {
      tm.addNode(() => 1);
    });
    expect(graphOf(dag).owner).toBe('buildDag');
    expect(() => graphOf({})).toThrow(TypeError);
    expect(() => graphOf(class Plain {})).toThrow('Expected a TaskGraph, a Dag subclass or a Dag instance');
  });

  it('isDagClass recognises Dag subclasses and decorated classes without scanning them', () => {
    class Decorated {
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node('missing') a() {}
    }
    class Empty extends Dag {}
    expect(isDagClass(Seed)).toBe(true);
    expect(isDagClass(Empty)).toBe(true);
    expect(isDagClass(Decorated)).toBe(true);
    expect(isDagClass(class Plain {})).toBe(false);
    expect(isDagClass(new Seed())).toBe(false);
    expect(isDagClass(undefined)).toBe(false);
    expect(() => classGraphOf(class Plain {})).toThrow(TypeError);
  });

  it('of a Dag subclass without nodes is empty and runs', async () => {
    class Empty extends Dag {}
    const result = await new Empty().invoke();
    expect(result.trace.nodes).toEqual([]);
  });
});

describe('definition errors', () => {
  it('report a cycle with its path, from the first new and from every later new', () => {
    class Loop extends Dag {
      @node() start() {}
      @node('start', 'c') a() {}
      @node('a') b() {}
      @node('b') c() {}
    }
    const first = definitionError(() => new Loop());
    expect(first.code).toBe('CYCLE');
    expect(first.message).toContain('Loop');
    expect(first.message).toMatch(/a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c/);
    const again = definitionError(() => new Loop());
    expect(again).toBe(first);
    expect(() => graphOf(Loop)).toThrow(first);
  });

  it('report a node that depends on itself', () => {
    class Self extends Dag {
      @node('a') a() {}
    }
    const error = definitionError(() => new Self());
    expect(error.code).toBe('CYCLE');
    expect(error.message).toContain('a -> a');
  });

  it('name the member and the missing dependency, with a suggestion when one is close', () => {
    class Flow extends Dag {
      @node() moonUrl() {}
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node('moonUrll') moonEvent() {}
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('UNKNOWN_DEPENDENCY');
    expect(error.message).toContain('Flow');
    expect(error.message).toContain('"moonEvent"');
    expect(error.message).toContain('"moonUrll"');
    expect(error.message).toContain('Did you mean "moonUrl"?');
  });

  it('list the known nodes when no name is close', () => {
    class Flow extends Dag {
      @node() alpha() {}
      // @ts-expect-error: the compiler rejects it too; this pins the run-time check
      @node('zzz') beta() {}
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('UNKNOWN_DEPENDENCY');
    expect(error.message).not.toContain('Did you mean');
    expect(error.message).toContain('alpha, beta');
  });

  it('explain a dependency on a member that is not decorated', () => {
    class Flow extends Dag {
      helper() {
        return 1;
      }
      @node('helper') user() {}
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('UNKNOWN_DEPENDENCY');
    expect(error.message).toContain('"helper"');
    expect(error.message).toContain('Decorate "helper" with @node(...) or @immediate');
  });

  it('reject @node on a field, a getter or a static method', () => {
    class OnField extends Dag {
      @(node() as any) value = 1;
    }
    class OnGetter extends Dag {
      @(node() as any) get value() {
        return 1;
      }
    }
    class OnStatic extends Dag {
      @(node() as any) static build() {}
    }
    const field = definitionError(() => new OnField());
    expect([field.code, field.message]).toEqual([
      'INVALID_NODE',
      expect.stringContaining('"value", which is a field, not a method'),
    ]);
    const getter = definitionError(() => new OnGetter());
    expect([getter.code, getter.message]).toEqual([
      'INVALID_NODE',
      expect.stringContaining('which is a getter, not a method'),
    ]);
    const staticMethod = definitionError(() => new OnStatic());
    expect([staticMethod.code, staticMethod.message]).toEqual(['INVALID_NODE', expect.stringContaining('static')]);
  });

  it('reject a member decorated twice', () => {
    class Twice extends Dag {
      @node()
      @immediate
      a() {}
    }
    const error = definitionError(() => new Twice());
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('decorated twice');
  });

  it('reject a node that would replace Dag.invoke', () => {
    class Replacing extends Dag {
      // @ts-expect-error: replacing invoke does not type-check either
      @(node() as any) invoke() {}
    }
    const error = definitionError(() => new Replacing());
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('"invoke"');
  });

  it('reject dependencies that are not names, and options that are not last', () => {
    class Flow extends Dag {
      @node() a() {}
      @((node as any)({ timeout: 5 }, 'a')) b() {}
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('Options go last');
  });

  it.each([
    [{ timeout: -1 }, 'timeout'],
    [{ retry: 1.5 }, 'retry'],
    [{ priority: Number.NaN }, 'priority'],
    [{ retries: 2 }, 'unknown option `retries`'],
  ])('reject bad node options %j with INVALID_OPTION', (options, text) => {
    class Flow extends Dag {
      @node() a() {}
      @node('a', options as object) b() {}
    }
    const error = definitionError(() => new Flow());
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('Flow');
    expect(error.message).toContain('"b"');
    expect(error.message).toContain(text);
  });

  it('keep node options on the graph', () => {
    class Flow extends Dag {
      @node() a() {}
      @node('a', { timeout: 2_000, retry: 2, priority: 3 }) b() {}
    }
    const b = graphOf(Flow).nodes[1]!;
    expect(b.options).toMatchObject({ timeout: 2_000, retry: { retries: 2 }, priority: 3 });
  });
});

describe('the cost of invoking', () => {
  it('reads no metadata after the first new: later instances and invocations reuse the cached graph', async () => {
    class Flow extends Dag<number> {
      @immediate input(n: number) {
        return n;
      }
      @node('input') double(n: number) {
        return n * 2;
      }
    }
    const first = new Flow();
    const reads = jest.spyOn(Reflect, 'getOwnMetadata');
    try {
      const second = new Flow();
      const results = await Promise.all([first.invoke(1), second.invoke(2), first.invoke(3)]);
      expect(results.map((result) => result.get('double'))).toEqual([2, 4, 6]);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });
});
