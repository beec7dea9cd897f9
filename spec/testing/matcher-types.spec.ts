import { expect as globalsExpect } from '@jest/globals';
import { buildDag } from 'async-dag';
import { dagMatchers } from 'async-dag/testing';

// Both ways of reaching `expect` know the matchers' types (checked by `npm run typecheck`).
globalsExpect.extend(dagMatchers);

describe('matcher types', () => {
  it('types the matchers on the global expect and on the one from @jest/globals', async () => {
    const dag = buildDag((tm) => {
      const a = tm.with({ name: 'a' }).addNode(() => 1);
      tm.with({ name: 'b' }).addNode((x: number) => x + 1, a);
    });
    const result = await dag.invoke();
    expect(result).toHaveRunBefore('a', 'b');
    globalsExpect(result).toHaveRunBefore('a', 'b');
    globalsExpect(result).not.toHaveRunConcurrently('a', 'b');
    globalsExpect(result).toHaveFulfilled('b');
    // @ts-expect-error toHaveRunBefore takes two node names
    expect(() => expect(result).toHaveRunBefore('a')).toThrow();
    // @ts-expect-error a node name is a string
    expect(() => globalsExpect(result).toHaveFulfilled(1)).toThrow(TypeError);
  });
});
