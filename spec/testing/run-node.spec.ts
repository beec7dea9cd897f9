import { expectTypeOf } from 'expect-type';
import {
  buildDag,
  Dag,
  DagAbortedError,
  DagError,
  immediate,
  node,
  NodeTimeoutError,
  type NodeContext,
  type TaskNode,
} from 'async-dag';
import { runNode } from 'async-dag/testing';

interface User {
  id: string;
  name: string;
}

class CardFlow extends Dag<{ locale: string }> {
  readonly greeting = 'Hi';
  attempts = 0;

  @immediate prefix() {
    return 'Dr.';
  }

  @node() async user(): Promise<User> {
    throw new Error('the real user service must not be called');
  }

  @node('prefix', 'user') card(prefix: string, user: User, p: { locale: string }, ctx: NodeContext): string {
    return `${this.greeting} ${prefix} ${user.name} [${p.locale}] (${ctx.name}, attempt ${ctx.attempt})`;
  }

  @node('user', { retry: 2 }) flaky(user: User): string {
    this.attempts++;
    if (this.attempts < 3) throw new Error(`not yet (${this.attempts})`);
    return user.id;
  }

  @node('user', { timeout: 10 }) async slow(_user: User, _p: unknown, ctx: NodeContext): Promise<string> {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    return 'late';
  }

  @node('user', 'user') twice(a: User, b: User): boolean {
    return a === b;
  }
}

describe('runNode', () => {
  it('runs one node with the dependency values and params given, on the instance', async () => {
    const flow = new CardFlow();
    const card = await runNode(flow, 'card', { deps: ['Prof.', { id: 'u1', name: 'Ada' }], params: { locale: 'en' } });
    expect(card).toBe('Hi Prof. Ada [en] (card, attempt 1)');
    expectTypeOf(card).toEqualTypeOf<string>();
  });

  it('awaits a promise given as a dependency value', async () => {
    const card = await runNode(new CardFlow(), 'card', {
      deps: ['Dr.', Promise.resolve({ id: 'u1', name: 'Bo' })],
      params: { locale: 'fr' },
    });
    expect(card).toBe('Hi Dr. Bo [fr] (card, attempt 1)');
  });

  it('retries the node as its options say', async () => {
    const flow = new CardFlow();
    await expect(runNode(flow, 'flaky', { deps: [{ id: 'u9', name: 'x' }] })).resolves.toBe('u9');
    expect(flow.attempts).toBe(3);
  });

  it("rejects with the node's own error, a timeout as NodeTimeoutError", async () => {
    await expect(runNode(new CardFlow(), 'user')).rejects.toThrow('the real user service must not be called');
    const error = await runNode(new CardFlow(), 'slow', { deps: [{ id: 'u', name: 'n' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeTimeoutError);
    expect(error).toMatchObject({ node: 'slow', timeout: 10 });
  });

  it('passes a dependency listed twice once per position', async () => {
    const user = { id: 'u', name: 'n' };
    await expect(runNode(new CardFlow(), 'twice', { deps: [user, user] })).resolves.toBe(true);
  });

  it('runs an immediate with params', async () => {
    await expect(runNode(new CardFlow(), 'prefix')).resolves.toBe('Dr.');
  });

  it('rejects with DagAbortedError when the signal aborts', async () => {
    const controller = new AbortController();
    const running = runNode(new CardFlow(), 'slow', { deps: [{ id: 'u', name: 'n' }], signal: controller.signal });
    controller.abort(new Error('test over'));
    await expect(running).rejects.toBeInstanceOf(DagAbortedError);
  });

  it('rejects with a TypeError naming the dependencies when deps has the wrong length', async () => {
    await expect(runNode(new CardFlow(), 'card', { deps: ['Dr.'] })).rejects.toThrow(
      'runNode: expected `deps` to be an array of 2 values, one per dependency of "card" (prefix, user), got 1.',
    );
    await expect(runNode(new CardFlow(), 'user', { deps: [1] as never })).rejects.toThrow(
      'runNode: expected `deps` to be an array of 0 values, one per dependency of "user", got 1.',
    );
  });

  it('rejects with UNKNOWN_NODE for a name that is not a node', async () => {
    const error = await runNode(new CardFlow(), 'greeting' as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DagError);
    expect(error).toMatchObject({
      code: 'UNKNOWN_NODE',
      message: expect.stringContaining('CardFlow has no node named "greeting"'),
    });
  });

  it('types the dependency values by the parameters of the method', () => {
    const flow = new CardFlow();
    // @ts-expect-error the second dependency is a User
    void runNode(flow, 'card', { deps: ['Dr.', 'Ada'] }).catch(() => {});
    // @ts-expect-error 'nope' is not a member of CardFlow
    void runNode(flow, 'nope').catch(() => {});
    // @ts-expect-error params are { locale: string }
    void runNode(flow, 'card', { deps: ['Dr.', { id: '', name: '' }], params: { lang: 'en' } }).catch(() => {});
  });

  it('runs a node of a builder graph, by TaskNode (typed) or by name', async () => {
    let sum!: TaskNode<number>;
    const dag = buildDag<number>((tm) => {
      const a = tm.with({ name: 'a' }).addNode(() => 1);
      sum = tm.with({ name: 'sum' }).addNode((x: number, p: number) => x + p, a);
    });
    const value = await runNode(dag, sum, { deps: [41], params: 1 });
    expectTypeOf(value).toEqualTypeOf<number>();
    expect(value).toBe(42);
    await expect(runNode(dag, 'sum', { deps: [1], params: 1 })).resolves.toBe(2);
  });
});
