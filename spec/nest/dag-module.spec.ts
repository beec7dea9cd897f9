import { Inject, Injectable, Logger, Module, Scope } from '@nestjs/common';
import { ContextIdFactory, REQUEST } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { Dag, DagDefinitionError, DagError, NodeFailedError, node, type DagObserver } from 'async-dag';
import { DAG_MODULE_OPTIONS, DagModule, type DagModuleOptions } from 'async-dag/nest';
import { dagMatchers } from 'async-dag/testing';

expect.extend(dagMatchers);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

/** Two roots that each take 20 ms, a combining node, and a node that fails when asked to. */
@Injectable()
class GreetingFlow extends Dag<{ name: string; fail?: boolean }> {
  constructor(private readonly greeter: Greeter) {
    super();
  }

  @node() async first(p: { name: string }) {
    await sleep(20);
    return this.greeter.greet(p.name);
  }

  @node() async second() {
    await sleep(20);
    return '!';
  }

  @node('first', 'second') both(a: string, b: string) {
    return a + b;
  }

  @node() maybeFail(p: { fail?: boolean }) {
    if (p.fail === true) throw new Error('asked to fail');
    return 'fine';
  }
}

async function boot(
  options: DagModuleOptions | undefined,
  providers: any[] = [Greeter, GreetingFlow],
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [DagModule.forRoot(options)], providers }).compile();
  await moduleRef.init();
  return moduleRef;
}

const opened: TestingModule[] = [];
async function open(options?: DagModuleOptions, providers?: any[]): Promise<TestingModule> {
  const moduleRef = await boot(options, providers);
  opened.push(moduleRef);
  return moduleRef;
}
afterEach(async () => {
  for (const moduleRef of opened.splice(0)) await moduleRef.close();
  jest.restoreAllMocks();
});

describe('DagModule: flows as providers', () => {
  it('injects services through the constructor of a Dag subclass', async () => {
    const moduleRef = await open();
    const result = await moduleRef.get(GreetingFlow).invoke({ name: 'Ada' });
    expect(result.get('both')).toBe('hello Ada!');
    expect(result).toHaveRunConcurrently('first', 'second');
  });

  it('runs request-scoped flows, one instance per request, with the request injected', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class RequestFlow extends Dag<void> {
      constructor(
        @Inject(REQUEST) private readonly request: { id: string },
        private readonly greeter: Greeter,
      ) {
        super();
      }
      @node() who() {
        return this.greeter.greet(this.request.id);
      }
    }
    const moduleRef = await open({ defaults: { failFast: false } }, [Greeter, RequestFlow]);
    const flows = await Promise.all(
      ['r1', 'r2'].map((id) => {
        const contextId = ContextIdFactory.create();
        moduleRef.registerRequestByContextId({ id }, contextId);
        return moduleRef.resolve(RequestFlow, contextId);
      }),
    );
    expect(flows[0]).not.toBe(flows[1]);
    const results = await Promise.all(flows.map((flow) => flow.invoke()));
    expect(results.map((result) => result.get('who'))).toEqual(['hello r1', 'hello r2']);
  });
});

