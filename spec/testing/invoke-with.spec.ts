import { expectTypeOf } from 'expect-type';
import {
  buildDag,
  Dag,
  DagError,
  graphOf,
  immediate,
  invokeDag,
  node,
  type DagResult,
  type ExecutionResult,
} from 'async-dag';
import { dagMatchers, invokeWith } from 'async-dag/testing';

expect.extend(dagMatchers);

interface User {
  id: string;
  name: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class ProfileFlow extends Dag<{ userId: string }> {
  calls: string[] = [];

  @immediate prefix() {
    return 'Dr.';
  }

  @node() async user(p: { userId: string }): Promise<User> {
    this.calls.push('user');
    await sleep(5);
    return { id: p.userId, name: 'Real' };
  }

  @node() async friends(): Promise<number> {
    this.calls.push('friends');
    return 3;
  }

  @node('prefix', 'user', 'friends') card(prefix: string, user: User, friends: number): string {
    return `${prefix} ${user.name} (${friends})`;
  }
}

describe('invokeWith (class flows)', () => {
  it('runs the flow with the overridden nodes replaced, and the others as they are', async () => {
    const flow = new ProfileFlow();
    const result = await invokeWith(
      flow,
      { userId: 'u1' },
      { overrides: { user: async (p) => ({ id: p.userId, name: 'Fake' }) } },
    );
    expect(result.get('card')).toBe('Dr. Fake (3)');
    expect(result.get('user')).toEqual({ id: 'u1', name: 'Fake' });
    expect(flow.calls).toEqual(['friends']);
    expectTypeOf(result).toEqualTypeOf<DagResult<ProfileFlow>>();
  });

  it('hands an override the dependency values, params and ctx, with the flow as this', async () => {
    const flow = new ProfileFlow();
    const seen: unknown[] = [];
    const result = await invokeWith(
      flow,
      { userId: 'u2' },
      {
        overrides: {
          card: function (this: ProfileFlow, prefix, user, friends, ...rest: unknown[]) {
            seen.push(this, prefix, user.name, friends, ...rest.slice(0, 1), (rest[1] as { name: string }).name);
            return 'overridden';
          },
        },
      },
    );
    expect(result.get('card')).toBe('overridden');
    expect(seen).toEqual([flow, 'Dr.', 'Real', 3, { userId: 'u2' }, 'card']);
  });

  it('can override an immediate, called with params', async () => {
    const result = await invokeWith(
      new ProfileFlow(),
      { userId: 'u3' },
      { overrides: { prefix: (p) => `Prof. ${p.userId}` } },
    );
    expect(result.get('card')).toBe('Prof. u3 Real (3)');
  });

  it('leaves the class graph alone: the flow, and concurrent runs of it, run the real nodes', async () => {
    const flow = new ProfileFlow();
    const [faked, real] = await Promise.all([
      invokeWith(flow, { userId: 'u1' }, { overrides: { friends: () => 99 } }),
      flow.invoke({ userId: 'u1' }),
    ]);
    expect(faked.get('card')).toBe('Dr. Real (99)');
    expect(real.get('card')).toBe('Dr. Real (3)');
    expect((await flow.invoke({ userId: 'u1' })).get('friends')).toBe(3);
    expect(graphOf(flow).nodes.map((n) => n.name)).toEqual(['prefix', 'user', 'friends', 'card']);
  });

  it('passes the invocation options on, such as settle mode', async () => {
    const result = await invokeWith(
      new ProfileFlow(),
      { userId: 'u1' },
      {
        failFast: false,
        overrides: {
          user: () => {
            throw new Error('user service down');
          },
        },
      },
    );
    expect(result).toHaveRejected('user', 'user service down');
    expect(result).toHaveBeenSkipped('card');
    expect(result).toHaveFulfilled('friends');
  });

  it('works for a class run with invokeDag', async () => {
    class Base {}
    class Report extends Base {
      @node() total() {
        return 10;
      }
      @node('total') doubled(total: number) {
        return total * 2;
      }
    }
    expect((await invokeDag(new Report())).get('doubled')).toBe(20);
    const result = await invokeWith(new Report(), undefined, { overrides: { total: () => 1 } });
    expect(result.get('doubled')).toBe(2);
  });

  it('types the overrides against the class', () => {
    const flow = new ProfileFlow();
    // @ts-expect-error 'usr' is not a node of ProfileFlow
    void invokeWith(flow, { userId: 'u1' }, { overrides: { usr: async () => ({ id: '', name: '' }) } }).catch(() => {});
    // @ts-expect-error user resolves to a User, not a number
    void invokeWith(flow, { userId: 'u1' }, { overrides: { user: async () => 42 } }).catch(() => {});
    // @ts-expect-error params are { userId: string }
    void invokeWith(flow, { id: 'u1' }, {}).catch(() => {});
  });
});

describe('invokeWith (builder graphs)', () => {
  it('replaces nodes by name and resolves with an ExecutionResult', async () => {
    const real = jest.fn(async (n: number) => n * 10);
    const dag = buildDag<number>((tm) => {
      const fetch = tm.with({ name: 'fetch' }).addNode(real, tm.params);
      tm.with({ name: 'plusOne' }).addNode((x: number) => x + 1, fetch);
    });
    const result = await invokeWith(dag, 4, { overrides: { fetch: async (n: number) => n } });
    expectTypeOf(result).toEqualTypeOf<ExecutionResult>();
    expect(result.get('plusOne')).toBe(5);
    expect(real).not.toHaveBeenCalled();
    expect((await dag.invoke(4)).get('plusOne')).toBe(41);
  });
});

describe('invokeWith (mistakes)', () => {
  it('rejects with UNKNOWN_NODE for an override of a name that is not a node, with a suggestion', async () => {
    const error = await invokeWith(
      new ProfileFlow(),
      { userId: 'u1' },
      { overrides: { usr: () => null } as never },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DagError);
    expect(error).toMatchObject({
      code: 'UNKNOWN_NODE',
      message:
        'invokeWith: ProfileFlow has no node named "usr". Did you mean "user"? Its nodes are: prefix, user, friends, card.',
    });
  });

  it('rejects with a TypeError for an override that is not a function, and for a flow that is not one', async () => {
    await expect(
      invokeWith(new ProfileFlow(), { userId: 'u1' }, { overrides: { user: 'Ada' } as never }),
    ).rejects.toThrow('invokeWith: expected `overrides.user` to be a function, got `"Ada"` (string)');
    await expect(invokeWith({}, undefined)).rejects.toThrow(
      /invokeWith: expected `flow` to be an instance of a Dag class/,
    );
  });

  it('rejects with the TypeError of a bad invocation option, as invoke does', async () => {
    await expect(invokeWith(new ProfileFlow(), { userId: 'u1' }, { concurrency: 0 })).rejects.toThrow(
      'Expected `concurrency` to be an integer from 1 and up, got `0` (number)',
    );
  });
});
