import { buildDag, DagBuilder, DagDefinitionError, DagError, TaskGraph, TaskNode } from 'async-dag';

function definitionError(fn: () => unknown): DagDefinitionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DagDefinitionError);
    expect(error).toBeInstanceOf(DagError);
    return error as DagDefinitionError;
  }
  throw new Error('expected a DagDefinitionError, nothing was thrown');
}

describe('buildDag', () => {
  it('returns a TaskGraph and hands define a DagBuilder', () => {
    let builder: unknown;
    const dag = buildDag((tm) => {
      builder = tm;
    });
    expect(dag).toBeInstanceOf(TaskGraph);
    expect(builder).toBeInstanceOf(DagBuilder);
  });

  it('seals the builder when it returns: addNode then throws SEALED', () => {
    let escaped!: DagBuilder<void>;
    buildDag((tm) => {
      escaped = tm;
      tm.addNode(() => 1);
    });
    const error = definitionError(() => escaped.addNode(() => 2));
    expect(error.code).toBe('SEALED');
    expect(error.message).toMatch(/buildDag\(\)/);
    expect(definitionError(() => escaped.addImmediateNode(1)).code).toBe('SEALED');
    expect(definitionError(() => escaped.params).code).toBe('SEALED');
    expect(definitionError(() => escaped.with({ retry: 1 })).code).toBe('SEALED');
  });

  it('seals an adder made by with() too', () => {
    let adder!: ReturnType<DagBuilder<void>['with']>;
    buildDag((tm) => {
      adder = tm.with({ name: 'later' });
    });
    expect(definitionError(() => adder.addNode(() => 1)).code).toBe('SEALED');
  });

  it('seals the builder when define throws, and lets the error through', () => {
    let escaped!: DagBuilder<void>;
    const mine = new Error('mine');
    expect(() =>
      buildDag((tm) => {
        escaped = tm;
        throw mine;
      }),
    ).toThrow(mine);
    expect(definitionError(() => escaped.addNode(() => 1)).code).toBe('SEALED');
  });

  it('rejects a define that returns a promise with a TypeError', () => {
    let escaped!: DagBuilder<void>;
    expect(() =>
      buildDag((async (tm: DagBuilder<void>) => {
        escaped = tm;
        throw new Error('absorbed');
      }) as unknown as (tm: DagBuilder<void>) => void),
    ).toThrow(/synchronously/);
    expect(definitionError(() => escaped.addNode(() => 1)).code).toBe('SEALED');
  });

  it('rejects a define that is not a function with a TypeError', () => {
    expect(() => buildDag(5 as never)).toThrow(
      new TypeError('Expected `define` to be a function that adds nodes, got `5` (number)'),
    );
  });

  it('throws FOREIGN_NODE for a TaskNode of another builder, naming both nodes', () => {
    let outsider!: TaskNode<number>;
    buildDag((tm) => {
      outsider = tm.addNode(function outsider() {
        return 1;
      });
    });
    const error = definitionError(() =>
      buildDag(
        (tm) =>
          void tm.addNode(function insider(n: number) {
            return n;
          }, outsider),
      ),
    );
    expect(error.code).toBe('FOREIGN_NODE');
    expect(error.message).toMatch(/"insider".*"outsider"/);
  });

  it('throws FOREIGN_NODE for a TaskNode of a builder still open', () => {
    const error = definitionError(() =>
      buildDag((outer) => {
        const mine = outer.addNode(() => 1);
        buildDag((inner) => void inner.addNode((n: number) => n, mine));
      }),
    );
    expect(error.code).toBe('FOREIGN_NODE');
  });

  it('leaves the builder unchanged when addNode throws', async () => {
    let outsider!: TaskNode<number>;
    buildDag((tm) => {
      outsider = tm.addNode(() => 1);
    });
    const dag = buildDag((tm) => {
      expect(() => tm.addNode((a: number, b: number) => a + b, 5, outsider)).toThrow(DagDefinitionError);
      expect(() => tm.with({ timeout: -1 }).addNode((a: number) => a, 5)).toThrow(DagDefinitionError);
      tm.addNode(() => 'only');
    });
    const result = await dag.invoke();
    expect(result.trace.nodes.map((n) => n.name)).toEqual(['node_0']);
  });

  it('throws INVALID_NODE when addNode is given something that is not a function', () => {
    const error = definitionError(() => buildDag((tm) => void tm.addNode('nope' as never)));
    expect(error.code).toBe('INVALID_NODE');
    expect(error.message).toContain('`"nope"` (string)');
  });
});