describe('DagModule: validation at start-up', () => {
  it('fails init() with the DagDefinitionError of a broken request-scoped flow, naming the provider', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class CyclicFlow extends Dag<void> {
      @node('b') a(x: number) {
        return x;
      }
      @node('a') b(x: number) {
        return x;
      }
    }
    @Module({ providers: [CyclicFlow] })
    class FlowsModule {}

    // Request-scoped: nothing builds it while the module compiles, so init() is what catches it.
    const moduleRef = await Test.createTestingModule({ imports: [DagModule.forRoot(), FlowsModule] }).compile();
    const error = await moduleRef.init().then(
      () => undefined,
      (e: unknown) => e,
    );
    // close() awaits the failed initialisation, so it rejects with the same error.
    await expect(moduleRef.close()).rejects.toBe(error);
    expect(error).toBeInstanceOf(DagDefinitionError);
    expect(error).toMatchObject({ code: 'CYCLE' });
    const { message, cause } = error as DagDefinitionError;
    expect(message).toMatch(
      /^Provider CyclicFlow in FlowsModule is not a valid flow\. CyclicFlow: the dependencies form a cycle: /,
    );
    expect(message).toMatch(/a -> b -> a|b -> a -> b/);
    expect(cause).toBeInstanceOf(DagDefinitionError);
  });

  it('fails to boot with the DagDefinitionError of a broken singleton flow', async () => {
    @Injectable()
    class UnknownDependencyFlow extends Dag<void> {
      @node() user() {
        return 1;
      }
      // @ts-expect-error 'usr' is not a member: a type error too
      @node('usr') profile(user: number) {
        return user;
      }
    }
    const error = await boot(undefined, [UnknownDependencyFlow]).then(
      (moduleRef) => moduleRef.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DagDefinitionError);
    expect(error).toMatchObject({
      code: 'UNKNOWN_DEPENDENCY',
      message: expect.stringContaining('UnknownDependencyFlow'),
    });
  });

  it('fails the boot naming the class and @Injectable() when Nest would not inject its constructor', async () => {
    // No class decorator and no @Inject: TypeScript emits no constructor types, Nest passes nothing.
    class ForgotInjectable extends Dag<void> {
      constructor(readonly greeter: Greeter) {
        super();
      }
      @node() hello() {
        return this.greeter.greet('x');
      }
    }
    const error = await boot(undefined, [Greeter, ForgotInjectable]).then(
      (moduleRef) => moduleRef.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DagError);
    expect(error).toMatchObject({ code: 'NOT_INJECTABLE' });
    expect((error as Error).message).toBe(
      'Provider ForgotInjectable in RootTestModule: the constructor of ForgotInjectable declares 1 parameter, ' +
        'but Nest would inject none, ' +
        'so its services would be undefined. Decorate the class with @Injectable() (the decorator that makes ' +
        "TypeScript emit its constructor's types), or name each dependency with @Inject(Token) (needed when the " +
        'compiler emits no decorator metadata: tsx, esbuild, Vite).',
    );
  });

  it('accepts a flow without @Injectable() whose dependencies are all named with @Inject', async () => {
    class NamedDependencies extends Dag<void> {
      constructor(@Inject(Greeter) readonly greeter: Greeter) {
        super();
      }
      @node() hello() {
        return this.greeter.greet('x');
      }
    }
    const moduleRef = await open(undefined, [Greeter, NamedDependencies]);
    expect((await moduleRef.get(NamedDependencies).invoke()).get('hello')).toBe('hello x');
  });

  it('finds flows given as values and made by factories, and ignores other providers', async () => {
    @Injectable()
    class OtherFlow extends Dag<void> {
      @node() one() {
        return 1;
      }
    }
    const moduleRef = await open({ defaults: { failFast: false } }, [
      Greeter,
      { provide: 'greeting', useFactory: (greeter: Greeter) => new GreetingFlow(greeter), inject: [Greeter] },
      { provide: 'other', useValue: new OtherFlow() },
      { provide: 'plain', useValue: { invoke: 'not a flow' } },
    ]);
    // The defaults (settle mode) reached both classes.
    const flow = moduleRef.get<GreetingFlow>('greeting');
    const result = await flow.invoke({ name: 'x', fail: true });
    expect(result).toHaveRejected('maybeFail', 'asked to fail');
  });
});

describe('DagModule: defaults', () => {
  it('applies the defaults to every invoke, and the options of one invoke override them', async () => {
    const moduleRef = await open({ defaults: { failFast: false, concurrency: 1 } });
    const flow = moduleRef.get(GreetingFlow);
    const settled = await flow.invoke({ name: 'Ada', fail: true });
    expect(settled).toHaveRejected('maybeFail');
    expect(settled).toHaveFulfilled('both');
    expect(settled).not.toHaveRunConcurrently('first', 'second');

    await expect(flow.invoke({ name: 'Ada', fail: true }, { failFast: true })).rejects.toBeInstanceOf(NodeFailedError);
    const unlimited = await flow.invoke({ name: 'Ada' }, { concurrency: Infinity });
    expect(unlimited).toHaveRunConcurrently('first', 'second');
  });

  it("applies the defaults before any other module's onModuleInit runs", async () => {
    let seen: unknown;
    @Injectable()
    class WarmUp {
      constructor(private readonly flow: GreetingFlow) {}
      async onModuleInit() {
        // Settle mode comes from the defaults: the failing node does not reject the run.
        seen = (await this.flow.invoke({ name: 'x', fail: true })).status('maybeFail');
      }
    }
    await open({ defaults: { failFast: false } }, [Greeter, GreetingFlow, WarmUp]);
    expect(seen).toBe('rejected');
  });

  it('takes its defaults away when the app closes', async () => {
    const moduleRef = await boot({ defaults: { failFast: false } });
    await moduleRef.close();
    await expect(new GreetingFlow(new Greeter()).invoke({ name: 'x', fail: true })).rejects.toBeInstanceOf(
      NodeFailedError,
    );
  });

  it('forRootAsync makes the options with a factory that uses injected providers', async () => {
    @Module({ providers: [{ provide: 'SETTLE', useValue: true }], exports: ['SETTLE'] })
    class ConfigModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        DagModule.forRootAsync({
          imports: [ConfigModule],
          inject: ['SETTLE'],
          useFactory: async (settle: boolean) => ({ defaults: { failFast: !settle } }),
        }),
      ],
      providers: [Greeter, GreetingFlow],
    }).compile();
    await moduleRef.init();
    opened.push(moduleRef);
    expect(moduleRef.get(DAG_MODULE_OPTIONS)).toEqual({ defaults: { failFast: false } });
    const result = await moduleRef.get(GreetingFlow).invoke({ name: 'x', fail: true });
    expect(result).toHaveRejected('maybeFail');
  });

  it('is global: a provider of any module can inject its options', async () => {
    @Injectable()
    class NeedsOptions {
      constructor(@Inject(DAG_MODULE_OPTIONS) readonly options: DagModuleOptions) {}
    }
    @Module({ providers: [NeedsOptions] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [DagModule.forRoot({ logger: false }), FeatureModule],
    }).compile();
    opened.push(moduleRef);
    expect(moduleRef.get(NeedsOptions).options).toEqual({ logger: false });
  });
});

