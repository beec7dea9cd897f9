// Compile-time checks of the builder. `npm run typecheck` compiles this file: every
// `@ts-expect-error` line must be an error and every other line must compile. Jest runs it too
// (transpile-only), which builds the graphs and runs one of them.
import { expectTypeOf } from 'expect-type';
import {
  buildDag,
  NodeFailedError,
  type DagBuilder,
  type ExecutionResult,
  type NodeContext,
  type TaskGraph,
  type TaskNode,
} from 'async-dag';

interface User {
  id: number;
  name: string;
}

const fetchUser = async (id: number): Promise<User> => ({ id, name: `user ${id}` });
const countLetters = (user: User): number => user.name.length;

describe('builder types', () => {
  it('types each TaskNode with the awaited return type of its function', async () => {
    let user!: TaskNode<User>;
    let letters!: TaskNode<number>;
    const dag = buildDag<number>((tm) => {
      expectTypeOf(tm).toEqualTypeOf<DagBuilder<number>>();
      user = tm.addNode(fetchUser);
      letters = tm.addNode(countLetters, user);
      expectTypeOf(user).toEqualTypeOf<TaskNode<User>>();
      expectTypeOf(letters).toEqualTypeOf<TaskNode<number>>();
      expectTypeOf(tm.addNode(() => 'sync')).toEqualTypeOf<TaskNode<string>>();
      expectTypeOf(tm.addImmediateNode(Promise.resolve(true))).toEqualTypeOf<TaskNode<boolean>>();
      expectTypeOf(tm.params).toEqualTypeOf<TaskNode<number>>();
    });
    expectTypeOf(dag).toEqualTypeOf<TaskGraph<number>>();
    const result = await dag.invoke(7);
    expectTypeOf(result).toEqualTypeOf<ExecutionResult>();
    expectTypeOf(user.extractResult(result)).toEqualTypeOf<User>();
    expectTypeOf(result.get(letters)).toEqualTypeOf<number>();
    expectTypeOf(result.get('countLetters')).toEqualTypeOf<unknown>();
    expect(user.extractResult(result)).toEqual({ id: 7, name: 'user 7' });
    expect(result.get(letters)).toBe(6);
  });

  it('checks the parameters of a function against its dependencies, then params, then ctx', () => {
    buildDag<string>((tm) => {
      const user = tm.addNode(async () => ({ id: 1, name: 'a' }));
      const n = tm.addNode(() => 1);
      tm.addNode(
        (u: User, count: number, p: string, ctx: NodeContext) => `${u.name}${count}${p}${ctx.attempt}`,
        user,
        n,
      );
      // Fewer parameters than values given is fine.
      tm.addNode(() => 0, user, n);
      tm.addNode((u: User) => u.id, user, n);
      // @ts-expect-error the first dependency is a User, not a string
      tm.addNode((s: string) => s, user);
      // @ts-expect-error the dependencies come in declared order
      tm.addNode((count: number, u: User) => count + u.id, user, n);
      // @ts-expect-error params is a string here
      tm.addNode((u: User, p: number) => u.id + p, user);
      // @ts-expect-error ctx is a NodeContext
      tm.addNode((u: User, p: string, ctx: string) => ctx + p + u.name, user);
      // @ts-expect-error more parameters than dependencies + params + ctx
      tm.addNode((u: User, p: string, ctx: NodeContext, extra: number) => extra + p + ctx.name + u.name, user);
      // @ts-expect-error a function is required
      expect(() => tm.addNode('not a function')).toThrow(/expects a function/);
    });
  });

  it('types plain values given as dependencies by their awaited type', () => {
    buildDag((tm) => {
      expectTypeOf(tm.addNode((a: number, b: string) => a + b, 1, Promise.resolve('x'))).toEqualTypeOf<
        TaskNode<string>
      >();
      // @ts-expect-error 5 is not a string
      tm.addNode((s: string) => s, 5);
    });
  });

  it('accepts a spread array of TaskNodes, as graphs built in loops have', () => {
    buildDag((tm) => {
      const parts: TaskNode<number>[] = [];
      for (let i = 0; i < 3; i++) parts.push(tm.addNode(() => i));
      expectTypeOf(tm.addNode((...values: number[]) => values.length, ...parts)).toEqualTypeOf<TaskNode<number>>();
      tm.addNode((first: number) => first, ...parts);
      // @ts-expect-error the values are numbers
      tm.addNode((...values: string[]) => values.join(), ...parts);
      const first = parts[0]!;
      tm.addNode((a: number, ...rest: number[]) => a + rest.length, first, ...parts);
    });
  });

  it('lets invoke() take no argument when P is void, and requires params otherwise', async () => {
    const noParams = buildDag((tm) => void tm.addNode(() => 1));
    expectTypeOf(noParams).toEqualTypeOf<TaskGraph<void>>();
    await noParams.invoke();
    await noParams.invoke(undefined, { concurrency: 2, failFast: false });
    const needsParams = buildDag<{ id: number }>((tm) => void tm.addNode((p: { id: number }) => p.id));
    // @ts-expect-error params are required
    void needsParams.invoke().catch(() => undefined);
    // @ts-expect-error params have the declared type
    void needsParams.invoke({ id: 'x' }).catch(() => undefined);
    // @ts-expect-error unknown invocation options are refused
    void needsParams.invoke({ id: 1 }, { concurency: 2 }).catch(() => undefined);
  });

  it('types per-node options given with tm.with', () => {
    buildDag<number>((tm) => {
      const a = tm
        .with({
          name: 'a',
          timeout: 1_000,
          retry: { retries: 2, delay: (attempt) => attempt * 10, when: (e) => e instanceof Error },
        })
        .addNode((p: number) => p);
      expectTypeOf(a).toEqualTypeOf<TaskNode<number>>();
      tm.with({ priority: 2 }).addNode((x: number) => x, a);
      // @ts-expect-error the dependency is a number
      tm.with({ retry: 1 }).addNode((s: string) => s, a);
      // @ts-expect-error timeout is a number of milliseconds
      tm.with({ timeout: '1s' });
    });
  });

  it('types the errors a run rejects with', () => {
    expectTypeOf<NodeFailedError['node']>().toEqualTypeOf<string>();
    expectTypeOf<NodeFailedError['partial']>().toEqualTypeOf<ExecutionResult>();
    expectTypeOf<NodeFailedError['code']>().toEqualTypeOf<'NODE_FAILED'>();
  });
});