describe('node names', () => {
  it("default to the function's name, made unique with a numeric suffix", () => {
    const names: string[] = [];
    function inc(n: number) {
      return n + 1;
    }
    buildDag<number>((tm) => {
      const a = tm.addNode(inc);
      const b = tm.addNode(inc, a);
      const c = tm.addNode(inc, b);
      names.push(a.name, b.name, c.name);
    });
    expect(names).toEqual(['inc', 'inc_2', 'inc_3']);
  });

  it('name an anonymous function node_<index>, its index in the graph', async () => {
    let nodes!: TaskNode<unknown>[];
    const dag = buildDag((tm) => {
      const a = tm.addNode(() => 1); // 0
      const value = tm.addImmediateNode('v'); // 1
      const b = tm.addNode((x: number, s: string) => s + x, a, value); // 2
      const c = tm.addNode((x: number, y: number) => x + y, a, 41); // the immediate 41 is 3, this node 4
      nodes = [a, value, b, c];
    });
    expect(nodes.map((n) => n.name)).toEqual(['node_0', 'immediate_1', 'node_2', 'node_4']);
    const result = await dag.invoke();
    expect(result.trace.nodes.map((n) => n.name)).toEqual(['node_0', 'immediate_1', 'node_2', 'immediate_3', 'node_4']);
    expect(result.get('node_4')).toBe(42);
  });

  it('stay cheap when one function is added many times, stepping around names already taken', () => {
    function inc(n: number) {
      return n + 1;
    }
    const names: string[] = [];
    const t0 = performance.now();
    buildDag<number>((tm) => {
      tm.with({ name: 'inc_3' }).addNode(() => 0);
      let previous = tm.addNode(inc);
      names.push(previous.name);
      for (let i = 0; i < 20_000; i++) {
        previous = tm.addNode(inc, previous);
        if (i < 3) names.push(previous.name);
      }
      names.push(previous.name);
    });
    expect(names).toEqual(['inc', 'inc_2', 'inc_4', 'inc_5', 'inc_20002']);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('keep node_<index> unique when another node took such a name', () => {
    const names: string[] = [];
    buildDag((tm) => {
      names.push(tm.with({ name: 'node_2' }).addNode(() => 0).name);
      names.push(tm.addNode(() => 1).name);
      names.push(tm.addNode(() => 2).name);
      names.push(tm.addNode(function node_3() {}).name);
    });
    expect(names).toEqual(['node_2', 'node_1', 'node_2_2', 'node_3']);
  });

  it('name a function whose name is not a string like an anonymous one', () => {
    class Widget {
      static name(): string {
        return 'a method, not a name';
      }
    }
    const odd = [
      Widget as unknown as () => unknown,
      Object.defineProperty(() => 1, 'name', { value: 42 }),
      Object.defineProperty(() => 2, 'name', { value: undefined }),
      Object.defineProperty(() => 3, 'name', {
        get(): never {
          throw new Error('name getter');
        },
      }),
    ];
    const names: string[] = [];
    buildDag((tm) => {
      for (const fn of odd) names.push(tm.addNode(fn).name);
    });
    expect(names).toEqual(['node_0', 'node_1', 'node_2', 'node_3']);
  });

  it('drop the "bound " prefix of bound functions', () => {
    let name = '';
    function greet(this: { hello: string }) {
      return this.hello;
    }
    buildDag((tm) => {
      name = tm.addNode(greet.bind({ hello: 'hi' })).name;
    });
    expect(name).toBe('greet');
  });

  it('can be given with tm.with({ name })', async () => {
    let node!: TaskNode<number>;
    const dag = buildDag((tm) => {
      node = tm.with({ name: 'answer' }).addNode(() => 42);
    });
    expect(node.name).toBe('answer');
    expect((await dag.invoke()).get('answer')).toBe(42);
  });

  it('make an automatic name step around a given one', () => {
    const names: string[] = [];
    function load() {
      return 1;
    }
    buildDag((tm) => {
      names.push(tm.with({ name: 'load' }).addNode(() => 0).name);
      names.push(tm.addNode(load).name);
    });
    expect(names).toEqual(['load', 'load_2']);
  });

  it('throw DUPLICATE_NODE when a given name is taken', () => {
    function fetchUser() {
      return 1;
    }
    const error = definitionError(() =>
      buildDag((tm) => {
        tm.addNode(fetchUser);
        tm.with({ name: 'fetchUser' }).addNode(() => 2);
      }),
    );
    expect(error.code).toBe('DUPLICATE_NODE');
    expect(error.message).toContain('"fetchUser"');
  });

  it('call the params node "params"', () => {
    let name = '';
    buildDag<number>((tm) => {
      name = tm.params.name;
      expect(tm.params).toBe(tm.params);
    });
    expect(name).toBe('params');
  });
});

describe('immediates', () => {
  it('take charge of a rejected promise given as a value: no unhandled rejection, a failure at each invoke', async () => {
    const refused = new Error('refused');
    const dag = buildDag((tm) => {
      tm.addNode(function uses(x: unknown) {
        return x;
      }, Promise.reject(refused));
      tm.addImmediateNode(Promise.reject(refused));
    });
    // Jest fails this test if either rejection goes unhandled while nobody invokes the graph.
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 2; i++) {
      const result = await dag.invoke(undefined, { failFast: false });
      expect(result.status('uses')).toBe('skipped');
      expect(result.errors).toEqual([
        { node: 'immediate_0', error: refused },
        { node: 'immediate_2', error: refused },
      ]);
    }
  });

  it('hand the same value to every invocation', async () => {
    const shared = { n: 1 };
    const seen: unknown[] = [];
    const dag = buildDag((tm) => void tm.addNode((v: object) => void seen.push(v), tm.addImmediateNode(shared)));
    await dag.invoke();
    await dag.invoke();
    expect(seen).toEqual([shared, shared]);
    expect(seen[0]).toBe(shared);
  });
});

describe('tm.with', () => {
  it('applies its options to the one node it adds', async () => {
    const attempts: number[] = [];
    const dag = buildDag((tm) => {
      tm.with({ name: 'flaky', retry: 1, timeout: 1_000, priority: 3 }).addNode((_: void, ctx: { attempt: number }) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt === 1) throw new Error('once');
        return 'ok';
      });
      tm.addNode(function plain(): number {
        throw new Error('no retry here');
      });
    });
    const result = await dag.invoke(undefined, { failFast: false });
    expect(result.get('flaky')).toBe('ok');
    expect(attempts).toEqual([1, 2]);
    expect(result.trace.nodes.find((n) => n.name === 'plain')!.attempts).toBe(1);
  });

  it('can be reused for several nodes, each with its own default name', () => {
    const names: string[] = [];
    buildDag((tm) => {
      const patient = tm.with({ retry: 2 });
      names.push(patient.addNode(function a() {}).name, patient.addNode(function b() {}).name);
    });
    expect(names).toEqual(['a', 'b']);
  });
});

describe('TaskNode', () => {
  it('reads its value with extractResult or result.get', async () => {
    let node!: TaskNode<string>;
    const dag = buildDag((tm) => {
      node = tm.addNode(async () => 'value');
    });
    const result = await dag.invoke();
    expect(node.extractResult(result)).toBe('value');
    expect(result.get(node)).toBe('value');
  });

  it('takes anything that is not a TaskNode of a builder as a plain value', async () => {
    const lookalike = Object.create(TaskNode.prototype) as TaskNode<number>;
    let got: unknown;
    const dag = buildDag((tm) => {
      tm.addNode((v: unknown) => {
        got = v;
      }, lookalike);
    });
    await dag.invoke();
    expect(got).toBe(lookalike);
  });
});