describe('DagModule: logger', () => {
  function spyLogger() {
    const lines: string[] = [];
    for (const level of ['log', 'debug', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level as 'log').mockImplementation(function (this: unknown, message: unknown) {
        lines.push(`${level} [${(this as { context?: string }).context}] ${String(message)}`);
      });
    }
    return lines;
  }

  it('logs each run in the context of the flow class', async () => {
    const lines = spyLogger();
    const moduleRef = await open({ logger: true });
    await moduleRef.get(GreetingFlow).invoke({ name: 'Ada' }, { runId: 'greet-1' });
    const flowLines = lines.filter((line) => line.includes('[GreetingFlow]'));
    expect(flowLines[0]).toBe('log [GreetingFlow] run greet-1 started (4 nodes)');
    expect(flowLines).toContainEqual(
      expect.stringMatching(/^debug \[GreetingFlow\] run greet-1: node "both" fulfilled in [\d.]+ ms$/),
    );
    expect(flowLines.at(-1)).toMatch(/^log \[GreetingFlow\] run greet-1 fulfilled in [\d.]+ ms$/);
  });

  it('logs a failure once, at error, beside an observer given in the defaults', async () => {
    const lines = spyLogger();
    const seen: string[] = [];
    const observer: DagObserver = { onRunEnd: ({ status }) => void seen.push(status) };
    const moduleRef = await open({ logger: true, defaults: { observer } });
    const flow = moduleRef.get(GreetingFlow);
    await expect(flow.invoke({ name: 'Ada', fail: true }, { runId: 'r-9' })).rejects.toThrow('asked to fail');
    const flowLines = lines.filter((line) => line.includes('[GreetingFlow]'));
    expect(flowLines.filter((line) => line.startsWith('error'))).toEqual([
      expect.stringMatching(/^error \[GreetingFlow\] run r-9: node "maybeFail" rejected in [\d.]+ ms: asked to fail$/),
    ]);
    expect(flowLines.at(-1)).toMatch(/^log \[GreetingFlow\] run r-9 rejected in [\d.]+ ms: node "maybeFail" failed$/);
    expect(seen).toEqual(['rejected']);
  });

  it("keeps the logger when one invoke is given its own observer, which replaces the defaults' one", async () => {
    const lines = spyLogger();
    const seen: string[] = [];
    const moduleRef = await open({
      logger: true,
      defaults: { observer: { onRunEnd: () => void seen.push('default') } },
    });
    const own: string[] = [];
    await moduleRef
      .get(GreetingFlow)
      .invoke({ name: 'Ada' }, { observer: { onRunEnd: ({ status }) => void own.push(status) }, runId: 'own' });
    expect(own).toEqual(['fulfilled']);
    expect(seen).toEqual([]);
    const flowLines = lines.filter((line) => line.includes('[GreetingFlow]'));
    expect(flowLines[0]).toBe('log [GreetingFlow] run own started (4 nodes)');
    expect(flowLines.at(-1)).toMatch(/^log \[GreetingFlow\] run own fulfilled in [\d.]+ ms$/);
  });

  it('shows the run id in every line, so that concurrent requests can be told apart', async () => {
    const lines = spyLogger();
    const moduleRef = await open({ logger: true });
    const flow = moduleRef.get(GreetingFlow);
    await Promise.all([flow.invoke({ name: 'Ada' }), flow.invoke({ name: 'Grace' }, { runId: 'req-2' })]);
    const flowLines = lines.filter((line) => line.includes('[GreetingFlow]'));
    const ids = flowLines.map((line) => /^\w+ \[GreetingFlow\] run ([^\s:]+)/.exec(line)?.[1]);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    const distinct = [...new Set(ids)];
    expect(distinct).toHaveLength(2);
    expect(distinct).toContain('req-2');
    // Each run: its start, four nodes, its end.
    for (const id of distinct) expect(ids.filter((x) => x === id)).toHaveLength(6);
  });
});

describe('DagModule: options', () => {
  it('rejects bad options with a TypeError that says what was expected', () => {
    expect(() => DagModule.forRoot({ logger: 'yes' } as never)).toThrow(
      'Expected `logger` to be a boolean, got `"yes"` (string)',
    );
    expect(() => DagModule.forRoot({ default: {} } as never)).toThrow(
      'Unknown DagModule option `default`. Known options: defaults, logger, workers.',
    );
    expect(() => DagModule.forRoot(null as never)).toThrow(TypeError);
    expect(() => DagModule.forRootAsync({} as never)).toThrow(
      'Expected `options.useFactory` to be a function, got `undefined` (undefined)',
    );
  });

  it('fails the boot with a TypeError when the async factory makes bad options', async () => {
    const compiling = Test.createTestingModule({
      imports: [DagModule.forRootAsync({ useFactory: async () => ({ defaults: { concurrency: 0 } }) })],
    }).compile();
    await expect(compiling).rejects.toThrow('Expected `concurrency` to be an integer from 1 and up, got `0` (number)');
  });
});
